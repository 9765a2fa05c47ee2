"""Whether a document can be delivered, and what still stands in the way.

A text export is what goes to the client: it must hold nothing a person has
not confirmed. :func:`unconfirmed` counts the segments that are not, by kind
(MT drafts, fuzzy drafts, ...), so that a refusal or a warning can say exactly
what is left; :func:`describe` words the counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tm.models import Origin, Segment, Status, origin_kind

# (singular, plural) of each kind of unconfirmed segment, in report order.
KINDS: dict[str, tuple[str, str]] = {
    "mt": ("MT draft", "MT drafts"),
    "fuzzy": ("fuzzy draft", "fuzzy drafts"),
    "tm": ("TM draft", "TM drafts"),
    "sent-back": ("segment sent back by the reviewer", "segments sent back by the reviewer"),
    "edited": ("unconfirmed edit", "unconfirmed edits"),
    "new": ("new segment", "new segments"),
}


def plural(n: int, singular: str, many: str | None = None) -> str:
    """``1 segment``, ``2 segments``."""
    return f"{n} {singular if n == 1 else (many or singular + 's')}"


def kind_of(segment: Segment) -> str | None:
    """The kind of an unconfirmed segment (a key of :data:`KINDS`), None if confirmed."""
    if segment.status.confirmed:
        return None
    if segment.status is Status.NEW or segment.target is None:
        return "new"
    if segment.review_state == "rejected":
        return "sent-back"
    kind = origin_kind(segment.origin)
    if kind is Origin.MT:
        return "mt"
    if kind is Origin.TM_FUZZY:
        return "fuzzy"
    if kind in (Origin.TM_EXACT, Origin.ALIGNED):
        return "tm"
    return "edited"


@dataclass(frozen=True, slots=True)
class Unconfirmed:
    """Counts of unconfirmed segments by kind."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        """All unconfirmed segments."""
        return sum(self.counts.values())

    def describe(self) -> str:
        """``3 segments are unconfirmed (2 MT drafts, 1 new segment)``; empty when none."""
        if not self.total:
            return ""
        parts = ", ".join(plural(self.counts[k], *KINDS[k]) for k in KINDS if self.counts.get(k))
        verb = "is" if self.total == 1 else "are"
        return f"{plural(self.total, 'segment')} {verb} unconfirmed ({parts})"


def unconfirmed(segments: Iterable[Segment]) -> Unconfirmed:
    """Count the unconfirmed segments among these, by kind."""
    counts: dict[str, int] = {}
    for seg in segments:
        kind = kind_of(seg)
        if kind is not None:
            counts[kind] = counts.get(kind, 0) + 1
    return Unconfirmed(counts)
