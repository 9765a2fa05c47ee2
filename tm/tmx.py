"""TMX 1.4b import into, and export from, the project store.

Reading and writing the format live in :mod:`tm.tmx_read` and
:mod:`tm.tmx_write`; this module merges a TMX into the memory (all or
nothing, with a conflict policy) and exports the memory or a document.
"""

from __future__ import annotations

import contextlib
import json
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tm.errors import UsageError
from tm.leverage import bulk_index
from tm.models import Document, Status, TranslationUnit
from tm.rows import UNIT_COLUMN_COUNT, UNIT_COLUMNS, unit_from_row, unit_row
from tm.store import Store
from tm.timeutil import utc_now
from tm.tmx_read import ReadStats, TmxHeader, TmxReader, normalize_lang
from tm.tmx_write import TmxWriter, header_attributes, stdout_stream

__all__ = [
    "ON_CONFLICT",
    "ExportReport",
    "ImportReport",
    "ReadStats",
    "TmxHeader",
    "TmxReader",
    "TmxWriter",
    "export_tmx",
    "header_attributes",
    "import_tmx",
    "normalize_lang",
    "read_tmx",
    "select_statuses",
]

ON_CONFLICT = ("keep-both", "replace", "skip")
# Units merged per INSERT: big enough for the FTS5 index to work in bulk,
# small enough that the chunks in flight stay a few tens of MB.
CHUNK_UNITS = 10_000
IMPORT_CACHE_KIB = 128 * 1024
# SQLite's bound-parameter limit is 32766 on current builds, 999 on old ones.
LOOKUP_BATCH = 900


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did to the memory."""

    path: Path
    units_read: int
    added: int
    updated: int
    duplicates: int
    skipped_conflicts: int
    removed_alternatives: int
    skipped_other_languages: int
    invalid: int
    invalid_examples: tuple[str, ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    path: str
    units: int
    dropped_characters: int
    statuses: tuple[Status, ...]
    seconds: float


def read_tmx(path: str | Path) -> list[TranslationUnit]:
    """All Indonesian/English units of a (small) TMX file, in order."""
    return list(TmxReader(path))


# -- import --------------------------------------------------------------------


@dataclass(slots=True)
class _Counts:
    added: int = 0
    updated: int = 0
    duplicates: int = 0
    skipped: int = 0
    removed: int = 0


def import_tmx(
    store: Store,
    path: str | Path,
    on_conflict: str = "keep-both",
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Merge a TMX file into the memory, all or nothing.

    ``on_conflict`` decides what happens when a source is already in the
    memory with another target: ``keep-both`` adds the new one as an
    alternative, ``replace`` overwrites the existing unit (and removes other
    alternatives for that source), ``skip`` keeps the memory's. An identical
    source and target is counted as a duplicate and not added again. Any
    error rolls the whole import back. ``progress`` is called with the
    number of units read after each chunk.
    """
    if on_conflict not in ON_CONFLICT:
        raise UsageError(
            f"Unknown {{on_conflict}} {on_conflict!r}",
            action=f"Choose one of {', '.join(ON_CONFLICT)}.",
            option="on_conflict",
        )
    started = time.perf_counter()
    reader = TmxReader(path)
    previous_cache = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    # The units_source index of a big memory outgrows SQLite's 2 MB default
    # page cache; lookups and inserts then wait on I/O (about half the time at
    # 1M units). 128 MB stays well inside the 300 MB budget.
    store.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        return _import(store, reader, on_conflict, progress, started)
    finally:
        store.conn.execute(f"PRAGMA cache_size = {int(previous_cache)}")


def _import(
    store: Store,
    reader: TmxReader,
    on_conflict: str,
    progress: Callable[[int], None] | None,
    started: float,
) -> ImportReport:
    counts = _Counts()
    now = utc_now()
    # Parsing (Python, holds the GIL) runs in a thread while SQLite (C, releases
    # the GIL) stores and indexes the previous chunk on another core.
    chunks: queue.Queue[list[TranslationUnit] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()
    producer = threading.Thread(
        target=_produce, args=(reader, chunks, stop), name="tmx-reader", daemon=True
    )
    # New units are full-text indexed once, at the end, not row by row.
    with bulk_index(store) as conn:
        merger = _Merger(conn, on_conflict, now, counts)
        producer.start()
        try:
            while (chunk := chunks.get()) is not None:
                if isinstance(chunk, BaseException):
                    raise chunk
                merger.merge(chunk)
                if progress is not None:
                    progress(reader.stats.units)
        finally:
            stop.set()
            while producer.is_alive():
                # Unblock a producer waiting on a full queue, then let it end.
                with contextlib.suppress(queue.Empty):
                    chunks.get(timeout=0.05)
            producer.join()
    stats = reader.stats
    return ImportReport(
        path=reader.path,
        units_read=stats.units,
        added=counts.added,
        updated=counts.updated,
        duplicates=counts.duplicates,
        skipped_conflicts=counts.skipped,
        removed_alternatives=counts.removed,
        skipped_other_languages=stats.skipped_other_languages,
        invalid=stats.invalid,
        invalid_examples=tuple(stats.invalid_examples),
        seconds=time.perf_counter() - started,
    )


def _produce(
    reader: TmxReader,
    chunks: queue.Queue[list[TranslationUnit] | BaseException | None],
    stop: threading.Event,
) -> None:
    """Parse in chunks onto the queue; end with None, or the error raised."""

    def put(item: list[TranslationUnit] | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    try:
        chunk: list[TranslationUnit] = []
        for unit in reader:
            chunk.append(unit)
            if len(chunk) >= CHUNK_UNITS:
                if not put(chunk):
                    return
                chunk = []
        if chunk and not put(chunk):
            return
        put(None)
    except BaseException as exc:  # handed to the main thread, which raises it
        put(exc)


def _existing(conn: sqlite3.Connection, sources: Sequence[str]) -> dict[str, list[list[Any]]]:
    """Memory units for these sources, oldest first: source -> [[id, target], ...]."""
    known: dict[str, list[list[Any]]] = {}
    # One statement for the whole chunk: every return from SQLite to Python has
    # to win the GIL back from the parsing thread, so fewer calls run faster.
    for key, source, target in conn.execute(
        "SELECT id, source, target FROM units WHERE source IN"
        " (SELECT value FROM json_each(?)) ORDER BY id",
        (json.dumps(sources, ensure_ascii=False),),
    ):
        known.setdefault(source, []).append([key, target])
    return known


@dataclass(slots=True)
class _Merger:
    """Merges chunks of units into the memory, one INSERT ... SELECT per chunk.

    A single statement per chunk (rather than one per unit) spares a GIL
    round trip per row.
    """

    conn: sqlite3.Connection
    on_conflict: str
    now: str
    counts: _Counts

    def merge(self, chunk: list[TranslationUnit]) -> None:
        """Apply one chunk of units read from the file.

        In ``known``, a positive key is a ``units`` id and a negative one is
        ``-(index + 1)`` of a unit of this chunk still to be inserted.
        """
        known = _existing(self.conn, list({u.source for u in chunk}))
        counts = self.counts
        inserts: list[TranslationUnit | None] = []
        updates: dict[int, TranslationUnit] = {}
        deletes: set[int] = set()
        for unit in chunk:
            entries = known.get(unit.source)
            if entries is not None and any(target == unit.target for _, target in entries):
                counts.duplicates += 1
                continue
            if entries is not None and self.on_conflict == "skip":
                counts.skipped += 1
                continue
            if entries is None or self.on_conflict == "keep-both":
                known.setdefault(unit.source, []).append([-(len(inserts) + 1), unit.target])
                inserts.append(unit)
                counts.added += 1
                continue
            first, *rest = entries
            key = first[0]
            if key > 0:
                updates[key] = unit
            else:
                inserts[-key - 1] = unit
            counts.updated += 1
            for other, _ in rest:
                if other > 0:
                    deletes.add(other)
                    updates.pop(other, None)
                else:
                    inserts[-other - 1] = None
                    counts.added -= 1
                counts.removed += 1
            first[1] = unit.target
            entries[:] = [first]
        conn = self.conn
        if deletes:
            conn.executemany("DELETE FROM units WHERE id = ?", ((i,) for i in deletes))
        if updates:
            conn.executemany(
                _UPDATE_UNIT, ((*unit_row(u, self.now), i) for i, u in updates.items())
            )
        rows = [unit_row(u, self.now) for u in inserts if u is not None]
        if rows:
            conn.execute(_INSERT_UNITS, (json.dumps(rows, ensure_ascii=False),))


# json_each keeps the array order, so units get ids in file order.
_INSERT_UNITS = (
    f"INSERT INTO units ({UNIT_COLUMNS}) SELECT "
    + ", ".join(f"value ->> {i}" for i in range(UNIT_COLUMN_COUNT))
    + " FROM json_each(?) ORDER BY key"
)
# A replaced unit becomes the imported one; only its id (which segments
# point at) stays.
_UPDATE_UNIT = (
    f"UPDATE units SET ({UNIT_COLUMNS}) = ({','.join('?' * UNIT_COLUMN_COUNT)}) WHERE id = ?"
)


# -- export --------------------------------------------------------------------


def select_statuses(statuses: Sequence[Status] | None, include_mt: bool) -> tuple[Status, ...]:
    """The statuses an export writes: confirmed by default, plus drafts with MT."""
    chosen = set(statuses) if statuses else {Status.TRANSLATED, Status.APPROVED}
    if include_mt:
        chosen.add(Status.DRAFT)
    return tuple(s for s in Status if s in chosen)


def export_tmx(
    store: Store,
    path: str | Path,
    *,
    document: Document | None = None,
    statuses: Sequence[Status] | None = None,
    include_mt: bool = False,
) -> ExportReport:
    """Write the memory (or one document's translated segments) as TMX 1.4b.

    Without ``document`` every memory unit whose status is selected is
    written. With one, its segments that have a target and a selected status
    are written in order, with their neighbours as context and their memory
    unit's metadata. ``path`` may be ``"-"`` for stdout. The file is
    replaced atomically.
    """
    started = time.perf_counter()
    chosen = select_statuses(statuses, include_mt)
    out = stdout_stream() if str(path) == "-" else Path(path)
    with TmxWriter(out) as writer:
        if document is None:
            for unit in memory_units(store, chosen):
                writer.write(unit)
            if Status.DRAFT in chosen:
                # Unconfirmed drafts (MT, fuzzy) live on segments, not in the
                # memory, until a person confirms them.
                for doc in store.documents():
                    for unit, tuid in document_units(store, doc, (Status.DRAFT,)):
                        writer.write(unit, tuid=tuid)
        else:
            for unit, tuid in document_units(store, document, chosen):
                writer.write(unit, tuid=tuid)
    return ExportReport(
        path=str(path),
        units=writer.units,
        dropped_characters=writer.dropped_characters,
        statuses=chosen,
        seconds=time.perf_counter() - started,
    )


def memory_units(store: Store, statuses: Sequence[Status]) -> Iterator[TranslationUnit]:
    """Memory units with these statuses, in id order, streamed.

    Plain tuples rather than ``sqlite3.Row``: export must reach 100k units/s.
    """
    marks = ",".join("?" * len(statuses))
    cursor = store.conn.cursor()
    cursor.row_factory = None
    cursor.execute(
        f"SELECT id, {UNIT_COLUMNS} FROM units WHERE status IN ({marks}) ORDER BY id",
        [s.value for s in statuses],
    )
    while rows := cursor.fetchmany(2000):
        for row in rows:
            yield unit_from_row(row)


def document_units(
    store: Store, document: Document, statuses: Sequence[Status]
) -> Iterator[tuple[TranslationUnit, str]]:
    """A document's translated segments as units, with a tuid for each."""
    segments = store.segments(document.id)
    unit_ids = sorted({s.unit_id for s in segments if s.unit_id is not None})
    units: dict[int, TranslationUnit] = {}
    for start in range(0, len(unit_ids), LOOKUP_BATCH):
        batch = unit_ids[start : start + LOOKUP_BATCH]
        marks = ",".join("?" * len(batch))
        for row in store.conn.execute(f"SELECT * FROM units WHERE id IN ({marks})", batch):
            units[row["id"]] = unit_from_row(row)
    for index, seg in enumerate(segments):
        if not seg.target or seg.status not in statuses:
            continue
        unit = units.get(seg.unit_id) if seg.unit_id is not None else None
        same_source = unit is not None and unit.source == seg.source
        same_target = unit is not None and unit.target == seg.target
        yield (
            TranslationUnit(
                source=seg.source,
                target=seg.target,
                source_markup=unit.source_markup if unit and same_source else None,
                target_markup=unit.target_markup if unit and same_target else None,
                created_at=(unit.created_at if unit else None) or seg.updated_at,
                created_by=(unit.created_by if unit else None) or seg.updated_by,
                changed_at=seg.updated_at or (unit.changed_at if unit else None),
                changed_by=seg.updated_by or (unit.changed_by if unit else None),
                origin=seg.origin or (unit.origin if unit else None),
                status=seg.status,
                usage_count=unit.usage_count if unit else 0,
                last_used_at=unit.last_used_at if unit else None,
                context_prev=segments[index - 1].source if index > 0 else None,
                context_next=segments[index + 1].source if index + 1 < len(segments) else None,
                document=document.name,
                props=unit.props if unit else (),
                notes=unit.notes if unit else (),
            ),
            str(unit.id) if unit is not None else f"{document.id}-{seg.position + 1}",
        )
