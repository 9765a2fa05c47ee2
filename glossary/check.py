"""Checks of English targets against source hits, and repair of MT drafts.

A hit is satisfied when the English holds the entry's preferred form, an
accepted variant or an adjective form, on word boundaries. Case does not
matter except for short all-capitals forms ("US" must not match "us"), and
accents do not matter ("Türkiye" = "Turkiye"). A regular plural or possessive
ending is allowed ("Armenians", "France's").

A match must be the whole English name, not a fragment of a longer one:

* an Indonesian form of the entry that differs from every English form and
  stands in the English is a finding, "left untranslated", whatever else the
  line holds: "Arab Saudi" fails though "Saudi" (an adjective of Saudi
  Arabia) is inside it, and "Moskow" fails though "Moscow" is elsewhere;
* an English form inside a longer English name of another entry does not
  count: "China" in "South China Sea", "Africa" in "South Africa". The
  caller passes those longer names as ``claims`` (see
  :meth:`glossary.Glossary.check`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from glossary.match import TOKEN, fold
from glossary.models import TermCheck, TermEntry, TermHit, TermRepair

_BEFORE = r"(?<![^\W_])"
_AFTER = r"(?![^\W_])"
_SUFFIX = r"(?:'s|’s|s|es)?"

# After an untranslated name in a draft, these words want the adjective:
# "Prancis President" becomes "French President", not "France President".
_ADJECTIVE_BEFORE = frozenset(
    [
        "president",
        "prime",
        "minister",
        "foreign",
        "government",
        "forces",
        "troops",
        "army",
        "military",
        "navy",
        "people",
        "embassy",
        "ambassador",
        "officials",
        "official",
        "police",
        "parliament",
        "company",
        "companies",
        "citizens",
        "national",
        "nationals",
        "authorities",
        "media",
        "team",
        "state",
        "side",
        "leader",
        "leaders",
        "economy",
        "market",
        "language",
        "border",
        "delegation",
        "counterpart",
    ]
)


def _form_pattern(form: str) -> str:
    parts = re.split(r"([\s\-\u2010\u2011\u2013]+|['’])", fold(form))
    out = []
    for part in parts:
        if not part:
            continue
        if part in ("'", "’"):
            out.append("['’]")
        elif part.strip(" -\u2010\u2011\u2013\t\n") == "":
            out.append(r"[\s\-\u2010\u2011\u2013]+")
        else:
            out.append(re.escape(part))
    return "".join(out)


def _is_short_caps(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return 0 < len(letters) <= 4 and all(c.isupper() for c in letters)


_POSSESSIVE = r"(?:['’]s)?"


def _group(names: list[str], adjectives: list[str], render: Callable[[str], str]) -> str | None:
    """One alternation: names take a possessive, adjectives also a plural ending."""
    parts = []
    if names:
        ordered = sorted(set(names), key=len, reverse=True)
        parts.append(f"(?:{'|'.join(render(f) for f in ordered)}){_POSSESSIVE}")
    if adjectives:
        ordered = sorted(set(adjectives), key=len, reverse=True)
        parts.append(f"(?:{'|'.join(render(f) for f in ordered)}){_SUFFIX}")
    return f"{_BEFORE}(?:{'|'.join(parts)}){_AFTER}" if parts else None


@lru_cache(maxsize=4096)
def _english_patterns(entry: TermEntry) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Two patterns: folded forms (case-insensitive) and short capitals (exact)."""
    names = [entry.target, *entry.target_variants]
    adjectives = list(entry.adjectives)
    loose = _group(
        [f for f in names if not _is_short_caps(f)],
        [f for f in adjectives if not _is_short_caps(f)],
        _form_pattern,
    )
    exact = _group(
        [f for f in names if _is_short_caps(f)],
        [f for f in adjectives if _is_short_caps(f)],
        re.escape,
    )
    return (
        re.compile(loose) if loose else None,
        re.compile(exact) if exact else None,
    )


def english_matches(
    entry: TermEntry, target: str, folded: str | None = None
) -> list[tuple[int, int]]:
    """Every place where ``target`` names the entry in English, in order.

    ``folded`` is ``fold(target)`` when the caller has it already.
    """
    loose_re, exact_re = _english_patterns(entry)
    found: list[tuple[int, int]] = []
    if loose_re is not None:
        text = fold(target) if folded is None else folded
        found.extend(m.span() for m in loose_re.finditer(text))
    if exact_re is not None:
        found.extend(m.span() for m in exact_re.finditer(target))
    return sorted(found)


def find_english(entry: TermEntry, target: str) -> re.Match[str] | None:
    """The first place where ``target`` names the entry in English, or None."""
    loose_re, exact_re = _english_patterns(entry)
    found = []
    if loose_re is not None:
        m = loose_re.search(fold(target))
        if m:
            found.append(m)
    if exact_re is not None:
        m = exact_re.search(target)
        if m:
            found.append(m)
    return min(found, key=lambda m: m.start()) if found else None


def untranslated(
    entry: TermEntry, target: str, folded_case: str | None = None
) -> list[tuple[int, int]]:
    """Where ``target`` holds an Indonesian form of the entry that is not English.

    ``folded_case`` is ``target`` without accents, case kept, when the caller
    has it already.
    """
    pattern = _source_in_english(entry)
    if pattern is None:
        return []
    text = _fold_keep_case(target) if folded_case is None else folded_case
    return [m.span() for m in pattern.finditer(text)]


# A longer English name that another entry claims in the target: start, end
# and the entry.
Claim = tuple[int, int, TermEntry]


_GAP = re.compile(r"[\s\-\u2010\u2011\u2013.'’]{1,3}")


class EnglishNames:
    """Every occurrence of the entries' English names of several words in a
    text, overlaps included ("the South" and "South China Sea" both)."""

    def __init__(self, entries: Iterable[TermEntry]) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], str | None, TermEntry]]] = {}
        for entry in entries:
            for form in entry.english_forms:
                tokens = tuple(fold(t) for t in TOKEN.findall(form))
                # A name of one word holds no other name on word boundaries.
                if len(tokens) < 2:
                    continue
                exact = form if _is_short_caps(form) else None
                self._index.setdefault(tokens[0], []).append((tokens, exact, entry))

    def find(self, text: str) -> list[Claim]:
        """(start, end, entry) of each English name in ``text``."""
        spans = [m.span() for m in TOKEN.finditer(text)]
        # fold() keeps the length: fold the text once and cut the tokens out.
        whole = fold(text)
        folded = [whole[s:e] for s, e in spans]
        out: list[Claim] = []
        for i, token in enumerate(folded):
            for tokens, exact, entry in self._index.get(token, ()):
                n = len(tokens)
                if tuple(folded[i : i + n]) != tokens:
                    continue
                start, end = spans[i][0], spans[i + n - 1][1]
                if exact is not None and text[start:end] != exact:
                    continue
                gaps = (text[spans[k][1] : spans[k + 1][0]] for k in range(i, i + n - 1))
                if all(_GAP.fullmatch(gap) for gap in gaps):
                    out.append((start, end, entry))
        return out


def _inside(span: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= span[0] and span[1] <= outer[1] and outer != span


def check_hits(
    hits: Sequence[TermHit], target: str, claims: Sequence[Claim] = ()
) -> list[TermCheck]:
    """Judge each source hit against the English ``target``.

    ``claims`` are the English names of glossary entries found in the target
    (longest match): a form of the hit's entry inside a longer name of another
    entry does not satisfy the hit.
    """
    results = []
    folded = fold(target)
    folded_case = "".join(
        f.upper() if o.isupper() else f for f, o in zip(folded, target, strict=True)
    )
    for hit in hits:
        entry = hit.entry
        left = untranslated(entry, target, folded_case)
        if left:
            start, end = left[0]
            results.append(TermCheck(hit, agreed=False, untranslated=target[start:end]))
            continue
        for span in english_matches(entry, target, folded):
            if any(_inside(span, (s, e)) and other != entry for s, e, other in claims):
                continue
            start, end = span
            results.append(TermCheck(hit, True, target[start:end], start, end))
            break
        else:
            results.append(TermCheck(hit, agreed=False))
    return results


def _spelling(form: str) -> str:
    return re.sub(r"[\s\-\u2010\u2011\u2013'’]+", " ", fold(form)).strip()


@lru_cache(maxsize=4096)
def _source_in_english(entry: TermEntry) -> re.Pattern[str] | None:
    """Indonesian forms of ``entry`` that differ from every English form."""
    # Spaces, hyphens and apostrophes compare equal, as in the patterns:
    # "Nagorno Karabakh" is the English "Nagorno-Karabakh", not left untranslated.
    english = {_spelling(f) for f in entry.english_forms}
    forms = [f for f in entry.source_forms if _spelling(f) not in english]
    if not forms:
        return None
    parts = []
    for form in sorted(forms, key=len, reverse=True):
        if _is_short_caps(form):
            parts.append(re.escape(form))
        else:
            # A name left untranslated keeps its capital; "roma" is not "Roma".
            head = re.escape(fold(form[0]).upper()) if form[0].isupper() else re.escape(form[0])
            tail = _form_pattern(form[1:]) if len(form) > 1 else ""
            parts.append(f"{head}(?i:{tail})")
    return re.compile(f"{_BEFORE}(?:{'|'.join(parts)}){_AFTER}")


def _replacement(entry: TermEntry, draft: str, end: int) -> str:
    following = re.match(r"\s+([A-Za-z]+)", draft[end:])
    if entry.adjectives and following and following.group(1).lower() in _ADJECTIVE_BEFORE:
        return entry.adjectives[0]
    return entry.target


def repair_draft(checks: Sequence[TermCheck], draft: str) -> tuple[str, list[TermRepair]]:
    """Replace untranslated Indonesian names in an MT draft.

    Only hits that failed the check are repaired, and never a ``check_only``
    entry. Returns the new draft and the repairs, with offsets in the old one.
    """
    repairs: list[TermRepair] = []
    taken: list[tuple[int, int]] = []
    for check in checks:
        entry = check.hit.entry
        if check.agreed or entry.check_only:
            continue
        pattern = _source_in_english(entry)
        if pattern is None:
            continue
        # Folding keeps offsets, so matches in the folded draft map back.
        for m in pattern.finditer(_fold_keep_case(draft)):
            span = (m.start(), m.end())
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            taken.append(span)
            before = draft[span[0] : span[1]]
            after = _replacement(entry, draft, span[1])
            repairs.append(TermRepair(span[0], span[1], before, after, entry))
    repairs.sort(key=lambda r: r.start)
    pieces, last = [], 0
    for r in repairs:
        pieces.append(draft[last : r.start])
        pieces.append(r.after)
        last = r.end
    pieces.append(draft[last:])
    return "".join(pieces), repairs


def _fold_keep_case(text: str) -> str:
    """Strip accents but keep case (length preserved), for case-aware patterns."""
    folded = fold(text)
    return "".join(f.upper() if o.isupper() else f for f, o in zip(folded, text, strict=True))
