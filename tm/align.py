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
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _GlossaryAnchors:
    """Place names: the glossary's entries found in Indonesian, and in English."""

    def __init__(self) -> None:
        from glossary import builtin_glossary

        self.glossary = builtin_glossary()
        self._english: re.Pattern[str] | None = None
        self._ids_by_form: dict[str, set[str]] = {}

    def source_keys(self, sentence: str) -> list[str]:
        return [f"place:{hit.entry.id}" for hit in self.glossary.find(sentence)]

    def prepare_english(self, entry_ids: set[str]) -> None:
        """Build one pattern over the English forms of the entries seen in the source."""
        forms: dict[str, set[str]] = {}
        for entry in self.glossary.search():
            if entry.id in entry_ids:
                for form in entry.english_forms:
                    if len(form) >= 2:
                        forms.setdefault(form.casefold(), set()).add(entry.id)
        self._ids_by_form = forms
        if not forms:
            self._english = None
            return
        alternatives = sorted(forms, key=len, reverse=True)
        self._english = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(f) for f in alternatives) + r")(?!\w)",
            re.IGNORECASE,
        )

    def target_keys(self, sentence: str) -> list[str]:
        if self._english is None:
            return []
        keys: list[str] = []
        for match in self._english.finditer(sentence):
            keys.extend(f"place:{i}" for i in self._ids_by_form.get(match.group().casefold(), ()))
        return keys


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
    seen = {k[6:] for c in src_counts for k in c if k.startswith("place:")}
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


class _Band:
    """One pass of the dynamic programme in a band of half-width ``half``."""

    def __init__(self, f: _Features, settings: AlignSettings, half: int):
        n, m = len(f.src_len), len(f.tgt_len)
        self.n, self.m, self.f, self.s = n, m, f, settings
        self.width = min(2 * half + 1, m + 1)
        rows = np.arange(n + 1, dtype=np.float64)
        # Coarse pass: the band follows the chain of sure anchors, not the diagonal.
        xs, ys = _anchor_chain(f.src_counts, f.tgt_counts)
        centre = np.round(np.interp(rows, [0, *xs, n], [0, *ys, m])).astype(np.int64)
        # Row i's window starts at target lo[i]; every window is `width` wide.
        self.lo = np.clip(centre - half, 0, max(m + 1 - self.width, 0)).astype(np.int64)
        # Similarity of source row i (sentence i) to target j, in band coords of row i.
        self.overlap = _overlap_matrix(f.src_counts, f.tgt_counts, f.weights, self.lo, self.width)
        self.mt: tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]] | None
        self.mt = None
        if f.mt is not None:
            self.mt = _mt_matrices(f.mt, f.targets, self.lo, self.width)
        self.tgt_cum = np.concatenate(([0.0], np.cumsum(f.tgt_len)))
        self.tgt_anchor_cum = np.concatenate(([0.0], np.cumsum(f.tgt_anchor)))

    # -- helpers over one row's window -------------------------------------------------

    def _gather(
        self, matrix: NDArray[np.float32], i: int, cols: NDArray[np.int64]
    ) -> NDArray[np.float64]:
        """matrix[i, j] for targets j (0 outside row i's window or the grid)."""
        if i < 0 or i >= matrix.shape[0] or i >= self.n:
            return np.zeros(len(cols))
        offset = cols - self.lo[i]
        ok = (offset >= 0) & (offset < matrix.shape[1]) & (cols >= 0) & (cols < self.m)
        out = np.zeros(len(cols))
        out[ok] = matrix[i, offset[ok]]
        return out

    def bead_cost(self, i: int, a: int, b: int, j: NDArray[np.int64]) -> NDArray[np.float64]:
        """Cost of the bead ending at (i, j) with ``a`` source and ``b`` target sentences."""
        f, s = self.f, self.s
        if a == 0 or b == 0:
            return np.full(len(j), s.cost_skip)
        src_len = float(f.src_len[i - a : i].sum())
        tgt_len = self.tgt_cum[j] - self.tgt_cum[j - b]
        expected = src_len * f.ratio
        delta = (tgt_len - expected) / np.sqrt(s.variance * (src_len + tgt_len / f.ratio) / 2 + 1)
        cost = s.length_weight * delta * delta
        if (a, b) != (1, 1):
            cost = cost + (s.cost_22 if (a, b) == (2, 2) else s.cost_12)
        shared = np.zeros(len(j))
        for si in range(i - a, i):
            for tb in range(1, b + 1):
                shared += self._gather(self.overlap, si, j - tb)
        mass = float(f.src_anchor[i - a : i].sum()) + (
            self.tgt_anchor_cum[j] - self.tgt_anchor_cum[j - b]
        )
        unmatched = np.where(mass > 0, 1.0 - np.minimum(2 * shared / np.maximum(mass, 1e-9), 1), 0)
        cost = cost - s.anchor_weight * shared + s.mismatch_weight * unmatched * np.minimum(mass, 2)
        if self.mt is not None:
            grams, hyp_total, ref_total = self.mt
            hits = np.zeros(len(j))
            for si in range(i - a, i):
                for tb in range(1, b + 1):
                    hits += self._gather(grams, si, j - tb)
            hyp = float(hyp_total[i - a : i].sum())
            ref = np.zeros(len(j))
            for tb in range(1, b + 1):
                ref += ref_total[np.clip(j - tb, 0, self.m - 1)]
            precision = hits / max(hyp, 1.0)
            recall = hits / np.maximum(ref, 1.0)
            chrf = 5 * precision * recall / np.maximum(4 * precision + recall, 1e-9)
            cost = cost - s.mt_weight * chrf
        return cost

    def run(self) -> tuple[list[tuple[int, int, int, int]], bool]:
        """Best path as (i, j, a, b) beads, and whether it came near the band edge."""
        n, m, width = self.n, self.m, self.width
        inf = np.inf
        dist = np.full((n + 1, width), inf)
        back = np.zeros((n + 1, width), dtype=np.int8)
        near_edge = False
        for i in range(n + 1):
            lo = int(self.lo[i])
            cols = np.arange(lo, lo + width, dtype=np.int64)
            valid = cols <= m
            best = np.full(width, inf)
            choice = np.zeros(width, dtype=np.int8)
            if i == 0:
                best[cols == 0] = 0.0
            for t, (a, b) in enumerate(BEAD_TYPES):
                if a == 0 or i - a < 0:
                    continue
                prev_cols = cols - b
                prev = self._row_values(dist, i - a, prev_cols)
                ok = valid & (prev_cols >= 0) & np.isfinite(prev)
                if not ok.any():
                    continue
                cost = np.full(width, inf)
                cost[ok] = prev[ok] + self.bead_cost(i, a, b, cols[ok])
                better = cost < best
                best[better] = cost[better]
                choice[better] = t
            # 0-1 beads chain along the row: a running minimum.
            skip = self.s.cost_skip
            steps = np.arange(width) * skip
            running = np.minimum.accumulate(np.where(valid, best, inf) - steps) + steps
            # (a tolerance: subtracting and adding back the steps rounds)
            from_left = running < best - 1e-9
            from_left[1:] &= np.isfinite(running[:-1])
            from_left[0] = False
            best = np.where(from_left, running, best)
            choice = np.where(from_left, BEAD_TYPES.index((0, 1)), choice).astype(np.int8)
            best[~valid] = inf
            dist[i] = best
            back[i] = choice
        path: list[tuple[int, int, int, int]] = []
        i, j = n, m
        while i > 0 or j > 0:
            k = j - int(self.lo[i])
            if not (0 <= k < width) or not np.isfinite(dist[i, k]):
                raise AssertionError("alignment path left the band")  # pragma: no cover
            margin = self.s.band_margin
            at_grid_edge = (j == m and int(self.lo[i]) + width - 1 >= m) or (
                j == 0 and self.lo[i] == 0
            )
            if self.width < m + 1 and (k < margin or k >= width - margin) and not at_grid_edge:
                near_edge = True
            a, b = BEAD_TYPES[int(back[i, k])]
            path.append((i, j, a, b))
            i, j = i - a, j - b
        path.reverse()
        return path, near_edge

    def _row_values(
        self, dist: NDArray[np.float64], row: int, cols: NDArray[np.int64]
    ) -> NDArray[np.float64]:
        offset = cols - self.lo[row]
        ok = (offset >= 0) & (offset < self.width)
        out = np.full(len(cols), np.inf)
        out[ok] = dist[row, offset[ok]]
        return out


def _confidence(band: _Band, i: int, j: int, a: int, b: int) -> float:
    """How sure the bead is, from its own evidence against its alternatives."""
    s = band.s
    cols = np.asarray([j], dtype=np.int64)
    if a == 0 or b == 0:
        # A dropped or inserted sentence is sure when it resembles none of its
        # neighbours on the other side.
        if a == 1:
            near = [band._gather(band.overlap, i - 1, np.asarray([c])) for c in range(j - 1, j + 2)]
            mass = float(band.f.src_anchor[i - 1])
        else:
            near = [band._gather(band.overlap, r, np.asarray([j - 1])) for r in range(i - 1, i + 2)]
            mass = float(band.f.tgt_anchor[j - 1])
        best = max(float(v[0]) for v in near) if near else 0.0
        resemblance = 2 * best / max(mass, 1e-9) if mass else 0.5
        return float(np.clip(0.9 - 0.8 * resemblance, 0.05, 0.95))
    cost = float(band.bead_cost(i, a, b, cols)[0])
    prior = 0.0 if (a, b) == (1, 1) else (s.cost_22 if (a, b) == (2, 2) else s.cost_12)
    # Evidence beyond the bead type's prior: negative is good.
    evidence = cost - prior
    return float(1.0 / (1.0 + math.exp(1.2 * (evidence + 0.5))))


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
    half = max(settings.band, abs(len(src) - len(tgt)) // 2 + settings.band)
    while True:
        band = _Band(features, settings, half)
        path, near_edge = band.run()
        if not near_edge or band.width >= len(tgt) + 1:
            break
        half *= 2
    beads: list[Bead] = []
    for i, j, a, b in path:
        beads.append(
            Bead(
                tuple(range(i - a, i)),
                tuple(range(j - b, j)),
                round(_confidence(band, i, j, a, b), 3),
            )
        )
    return Alignment(src, tgt, tuple(beads))
