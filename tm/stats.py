"""The post-editing effort report (`tm stats`): what translators did with the drafts.

For confirmed segments, grouped by the origin of the draft they started from
(``mt:<model>@<rev>``, ``tm-exact``, ``tm-fuzzy``, ``aligned``; ``human`` for
text typed with no draft): how many were accepted unchanged, how many were
edited, and the mean and median post-editing distance (tm.provenance) of
the edited ones. Also words per status, as LSPs count them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from tm.models import Document, Segment, Status
from tm.store import Store, word_count


@dataclass(slots=True)
class OriginStats:
    """Confirmed segments that started from one origin."""

    origin: str
    confirmed: int = 0
    accepted_unchanged: int = 0
    edited: int = 0
    words: int = 0
    distances: list[int] = field(default_factory=list)

    @property
    def mean_distance(self) -> float | None:
        """Mean edit distance of the edited segments (percent), None without any."""
        return round(statistics.fmean(self.distances), 1) if self.distances else None

    @property
    def median_distance(self) -> float | None:
        """Median edit distance of the edited segments (percent), None without any."""
        return float(statistics.median(self.distances)) if self.distances else None


@dataclass(frozen=True, slots=True)
class StatsReport:
    """The report over one or more documents."""

    documents: tuple[str, ...]
    origins: tuple[OriginStats, ...]
    words_by_status: dict[str, int]
    segments_by_status: dict[str, int]


def draft_origin_of(segment: Segment) -> str:
    """The origin a confirmed segment's text started from."""
    if segment.origin_before:
        return segment.origin_before
    return segment.origin or "human"


def report(store: Store, documents: Iterable[Document]) -> StatsReport:
    """The post-editing report over these documents."""
    docs = list(documents)
    origins: dict[str, OriginStats] = {}
    words = {s.value: 0 for s in Status}
    counts = {s.value: 0 for s in Status}
    for doc in docs:
        for seg in store.segments(doc.id):
            n = word_count(seg.source)
            words[seg.status.value] += n
            counts[seg.status.value] += 1
            if not seg.status.confirmed:
                continue
            key = draft_origin_of(seg)
            row = origins.setdefault(key, OriginStats(key))
            row.confirmed += 1
            row.words += n
            if seg.accepted_unchanged:
                row.accepted_unchanged += 1
            elif seg.origin_before:
                row.edited += 1
                if seg.edit_distance is not None:
                    row.distances.append(seg.edit_distance)
    ordered = sorted(origins.values(), key=lambda r: (-r.confirmed, r.origin))
    return StatsReport(tuple(d.name for d in docs), tuple(ordered), words, counts)
