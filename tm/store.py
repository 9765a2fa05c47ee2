"""The SQLite project store.

One :class:`Store` owns one connection. It runs the schema migrations when it
opens a file, turns on WAL and foreign keys, and offers :meth:`Store.atomic`,
a nestable transaction: the outermost level is ``BEGIN IMMEDIATE`` (so a
second writer waits for the lock instead of failing halfway), inner levels are
savepoints. A connection belongs to the thread that opened it; a worker thread
opens its own Store on the same path.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tm.errors import (
    NotAStoreError,
    NotFoundError,
    StoreBusyError,
    StoreDamagedError,
    StoreError,
    StoreFullError,
)
from tm.migrations import MIGRATIONS
from tm.models import (
    Document,
    DocumentProgress,
    Segment,
    SegmentedText,
    Status,
    TranslationUnit,
)
from tm.provenance import (
    PROP_REVIEW_DATE,
    PROP_REVIEWER,
    PROVENANCE_PROPS,
    REVIEW_PROPS,
    Provenance,
    provenance,
    provenance_props,
)
from tm.rows import (
    INSERT_UNIT,
    document_from_row,
    segment_from_row,
    unit_from_row,
    unit_row,
)
from tm.timeutil import default_author, utc_now

DEFAULT_DB = "tm.sqlite"
# How long a writer waits for another process's lock before giving up.
DEFAULT_BUSY_TIMEOUT_S = 30.0
# PRAGMA application_id of a tm store ("tmID"), set when the store is created
# (and on the first write-open of a store made before it existed), so that
# another application's SQLite file is never taken for one.
APPLICATION_ID = 0x746D4944
# Tables every tm store has had since schema 1 (for stores made before the
# application id).
_CORE_TABLES = frozenset({"documents", "segments", "units", "glossary_terms", "mt_cache"})
_SQLITE_MAGIC = b"SQLite format 3\x00"


def default_db_path() -> Path:
    """The store path: ``TM_DB`` if set, else ``tm.sqlite`` here."""
    return Path(os.environ.get("TM_DB") or DEFAULT_DB)


def _busy_timeout() -> float:
    try:
        return float(os.environ.get("TM_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT_S))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_S


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def word_count(text: str) -> int:
    """Words as CAT tools count them for analysis and progress."""
    return len(text.split())


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


# SQLite's primary result codes that the messages below tell apart.
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 11, 13, 26
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CANTOPEN = 10, 14


def store_error(exc: sqlite3.Error, path: str | os.PathLike[str] | None, doing: str) -> StoreError:
    """The product's one-paragraph error for a SQLite failure on a store.

    Every SQLite error that leaves the store (or the CLI) goes through here:
    a busy store, a full disk, a damaged file, a file that is not a store.
    """
    where = f"the store {path}" if path is not None else "the store"
    message = str(exc)
    code = _primary_code(exc)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in message or "busy" in message:
        return StoreBusyError(
            f"The store {path} is busy: another tm process (a batch "
            "translation, an import or a review window) is writing to it and did not "
            "finish in time. Wait for it to finish and run the command again, "
            "or raise TM_BUSY_TIMEOUT (seconds)."
        )
    if code == _SQLITE_FULL or "disk is full" in message:
        return StoreFullError(
            f"Cannot {doing} {where}: the disk is full (SQLite: {message}). The last "
            "change was rolled back and the store is as it was before it. Free some "
            "space and run the command again."
        )
    if code == _SQLITE_NOTADB:
        return NotAStoreError(
            f"{path} is not a tm store",
            message,
            "Point {db} at a tm store, or at a new file to start a new one.",
            option="db",
        )
    if code == _SQLITE_READONLY:
        return StoreError(
            f"Cannot {doing} {where}: the file or its folder is read-only ({message}). "
            "Commands that only read (tm docs, tm export, tm concordance) work on it; "
            "copy it somewhere writable to change it."
        )
    if code == _SQLITE_CANTOPEN:
        return StoreError(
            f"Cannot {doing} {where}: SQLite cannot open it ({message}). Check that the "
            "file exists and that you may read it and its folder."
        )
    if code == _SQLITE_IOERR:
        return StoreError(
            f"Cannot {doing} {where}: reading or writing the disk failed ({message}). "
            "Check the disk, then run `tm check` to see whether the store is intact."
        )
    return StoreDamagedError(
        f"Cannot {doing} {where}: the store is damaged ({message}). Run `tm check` "
        "to see what is wrong and how to recover what is readable."
    )


def _is_sqlite_file(path: Path) -> bool:
    """True for an empty file (SQLite treats it as an empty database) or a SQLite header."""
    with path.open("rb") as handle:
        head = handle.read(len(_SQLITE_MAGIC))
    return head in (b"", _SQLITE_MAGIC)


def writable(path: Path) -> bool:
    """Whether this process may write the file and create files beside it (WAL, journal)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def file_uri(path: Path, **params: str) -> str:
    from urllib.parse import quote, urlencode

    return f"file:{quote(str(path.resolve()))}?{urlencode(params)}"


class Store:
    """The project store: documents, segments, the memory, glossary, MT cache.

    ``create=False`` opens an existing store only (commands that only read
    never leave an empty store behind a typo). ``read_only=True`` opens it
    with ``mode=ro`` (and ``immutable=1`` where SQLite cannot create the WAL
    index beside it, on a read-only mount) and ``query_only``: nothing is
    written, not even the schema; a store needing a migration is refused.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout: float | None = None,
        read_only: bool = False,
        create: bool = True,
    ):
        self.path = Path(path)
        self.read_only = read_only
        if self.path.is_dir():
            raise StoreError(
                f"The store path {self.path} is a directory",
                action="Point {db} at a file, for example {db=project.sqlite}.",
                option="db",
            )
        exists = self.path.exists()
        if not exists and (read_only or not create):
            raise NotFoundError(
                f"There is no store at {self.path} yet",
                action="Run the command in your project folder, point {db} at your "
                "store, or create one with `tm import FILE`.",
                option="db",
            )
        if not exists and not self.path.parent.exists():
            raise StoreError(
                f"Cannot create the store {self.path}",
                f"the folder {self.path.parent} does not exist",
                "Create it first, or point {db} at another file.",
                option="db",
            )
        if exists and not (self.path.is_file() and self._readable_header()):
            raise NotAStoreError(
                f"{self.path} is not a tm store",
                "it is not a SQLite database",
                "Point {db} at a tm store, or at a new file to start a new one.",
                option="db",
            )
        if exists and not read_only and not writable(self.path):
            raise StoreError(
                f"Cannot write to the store {self.path}: the file or its folder is "
                "read-only here (a read-only mount, or no write permission). Commands "
                "that only read (tm docs, tm export, tm concordance) work on it; copy it "
                "somewhere writable to change it."
            )
        self._depth = 0
        timeout = _busy_timeout() if busy_timeout is None else busy_timeout
        with self._errors("open"):
            if read_only:
                self.conn = self._connect_read_only(timeout)
            else:
                self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            try:
                self.conn.row_factory = sqlite3.Row
                self.conn.execute("PRAGMA foreign_keys = ON")
                stamp = self._identify()
                if read_only:
                    self.conn.execute("PRAGMA query_only = ON")
                    self._check_schema_read_only()
                else:
                    self.conn.execute("PRAGMA journal_mode = WAL")
                    self.conn.execute("PRAGMA synchronous = NORMAL")
                    if stamp:
                        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    self._migrate()
            except BaseException:
                self.conn.close()
                raise

    def _readable_header(self) -> bool:
        try:
            return _is_sqlite_file(self.path)
        except OSError as exc:
            raise StoreError(
                f"Cannot read the store {self.path}: {exc.strerror}. Check that you may read it."
            ) from exc

    def _connect_read_only(self, timeout: float) -> sqlite3.Connection:
        conn = sqlite3.connect(
            file_uri(self.path, mode="ro"), timeout=timeout, isolation_level=None, uri=True
        )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if _primary_code(exc) != _SQLITE_CANTOPEN:
                raise
        # A WAL store on a read-only mount: SQLite cannot create the WAL index
        # (-shm) beside it. Nothing can be writing there, so read it as an
        # immutable file.
        return sqlite3.connect(
            file_uri(self.path, mode="ro", immutable="1"),
            timeout=timeout,
            isolation_level=None,
            uri=True,
        )

    def _identify(self) -> bool:
        """Refuse a file that is not a tm store; True if ours but not marked yet.

        Not marked yet: a new (empty) database, or a store made by a tm from
        before the application id (schema version set, tm's tables there).
        """
        app_id = int(self.conn.execute("PRAGMA application_id").fetchone()[0])
        if app_id == APPLICATION_ID:
            return False
        tables = {
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if app_id == 0 and self.schema_version > 0 and tables >= _CORE_TABLES:
            return True  # a tm store from before the application id
        if app_id == 0 and self.schema_version == 0 and not tables and not self.read_only:
            return True  # an empty database: a new store
        raise NotAStoreError(
            f"{self.path} is not a tm store",
            "it is a SQLite database of another application (or an empty one), and tm "
            "leaves it as it is",
            "Point {db} at your tm store, or at a new file to start a new one.",
            option="db",
        )

    def _check_schema_read_only(self) -> None:
        latest = MIGRATIONS[-1].version
        current = self.schema_version
        if current > latest:
            raise StoreError(
                f"The store {self.path} was written by a newer version of tm (schema "
                f"{current}, this one knows {latest}). Upgrade tm to open it."
            )
        if current < latest:
            raise StoreError(
                f"The store {self.path} was written by an older version of tm (schema "
                f"{current}) and is read-only here, so it cannot be brought up to date "
                f"(schema {latest}). Copy it somewhere writable and run any tm command "
                "that writes (for example `tm import`) on the copy."
            )

    # -- lifecycle -----------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn sqlite failures into one-paragraph store errors."""
        try:
            yield
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, doing) from exc

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside sees the same snapshot.

        Writers in other processes go on (WAL); their commits become visible
        after the block. Inside a write transaction it is that transaction.
        """
        if self.conn.in_transaction:
            yield self.conn
            return
        with self._errors("read"):
            self.conn.execute("BEGIN DEFERRED")
            # The snapshot starts at the first read, so take it now.
            self.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        try:
            yield self.conn
        finally:
            if self.conn.in_transaction:
                with self._errors("read"):
                    self.conn.execute("COMMIT")

    # -- transactions and schema ---------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """A transaction; nested calls become savepoints.

        Everything inside is committed together or, on any exception, rolled
        back together. SQLite errors come out as :class:`StoreError`s (a full
        disk as :class:`StoreFullError`); where SQLite has already rolled the
        transaction back itself (a full disk, an I/O error), its error is the
        one reported, not the failed ROLLBACK.
        """
        with self._errors("write to"):
            if self._depth == 0:
                self.conn.execute("BEGIN IMMEDIATE")
            else:
                self.conn.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield self.conn
        except BaseException as exc:
            self._depth -= 1
            # A failed ROLLBACK must not hide the error that caused it.
            with suppress(sqlite3.Error):
                self._roll_back()
            if isinstance(exc, sqlite3.Error):
                raise store_error(exc, self.path, "write to") from exc
            raise
        else:
            self._depth -= 1
            with self._errors("write to"):
                if self._depth == 0:
                    try:
                        self.conn.execute("COMMIT")
                    except sqlite3.Error:
                        self._roll_back()
                        raise
                else:
                    self.conn.execute(f"RELEASE sp{self._depth}")

    def _roll_back(self) -> None:
        """Undo the current level, unless SQLite has already undone the transaction."""
        if not self.conn.in_transaction:
            # SQLite rolls back by itself on a full disk, some I/O errors, and
            # on an interrupted statement: there is nothing left to undo here.
            self._depth = 0
            return
        if self._depth == 0:
            self.conn.execute("ROLLBACK")
        else:
            self.conn.execute(f"ROLLBACK TO sp{self._depth}")
            self.conn.execute(f"RELEASE sp{self._depth}")

    @property
    def schema_version(self) -> int:
        """The store's schema version (``PRAGMA user_version``)."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        latest = MIGRATIONS[-1].version
        current = self.schema_version
        if current > latest:
            raise StoreError(
                f"The store {self.path} was written by a newer version of tm (schema "
                f"{current}, this one knows {latest}). Upgrade tm to open it."
            )
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            with self.atomic() as conn:
                # Re-read under the write lock: another process may have migrated.
                if self.schema_version >= migration.version:
                    continue
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {int(migration.version)}")

    # -- documents -------------------------------------------------------------

    def add_document(
        self,
        name: str,
        segmented: SegmentedText,
        *,
        path: str | None = None,
        sha256: str,
    ) -> Document:
        """Store a segmented text as a new document; returns it.

        A name already in use gets a numbered suffix, so importing two files
        with the same name never overwrites one.
        """
        now = utc_now()
        with self.atomic() as conn:
            unique = name
            n = 2
            while conn.execute("SELECT 1 FROM documents WHERE name = ?", (unique,)).fetchone():
                unique = f"{name} ({n})"
                n += 1
            cur = conn.execute(
                "INSERT INTO documents (name, path, prefix, sha256, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (unique, path, segmented.prefix, sha256, now, now),
            )
            doc_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO segments (document_id, position, paragraph, source, trailing)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    (doc_id, i, span.paragraph, span.source, span.trailing)
                    for i, span in enumerate(segmented.spans)
                ),
            )
        return self.get_document(doc_id)

    def get_document(self, ref: str | int) -> Document:
        """A document by id, name, or the path or file name it came from."""
        row = None
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (int(ref),)).fetchone()
        if row is None:
            text = str(ref)
            row = self.conn.execute(
                "SELECT * FROM documents WHERE name = ? OR path = ? ORDER BY id DESC LIMIT 1",
                (text, text),
            ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT * FROM documents WHERE name = ? ORDER BY id DESC LIMIT 1",
                (Path(str(ref)).name,),
            ).fetchone()
        if row is None:
            raise NotFoundError(
                f"There is no document {ref!r} in the store {self.path}. Run `tm docs` "
                "to list the documents, or `tm import FILE` to add one."
            )
        return document_from_row(row)

    def find_document_by_sha(self, sha256: str) -> Document | None:
        """The newest document imported from identical content, if any."""
        row = self.conn.execute(
            "SELECT * FROM documents WHERE sha256 = ? ORDER BY id DESC LIMIT 1", (sha256,)
        ).fetchone()
        return document_from_row(row) if row else None

    def documents(self) -> list[Document]:
        """All documents, oldest first."""
        return [
            document_from_row(r) for r in self.conn.execute("SELECT * FROM documents ORDER BY id")
        ]

    def progress(self, document: Document) -> DocumentProgress:
        """Counts per status and words for one document."""
        by_status: dict[str, int] = {}
        words = confirmed_words = segments = 0
        for status, source in self.conn.execute(
            "SELECT status, source FROM segments WHERE document_id = ?", (document.id,)
        ):
            n = word_count(source)
            segments += 1
            words += n
            by_status[status] = by_status.get(status, 0) + 1
            if Status(status).confirmed:
                confirmed_words += n
        return DocumentProgress(document, segments, words, by_status, confirmed_words)

    def list_documents(self) -> list[DocumentProgress]:
        """Every document with its progress."""
        return [self.progress(d) for d in self.documents()]

    def delete_document(self, document_id: int) -> None:
        """Remove a document and its segments (its memory units stay)."""
        with self.atomic() as conn:
            conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    def set_last_position(self, document_id: int, position: int) -> None:
        """Remember where the translator was, for reopening the document."""
        with self.atomic() as conn:
            conn.execute(
                "UPDATE documents SET last_position = ? WHERE id = ?", (position, document_id)
            )

    # -- segments --------------------------------------------------------------

    def segments(self, document_id: int) -> list[Segment]:
        """The document's segments in order."""
        rows = self.conn.execute(
            "SELECT * FROM segments WHERE document_id = ? ORDER BY position", (document_id,)
        )
        return [segment_from_row(r) for r in rows]

    def get_segment(self, segment_id: int) -> Segment:
        """One segment by id."""
        row = self.conn.execute("SELECT * FROM segments WHERE id = ?", (segment_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no segment {segment_id} in the store {self.path}.")
        return segment_from_row(row)

    def update_segment(
        self,
        segment_id: int,
        *,
        target: str | None,
        status: Status,
        origin: str | None,
        match_score: int | None = None,
        flags: Sequence[str] | None = None,
        author: str | None = None,
        draft: tuple[str | None, str | None] | None = None,
        provenance: Provenance | None = None,
    ) -> None:
        """Set a segment's target and status (flags stay unless given).

        ``draft`` (text, origin) records what a machine or the memory
        suggested, for the provenance of the confirmation; it stays unless
        given, except that a segment with no draft yet takes a non-human
        draft written here as its draft. ``provenance`` sets the
        origin-before-edit, the edit distance and accepted-unchanged, which
        are cleared otherwise.
        """
        now = utc_now()
        p = provenance
        with self.atomic() as conn:
            conn.execute(
                "UPDATE segments SET target = ?, status = ?, origin = ?, match_score = ?,"
                " updated_at = ?, updated_by = ?, origin_before = ?, edit_distance = ?,"
                " accepted_unchanged = ? WHERE id = ?",
                (
                    target,
                    str(status),
                    origin,
                    match_score,
                    now,
                    author,
                    p.origin_before if p else None,
                    p.edit_distance if p else None,
                    _flag(p.accepted_unchanged) if p else None,
                    segment_id,
                ),
            )
            if flags is not None:
                conn.execute(
                    "UPDATE segments SET flags = ? WHERE id = ?",
                    (json.dumps(list(flags), ensure_ascii=False), segment_id),
                )
            if draft is not None:
                conn.execute(
                    "UPDATE segments SET draft_target = ?, draft_origin = ? WHERE id = ?",
                    (*draft, segment_id),
                )
            else:
                # A first machine, memory or aligned draft written without
                # saying so is still the draft the confirmation is measured from.
                conn.execute(
                    "UPDATE segments SET draft_target = target, draft_origin = origin"
                    " WHERE id = ? AND draft_target IS NULL AND status = 'draft'"
                    " AND target IS NOT NULL AND origin IS NOT NULL AND origin != 'human'",
                    (segment_id,),
                )
            conn.execute(
                "UPDATE documents SET updated_at = ? WHERE id = "
                "(SELECT document_id FROM segments WHERE id = ?)",
                (now, segment_id),
            )

    def confirm_segment(
        self,
        segment_id: int,
        target: str,
        *,
        status: Status = Status.TRANSLATED,
        author: str | None = None,
    ) -> list[int]:
        """Confirm a segment: write it and its translation unit at once.

        The unit records the author, the date and the context (previous and
        next source segments). The provenance is decided here
        (:func:`tm.provenance.provenance`): the draft's origin when the text
        is the draft unchanged, else ``human`` with the origin before edit and
        the edit distance; the unit carries it as TMX props. Unconfirmed
        repetitions of the same source in the document get the same target as
        drafts; their ids are returned.
        """
        author = author or default_author()
        now = utc_now()
        with self.atomic() as conn:
            seg = self.get_segment(segment_id)
            prov = provenance(seg.draft_target, seg.draft_origin, target)
            doc = self.get_document(seg.document_id)
            prev_row = conn.execute(
                "SELECT source FROM segments WHERE document_id = ? AND position = ?",
                (seg.document_id, seg.position - 1),
            ).fetchone()
            next_row = conn.execute(
                "SELECT source FROM segments WHERE document_id = ? AND position = ?",
                (seg.document_id, seg.position + 1),
            ).fetchone()
            unit_id = self._upsert_confirmed_unit(
                seg,
                target,
                prov,
                status=status,
                author=author,
                now=now,
                context_prev=prev_row[0] if prev_row else None,
                context_next=next_row[0] if next_row else None,
                document=doc.name,
            )
            conn.execute(
                "UPDATE segments SET target = ?, status = ?, unit_id = ?, updated_at = ?,"
                " updated_by = ?, origin = ?, origin_before = ?, edit_distance = ?,"
                " accepted_unchanged = ?,"
                " review_state = CASE WHEN review_state = 'approved' AND ? != 'approved'"
                " THEN NULL ELSE review_state END WHERE id = ?",
                (
                    target,
                    str(status),
                    unit_id,
                    now,
                    author,
                    prov.origin,
                    prov.origin_before,
                    prov.edit_distance,
                    _flag(prov.accepted_unchanged),
                    str(status),
                    segment_id,
                ),
            )
            repetitions = [
                int(r[0])
                for r in conn.execute(
                    "SELECT id FROM segments WHERE document_id = ? AND source = ? AND id != ?"
                    " AND status IN ('new', 'draft')",
                    (seg.document_id, seg.source, segment_id),
                )
            ]
            conn.executemany(
                "UPDATE segments SET target = ?, status = 'draft', origin = 'tm-exact',"
                " match_score = 100, updated_at = ?, draft_target = target,"
                " draft_origin = 'tm-exact', origin_before = NULL, edit_distance = NULL,"
                " accepted_unchanged = NULL WHERE id = ?",
                ((target, now, rid) for rid in repetitions),
            )
            conn.execute("UPDATE documents SET updated_at = ? WHERE id = ?", (now, doc.id))
        return repetitions

    def _upsert_confirmed_unit(
        self,
        seg: Segment,
        target: str,
        prov: Provenance,
        *,
        status: Status,
        author: str,
        now: str,
        context_prev: str | None,
        context_next: str | None,
        document: str,
    ) -> int:
        """Update the segment's own unit, else reuse an identical pair, else add."""
        conn = self.conn
        unit_id = seg.unit_id
        if unit_id is None:
            row = conn.execute(
                "SELECT id FROM units WHERE source = ? AND target = ? ORDER BY id LIMIT 1",
                (seg.source, target),
            ).fetchone()
            unit_id = int(row[0]) if row else None
        row = (
            conn.execute("SELECT props FROM units WHERE id = ?", (unit_id,)).fetchone()
            if unit_id is not None
            else None
        )
        if unit_id is not None and row is not None:
            kept = [
                (k, v)
                for k, v in json.loads(row[0])
                if k not in PROVENANCE_PROPS and k not in REVIEW_PROPS
            ]
            props = [*kept, *provenance_props(prov)]
            conn.execute(
                "UPDATE units SET target = ?, target_markup = NULL, changed_at = ?,"
                " changed_by = ?, status = ?, context_prev = ?, context_next = ?,"
                " document = ?, origin = ?, props = ? WHERE id = ?",
                (
                    target,
                    now,
                    author,
                    str(status),
                    context_prev,
                    context_next,
                    document,
                    prov.origin,
                    json.dumps(props, ensure_ascii=False),
                    unit_id,
                ),
            )
            return unit_id
        return self.add_unit(
            TranslationUnit(
                source=seg.source,
                target=target,
                created_at=now,
                created_by=author,
                changed_at=now,
                changed_by=author,
                origin=prov.origin,
                status=status,
                context_prev=context_prev,
                context_next=context_next,
                document=document,
                props=tuple(provenance_props(prov)),
            )
        )

    def add_aligned_drafts(
        self,
        document_id: int,
        drafts: Sequence[tuple[int, str | None, int | None, Sequence[str]]],
        units: Sequence[tuple[int, bool, TranslationUnit]],
    ) -> int:
        """Store an alignment's targets on a document, in one transaction (`tm align --import`).

        ``drafts`` are (position, target, confidence 0-100, flags): a target
        becomes a draft with origin ``aligned`` and the confidence as its
        match score; None leaves the segment new, with the flags. Segments
        that already have a target or are confirmed are left alone. ``units``
        are (position, link, unit): unconfirmed memory units to add for the
        segments at those positions (skipped where the segment was left
        alone); with ``link`` the segment points at its unit, so that
        confirming the segment updates that unit. Returns how many segments
        got a draft.
        """
        now = utc_now()
        filled = 0
        with self.atomic() as conn:
            ids = {
                int(pos): (int(sid), target, str(status))
                for sid, pos, target, status in conn.execute(
                    "SELECT id, position, target, status FROM segments WHERE document_id = ?",
                    (document_id,),
                )
            }
            free = {
                pos for pos, (_, target, status) in ids.items() if not target and status == "new"
            }
            for position, target, score, flags in drafts:
                if position not in free:
                    continue
                conn.execute(
                    "UPDATE segments SET target = ?, status = ?, origin = ?, match_score = ?,"
                    " flags = ?, updated_at = ? WHERE id = ?",
                    (
                        target,
                        str(Status.DRAFT if target else Status.NEW),
                        "aligned" if target else None,
                        score if target else None,
                        json.dumps(list(flags), ensure_ascii=False),
                        now,
                        ids[position][0],
                    ),
                )
                filled += bool(target)
            for position, link, unit in units:
                if position not in free:
                    continue
                unit_id = self.add_unit(unit)
                if link:
                    conn.execute(
                        "UPDATE segments SET unit_id = ? WHERE id = ?", (unit_id, ids[position][0])
                    )
            conn.execute("UPDATE documents SET updated_at = ? WHERE id = ?", (now, document_id))
        return filled

    def withdraw_confirmation(self, segment_id: int, unit_id: int, *, since: str) -> bool:
        """Detach a unit that a confirmation wrote, and delete it if it is now unused.

        Used when a translator undoes a confirmation: a unit created at or
        after ``since`` (this review session) that no other segment uses would
        otherwise come back as a 101% match of the very text they rejected.
        A unit that existed before, or that another segment uses, stays.
        Returns whether the unit was deleted.
        """
        with self.atomic() as conn:
            conn.execute(
                "UPDATE segments SET unit_id = NULL WHERE id = ? AND unit_id = ?",
                (segment_id, unit_id),
            )
            cur = conn.execute(
                "DELETE FROM units WHERE id = ? AND created_at >= ?"
                " AND NOT EXISTS (SELECT 1 FROM segments WHERE unit_id = ?)",
                (unit_id, since, unit_id),
            )
            return cur.rowcount > 0

    def retarget_aligned_unit(self, segment_id: int, target: str | None) -> TranslationUnit | None:
        """Keep a segment's own unconfirmed aligned unit in step with its target.

        A join or split in the review moves aligned text between segments;
        the memory unit `tm align --import` linked to the segment would
        otherwise keep offering the pair the reviewer just undid. The unit
        takes the new target, or is deleted (and unlinked) when the segment
        has none left. Confirmed units and units of other origins are never
        touched. Returns the unit as it was, or None when nothing changed.
        """
        with self.atomic() as conn:
            row = conn.execute(
                "SELECT u.* FROM units u JOIN segments s ON s.unit_id = u.id"
                " WHERE s.id = ? AND u.status = ? AND u.origin = 'aligned'",
                (segment_id, str(Status.DRAFT)),
            ).fetchone()
            if row is None:
                return None
            unit = unit_from_row(row)
            if target:
                conn.execute(
                    "UPDATE units SET target = ?, target_markup = NULL, changed_at = ?"
                    " WHERE id = ?",
                    (target, utc_now(), unit.id),
                )
            else:
                conn.execute("UPDATE segments SET unit_id = NULL WHERE unit_id = ?", (unit.id,))
                conn.execute("DELETE FROM units WHERE id = ?", (unit.id,))
            return unit

    def restore_aligned_unit(self, segment_id: int, unit: TranslationUnit) -> int:
        """Put back a unit as :meth:`retarget_aligned_unit` found it, linked to the segment.

        For undo: the unit gets its old target back, or comes back as a new
        unit when it was deleted. Returns its id.
        """
        with self.atomic() as conn:
            unit_id = unit.id
            if (
                unit_id is not None
                and conn.execute("SELECT 1 FROM units WHERE id = ?", (unit_id,)).fetchone()
            ):
                conn.execute(
                    "UPDATE units SET target = ?, target_markup = ?, changed_at = ? WHERE id = ?",
                    (unit.target, unit.target_markup, unit.changed_at, unit_id),
                )
            else:
                unit_id = self.add_unit(dataclasses.replace(unit, id=None))
            conn.execute("UPDATE segments SET unit_id = ? WHERE id = ?", (unit_id, segment_id))
            return unit_id

    # -- review ------------------------------------------------------------------

    def approve_segments(self, segment_ids: Sequence[int], *, reviewer: str) -> list[int]:
        """A reviewer approves confirmed segments; returns the ids approved.

        Only segments a person has confirmed can be approved (others are left
        as they are). The segment and its memory unit get status
        ``approved``; the reviewer and the date are recorded on both (the
        unit as ``x-reviewer`` / ``x-review-date`` props).
        """
        now = utc_now()
        done: list[int] = []
        with self.atomic() as conn:
            for sid in segment_ids:
                seg = self.get_segment(sid)
                if not seg.status.confirmed:
                    continue
                conn.execute(
                    "UPDATE segments SET status = 'approved', review_state = 'approved',"
                    " reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ?",
                    (reviewer, now, now, sid),
                )
                if seg.unit_id is not None:
                    row = conn.execute(
                        "SELECT props FROM units WHERE id = ?", (seg.unit_id,)
                    ).fetchone()
                    if row is not None:
                        props = [(k, v) for k, v in json.loads(row[0]) if k not in REVIEW_PROPS]
                        props += [(PROP_REVIEWER, reviewer), (PROP_REVIEW_DATE, now)]
                        conn.execute(
                            "UPDATE units SET status = 'approved', props = ? WHERE id = ?",
                            (json.dumps(props, ensure_ascii=False), seg.unit_id),
                        )
                conn.execute(
                    "UPDATE documents SET updated_at = ? WHERE id = ?", (now, seg.document_id)
                )
                done.append(sid)
        return done

    def send_back(self, segment_id: int, *, reviewer: str, note: str) -> None:
        """A reviewer rejects a segment: it becomes a draft with the reviewer's note.

        Its memory unit, unless another confirmed segment uses it, becomes a
        draft too, so the rejected text is not offered as confirmed work.
        """
        now = utc_now()
        with self.atomic() as conn:
            seg = self.get_segment(segment_id)
            conn.execute(
                "UPDATE segments SET status = 'draft', review_state = 'rejected',"
                " reviewed_by = ?, reviewed_at = ?, review_note = ?, updated_at = ?"
                " WHERE id = ?",
                (reviewer, now, note.strip() or None, now, segment_id),
            )
            if seg.unit_id is not None:
                conn.execute(
                    "UPDATE units SET status = 'draft' WHERE id = ? AND NOT EXISTS (SELECT 1"
                    " FROM segments WHERE unit_id = ? AND id != ?"
                    " AND status IN ('translated', 'approved'))",
                    (seg.unit_id, seg.unit_id, segment_id),
                )
            conn.execute("UPDATE documents SET updated_at = ? WHERE id = ?", (now, seg.document_id))

    def rebuild_text(self, document_id: int, *, use_targets: bool = True) -> str:
        """The document's text: targets where there are any, else the source."""
        doc = self.get_document(document_id)
        parts = [doc.prefix]
        for source, target, trailing in self.conn.execute(
            "SELECT source, target, trailing FROM segments WHERE document_id = ? ORDER BY position",
            (document_id,),
        ):
            parts.append(target if use_targets and target else source)
            parts.append(trailing)
        return "".join(parts)

    # -- translation units -----------------------------------------------------

    def add_unit(self, unit: TranslationUnit) -> int:
        """Insert one unit; returns its id."""
        with self.atomic() as conn:
            cur = conn.execute(INSERT_UNIT, unit_row(unit))
            return int(cur.lastrowid or 0)

    def add_units(self, units: Iterable[TranslationUnit]) -> int:
        """Insert many units in one transaction; returns how many."""
        rows = [unit_row(u) for u in units]
        with self.atomic() as conn:
            conn.executemany(INSERT_UNIT, rows)
        return len(rows)

    def get_unit(self, unit_id: int) -> TranslationUnit:
        """One unit by id."""
        row = self.conn.execute("SELECT * FROM units WHERE id = ?", (unit_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no translation unit {unit_id} in {self.path}.")
        return unit_from_row(row)

    def find_exact_units(self, source: str) -> list[TranslationUnit]:
        """Units whose source is exactly this text, newest change first."""
        rows = self.conn.execute(
            "SELECT * FROM units WHERE source = ? ORDER BY COALESCE(changed_at, created_at) DESC,"
            " id DESC",
            (source,),
        )
        return [unit_from_row(r) for r in rows]

    def unit_count(self) -> int:
        """How many units the memory holds."""
        return int(self.conn.execute("SELECT count(*) FROM units").fetchone()[0])

    def iter_units(
        self, where: str = "", params: Sequence[Any] = (), *, batch: int = 2000
    ) -> Iterator[TranslationUnit]:
        """Stream units in id order, optionally filtered by a SQL condition."""
        sql = "SELECT * FROM units" + (f" WHERE {where}" if where else "") + " ORDER BY id"
        cur = self.conn.execute(sql, tuple(params))
        while rows := cur.fetchmany(batch):
            for row in rows:
                yield unit_from_row(row)

    # -- MT cache --------------------------------------------------------------

    def mt_cache_get(self, keys: Sequence[str]) -> dict[str, str]:
        """Cached MT targets for these keys (missing keys are absent)."""
        return {key: target for key, (target, _) in self.mt_cache_entries(keys).items()}

    def mt_cache_entries(self, keys: Sequence[str]) -> dict[str, tuple[str, int]]:
        """Cached (target, parts) for these keys; parts > 1 for a split source."""
        found: dict[str, tuple[str, int]] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for key, target, parts in self.conn.execute(
                f"SELECT key, target, parts FROM mt_cache WHERE key IN ({marks})", chunk
            ):
                found[key] = (target, int(parts))
        return found

    def mt_cache_put(
        self,
        rows: Iterable[tuple[str, str, str, str, str]],
        parts: Mapping[str, int] | None = None,
    ) -> None:
        """Store (key, source, target, model, settings) rows; ``parts`` by key if > 1."""
        now = utc_now()
        split = parts or {}
        with self.atomic() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO mt_cache (key, source, target, model, settings,"
                " created_at, parts) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((*row, now, split.get(row[0], 1)) for row in rows),
            )
