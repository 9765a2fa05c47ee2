"""Sentence alignment of an Indonesian text with its English translation.

A translator's archive holds articles already translated, as separate files
with no sentence links. :func:`align` links their sentences in *beads*: 1-1,
1-2, 2-1, 2-2, and 1-0 / 0-1 for a sentence with no counterpart (a dropped
sentence, an inserted caption or byline).

How: a dynamic programme over the beads, in a band around the diagonal of
the (source, target) grid. The cost of a bead adds up

* sentence lengths (Gale and Church 1993): the target's length in characters
  against the source's times the document's own length ratio, scaled by the
  expected variance, and a prior cost per bead type;
* anchors: tokens that must appear on both sides when the sentences are
  translations of each other, each weighted by how rare it is in the
  document (inverse document frequency): numbers normalised across the two
  languages (Indonesian ``1.500,75`` = English ``1,500.75``, day/month dates
  ``(8/1)`` = ``(1/8)``), month and weekday names, number words (juta =
  million), identical tokens (proper names, acronyms, loan words), the
  place-name glossary's Indonesian → English pairs, and quotes and brackets;
* when a :class:`tm.mt.Translator` is given, the character n-gram F-score
  (chrF-style) of the machine translation of the source against the target,
  as Bleualign does.

The band starts narrow and doubles wherever the best path comes near its
edge, so the work stays near-linear in the length of the documents: two files
of 10,000 sentences align in seconds (``bench/align_eval.py``). Every bead
gets a confidence in [0, 1].

Nothing here is learned from data: the weights were set on documents built
from the first half of ``news-valid`` (the evaluation uses the second half).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from tm.segment import split_sentences

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from tm.mt import Translator

# -- beads ------------------------------------------------------------------------

# (source sentences, target sentences) of each bead type.
BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1))


@dataclass(frozen=True, slots=True)
class Bead:
    """Consecutive source sentences linked to consecutive target sentences.

    ``source`` and ``target`` are sentence indices (one side is empty for a
    1-0 or 0-1 bead); ``confidence`` is in [0, 1].
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float

    @property
    def kind(self) -> str:
        """The bead type, such as ``1-1`` or ``2-1`` (source-target)."""
        return f"{len(self.source)}-{len(self.target)}"


@dataclass(frozen=True, slots=True)
class Alignment:
    """The sentences of both sides and the beads that link them, in order."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    beads: tuple[Bead, ...]

    def texts(self) -> Iterator[tuple[str, str, Bead]]:
        """(source sentences joined by a space, target ditto, bead) per bead."""
        for bead in self.beads:
            yield (
                " ".join(self.sources[i] for i in bead.source),
                " ".join(self.targets[j] for j in bead.target),
                bead,
            )

    def counts(self) -> dict[str, int]:
        """Beads per type, every type present (zero when absent)."""
        counts = {f"{a}-{b}": 0 for a, b in BEAD_TYPES}
        for bead in self.beads:
            counts[bead.kind] += 1
        return counts


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """The weights of the cost function and the band.

    Set on documents built from the first half of ``news-valid`` (the
    evaluation in ``bench/align_eval.py`` uses the second half).
    """

    # Gale-Church: variance of the target length per source character.
    variance: float = 6.8
    length_weight: float = 0.5
    # Prior cost of each bead type beyond 1-1.
    cost_12: float = 2.8
    cost_22: float = 10.0
    cost_skip: float = 2.0
    # Each matched anchor (times its idf weight) lowers the cost.
    anchor_weight: float = 1.6
    # A pair whose anchors mostly fail to match costs this much more.
    mismatch_weight: float = 1.0
    # Machine-translation similarity (chrF-style F-score in [0, 1]).
    mt_weight: float = 8.0
    # Confidence: logistic in the margin of a bead's cost over its rivals.
    confidence_slope: float = 0.8
    confidence_offset: float = 0.5
    # Half-width of the first band, in sentences, and when to widen it.
    band: int = 24
    band_margin: int = 4


DEFAULT_SETTINGS = AlignSettings()


# -- sentences ----------------------------------------------------------------------

# English-only titles that tm.segment (Indonesian rules) does not know; a
# sentence ending in one of them runs on into the next.
_ENGLISH_TITLES = frozenset(
    [
        "gov",
        "sen",
        "rep",
        "lt",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "gen",
        "rev",
        "fr",
        "mt",
        "ft",
        "messrs",
        "mmes",
        "jan",
    ]
)
_TITLE_END = re.compile(r"(?:^|\s)\(?([A-Za-z]+)\.$")


def split_english(text: str) -> list[str]:
    """English sentences of ``text``.

    ``tm.segment`` finds English sentence boundaries in news better than
    pysbd and sentencex (``bench/results/align.md``): it looks at each
    boundary alone, where both libraries carry quote state across sentences
    and lose it on unbalanced quotes. A few English-only titles (Gov., Sen.,
    Lt.) are joined back here.
    """
    merged: list[str] = []
    for sentence in split_sentences(text):
        if merged:
            title = _TITLE_END.search(merged[-1])
            if title and title.group(1).lower() in _ENGLISH_TITLES and "\n" not in sentence:
                merged[-1] = f"{merged[-1]} {sentence}"
                continue
        merged.append(sentence)
    return merged


def split_indonesian(text: str) -> list[str]:
    """Indonesian sentences of ``text`` (:mod:`tm.segment`)."""
    return split_sentences(text)


def split_lines(text: str) -> list[str]:
    """One sentence per non-blank line (``--segmented`` input)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


# -- anchors --------------------------------------------------------------------------

_MONTHS_ID = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "agustus": 8, "september": 9, "oktober": 10, "nopember": 11, "november": 11,
    "desember": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8,
    "agt": 8, "ags": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "des": 12,
}  # fmt: skip
_MONTHS_EN = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1,
    "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_DAYS_ID = {
    "senin": 1, "selasa": 2, "rabu": 3, "kamis": 4, "jumat": 5, "jum'at": 5, "sabtu": 6,
    "minggu": 7, "ahad": 7,
}  # fmt: skip
_DAYS_EN = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
    "sunday": 7,
}  # fmt: skip
# Number words and units that news writes beside figures.
_WORDS_ID = {
    "ribu": "thousand", "juta": "million", "miliar": "billion", "milyar": "billion",
    "triliun": "trillion", "persen": "percent", "rupiah": "rupiah", "dolar": "dollar",
    "kilometer": "kilometer", "km": "kilometer", "meter": "meter", "hektare": "hectare",
    "hektar": "hectare", "ton": "ton", "tahun": "year", "bulan": "month", "pekan": "week",
    "minggu": "week", "hari": "day", "jam": "hour", "menit": "minute", "orang": "people",
}  # fmt: skip
_WORDS_EN = {
    "thousand": "thousand", "million": "million", "billion": "billion",
    "trillion": "trillion", "percent": "percent", "per cent": "percent", "rupiah": "rupiah",
    "dollar": "dollar", "dollars": "dollar", "kilometer": "kilometer",
    "kilometers": "kilometer", "kilometres": "kilometer", "km": "kilometer",
    "meter": "meter", "meters": "meter", "metres": "meter", "hectare": "hectare",
    "hectares": "hectare", "ton": "ton", "tons": "ton", "tonnes": "ton", "year": "year",
    "years": "year", "month": "month", "months": "month", "week": "week", "weeks": "week",
    "day": "day", "days": "day", "hour": "hour", "hours": "hour", "minute": "minute",
    "minutes": "minute", "people": "people", "persons": "people",
}  # fmt: skip

_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|\w+(?:['’-]\w+)*", re.UNICODE)
_ID_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_EN_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DATE = re.compile(r"\d{1,2}/\d{1,2}")
# Tokens identical in both languages that say nothing about a pair.
_IDENTICAL_STOP = frozenset(
    ["a", "i", "di", "ke", "dan", "the", "of", "to", "in", "is", "it", "on"]
)
_QUOTES = '"“”«»'
_BRACKETS = "()[]"


def _number_key(token: str, decimal_comma: bool) -> str:
    """A number written the way both languages agree on: 1500.75, 3.2."""
    if _DATE.fullmatch(token):
        day, month = token.split("/")
        return "date:" + "/".join(sorted((str(int(day)), str(int(month)))))
    if ":" in token or token.count("/"):
        return "num:" + token.replace(":", ".")
    if decimal_comma:
        if _ID_THOUSANDS.fullmatch(token):
            token = token.replace(".", "").replace(",", ".")
        elif "," in token:
            token = token.replace(",", ".")
    elif _EN_THOUSANDS.fullmatch(token):
        token = token.replace(",", "")
    if "." in token and token.count(".") == 1:
        whole, frac = token.split(".")
        frac = frac.rstrip("0")
        token = f"{int(whole)}.{frac}" if frac else str(int(whole))
    elif token.isdigit():
        token = str(int(token))
    return "num:" + token


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_WORD = re.compile(r"\w+")


class _FormIndex:
    """Token sequences (forms) to keys; finds the longest form at each word, left to right."""

    def __init__(self) -> None:
        self._loose: dict[tuple[str, ...], str | None] = {}
        self._strict: dict[tuple[str, ...], str | None] = {}
        self._longest = 1

    def add(self, form: str, key: str | None, *, strict: bool = False) -> None:
        words = _WORD.findall(form)
        if not words:
            return
        if strict:
            self._strict.setdefault(tuple(words), key)
        else:
            self._loose.setdefault(tuple(w.casefold() for w in words), key)
        self._longest = max(self._longest, len(words))

    def find(self, text: str) -> list[str]:
        words = _WORD.findall(text)
        folded = [w.casefold() for w in words]
        keys: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                span = tuple(folded[i : i + n])
                if span in self._loose:
                    key = self._loose[span]
                elif tuple(words[i : i + n]) in self._strict:
                    key = self._strict[tuple(words[i : i + n])]
                else:
                    continue
                if key is not None:
                    keys.append(key)
                i += n
                break
            else:
                i += 1
        return keys


class _GlossaryAnchors:
    """Place names: the glossary's entries found in Indonesian, and in English.

    A lookup of word sequences, longest first, so that 10,000 sentences take
    a fraction of a second (the glossary's own matcher weighs every hit for
    QA and is much slower than an anchor needs). Names that are also common
    words (``strict_case`` in the glossary: Palu, Serang) count only as
    written; phrases that are not places ("medan perang") block shorter names.
    """

    def __init__(self) -> None:
        from glossary import NOT_A_PLACE, builtin_entries

        self.entries = builtin_entries()
        self._source = _FormIndex()
        for entry in self.entries:
            key = None if entry.type == NOT_A_PLACE else f"place:{entry.id}"
            for form in entry.source_forms:
                self._source.add(form, key, strict=entry.strict_case)
        self._english = _FormIndex()

    def source_keys(self, sentence: str) -> list[str]:
        return self._source.find(sentence)

    def prepare_english(self, entry_ids: set[str]) -> None:
        """Index the English forms of the entries seen in the source."""
        self._english = _FormIndex()
        for entry in self.entries:
            if f"place:{entry.id}" in entry_ids:
                for form in entry.english_forms:
                    self._english.add(form, f"place:{entry.id}")

    def target_keys(self, sentence: str) -> list[str]:
        return self._english.find(sentence)


@lru_cache(maxsize=1)
def _glossary_anchors() -> _GlossaryAnchors:
    return _GlossaryAnchors()


def anchors(sentence: str, *, indonesian: bool) -> list[str]:
    """The anchor keys of one sentence (glossary place names excepted)."""
    keys: list[str] = []
    months = _MONTHS_ID if indonesian else _MONTHS_EN
    days = _DAYS_ID if indonesian else _DAYS_EN
    words = _WORDS_ID if indonesian else _WORDS_EN
    tokens = _TOKEN.findall(sentence)
    for index, token in enumerate(tokens):
        if token[0].isdigit():
            keys.append(_number_key(token, decimal_comma=indonesian))
            continue
        lower = _fold(token)
        month = months.get(lower)
        # "Mar", "Jun" and friends are months only capitalised.
        # "May" is a month only capitalised and not first in the sentence.
        if (
            month is not None
            and (len(lower) > 4 or token[0].isupper())
            and (lower != "may" or (token[0] == "M" and index > 0))
        ):
            keys.append(f"month:{month}")
            continue
        day = days.get(lower)
        if day is not None and (token[0].isupper() or len(lower) > 5):
            keys.append(f"day:{day}")
            continue
        word = words.get(lower)
        if word is not None:
            keys.append(f"word:{word}")
            continue
        if (len(lower) >= 3 or (token.isupper() and len(token) >= 2)) and (
            lower not in _IDENTICAL_STOP
        ):
            keys.append(f"tok:{lower}")
    if any(q in sentence for q in _QUOTES):
        keys.append("mark:quote")
    if any(b in sentence for b in _BRACKETS):
        keys.append("mark:bracket")
    return keys


# -- similarity in the band -------------------------------------------------------------


def _overlap_matrix(
    src: list[Counter[str]],
    tgt: list[Counter[str]],
    weights: dict[str, float],
    lo: NDArray[np.int64],
    width: int,
) -> NDArray[np.float32]:
    """Weighted shared anchors of every (source, target) pair inside the band.

    Row ``i`` holds targets ``lo[i] .. lo[i] + width - 1``.
    """
    n, m = len(src), len(tgt)
    out = np.zeros((max(n, 1), width), dtype=np.float32)
    postings: dict[str, list[int]] = {}
    for j, counts in enumerate(tgt):
        for key in counts:
            postings.setdefault(key, []).append(j)
    sorted_postings = {k: np.asarray(v, dtype=np.int64) for k, v in postings.items()}
    for i, counts in enumerate(src):
        start = int(lo[i])
        stop = min(start + width, m)
        for key, count in counts.items():
            where = sorted_postings.get(key)
            if where is None:
                continue
            a, b = np.searchsorted(where, (start, stop))
            if a == b:
                continue
            cols = where[a:b]
            shared = np.minimum(count, [tgt[j][key] for j in cols.tolist()])
            out[i, cols - start] += weights[key] * shared
    return out


def _idf(src: list[Counter[str]], tgt: list[Counter[str]]) -> dict[str, float]:
    """How rare each anchor is in the document (sentences of both sides)."""
    df: Counter[str] = Counter()
    for counts in (*src, *tgt):
        df.update(counts.keys())
    total = len(src) + len(tgt)
    weights = {}
    for key, freq in df.items():
        base = 0.5 if key.startswith("mark:") else 1.0
        weights[key] = base * min(1.0, math.log(1 + total / freq) / math.log(1 + 8))
    return weights


def _char_ngrams(text: str, order: int = 6) -> Counter[str]:
    squeezed = " ".join(_fold(text).split())
    grams: Counter[str] = Counter()
    for n in range(1, order + 1):
        grams.update(squeezed[k : k + n] for k in range(len(squeezed) - n + 1))
    return grams


def _mt_matrices(
    mt: Sequence[str], targets: Sequence[str], lo: NDArray[np.int64], width: int
) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]]:
    """Shared character n-grams (pooled over n ≤ 6) per band cell, and totals."""
    hyp = [_char_ngrams(s) for s in mt]
    ref = [_char_ngrams(t) for t in targets]
    m = len(targets)
    shared = np.zeros((max(len(mt), 1), width), dtype=np.float32)
    for i, grams in enumerate(hyp):
        start = int(lo[i])
        for j in range(start, min(start + width, m)):
            other = ref[j]
            small, big = (grams, other) if len(grams) < len(other) else (other, grams)
            shared[i, j - start] = sum(min(c, big[g]) for g, c in small.items() if g in big)
    hyp_total = np.asarray([sum(g.values()) for g in hyp], dtype=np.float32)
    ref_total = np.asarray([sum(g.values()) for g in ref], dtype=np.float32)
    return shared, hyp_total, ref_total


# -- the dynamic programme ----------------------------------------------------------------


@dataclass
class _Features:
    src_len: NDArray[np.float64]
    tgt_len: NDArray[np.float64]
    src_anchor: NDArray[np.float64]
    tgt_anchor: NDArray[np.float64]
    src_counts: list[Counter[str]]
    tgt_counts: list[Counter[str]]
    weights: dict[str, float]
    ratio: float
    targets: Sequence[str]
    mt: list[str] | None = None


def _features(sources: Sequence[str], targets: Sequence[str], mt: list[str] | None) -> _Features:
    glossary = _glossary_anchors()
    src_counts = [Counter(anchors(s, indonesian=True) + glossary.source_keys(s)) for s in sources]
    seen = {k for c in src_counts for k in c if k.startswith("place:")}
    glossary.prepare_english(seen)
    tgt_counts = [Counter(anchors(t, indonesian=False) + glossary.target_keys(t)) for t in targets]
    # An anchor seen on one side only (most words) says nothing about a pair.
    both = {k for c in src_counts for k in c} & {k for c in tgt_counts for k in c}
    src_counts = [Counter({k: v for k, v in c.items() if k in both}) for c in src_counts]
    tgt_counts = [Counter({k: v for k, v in c.items() if k in both}) for c in tgt_counts]
    weights = _idf(src_counts, tgt_counts)

    def mass(counts: list[Counter[str]]) -> NDArray[np.float64]:
        return np.asarray(
            [sum(weights[k] * v for k, v in c.items()) for c in counts], dtype=np.float64
        )

    src_len = np.asarray([len(s) for s in sources], dtype=np.float64)
    tgt_len = np.asarray([len(t) for t in targets], dtype=np.float64)
    ratio = float(tgt_len.sum() / src_len.sum()) if src_len.sum() and tgt_len.sum() else 1.0
    # The document's own ratio, within what translations between the two
    # languages show (about 0.9 in news): a long untranslated part on one side
    # must not skew it.
    ratio = min(max(ratio, 0.75), 1.15)
    return _Features(
        src_len, tgt_len, mass(src_counts), mass(tgt_counts), src_counts, tgt_counts,
        weights, ratio, targets, mt,
    )  # fmt: skip


def _anchor_chain(
    src: list[Counter[str]], tgt: list[Counter[str]]
) -> tuple[list[float], list[float]]:
    """Points (i + 0.5, j + 0.5) of anchors found once on each side, in a monotone chain.

    A number, a name or a date that occurs in one sentence of each side is
    most likely a link; the longest chain of such links that never crosses
    itself gives the rough path, and the band of the fine pass follows it.
    """
    where_s: dict[str, list[int]] = {}
    where_t: dict[str, list[int]] = {}
    for i, counts in enumerate(src):
        for key in counts:
            where_s.setdefault(key, []).append(i)
    for j, counts in enumerate(tgt):
        for key in counts:
            where_t.setdefault(key, []).append(j)
    points = sorted(
        (where_s[k][0], where_t[k][0])
        for k in where_s
        if not k.startswith("mark:") and len(where_s[k]) == 1 and len(where_t.get(k, ())) == 1
    )
    # Longest chain increasing in both coordinates (patience sorting).
    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(points)
    for index, (_, j) in enumerate(points):
        pos = int(np.searchsorted(tails, j, side="left"))
        if pos == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[pos] = j
            tail_index[pos] = index
        parent[index] = tail_index[pos - 1] if pos else -1
    chain: list[tuple[int, int]] = []
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        chain.append(points[k])
        k = parent[k]
    chain.reverse()
    # Two links in the same source sentence would give a vertical step.
    xs: list[float] = []
    ys: list[float] = []
    for i, j in chain:
        if xs and i + 0.5 <= xs[-1]:
            continue
        xs.append(i + 0.5)
        ys.append(j + 0.5)
    return xs, ys


# Rows of the band whose bead costs are computed at once: bounds the memory
# of the temporaries whatever the length of the documents.
_CHUNK = 256


class _Band:
    """One pass of the dynamic programme in a band around ``centre``.

    Row ``i`` of the grid (``i`` source sentences consumed) holds the cells
    of targets ``lo[i] .. lo[i] + width - 1``. The costs of every bead type
    are computed for a chunk of rows at once (numpy), then the programme runs
    row by row, keeping only the rows it still needs and the back pointers.
    """

    def __init__(self, f: _Features, settings: AlignSettings, centre: NDArray[np.int64], half: int):
        n, m = len(f.src_len), len(f.tgt_len)
        self.n, self.m, self.f, self.s = n, m, f, settings
        self.width = width = min(2 * half + 1, m + 1)
        self.lo = np.clip(centre - half, 0, max(m + 1 - width, 0)).astype(np.int64)
        # The anchors shared by source sentence s and target t, at [s, t - lo[s]].
        self.overlap = _overlap_matrix(f.src_counts, f.tgt_counts, f.weights, self.lo, width)
        self.mt: tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]] | None
        self.mt = None
        if f.mt is not None:
            self.mt = _mt_matrices(f.mt, f.targets, self.lo, width)
        self.src_cum = np.concatenate(([0.0], np.cumsum(f.src_len)))
        self.tgt_cum = np.concatenate(([0.0], np.cumsum(f.tgt_len)))
        self.src_anchor = np.concatenate(([0.0], np.cumsum(f.src_anchor)))
        self.tgt_anchor = np.concatenate(([0.0], np.cumsum(f.tgt_anchor)))
        if self.mt is not None:
            self.hyp_cum = np.concatenate(([0.0], np.cumsum(self.mt[1])))
            self.ref_cum = np.concatenate(([0.0], np.cumsum(self.mt[2])))

    def columns(self, r0: int, r1: int) -> NDArray[np.int64]:
        """Target indices of the cells of rows r0 .. r1 - 1."""
        return self.lo[r0:r1, None] + np.arange(self.width, dtype=np.int64)[None, :]

    def _pair_sum(
        self, matrix: NDArray[np.float32], a: int, b: int, r0: int, r1: int
    ) -> NDArray[np.float64]:
        """Per cell (i, j): the sum of matrix over sources i-a..i-1, targets j-b..j-1."""
        rows = np.arange(r0, r1, dtype=np.int64)[:, None]
        cols = self.columns(r0, r1)
        total = np.zeros(cols.shape)
        for da in range(1, a + 1):
            src = rows - da
            safe_src = np.clip(src, 0, max(self.n - 1, 0))
            for db in range(1, b + 1):
                tgt = cols - db
                offset = tgt - self.lo[safe_src]
                ok = (src >= 0) & (tgt >= 0) & (tgt < self.m) & (offset >= 0)
                ok &= offset < self.width
                values = matrix[safe_src, np.clip(offset, 0, self.width - 1)]
                total += np.where(ok, values, 0.0)
        return total

    def costs(self, r0: int, r1: int) -> dict[tuple[int, int], NDArray[np.float32]]:
        """The cost of each bead type (a, b) ending at every cell of rows r0 .. r1 - 1.

        Impossible beads cost infinity.
        """
        f, s = self.f, self.s
        rows = np.arange(r0, r1, dtype=np.int64)[:, None]
        cols = self.columns(r0, r1)
        out = {}
        for a, b in BEAD_TYPES:
            if not a or not b:
                continue
            possible = (rows >= a) & (cols >= b) & (cols <= self.m)
            top, bottom = np.clip(rows, 0, self.n), np.clip(rows - a, 0, self.n)
            right, left = np.clip(cols, 0, self.m), np.clip(cols - b, 0, self.m)
            src_len = self.src_cum[top] - self.src_cum[bottom]
            tgt_len = self.tgt_cum[right] - self.tgt_cum[left]
            delta = (tgt_len - src_len * f.ratio) / np.sqrt(
                s.variance * (src_len + tgt_len / f.ratio) / 2 + 1
            )
            cost = s.length_weight * delta * delta
            if (a, b) != (1, 1):
                cost += s.cost_22 if (a, b) == (2, 2) else s.cost_12
            shared = self._pair_sum(self.overlap, a, b, r0, r1)
            mass = (self.src_anchor[top] - self.src_anchor[bottom]) + (
                self.tgt_anchor[right] - self.tgt_anchor[left]
            )
            unmatched = np.where(
                mass > 0, 1.0 - np.minimum(2 * shared / np.maximum(mass, 1e-9), 1.0), 0.0
            )
            cost += s.mismatch_weight * unmatched * np.minimum(mass, 2.0)
            cost -= s.anchor_weight * shared
            if self.mt is not None:
                hits = self._pair_sum(self.mt[0], a, b, r0, r1)
                hyp = np.maximum(self.hyp_cum[top] - self.hyp_cum[bottom], 1.0)
                ref = np.maximum(self.ref_cum[right] - self.ref_cum[left], 1.0)
                precision, recall = hits / hyp, hits / ref
                chrf = 5 * precision * recall / np.maximum(4 * precision + recall, 1e-9)
                cost -= s.mt_weight * chrf
            out[(a, b)] = np.where(possible, cost, np.inf).astype(np.float32)
        return out

    def run(self) -> tuple[list[tuple[int, int, int, int]], bool]:
        """Best path as (i, j, a, b) beads, and whether it came near the band's edge."""
        n, m, width, lo = self.n, self.m, self.width, self.lo
        inf = np.inf
        recent: dict[int, NDArray[np.float64]] = {}
        back = np.zeros((n + 1, width), dtype=np.int8)
        steps = np.arange(width) * self.s.cost_skip
        skip_target = BEAD_TYPES.index((0, 1))
        costs: dict[tuple[int, int], NDArray[np.float32]] = {}
        chunk_start = 0
        for i in range(n + 1):
            if i % _CHUNK == 0:
                costs, chunk_start = self.costs(i, min(i + _CHUNK, n + 1)), i
            cols = lo[i] + np.arange(width, dtype=np.int64)
            valid = cols <= m
            best = np.where(cols == 0, 0.0, inf) if i == 0 else np.full(width, inf)
            choice = np.zeros(width, dtype=np.int8)
            for t, (a, b) in enumerate(BEAD_TYPES):
                if not a or i < a:
                    continue
                # Cell k of row i comes from cell k + shift of row i - a.
                shift = int(lo[i] - lo[i - a]) - b
                before = recent[i - a]
                prev = np.full(width, inf)
                if 0 <= shift < width:
                    prev[: width - shift] = before[shift:]
                elif 0 < -shift < width:
                    prev[-shift:] = before[: width + shift]
                cost = prev + (costs[(a, b)][i - chunk_start] if b else self.s.cost_skip)
                better = cost < best
                best[better] = cost[better]
                choice[better] = t
            # 0-1 beads chain along the row: a running minimum. (A tolerance:
            # subtracting and adding back the steps rounds.)
            running = np.minimum.accumulate(np.where(valid, best, inf) - steps) + steps
            from_left = running < best - 1e-9
            from_left[0] = False
            best = np.where(from_left, running, best)
            choice = np.where(from_left, skip_target, choice).astype(np.int8)
            best[~valid] = inf
            recent[i] = best
            recent.pop(i - 3, None)
            back[i] = choice
        path: list[tuple[int, int, int, int]] = []
        near_edge = False
        margin = self.s.band_margin
        i, j = n, m
        if not np.isfinite(recent[n][m - int(lo[n])]):
            raise AssertionError("no alignment path in the band")  # pragma: no cover
        while i > 0 or j > 0:
            k = j - int(lo[i])
            # Near an edge of the band that is not an edge of the grid.
            if (k < margin and lo[i] > 0) or (k >= width - margin and lo[i] + width <= m):
                near_edge = True
            a, b = BEAD_TYPES[int(back[i, k])]
            path.append((i, j, a, b))
            i, j = i - a, j - b
        path.reverse()
        return path, near_edge

    def confidences(self, path: list[tuple[int, int, int, int]]) -> list[float]:
        """The confidence of each bead of the path (chunk by chunk, like the costs)."""
        out: list[float] = []
        chunk = -1
        costs: dict[tuple[int, int], NDArray[np.float32]] = {}
        for i, j, a, b in path:
            if i // _CHUNK != chunk:
                chunk = i // _CHUNK
                start = chunk * _CHUNK
                costs = self.costs(start, min(start + _CHUNK, self.n + 1))
            rows = {kind: matrix[i - chunk * _CHUNK] for kind, matrix in costs.items()}
            out.append(_confidence(self, rows, i, j, a, b))
        return out


def _confidence(
    band: _Band, rows: dict[tuple[int, int], NDArray[np.float32]], i: int, j: int, a: int, b: int
) -> float:
    """How sure the bead ending at (i, j) is; ``rows``: row i of each bead type's costs."""
    s = band.s
    if not a or not b:
        # A dropped or inserted sentence is sure when it shares no anchors
        # with any sentence of the other side near it.
        if a:
            row = band.overlap[i - 1] if i - 1 < band.overlap.shape[0] else np.zeros(1)
            best = float(row.max()) if row.size else 0.0
            mass = float(band.f.src_anchor[i - 1])
        else:
            best = 0.0
            for r in range(max(i - 2, 0), min(i + 2, band.n)):
                k = j - 1 - int(band.lo[r])
                if 0 <= k < band.width:
                    best = max(best, float(band.overlap[r, k]))
            mass = float(band.f.tgt_anchor[j - 1])
        resemblance = min(2 * best / mass, 1.0) if mass else 0.5
        return float(np.clip(0.9 - 0.8 * resemblance, 0.05, 0.95))
    # The margin of this bead over its rivals at the same place: the same
    # source sentences with the target shifted by one either way, the other
    # bead types ending here, and dropping both sides.
    k = j - int(band.lo[i])
    cost = float(rows[(a, b)][k])
    rivals = [2 * s.cost_skip]
    for kind, row in rows.items():
        for shift in (-1, 0, 1):
            if (kind == (a, b) and shift == 0) or not 0 <= k + shift < band.width:
                continue
            rivals.append(float(row[k + shift]))
    margin = min(rivals) - cost
    return float(1.0 / (1.0 + math.exp(-s.confidence_slope * (margin - s.confidence_offset))))


def align(
    sources: Sequence[str],
    targets: Sequence[str],
    *,
    translator: Translator | None = None,
    settings: AlignSettings = DEFAULT_SETTINGS,
    progress: Callable[[str], None] | None = None,
) -> Alignment:
    """Align source sentences with target sentences.

    With a ``translator``, the sources are machine-translated (once each) and
    the similarity of each translation to the target joins the cost.
    """
    src, tgt = tuple(sources), tuple(targets)
    if not src or not tgt:
        skips = tuple(Bead((i,), (), 1.0) for i in range(len(src))) + tuple(
            Bead((), (j,), 1.0) for j in range(len(tgt))
        )
        return Alignment(src, tgt, skips)
    mt = None
    if translator is not None:
        if progress:
            progress("translating")
        mt = list(translator.translate(list(src)))
    if progress:
        progress("aligning")
    features = _features(src, tgt, mt)
    n, m = len(src), len(tgt)
    # Coarse pass: the chain of sure anchors gives the rough path.
    xs, ys = _anchor_chain(features.src_counts, features.tgt_counts)
    rows = np.arange(n + 1, dtype=np.float64)
    centre = np.round(np.interp(rows, [0, *xs, n], [0, *ys, m])).astype(np.int64)
    # Without anchors to follow, the band must hold the difference in length.
    half = settings.band if len(xs) >= 2 else settings.band + abs(n - m) // 2
    recentred = 0
    while True:
        band = _Band(features, settings, centre, half)
        path, near_edge = band.run()
        if not near_edge or band.width >= m + 1:
            break
        # The best path touched the band's edge: centre the band on that path
        # and run again; if that keeps happening, widen it.
        if recentred < 3:
            recentred += 1
            on_path = np.zeros(n + 1, dtype=np.int64)
            for i, j, _, _ in path:
                on_path[i] = j
            centre = np.maximum.accumulate(on_path)
        else:
            half *= 2
    beads = [
        Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), round(confidence, 3))
        for (i, j, a, b), confidence in zip(path, band.confidences(path), strict=True)
    ]
    return Alignment(src, tgt, tuple(beads))
