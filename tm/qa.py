"""Quality checks on a segment's target, as a reviewer would make them.

Each check returns :class:`QaIssue` values: a stable code for scripts, a
message for people, and a severity. The checks are deliberately cheap (they
run on every keystroke pause in the UI and on whole documents in `tm qa`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tm.models import Segment

ERROR = "error"
WARNING = "warning"

# A number with its internal separators: 13.924, 2,3, 10.30, 1,000,000.
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("“", "”"), ("‘", "’"))


@dataclass(frozen=True, slots=True)
class QaIssue:
    """One warning about a segment."""

    code: str
    message: str
    severity: str = WARNING


def numbers_of(text: str) -> Counter[str]:
    """The numbers in a text, with separators removed.

    Indonesian writes 2,3 and 13.924 where English writes 2.3 and 13,924, and
    times 10.30 where English may write 10:30; comparing the digit strings
    makes all of these agree. Dates split on "/" so 8/1 and 1/8 agree too.
    """
    return Counter(re.sub(r"[.,:]", "", m.group()) for m in _NUMBER.finditer(text))


def _unbalanced(text: str) -> list[str]:
    problems = []
    for opening, closing in _PAIRS:
        if text.count(opening) != text.count(closing):
            problems.append(opening + closing)
    if text.count('"') % 2:
        problems.append('""')
    return problems


def check_numbers(source: str, target: str) -> list[QaIssue]:
    """Numbers in the source missing from the target, or extra ones."""
    src, tgt = numbers_of(source), numbers_of(target)
    if src == tgt:
        return []
    missing = sorted((src - tgt).elements())
    extra = sorted((tgt - src).elements())
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("extra " + ", ".join(extra))
    return [QaIssue("numbers", "Numbers differ from the source: " + "; ".join(parts) + ".")]


def check_brackets(source: str, target: str) -> list[QaIssue]:
    """Brackets or quotes that the target leaves open where the source did not."""
    src = set(_unbalanced(source))
    issues = []
    for pair in _unbalanced(target):
        if pair not in src:
            issues.append(QaIssue("brackets", f"Unmatched {pair} in the target."))
    return issues


def check_glossary(source: str, target: str, glossary: Any) -> list[QaIssue]:
    """Place names in the source whose English form the target lacks."""
    issues = []
    for result in glossary.check(source, target):
        if result.satisfied:
            continue
        hit = result.hit
        entry = hit.entry
        if result.untranslated:
            message = f"“{result.untranslated}” is left untranslated: write “{entry.english}”."
        elif entry.english.casefold() == hit.surface.casefold():
            message = f"“{entry.english}” is missing from the target."
        else:
            message = f"“{hit.surface}” should appear as “{entry.english}” in the target."
        issues.append(QaIssue("glossary", message))
    return issues


def check_segment(source: str, target: str | None, glossary: Any = None) -> list[QaIssue]:
    """Every check on one segment; an empty list means nothing to flag."""
    if target is None or not target.strip():
        return [QaIssue("empty", "The target is empty.")]
    issues: list[QaIssue] = []
    if target.strip() == source.strip() and re.search(r"\b[^\W\d_A-Z]{3,}", source):
        issues.append(QaIssue("untranslated", "The target is identical to the source."))
    if target != target.strip():
        issues.append(QaIssue("spaces", "The target starts or ends with spaces."))
    elif "  " in target and "  " not in source:
        issues.append(QaIssue("spaces", "The target has double spaces."))
    issues += check_numbers(source, target)
    issues += check_brackets(source, target)
    if glossary is not None:
        issues += check_glossary(source, target, glossary)
    return issues


def check_document(
    segments: Iterable[Segment], glossary: Any = None, *, include_new: bool = False
) -> list[tuple[Segment, QaIssue]]:
    """:func:`check_segment` over a document's segments: every (segment, issue) found.

    Segments with no target yet are skipped unless ``include_new``. This is the
    one QA loop: `tm qa` prints what it returns.
    """
    findings: list[tuple[Segment, QaIssue]] = []
    for seg in segments:
        if seg.target is None and not include_new:
            continue
        findings.extend((seg, issue) for issue in check_segment(seg.source, seg.target, glossary))
    return findings
