"""Translation-memory leverage: lookup, analysis and concordance.

Retrieval never scans the memory. A unit that scores ``s`` % against a query
of ``n`` words shares at least ``s·max(n, m)`` of them (a Levenshtein
alignment keeps that many tokens), so it contains one of the rarest
``n − ⌈s·n⌉ + 1`` query terms (pigeonhole). Two indexes serve this
(:class:`tm.match.CandidateIndex` reads them; this module keeps them):

- the *snapshot* (``fuzzy_postings``): one packed int32 posting list per
  term, read as one blob and counted with numpy, plus each unit's word count
  for the length bound. :func:`rebuild_snapshot` builds it in bulk;
- the FTS5 table ``units_fts`` (migration 2), which triggers keep current
  whatever writes units. Units newer than the snapshot (and units whose
  source changed since, listed by a trigger in ``fuzzy_stale``) are found
  through its posting lists, so a lookup is never stale, only slower while
  much of the memory is outside the snapshot (:func:`ensure_index`).

Candidates are ranked by the best score they could reach and scored exactly
with :mod:`tm.match`, best first, until no remaining one can beat the found.
Concordance is an FTS5 phrase query on the source or target column.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tm.errors import InputError
from tm.match import (
    BAND_ORDER,
    TERM_RE,
    Band,
    CandidateIndex,
    band_for,
    index_terms,
    quick_length,
)
from tm.migrations import FTS_DELETE_TRIGGER, FTS_INSERT_TRIGGER, FTS_UPDATE_TRIGGER
from tm.models import Match, MatchKind, Origin, Status, TranslationUnit, origin_kind
from tm.rows import unit_from_row
from tm.store import Store, word_count

# ensure_index rebuilds the snapshot when more units than this (or a tenth of
# the memory) are outside it.
SNAPSHOT_MAX_LAG = 20_000
# Units per batch when building the snapshot (bounds its temporary memory).
SNAPSHOT_BATCH = 100_000


# -- keeping the index current ---------------------------------------------------


def _snapshot_terms(text: str) -> list[str]:
    # index_terms without the per-character accent pass for ASCII text (most
    # of it), which makes building the snapshot about twice as fast.
    folded = text.casefold()
    terms = TERM_RE.findall(folded) if folded.isascii() else index_terms(text)
    return [t for t in terms if not t.isdigit()]


@dataclass
class _Postings:
    """Posting lists built from the units table: term -> packed ascending int32 ids."""

    blobs: dict[str, bytes]
    lengths: Any  # numpy uint16 array: each unit's word count, by id


def _build_postings(
    conn: sqlite3.Connection, top: int, skip: frozenset[int] = frozenset()
) -> _Postings:
    """The snapshot's posting lists and word counts for units with id <= top.

    Units are read in id order in batches; each batch's (term, unit) pairs
    are grouped with numpy and appended to the term's growing blob, so
    memory stays near the size of the finished index (~240 MB peak at 1M
    units) instead of holding every pair at once. Units in ``skip`` are left out.
    """
    import numpy as np

    term_ids: dict[str, int] = {}
    postings: dict[int, bytearray] = {}
    lengths = np.zeros(top + 1, dtype=np.uint16)
    cur = conn.execute("SELECT id, source FROM units WHERE id <= ? ORDER BY id", (top,))
    while rows := cur.fetchmany(SNAPSHOT_BATCH):
        pair_terms = array("i")
        pair_units = array("i")
        for uid, source in rows:
            if uid in skip:
                continue
            lengths[uid] = min(quick_length(source), 65_535)
            ids = [term_ids.setdefault(t, len(term_ids)) for t in set(_snapshot_terms(source))]
            pair_terms.extend(ids)
            pair_units.extend([uid] * len(ids))
        if not pair_terms:
            continue
        terms = np.frombuffer(pair_terms, dtype=np.int32)
        # stable: each term's unit ids stay ascending, across batches too
        order = np.argsort(terms, kind="stable")
        terms = terms[order]
        units = np.frombuffer(pair_units, dtype=np.int32)[order]
        starts = np.flatnonzero(np.diff(terms, prepend=-1))
        ends = np.append(starts[1:], len(terms))
        for tid, a, b in zip(terms[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
            postings.setdefault(tid, bytearray()).extend(units[a:b].tobytes())
    names = list(term_ids)
    return _Postings({names[tid]: bytes(blob) for tid, blob in postings.items()}, lengths)


def rebuild_snapshot(store: Store) -> None:
    """Rebuild the fuzzy-match snapshot (posting blobs) from the units table."""
    with store.atomic() as conn:
        top = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM units").fetchone()[0])
        built = _build_postings(conn, top)
        conn.execute("DELETE FROM fuzzy_postings")
        conn.executemany(
            "INSERT INTO fuzzy_postings (term, df, ids) VALUES (?, ?, ?)",
            ((term, len(blob) // 4, blob) for term, blob in built.blobs.items()),
        )
        conn.execute(
            "INSERT OR REPLACE INTO fuzzy_lengths (id, lengths) VALUES (1, ?)",
            (built.lengths.tobytes(),),
        )
        conn.execute("DELETE FROM fuzzy_stale")
        previous = conn.execute("SELECT value FROM fuzzy_meta WHERE key = 'generation'").fetchone()
        # Distinct from every earlier build, and from a store re-created at
        # the same path: it keys the in-process cache of word counts.
        generation = max(int(previous[0]) + 1 if previous else 0, time.time_ns())
        conn.executemany(
            "INSERT OR REPLACE INTO fuzzy_meta (key, value) VALUES (?, ?)",
            [
                ("built_max_id", top),
                ("units", len(built.lengths)),
                ("generation", generation),
            ],
        )


def check_index(store: Store) -> list[str]:
    """The memory's indexes checked against the units: a list of problems (empty: intact).

    - the full-text index: FTS5's own ``integrity-check`` against the units;
    - the fuzzy snapshot: rebuilt in memory from the units it covers (those
      not changed since, which lookups find through the full-text index) and
      compared with the stored posting lists and word counts.

    Read-only; ``rebuild_index`` repairs both.
    """
    import numpy as np

    problems: list[str] = []
    with store.reading() as conn:
        try:
            # A read, although SQLite spells it as an INSERT: not possible on a
            # read-only store (the caller says so).
            if not store.read_only:
                conn.execute(
                    "INSERT INTO units_fts (units_fts, rank) VALUES ('integrity-check', 1)"
                )
        except sqlite3.DatabaseError as exc:
            problems.append(f"the full-text index does not match the units ({exc})")
        missing = _missing_triggers(conn)
        if missing:
            problems.append(
                "the triggers that keep the full-text index current are missing: "
                + ", ".join(missing)
            )
        meta = dict(conn.execute("SELECT key, value FROM fuzzy_meta").fetchall())
        top = int(meta.get("built_max_id", 0))
        stale = frozenset(int(r[0]) for r in conn.execute("SELECT unit_id FROM fuzzy_stale"))
        row = conn.execute("SELECT lengths FROM fuzzy_lengths WHERE id = 1").fetchone()
        stored_lengths = np.frombuffer(row[0] if row else b"", dtype=np.uint16)
        if top and len(stored_lengths) != top + 1:
            problems.append(
                f"the fuzzy snapshot's word counts cover {len(stored_lengths)} ids, "
                f"not the {top + 1} it was built for"
            )
            return problems
        built = _build_postings(conn, top, skip=stale)
        covered = np.zeros(top + 1, dtype=bool)  # units the snapshot must still match
        for (uid,) in conn.execute("SELECT id FROM units WHERE id <= ?", (top,)):
            covered[uid] = uid not in stale
        wrong_terms = 0
        seen: set[str] = set()
        for term, df, blob in conn.execute("SELECT term, df, ids FROM fuzzy_postings"):
            seen.add(term)
            ids = np.frombuffer(blob, dtype=np.int32)
            if df != len(ids) or (len(ids) and (ids.max() > top or ids.min() < 0)):
                wrong_terms += 1
                continue
            kept = ids[covered[ids]]
            expected = np.frombuffer(built.blobs.get(term, b""), dtype=np.int32)
            if not np.array_equal(kept, expected):
                wrong_terms += 1
        wrong_terms += len(set(built.blobs) - seen)
        if wrong_terms:
            problems.append(
                f"the fuzzy snapshot's posting lists of {wrong_terms} term(s) do not "
                "match the units"
            )
        if top and not np.array_equal(stored_lengths[covered], built.lengths[covered]):
            problems.append("the fuzzy snapshot's word counts do not match the units")
    return problems


# The triggers that keep the full-text index current (migration 2).
_FTS_TRIGGERS = {
    "units_fts_insert": FTS_INSERT_TRIGGER,
    "units_fts_delete": FTS_DELETE_TRIGGER,
    "units_fts_update": FTS_UPDATE_TRIGGER,
}


def _missing_triggers(conn: sqlite3.Connection) -> list[str]:
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return [name for name in _FTS_TRIGGERS if name not in present]


def rebuild_index(store: Store) -> None:
    """Rebuild both indexes (full-text and fuzzy snapshot) from the units table.

    Triggers that keep the full-text index current come back if they are missing.
    """
    with store.atomic() as conn:
        for name in _missing_triggers(conn):
            conn.execute(_FTS_TRIGGERS[name])
        conn.execute("INSERT INTO units_fts (units_fts) VALUES ('rebuild')")
        rebuild_snapshot(store)


def index_lag(store: Store) -> int:
    """Units the fuzzy snapshot does not cover (added or changed since)."""
    built = store.conn.execute("SELECT value FROM fuzzy_meta WHERE key = 'built_max_id'").fetchone()
    newer = store.conn.execute(
        "SELECT count(*) FROM units WHERE id > ?", (int(built[0]) if built else 0,)
    ).fetchone()[0]
    stale = store.conn.execute("SELECT count(*) FROM fuzzy_stale").fetchone()[0]
    return int(newer) + int(stale)


def ensure_index(store: Store, *, max_lag: int = SNAPSHOT_MAX_LAG) -> bool:
    """Rebuild the fuzzy snapshot if too many units are outside it.

    Lookups are always correct (newer units are found through FTS5), but
    those are slower per unit; batch commands and importers call this first.
    Returns True if it rebuilt.
    """
    if store.read_only:
        return False  # lookups stay correct, through the full-text index
    lag = index_lag(store)
    if lag <= max(max_lag, store.unit_count() // 10):
        return False
    rebuild_snapshot(store)
    return True


@contextmanager
def bulk_index(store: Store) -> Iterator[sqlite3.Connection]:
    """A transaction for bulk writes to units, full-text indexed once at the end.

    Per-row index triggers cost about four times the insert itself. Inside
    this block units inserted (ids above the current maximum) are not indexed
    row by row; updates and deletes of older units still are. Just before
    commit the new units are indexed in one statement, in their final state,
    and the normal triggers return. On error everything, triggers included,
    rolls back. The TMX importer uses it in place of ``store.atomic()``.
    """
    with store.atomic() as conn:
        top = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM units").fetchone()[0])
        guard = f"ON units WHEN old.id <= {top} BEGIN"
        for name in ("units_fts_insert", "units_fts_delete", "units_fts_update"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(FTS_DELETE_TRIGGER.replace("ON units BEGIN", guard))
        conn.execute(FTS_UPDATE_TRIGGER.replace("ON units BEGIN", guard))
        yield conn
        conn.execute(
            "INSERT INTO units_fts (rowid, source, target)"
            " SELECT id, source, target FROM units WHERE id > ?",
            (top,),
        )
        conn.execute("DROP TRIGGER units_fts_delete")
        conn.execute("DROP TRIGGER units_fts_update")
        for trigger in (FTS_INSERT_TRIGGER, FTS_DELETE_TRIGGER, FTS_UPDATE_TRIGGER):
            conn.execute(trigger)


# -- lookup ----------------------------------------------------------------------


def _in_context(unit: TranslationUnit, prev: str | None, next_: str | None) -> bool:
    # Both neighbours must be the same; a unit with no recorded context (a TMX
    # import, say) never counts as in context for a caller that gives none.
    if prev is None and next_ is None:
        return False
    return unit.context_prev == prev and unit.context_next == next_


# A unit no person has confirmed (an MT draft exported with --include-mt and
# imported back, say) is never an exact match: CAT tools apply such a penalty
# so that machine output is not leveraged, or priced, as human work.
UNCONFIRMED_PENALTY = 5


# An unconfirmed pair from `tm align --import` whose alignment was unsure
# (confidence below the threshold) loses this much more.
ALIGNED_DOUBT_PENALTY = 5
ALIGNED_DOUBT_THRESHOLD = 0.5


def _penalty(unit: TranslationUnit) -> int:
    if unit.status.confirmed:
        return 0
    if origin_kind(unit.origin) is Origin.ALIGNED:
        confidence = dict(unit.props).get("x-align-confidence", "")
        try:
            if float(confidence) < ALIGNED_DOUBT_THRESHOLD:
                return UNCONFIRMED_PENALTY + ALIGNED_DOUBT_PENALTY
        except ValueError:
            pass
    return UNCONFIRMED_PENALTY


def _newest_first(unit: TranslationUnit) -> tuple[str, int]:
    return (unit.changed_at or unit.created_at or "", unit.id or 0)


def _lookup(
    retriever: CandidateIndex,
    store: Store,
    source: str,
    prev: str | None,
    next_: str | None,
    threshold: int,
    limit: int,
) -> list[Match]:
    matches: list[Match] = []
    seen: set[tuple[str, str]] = set()
    exact = store.find_exact_units(source)  # newest first
    # Among units with the same target, the one in context represents them.
    exact.sort(key=lambda u: not _in_context(u, prev, next_))
    for unit in exact:
        if (unit.source, unit.target) in seen:
            continue
        seen.add((unit.source, unit.target))
        if _penalty(unit):
            if 100 - _penalty(unit) >= threshold:
                matches.append(Match(unit, 100 - _penalty(unit), MatchKind.FUZZY))
            continue
        kind = MatchKind.IN_CONTEXT if _in_context(unit, prev, next_) else MatchKind.EXACT
        matches.append(Match(unit, 101 if kind is MatchKind.IN_CONTEXT else 100, kind))
    if len(matches) < limit:
        # A few spare: duplicates of the same pair are dropped below.
        fuzzy = retriever.fuzzy(source, max(threshold, 1), want=limit + 2)
        fuzzy.sort(key=lambda f: (-f[0], -f[1]))
        for score, uid, moved in fuzzy:
            if len(matches) >= limit:
                break
            unit = store.get_unit(uid)
            if (unit.source, unit.target) in seen:
                continue
            seen.add((unit.source, unit.target))
            if score - _penalty(unit) < threshold:
                continue
            matches.append(
                Match(unit, score - _penalty(unit), MatchKind.FUZZY, moved or unit.target)
            )
    return _order(matches)[:limit]


def _order(matches: list[Match]) -> list[Match]:
    # Best score first; among equal scores an approved unit (a reviewer's
    # word is the best memory), then the most recently changed unit.
    newest = sorted(matches, key=lambda m: _newest_first(m.unit), reverse=True)
    return sorted(newest, key=lambda m: (-m.score, m.unit.status is not Status.APPROVED))


def lookup(
    store: Store,
    source: str,
    context_prev: str | None = None,
    context_next: str | None = None,
    *,
    threshold: int = 50,
    limit: int = 3,
) -> list[Match]:
    """The best memory matches for one segment, best first.

    101 (in context: the same source and the same neighbouring sources), 100
    (exact), then fuzzy matches scoring ``threshold``-99; a fuzzy match that
    differs only in numbers has them carried over into ``Match.target``.
    """
    with reading_index(store) as index:
        return _lookup(index, store, source, context_prev, context_next, threshold, limit)


@contextmanager
def reading_index(store: Store) -> Iterator[CandidateIndex]:
    """The candidate index, read in one read transaction with everything inside.

    The index's metadata, word-count table and posting lists must come from
    the same snapshot: an import committing (and rebuilding the snapshot)
    between two of those reads would otherwise make them disagree. Other
    connections may write meanwhile (WAL); this batch does not see it.
    """
    with store.reading():
        yield CandidateIndex(store.conn, str(store.path))


def lookup_many(
    store: Store,
    items: Sequence[tuple[str, str | None, str | None]],
    *,
    threshold: int = 50,
    limit: int = 3,
) -> list[list[Match]]:
    """:func:`lookup` for many (source, prev, next) items, sharing caches.

    It first brings the fuzzy snapshot up to date (:func:`ensure_index`).
    """
    ensure_index(store)
    with reading_index(store) as retriever:
        return [_lookup(retriever, store, s, p, n, threshold, limit) for s, p, n in items]


# -- analysis --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BandCount:
    """Segments, words and characters (without spaces) in one band."""

    band: Band
    segments: int = 0
    words: int = 0
    characters: int = 0


@dataclass(frozen=True, slots=True)
class SegmentResult:
    """One segment's band and best score (None: no match or a repetition)."""

    source: str
    band: Band
    score: int | None


@dataclass(frozen=True)
class Analysis:
    """The analysis report: counts per band, in the bands' order."""

    bands: tuple[BandCount, ...]
    segments: tuple[SegmentResult, ...] = field(default=())

    @property
    def total(self) -> BandCount:
        """All bands together."""
        return BandCount(
            Band.NO_MATCH,
            sum(b.segments for b in self.bands),
            sum(b.words for b in self.bands),
            sum(b.characters for b in self.bands),
        )

    def count(self, band: Band) -> BandCount:
        """The counts of one band."""
        return next(b for b in self.bands if b.band is band)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        total = self.total
        return {
            "bands": [
                {
                    "band": str(b.band),
                    "segments": b.segments,
                    "words": b.words,
                    "characters": b.characters,
                }
                for b in self.bands
            ],
            "total": {
                "segments": total.segments,
                "words": total.words,
                "characters": total.characters,
            },
        }


def _characters(text: str) -> int:
    return sum(not ch.isspace() for ch in text)


def _with_context(
    segments: Sequence[str | tuple[str, str | None, str | None]],
) -> list[tuple[str, str | None, str | None]]:
    sources = [s if isinstance(s, str) else s[0] for s in segments]
    items = []
    for i, s in enumerate(segments):
        if isinstance(s, str):
            prev = sources[i - 1] if i > 0 else None
            nxt = sources[i + 1] if i + 1 < len(sources) else None
            items.append((s, prev, nxt))
        else:
            items.append((s[0], s[1], s[2]))
    return items


def analyze(
    store: Store,
    segments: Sequence[str | tuple[str, str | None, str | None]],
    *,
    threshold: int = 50,
) -> Analysis:
    """Count segments, words and characters per band for a document.

    Plain strings take their neighbours in the sequence as context; tuples
    give (source, prev, next). The first occurrence of a source is looked up;
    later identical ones are repetitions. Each band is the band of the best
    match :func:`lookup` returns for that segment.
    """
    items = _with_context(segments)
    ensure_index(store)
    with reading_index(store) as retriever:
        results = _analyze_items(retriever, store, items, threshold)
    totals = {band: [0, 0, 0] for band in BAND_ORDER}
    for result in results:
        row = totals[result.band]
        row[0] += 1
        row[1] += word_count(result.source)
        row[2] += _characters(result.source)
    bands = tuple(BandCount(b, *totals[b]) for b in BAND_ORDER)
    return Analysis(bands, tuple(results))


def _analyze_items(
    retriever: CandidateIndex,
    store: Store,
    items: Sequence[tuple[str, str | None, str | None]],
    threshold: int,
) -> list[SegmentResult]:
    seen: set[str] = set()
    results: list[SegmentResult] = []
    for source, prev, nxt in items:
        if source in seen:
            result = SegmentResult(source, Band.REPETITION, None)
        else:
            seen.add(source)
            best = _lookup(retriever, store, source, prev, nxt, threshold, 1)
            top = best[0].score if best else None
            result = SegmentResult(source, band_for(top), top)
        results.append(result)
    return results


# -- concordance -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConcordanceHit:
    """A unit containing the searched phrase, with where it occurs.

    ``spans`` are (start, end) character offsets into ``text`` (the source,
    or the target for a target search) for highlighting.
    """

    unit: TranslationUnit
    text: str
    spans: tuple[tuple[int, int], ...]
    in_target: bool


def phrase_spans(text: str, terms: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Where the term sequence occurs in text, ignoring case and accents."""
    if not terms:
        return ()
    words = [(m.start(), m.end(), index_terms(m.group())) for m in TERM_RE.finditer(text)]
    flat: list[tuple[int, int, str]] = [(s, e, t) for s, e, ts in words for t in ts]
    spans = []
    k = len(terms)
    for i in range(len(flat) - k + 1):
        if all(flat[i + j][2] == terms[j] for j in range(k)):
            spans.append((flat[i][0], flat[i + k - 1][1]))
    return tuple(spans)


def concordance(
    store: Store, text: str, *, target: bool = False, limit: int = 20
) -> list[ConcordanceHit]:
    """Units whose source (or target) contains the phrase, newest first."""
    terms = index_terms(text)
    if not terms:
        raise InputError(
            f"Cannot search the memory for {text!r}: it has no letters or digits. "
            "Give a word or a phrase, for example: tm concordance 'pemerintah daerah'."
        )
    column = "target" if target else "source"
    query = f'{column} : "{" ".join(terms)}"'
    rows = store.conn.execute(
        "SELECT * FROM units WHERE id IN (SELECT rowid FROM units_fts WHERE units_fts MATCH ?)"
        " ORDER BY COALESCE(changed_at, created_at) DESC, id DESC LIMIT ?",
        (query, limit),
    )
    hits = []
    for row in rows:
        unit = unit_from_row(row)
        side = unit.target if target else unit.source
        hits.append(ConcordanceHit(unit, side, phrase_spans(side, terms), target))
    return hits
