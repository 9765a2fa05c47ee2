"""Fuzzy-match scores, analysis bands and number transfer.

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

An Indonesian stemmer (Sastrawi) was measured as a second, stemmed pass and
did not improve the ranking of matches on real news sentences; see
bench/results/leverage.md. It is therefore not used.
"""

from __future__ import annotations

import re
import unicodedata
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


def upper_bound(query_words: int, candidate_words: int, shared_words: int) -> int:
    """The best score a candidate can reach given how many words it shares.

    ``d >= max(n, m) - shared`` for a Levenshtein alignment, so the score is at
    most ``100 × shared / max(n, m)``; the index uses this to prune.
    """
    longest = max(query_words, candidate_words)
    if longest == 0:
        return 100
    return int(100 * min(shared_words, longest) / longest)


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
