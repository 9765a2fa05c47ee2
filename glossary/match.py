"""Recognition of glossary entries in Indonesian text.

The text is cut into word tokens (runs of letters and digits), so a name is
never found inside another word ("Jawa" in "Jawaban"). At each token the
longest form wins ("Jakarta Selatan" before "Jakarta", "bahasa Inggris" before
"Inggris"). Forms compare without case and accents; case rules then decide:

- an all-capitals form token (AS, DKI, NTT) must appear exactly so;
- a capitalised form token must start with a capital in the text, which an
  ALL-CAPS headline satisfies too;
- a lowercase form token (dan, bahasa) matches in any case;
- a ``strict_case`` entry (Palu, Serang, Medan: also common words) is taken
  only mid-sentence, written Titlecase, outside title-case headlines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from glossary.models import NOT_A_PLACE, TermEntry, TermHit

TOKEN = re.compile(r"[^\W_]+")
# What may stand between two words of one name: spaces, hyphens, dashes.
_NAME_GAP = re.compile(r"[\s\-\u2010\u2011\u2013]{1,3}")
_APOSTROPHES = "'’‘`"
# "kata Paris," "dikatakan Paris": a name after a verb of saying is a person
# (Paris, Kairo and Jakarta are Indonesian given names too), not a place.
_SPEECH_VERBS = frozenset(
    ["kata", "ujar", "ucap", "tutur", "imbuh", "dikatakan", "ditambahkan", "dijelaskan"]
)
_SENTENCE_END = re.compile(r"[.!?:;\"“”'‘’(\[«»\-–—•*]\s*$")


def fold(text: str) -> str:
    """Casefold and strip accents, one output character per input character.

    Keeping the length lets a match in the folded text map back to the
    original offsets.
    """
    if text.isascii():
        return text.lower()
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFKD", ch)
        base = next((c for c in decomposed if not unicodedata.combining(c)), ch)
        lowered = base.lower()
        out.append(lowered if len(lowered) == 1 else base)
    return "".join(out)


def _gap_kind(gap: str) -> str | None:
    """Classify what separates two tokens: a name gap, an apostrophe, a dot."""
    if _NAME_GAP.fullmatch(gap):
        return " "
    if len(gap) == 1 and gap in _APOSTROPHES:
        return "'"
    if gap in (".", ". ", "."):
        return "."
    return None


@dataclass(frozen=True, slots=True)
class _Form:
    """One source form prepared for matching."""

    tokens: tuple[str, ...]
    gaps: tuple[str | None, ...]
    entry: TermEntry


def _prepare(form: str, entry: TermEntry) -> _Form | None:
    spans = [(m.start(), m.end()) for m in TOKEN.finditer(form)]
    if not spans:
        return None
    tokens = tuple(form[s:e] for s, e in spans)
    gaps = tuple(_gap_kind(form[spans[i][1] : spans[i + 1][0]]) for i in range(len(spans) - 1))
    return _Form(tokens, gaps, entry)


def _is_abbreviation(token: str) -> bool:
    return len(token) >= 2 and token.isupper()


def _token_case_ok(form_token: str, surface: str) -> bool:
    if _is_abbreviation(form_token):
        return surface == form_token
    if form_token[:1].isupper():
        return surface[:1].isupper()
    return True


def is_title_case_line(text: str) -> bool:
    """True for a headline written in Title Case or ALL CAPS.

    Such lines capitalise ordinary words, so case says nothing about them.
    """
    words = [w for w in TOKEN.findall(text) if len(w) > 3 and not w.isdigit()]
    if len(words) < 3:
        return False
    capital = sum(1 for w in words if w[:1].isupper())
    return capital / len(words) >= 0.7


class Matcher:
    """An index of source forms that finds the longest matches in a text."""

    def __init__(self, entries: Iterable[TermEntry]) -> None:
        self._index: dict[tuple[str, ...], list[_Form]] = {}
        self._longest = 1
        for entry in entries:
            for form in entry.source_forms:
                prepared = _prepare(form, entry)
                if prepared is None:
                    continue
                key = tuple(fold(t) for t in prepared.tokens)
                bucket = self._index.setdefault(key, [])
                if all(p.entry is not entry for p in bucket):
                    bucket.append(prepared)
                self._longest = max(self._longest, len(key))

    def keys(self) -> Iterable[tuple[str, ...]]:
        """Every folded token sequence the index knows (for tests and reports)."""
        return self._index.keys()

    def find(self, text: str, *, include_blockers: bool = False) -> list[TermHit]:
        """Entries mentioned in ``text``, in order, with character offsets.

        Phrases of type ``not-a-place`` take part in longest matching but are
        left out of the result unless ``include_blockers`` is set.
        """
        spans = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
        folded = [fold(text[s:e]) for s, e in spans]
        headline: bool | None = None
        hits: list[TermHit] = []
        i = 0
        while i < len(spans):
            found = None
            for n in range(min(self._longest, len(spans) - i), 0, -1):
                bucket = self._index.get(tuple(folded[i : i + n]))
                if not bucket:
                    continue
                for form in bucket:
                    if not self._fits(text, spans, i, form):
                        continue
                    if form.entry.strict_case:
                        if headline is None:
                            headline = is_title_case_line(text)
                        if headline or not self._strict_ok(text, spans, i, n):
                            continue
                    found = form
                    break
                if (
                    found is not None
                    and n == 1
                    and i
                    and folded[i - 1] in _SPEECH_VERBS
                    and not text[spans[i - 1][1] : spans[i][0]].strip()
                    and not text[spans[i][0] : spans[i][1]].isupper()
                ):
                    found = None
                if found is not None:
                    start, end = spans[i][0], spans[i + n - 1][1]
                    if include_blockers or found.entry.type != NOT_A_PLACE:
                        hits.append(TermHit(start, end, text[start:end], found.entry))
                    i += n
                    break
            else:
                i += 1
        return hits

    @staticmethod
    def _fits(text: str, spans: Sequence[tuple[int, int]], i: int, form: _Form) -> bool:
        for k, form_token in enumerate(form.tokens):
            s, e = spans[i + k]
            if not _token_case_ok(form_token, text[s:e]):
                return False
            if k and _gap_kind(text[spans[i + k - 1][1] : s]) != form.gaps[k - 1]:
                return False
        end = spans[i + len(form.tokens) - 1][1]
        # "US$5" and "S$5" are currencies, not countries.
        return not text.startswith("$", end)

    @staticmethod
    def _strict_ok(text: str, spans: Sequence[tuple[int, int]], i: int, n: int) -> bool:
        for s, e in spans[i : i + n]:
            word = text[s:e]
            if not (word[:1].isupper() and not word.isupper()):
                return False
        before = text[: spans[i][0]]
        return bool(before.strip()) and not _SENTENCE_END.search(before)
