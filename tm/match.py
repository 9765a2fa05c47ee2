"""Fuzzy-match scores, candidate retrieval, analysis bands, number transfer.

The score is a word-level edit-distance percentage, as CAT tools compute it:

1. Both texts are tokenized with sacremoses (``MosesTokenizer(lang="id")``);
   inline codes (``<b>``, ``{1}``, ``%s``…) are cut out first and stay whole.
2. Every token is a *word*, a *number*, a *punctuation mark* or an *inline
   code*. The word sequence (lower-cased, each number replaced by one
   placeholder) is what the edit distance runs on:
   ``base = 100 × (L − d) / L`` with ``d`` the Levenshtein distance between the
   two sequences (rapidfuzz) and ``L`` the longer length.
3. Minor differences cost small penalties, one point each: a token that
   differs only in case, a different number, a different punctuation mark, a
   different inline code. Where the words are the same and only minor
   differences remain, the score is ``100 − penalties`` kept within 95–99;
   text that differs only in spacing scores 99. Only identical text scores 100.
4. Where words differ, the score is ``base − penalties / 2`` (rounded down)
   and never above 94, so 95–99 always means "nearly exact".

Every step is symmetric, so ``score(a, b) == score(b, a)``.

:class:`CandidateIndex` finds the units that may reach a threshold through
the store's indexes without scanning the memory (see :mod:`tm.leverage`).

An Indonesian stemmer (Sastrawi) was measured as a second, stemmed pass and
did not improve the ranking of matches on real news sentences; see
bench/results/leverage.md. It is therefore not used.
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

# Inline codes that must stay one token (and that Moses would split apart).
CODE_PATTERNS = (
    r"</?[A-Za-z][^<>\s]*(?:\s[^<>]*)?/?>",  # XML/HTML tags: <b>, </b>, <x id="1"/>
    r"\{\d+\}",  # {1}
    r"%(?:\d+\$)?[sdf]",  # printf: %s, %1$s
    r"\$\{\w+\}",  # ${name}
)
_CODE_RE = re.compile("|".join(f"(?:{p})" for p in CODE_PATTERNS))
_NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
_NUMBER_PLACEHOLDER = "\x00#"
# Minor differences count a full point in the nearly-exact band, half a point
# against a fuzzy score, so that a word edit always weighs more than them.
NEAR_EXACT_FLOOR = 95
FUZZY_CEILING = 94
FUZZY_MINOR_WEIGHT = 0.5


class Band(StrEnum):
    """The analysis bands agencies quote prices from."""

    REPETITION = "repetitions"
    IN_CONTEXT = "101%"
    EXACT = "100%"
    NEAR_EXACT = "95-99%"
    HIGH = "85-94%"
    MEDIUM = "75-84%"
    LOW = "50-74%"
    NO_MATCH = "no match"


BAND_ORDER: tuple[Band, ...] = tuple(Band)


def band_for(score: int | None) -> Band:
    """The analysis band of a best-match score (None: no match)."""
    if score is None or score < 50:
        return Band.NO_MATCH
    if score >= 101:
        return Band.IN_CONTEXT
    if score == 100:
        return Band.EXACT
    if score >= 95:
        return Band.NEAR_EXACT
    if score >= 85:
        return Band.HIGH
    if score >= 75:
        return Band.MEDIUM
    return Band.LOW


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text split the way the scorer sees it."""

    words: tuple[str, ...]  # lower-cased; numbers as one placeholder
    cased: tuple[str, ...]  # the same with their case kept
    numbers: tuple[str, ...]  # the numbers as written, in order
    punct: tuple[str, ...]
    codes: tuple[str, ...]


@lru_cache(maxsize=1)
def _moses() -> Any:
    from sacremoses import MosesTokenizer

    return MosesTokenizer(lang="id")


def _is_punct(token: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PS" for ch in token)


_CODE_MARK = "\x01"


def _tokens(text: str) -> list[str]:
    """Moses tokens, with inline codes cut out first so they stay whole."""
    moses = _moses()
    if not _CODE_RE.search(text):
        return list(moses.tokenize(text, escape=False))
    tokens: list[str] = []
    start = 0
    for code in _CODE_RE.finditer(text):
        tokens.extend(moses.tokenize(text[start : code.start()], escape=False))
        tokens.append(_CODE_MARK + code.group())
        start = code.end()
    tokens.extend(moses.tokenize(text[start:], escape=False))
    return tokens


@lru_cache(maxsize=65536)
def analyze_text(text: str) -> Tokens:
    """Tokenize and classify a text (cached: memories repeat sources)."""
    words: list[str] = []
    cased: list[str] = []
    numbers: list[str] = []
    punct: list[str] = []
    codes: list[str] = []
    for token in _tokens(text):
        if token[0] == _CODE_MARK:
            codes.append(token[1:])
        elif _NUMBER_RE.fullmatch(token):
            numbers.append(token)
            words.append(_NUMBER_PLACEHOLDER)
            cased.append(_NUMBER_PLACEHOLDER)
        elif _is_punct(token):
            punct.append(token)
        else:
            words.append(token.lower())
            cased.append(token)
    return Tokens(tuple(words), tuple(cased), tuple(numbers), tuple(punct), tuple(codes))


@dataclass(frozen=True, slots=True)
class Comparison:
    """How two texts differ: the score and what the difference is made of."""

    score: int
    word_edits: int
    case: int
    numbers: int
    punct: int
    codes: int

    @property
    def numbers_only(self) -> bool:
        """True when the texts differ only in their numbers (number transfer applies)."""
        return self.word_edits == 0 and self.numbers > 0


def compare(a: str, b: str) -> Comparison:
    """Score two texts (0-100) and say what differs; symmetric in a and b."""
    if a == b:
        return Comparison(100, 0, 0, 0, 0, 0)
    ta, tb = analyze_text(a), analyze_text(b)
    edits = Levenshtein.distance(ta.words, tb.words)
    case = Levenshtein.distance(ta.cased, tb.cased) - edits
    numbers = 0 if ta.numbers == tb.numbers else _number_edits(ta, tb)
    punct = Levenshtein.distance(ta.punct, tb.punct)
    codes = Levenshtein.distance(ta.codes, tb.codes)
    minor = case + numbers + punct + codes
    if edits == 0:
        # Same words: only case, numbers, punctuation, codes or spacing differ.
        score = max(NEAR_EXACT_FLOOR, 100 - max(1, minor))
    else:
        longest = max(len(ta.words), len(tb.words))
        base = 100.0 * (longest - edits) / longest
        score = min(FUZZY_CEILING, max(0, int(base - FUZZY_MINOR_WEIGHT * minor)))
    return Comparison(score, edits, case, numbers, punct, codes)


def _number_edits(ta: Tokens, tb: Tokens) -> int:
    if len(ta.numbers) == len(tb.numbers):
        return sum(x != y for x, y in zip(ta.numbers, tb.numbers, strict=True))
    return Levenshtein.distance(ta.numbers, tb.numbers)


def score(a: str, b: str) -> int:
    """The fuzzy-match percentage of two texts: 100 only when identical."""
    return compare(a, b).score


# -- candidate retrieval -------------------------------------------------------

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
# How many of the best-counted candidates are scored.
MAX_CANDIDATES = 300
# Candidates whose quick word score is this far below the threshold are not
# scored exactly (Moses tokenization is the costly step). The quick words
# follow Moses closely (see quick_words), so the quick score is at or above
# the exact one on ordinary text; the margin absorbs what still differs
# (Moses keeps "Jakarta--Bogor" one token, for one). Two such tokens in a
# query can still cost a unit sharing only half its words more than this.
QUICK_MARGIN = 10

TERM_RE = re.compile(r"[^\W_]+")
# Roughly the words Moses makes: numbers with separators and hyphenated
# words stay whole. Used for the word-count bounds and the quick prefilter.
# Abbreviations written with dots (a.n., U.S.A., S.H.) and letters and digits
# glued together (10km, Rp5.000, COVID-19) are one Moses token too.
QUICK_WORD_RE = re.compile(r"[^\W\d_](?:\.[^\W\d_])+\.?(?![^\W_])|[^\W_]+(?:[-.,][^\W_]+)*")
_QUICK_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def index_terms(text: str) -> list[str]:
    """The terms FTS5 (unicode61, remove_diacritics 2) makes of a text."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return TERM_RE.findall(folded)


def quick_length(text: str) -> int:
    """How many words :func:`quick_words` finds (the snapshot's word counts)."""
    if _CODE_RE.search(text):
        text = _CODE_RE.sub(" ", text)
    return len(QUICK_WORD_RE.findall(text))


def quick_words(text: str) -> list[str]:
    """Lower-cased words roughly as Moses splits them; numbers as ``#``.

    Inline codes are cut out first, as the exact score does (they weigh a
    half point there): ``<x id="1"/>`` is not three words.
    """
    if _CODE_RE.search(text):
        text = _CODE_RE.sub(" ", text)
    # Split first, then fold: folding first would cut İzmir ("i̇zmir": an i
    # and a combining dot) in two where Moses keeps one word.
    return [
        "#" if _QUICK_NUMBER_RE.fullmatch(w) else w.casefold() for w in QUICK_WORD_RE.findall(text)
    ]


_LENGTHS: dict[tuple[str, int], Any] = {}


def _snapshot_lengths(conn: sqlite3.Connection, path: str, generation: int) -> Any:
    """Each unit's word count (by id) in the snapshot; cached per build."""
    import numpy as np

    key = (path, generation)
    lengths = _LENGTHS.get(key)
    if lengths is None:
        row = conn.execute("SELECT lengths FROM fuzzy_lengths WHERE id = 1").fetchone()
        lengths = np.frombuffer(row[0] if row else b"", dtype=np.uint16)
        # One snapshot at a time (2 MB per million units); a worker thread
        # that loads another keeps its own reference.
        _LENGTHS.clear()
        _LENGTHS[key] = lengths
    return lengths


class CandidateIndex:
    """Candidate retrieval for one store: the snapshot plus the FTS5 delta.

    A unit that scores ``s`` % against a query of ``n`` words shares at least
    ``s·max(n, m)`` of them, so it holds one of the rarest ``n − ⌈s·n⌉ + 1``
    query terms (pigeonhole): only those posting lists must be read. Made
    per lookup (or per batch); it reads, never writes.
    """

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path
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
        words = quick_words(query)
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
        hits = np.zeros(len(lengths), dtype=np.int16)
        marks = ",".join("?" * len(chosen))
        for term, blob in self.conn.execute(
            f"SELECT term, ids FROM fuzzy_postings WHERE term IN ({marks})", chosen
        ):
            # A unit appears once per posting list, so plain fancy-index add is exact.
            hits[np.frombuffer(blob, dtype=np.int32)] += counts[term]
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
        quick_query = quick_words(query)
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
                quick = 100 * Levenshtein.normalized_similarity(quick_query, quick_words(source))
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


# -- number transfer ---------------------------------------------------------


_SWAP = str.maketrans(".,", ",.")


def _swap_separators(number: str) -> str:
    """Indonesian 4,9 / 12.000 as English 4.9 / 12,000 (and back)."""
    return number.translate(_SWAP)


def transfer_numbers(segment: str, unit_source: str, unit_target: str) -> str | None:
    """The unit's target with the segment's numbers carried over, or None.

    Applies only when the segment and the unit's source differ in numbers
    alone (the same count of numbers, the same words). Each changed number is
    found in the target either as written in Indonesian (``4,9``) or in the
    English convention (``4.9``: decimal point and thousands comma swapped)
    and replaced by the new number in the same convention. If a changed
    number cannot be found in the target, nothing is transferred.
    """
    ta, tb = analyze_text(segment), analyze_text(unit_source)
    if ta.words != tb.words or ta.numbers == tb.numbers or len(ta.numbers) != len(tb.numbers):
        return None
    target = unit_target
    for new, old in zip(ta.numbers, tb.numbers, strict=True):
        if new == old:
            continue
        replaced = None
        if "," in old or "." in old:
            forms = [(_swap_separators(old), _swap_separators(new)), (old, new)]
        else:
            # A plain integer reads the same in both languages: assume English.
            forms = [(old, _swap_separators(new))]
        for before, after in forms:
            pattern = re.compile(rf"(?<![\d.,]){re.escape(before)}(?![\d]|[.,]\d)")
            if pattern.search(target):
                # `after` holds only digits, signs and separators: no group refs.
                replaced = pattern.sub(after, target, count=1)
                break
        if replaced is None:
            return None
        target = replaced
    return target
