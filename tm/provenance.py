"""Where a confirmed target came from, as CAT tools record it.

A segment remembers the draft that a machine or the memory gave it
(``draft_target`` with its ``draft_origin``: ``mt:<model>@<rev>``,
``tm-exact``, ``tm-fuzzy``, ``aligned``). When a person confirms it:

- a final text equal to the draft keeps the draft's origin and is marked
  *accepted unchanged*;
- a changed one becomes origin ``human``; the draft's origin is kept as the
  *origin before edit*, with the post-editing distance;
- with no draft at all (typed from scratch) the origin is ``human``.

The post-editing distance is the word-level Levenshtein distance between the
draft and the final text, over Moses tokens (sacremoses, English rules: a
changed comma is one edit, as in TER), divided by the longer of the two token
counts and given as a whole percentage: 0 is unchanged, 100 nothing in
common. A change that only touches whitespace counts as 1, so "changed" is
never reported as 0%.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from tm.models import Origin, origin_kind

HUMAN = str(Origin.HUMAN)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from sacremoses import MosesTokenizer

    return MosesTokenizer(lang="en")


def tokens(text: str) -> list[str]:
    """Moses word tokens of an English text (punctuation split off)."""
    return list(_tokenizer().tokenize(text, escape=False))


def edit_distance(draft: str, final: str) -> int:
    """Post-editing distance from ``draft`` to ``final``, in percent (0-100)."""
    if draft == final:
        return 0
    a, b = tokens(draft), tokens(final)
    longest = max(len(a), len(b))
    if longest == 0:
        return 1
    edits = Levenshtein.distance(a, b)
    return max(1, round(100 * edits / longest))


@dataclass(frozen=True, slots=True)
class Provenance:
    """What a confirmation records about the final text."""

    origin: str
    origin_before: str | None
    edit_distance: int | None
    accepted_unchanged: bool | None


def provenance(draft_target: str | None, draft_origin: str | None, final: str) -> Provenance:
    """The provenance of ``final`` given the segment's draft (see the module doc)."""
    if draft_target is None or not draft_origin or origin_kind(draft_origin) is Origin.HUMAN:
        return Provenance(HUMAN, None, None, None)
    if final == draft_target:
        return Provenance(draft_origin, None, 0, True)
    return Provenance(HUMAN, draft_origin, edit_distance(draft_target, final), False)


# Props a confirmed memory unit carries in TMX (tm.tmx_write writes props as
# they are): x-origin itself is the unit's origin.
PROP_ORIGIN_BEFORE = "x-origin-before"
PROP_EDIT_DISTANCE = "x-edit-distance"
PROP_ACCEPTED = "x-accepted-unchanged"
PROP_REVIEWER = "x-reviewer"
PROP_REVIEW_DATE = "x-review-date"
PROVENANCE_PROPS = (PROP_ORIGIN_BEFORE, PROP_EDIT_DISTANCE, PROP_ACCEPTED)
REVIEW_PROPS = (PROP_REVIEWER, PROP_REVIEW_DATE)


def provenance_props(p: Provenance) -> list[tuple[str, str]]:
    """The TMX props for a confirmation's provenance."""
    props: list[tuple[str, str]] = []
    if p.accepted_unchanged:
        props.append((PROP_ACCEPTED, "yes"))
    if p.origin_before:
        props.append((PROP_ORIGIN_BEFORE, p.origin_before))
    if p.edit_distance is not None and not p.accepted_unchanged:
        props.append((PROP_EDIT_DISTANCE, str(p.edit_distance)))
    return props


def short_origin(origin: str | None) -> str:
    """A short label for an origin: ``MT``, ``TM``, ``fuzzy``, ``aligned``."""
    kind = origin_kind(origin)
    if kind is Origin.MT:
        return "MT"
    if kind is Origin.TM_EXACT:
        return "TM"
    if kind is Origin.TM_FUZZY:
        return "fuzzy"
    return kind.value if kind is not None else ""
