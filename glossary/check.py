"""Checks of English targets against source hits, and repair of MT drafts.

A hit is satisfied when the English holds the entry's preferred form, an
accepted variant or an adjective form, on word boundaries. Case does not
matter except for short all-capitals forms ("US" must not match "us"), and
accents do not matter ("Türkiye" = "Turkiye"). A regular plural or possessive
ending is allowed ("Armenians", "France's").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from glossary.match import fold
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


def check_hits(hits: Sequence[TermHit], target: str) -> list[TermCheck]:
    """Judge each source hit against the English ``target``."""
    results = []
    for hit in hits:
        m = find_english(hit.entry, target)
        if m is None:
            results.append(TermCheck(hit, agreed=False))
        else:
            results.append(TermCheck(hit, True, target[m.start() : m.end()], m.start(), m.end()))
    return results


@lru_cache(maxsize=4096)
def _source_in_english(entry: TermEntry) -> re.Pattern[str] | None:
    """Indonesian forms of ``entry`` that differ from every English form."""
    english = {fold(f) for f in entry.english_forms}
    forms = [f for f in entry.source_forms if fold(f) not in english]
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
