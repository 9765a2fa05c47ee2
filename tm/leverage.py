"""Translation-memory leverage: lookup, analysis and concordance.

Retrieval never scans the memory. A unit that scores ``s`` % against a query
of ``n`` words shares at least ``s·max(n, m)`` of them (a Levenshtein
alignment keeps that many tokens), so it contains one of the rarest
``n − ⌈s·n⌉ + 1`` query terms (pigeonhole). Two indexes serve this:

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

import math
import re
import sqlite3
import time
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein

from tm.errors import InputError
from tm.match import BAND_ORDER, Band, band_for, compare, transfer_numbers
from tm.migrations import FTS_DELETE_TRIGGER, FTS_INSERT_TRIGGER, FTS_UPDATE_TRIGGER
from tm.models import Match, MatchKind, TranslationUnit
from tm.store import Store, unit_from_row, word_count

# The index splits words as FTS5's unicode61 does, Moses a little differently
# (anak-anak, 4,9); the filter asks for this many points less than the
# threshold so that the difference never loses a match.
FILTER_SLACK = 5
# Extra (non-pigeonhole) posting lists are fetched only while they are cheap.
EXTRA_POSTINGS_BUDGET = 20_000
# The snapshot skips terms in more than this share of units (once pigeonhole
# allows): reading them costs more than they prune.
FETCH_SHARE = 0.05
FETCH_MIN_DF = 5_000
# ensure_index rebuilds the snapshot when more units than this (or a tenth of
# the memory) are outside it.
SNAPSHOT_MAX_LAG = 20_000
# How many of the best-counted candidates are scored.
MAX_CANDIDATES = 300
# Candidates whose quick word score is this far below the threshold are not
# scored exactly (Moses tokenization is the costly step).
QUICK_MARGIN = 10

_TERM_RE = re.compile(r"[^\W_]+")
# Roughly the words Moses makes: numbers with separators and hyphenated
# words stay whole. Used for the word-count bounds and the quick prefilter.
_QUICK_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:[-'’][^\W_]+)*")


def index_terms(text: str) -> list[str]:
    """The terms FTS5 (unicode61, remove_diacritics 2) makes of a text."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _TERM_RE.findall(folded)


def _quick_words(text: str) -> list[str]:
    return ["#" if w[0].isdigit() else w for w in _QUICK_RE.findall(text.casefold())]


# -- keeping the index current ---------------------------------------------------


def _snapshot_terms(text: str) -> list[str]:
    # index_terms without the per-character accent pass for ASCII text (most
    # of it), which makes building the snapshot about twice as fast.
    folded = text.casefold()
    terms = _TERM_RE.findall(folded) if folded.isascii() else index_terms(text)
    return [t for t in terms if not t.isdigit()]


def rebuild_snapshot(store: Store) -> None:
    """Rebuild the fuzzy-match snapshot (posting blobs) from the units table."""
    import numpy as np

    with store.atomic() as conn:
        top = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM units").fetchone()[0])
        term_ids: dict[str, int] = {}
        pair_terms = array("i")
        pair_units = array("i")
        lengths = np.zeros(top + 1, dtype=np.uint16)
        cur = conn.execute("SELECT id, source FROM units ORDER BY id")
        while rows := cur.fetchmany(10_000):
            for uid, source in rows:
                lengths[uid] = min(len(_QUICK_RE.findall(source)), 65_535)
                ids = [term_ids.setdefault(t, len(term_ids)) for t in set(_snapshot_terms(source))]
                pair_terms.extend(ids)
                pair_units.extend([uid] * len(ids))
        order = np.argsort(np.frombuffer(pair_terms, dtype=np.int32), kind="stable")
        # stable: each term's unit ids stay ascending
        tids = np.frombuffer(pair_terms, dtype=np.int32)[order]
        uids = np.frombuffer(pair_units, dtype=np.int32)[order]
        starts = np.flatnonzero(np.diff(tids, prepend=-1))
        ends = np.append(starts[1:], len(tids))
        names = list(term_ids)
        conn.execute("DELETE FROM fuzzy_postings")
        conn.executemany(
            "INSERT INTO fuzzy_postings (term, df, ids) VALUES (?, ?, ?)",
            (
                (names[tids[a]], int(b - a), uids[a:b].tobytes())
                for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
            ),
        )
        conn.execute(
            "INSERT OR REPLACE INTO fuzzy_lengths (id, lengths) VALUES (1, ?)", (lengths.tobytes(),)
        )
        conn.execute("DELETE FROM fuzzy_stale")
        conn.executemany(
            "INSERT OR REPLACE INTO fuzzy_meta (key, value) VALUES (?, ?)",
            [
                ("built_max_id", top),
                ("units", len(lengths)),
                ("generation", int(time.time() * 1000)),
            ],
        )


def rebuild_index(store: Store) -> None:
    """Rebuild both indexes (full-text and fuzzy snapshot) from the units table."""
    with store.atomic() as conn:
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
    lag = index_lag(store)
    if lag <= max(max_lag, store.unit_count() // 10):
        return False
    rebuild_snapshot(store)
    return True


_LENGTHS: dict[tuple[str, int], Any] = {}


def _snapshot_lengths(conn: sqlite3.Connection, path: str, generation: int) -> Any:
    """Each unit's term count (by id) in the snapshot; cached per build."""
    import numpy as np

    key = (path, generation)
    if key not in _LENGTHS:
        row = conn.execute("SELECT lengths FROM fuzzy_lengths WHERE id = 1").fetchone()
        _LENGTHS.clear()
        _LENGTHS[key] = np.frombuffer(row[0] if row else b"", dtype=np.uint16)
    return _LENGTHS[key]


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


class _Retriever:
    """Candidate retrieval for one store: the snapshot plus the FTS5 delta."""

    def __init__(self, store: Store):
        self.conn = store.conn
        self.path = str(store.path)
        meta = dict(self.conn.execute("SELECT key, value FROM fuzzy_meta").fetchall())
        self.built_max = int(meta.get("built_max_id", 0))
        self.generation = int(meta.get("generation", 0))
        self.stale = [r[0] for r in self.conn.execute("SELECT unit_id FROM fuzzy_stale")]
        self.df: dict[str, int] = {}

    def candidates(self, query: str, threshold: int) -> list[tuple[int, float]]:
        """(unit id, best score it could reach) for units that may reach threshold.

        Most promising first. Units outside the snapshot have no bound (100).
        """
        counts = Counter(t for t in index_terms(query) if not t.isdigit())
        if not counts:
            return []
        words = _quick_words(query)
        numbers = words.count("#")
        share = max(threshold - FILTER_SLACK, 1) / 100
        # A match shares >= share x max(n, m) words; its shared words other
        # than numbers each bring at least one shared term.
        need = max(1, math.ceil(share * len(words)) - numbers)
        n = sum(counts.values())
        found = [(uid, 100.0) for uid in self.stale]
        found.extend((uid, 100.0) for uid in self._delta(counts, n, need))
        if self.built_max:
            found.extend(self._snapshot(counts, n, need, share, len(words), numbers))
        unique: dict[int, float] = {}
        for uid, bound in found:
            unique.setdefault(uid, bound)
        return list(unique.items())

    # The snapshot: one blob per term, counted with numpy.
    def _snapshot(
        self, counts: Counter[str], n: int, need: int, share: float, words: int, numbers: int
    ) -> list[tuple[int, float]]:
        import numpy as np

        terms = list(counts)
        marks = ",".join("?" * len(terms))
        # df first: SQLite leaves the blobs' overflow pages unread.
        df = dict(
            self.conn.execute(
                f"SELECT term, df FROM fuzzy_postings WHERE term IN ({marks})", terms
            ).fetchall()
        )
        lengths = _snapshot_lengths(self.conn, self.path, self.generation)
        cap = max(FETCH_MIN_DF, int(FETCH_SHARE * len(lengths)))
        unfetched = n
        chosen = []
        for term in sorted(df, key=df.__getitem__):
            # Very common terms may be skipped once pigeonhole holds: a unit
            # with none of the fetched terms then stays below `need`.
            if df[term] > cap and unfetched < need:
                break
            chosen.append(term)
            unfetched -= counts[term]
        if not chosen:
            return []
        by_weight: dict[int, list[Any]] = {}
        marks = ",".join("?" * len(chosen))
        for term, blob in self.conn.execute(
            f"SELECT term, ids FROM fuzzy_postings WHERE term IN ({marks})", chosen
        ):
            by_weight.setdefault(counts[term], []).append(np.frombuffer(blob, dtype=np.int32))
        hits = sum(
            weight * np.bincount(np.concatenate(lists), minlength=len(lengths))
            for weight, lists in by_weight.items()
        )
        ids = np.flatnonzero(hits >= max(1, need - unfetched))
        # Upper bound of shared words: counted terms, unread terms, numbers.
        longest = np.maximum(words, lengths[ids])
        shared = np.minimum(hits[ids] + unfetched + numbers, longest)
        keep = shared >= share * longest
        ids, bound = ids[keep], shared[keep] / longest[keep]
        order = np.argsort(-bound, kind="stable")[:MAX_CANDIDATES]
        return list(zip(ids[order].tolist(), (100 * bound[order]).tolist(), strict=True))

    # The delta: units added after the snapshot, through FTS5 posting lists.
    def _frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        missing = [t for t in terms if t not in self.df]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for term, doc in self.conn.execute(
                f"SELECT term, doc FROM units_fts_vocab WHERE col = 'source' AND term IN ({marks})",
                chunk,
            ):
                self.df[term] = doc
            for term in chunk:
                self.df.setdefault(term, 0)
        return {t: self.df[t] for t in terms}

    def _postings(self, term: str) -> list[int]:
        rows = self.conn.execute(
            "SELECT rowid FROM units_fts WHERE units_fts MATCH ? AND rowid > ?",
            (f'source : "{term}"', self.built_max),
        ).fetchall()
        return [r[0] for r in rows]

    def _delta(self, counts: Counter[str], n: int, need: int) -> list[int]:
        if (
            self.built_max
            and not self.conn.execute(
                "SELECT 1 FROM units WHERE id > ? LIMIT 1", (self.built_max,)
            ).fetchone()
        ):
            return []
        df = self._frequencies(list(counts))
        present = sorted((t for t in counts if df[t] > 0), key=lambda t: df[t])
        remaining = sum(counts[t] for t in present)
        if remaining < need:
            return []
        hits: Counter[int] = Counter()
        pigeonhole = n - need  # term occurrences a match may lack
        covered = n - remaining
        fetched = 0
        for term in present:
            weight = counts[term]
            in_prefix = covered <= pigeonhole
            if not in_prefix and fetched + df[term] > EXTRA_POSTINGS_BUDGET:
                break
            ids = self._postings(term)
            if in_prefix:
                for _ in range(weight):
                    hits.update(ids)
            else:
                for uid in hits.keys() & set(ids):
                    hits[uid] += weight
            covered += weight
            remaining -= weight
            fetched += len(ids)
        ranked = [uid for uid, c in hits.items() if c + remaining >= need]
        ranked.sort(key=hits.__getitem__, reverse=True)
        return ranked[:MAX_CANDIDATES]

    def fuzzy(
        self, query: str, threshold: int, want: int | None = None
    ) -> list[tuple[int, int, str | None]]:
        """(score, unit id, transferred target or None) for units >= threshold.

        With ``want``, scoring stops once ``want`` matches score at least
        what the next candidate could reach (plus the filter slack).
        """
        candidates = self.candidates(query, threshold)
        quick_query = _quick_words(query)
        found: list[tuple[int, int, str | None]] = []
        scores: list[int] = []
        step = 50 if want else 500
        for start in range(0, len(candidates), step):
            chunk = candidates[start : start + step]
            if want and len(scores) >= want and scores[want - 1] >= chunk[0][1] + FILTER_SLACK:
                break
            marks = ",".join("?" * len(chunk))
            rows = {
                r[0]: r
                for r in self.conn.execute(
                    f"SELECT id, source, target FROM units WHERE id IN ({marks})",
                    [uid for uid, _ in chunk],
                )
            }
            for uid, _ in chunk:
                if uid not in rows:
                    continue  # deleted since the snapshot
                _, source, target = rows[uid]
                if source == query:
                    continue  # an exact match, found by the exact lookup
                quick = 100 * Levenshtein.normalized_similarity(quick_query, _quick_words(source))
                if quick < threshold - QUICK_MARGIN:
                    continue
                result = compare(query, source)
                if result.score < threshold:
                    continue
                moved = transfer_numbers(query, source, target) if result.numbers_only else None
                found.append((result.score, uid, moved))
                scores.append(result.score)
                scores.sort(reverse=True)
        return found


def _in_context(unit: TranslationUnit, prev: str | None, next_: str | None) -> bool:
    # Both neighbours must be the same; a unit with no recorded context (a TMX
    # import, say) never counts as in context for a caller that gives none.
    if prev is None and next_ is None:
        return False
    return unit.context_prev == prev and unit.context_next == next_


def _newest_first(unit: TranslationUnit) -> tuple[str, int]:
    return (unit.changed_at or unit.created_at or "", unit.id or 0)


def _lookup(
    retriever: _Retriever,
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
        kind = MatchKind.IN_CONTEXT if _in_context(unit, prev, next_) else MatchKind.EXACT
        matches.append(Match(unit, 101 if kind is MatchKind.IN_CONTEXT else 100, kind))
    if len(matches) < limit:
        # A few spare: duplicates of exact pairs are dropped below.
        fuzzy = retriever.fuzzy(source, max(threshold, 1), want=limit + 2)
        fuzzy.sort(key=lambda f: (-f[0], -f[1]))
        for score, uid, moved in fuzzy:
            if len(matches) >= limit:
                break
            unit = store.get_unit(uid)
            if (unit.source, unit.target) in seen:
                continue
            seen.add((unit.source, unit.target))
            matches.append(Match(unit, score, MatchKind.FUZZY, moved or unit.target))
    return _order(matches)[:limit]


def _order(matches: list[Match]) -> list[Match]:
    # Best score first; among equal scores the most recently changed unit.
    newest = sorted(matches, key=lambda m: _newest_first(m.unit), reverse=True)
    return sorted(newest, key=lambda m: -m.score)


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
    return _lookup(_Retriever(store), store, source, context_prev, context_next, threshold, limit)


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
    retriever = _Retriever(store)
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
    retriever = _Retriever(store)
    seen: set[str] = set()
    results: list[SegmentResult] = []
    totals = {band: [0, 0, 0] for band in BAND_ORDER}
    for source, prev, nxt in items:
        if source in seen:
            result = SegmentResult(source, Band.REPETITION, None)
        else:
            seen.add(source)
            best = _lookup(retriever, store, source, prev, nxt, threshold, 1)
            top = best[0].score if best else None
            result = SegmentResult(source, band_for(top), top)
        results.append(result)
        row = totals[result.band]
        row[0] += 1
        row[1] += word_count(source)
        row[2] += _characters(source)
    bands = tuple(BandCount(b, *totals[b]) for b in BAND_ORDER)
    return Analysis(bands, tuple(results))


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
    words = [(m.start(), m.end(), index_terms(m.group())) for m in _TERM_RE.finditer(text)]
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
