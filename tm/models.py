"""Domain dataclasses shared by every part of the workbench.

Nothing here touches the store, the model or the UI: these are plain values
that the core passes around. They are frozen wherever a value never changes
after it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

SOURCE_LANG = "id"
TARGET_LANG = "en"


class Status(StrEnum):
    """Where a segment stands in the review workflow."""

    NEW = "new"
    DRAFT = "draft"
    TRANSLATED = "translated"
    APPROVED = "approved"

    @property
    def confirmed(self) -> bool:
        """True for statuses a person has confirmed."""
        return self in (Status.TRANSLATED, Status.APPROVED)


class Origin(StrEnum):
    """The kind of source a target came from.

    The stored origin string may carry a detail after a colon, for example
    ``mt:Helsinki-NLP/opus-mt-id-en`` or ``tm-fuzzy``; :func:`origin_kind`
    recovers the kind.
    """

    MT = "mt"
    TM_EXACT = "tm-exact"
    TM_FUZZY = "tm-fuzzy"
    ALIGNED = "aligned"
    HUMAN = "human"


def origin_kind(origin: str | None) -> Origin | None:
    """Return the :class:`Origin` of a stored origin string, or None."""
    if not origin:
        return None
    head = origin.split(":", 1)[0]
    try:
        return Origin(head)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """One sentence as the segmenter found it.

    ``source + trailing`` for every span, after the text's ``prefix``, gives
    back the input exactly.
    """

    source: str
    trailing: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class SegmentedText:
    """A text split into sentences, losslessly."""

    prefix: str
    spans: tuple[SourceSpan, ...]

    def join(self) -> str:
        """Rebuild the original text."""
        return self.prefix + "".join(s.source + s.trailing for s in self.spans)


@dataclass(frozen=True, slots=True)
class Document:
    """An imported source file."""

    id: int
    name: str
    path: str | None
    prefix: str
    sha256: str
    created_at: str
    updated_at: str
    last_position: int = 0


@dataclass(frozen=True, slots=True)
class DocumentProgress:
    """A document with counts per status, for `tm docs` and the picker."""

    document: Document
    segments: int
    words: int
    by_status: dict[str, int]
    confirmed_words: int

    @property
    def confirmed(self) -> int:
        """Segments a person has confirmed."""
        return self.by_status.get(Status.TRANSLATED, 0) + self.by_status.get(Status.APPROVED, 0)


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence of a document, with its target and where it stands."""

    id: int
    document_id: int
    position: int
    paragraph: int
    source: str
    trailing: str
    target: str | None = None
    status: Status = Status.NEW
    origin: str | None = None
    match_score: int | None = None
    unit_id: int | None = None
    flags: tuple[str, ...] = ()
    updated_at: str | None = None
    updated_by: str | None = None
    # Provenance (tm.provenance): the draft a machine or the memory gave,
    # and, once confirmed, what the translator did with it.
    draft_target: str | None = None
    draft_origin: str | None = None
    origin_before: str | None = None
    edit_distance: int | None = None
    accepted_unchanged: bool | None = None
    # Review: "approved" or "rejected" (sent back), by whom, when, and why.
    review_state: str | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    review_note: str | None = None


@dataclass(frozen=True, slots=True)
class TranslationUnit:
    """A source/target pair in the translation memory, with TMX metadata.

    ``source`` and ``target`` are plain text (what matching sees).
    ``source_markup`` and ``target_markup`` hold the inner XML of the TMX
    ``<seg>`` when it carried inline codes, so that they survive a round trip.
    """

    source: str
    target: str
    id: int | None = None
    source_lang: str = SOURCE_LANG
    target_lang: str = TARGET_LANG
    source_markup: str | None = None
    target_markup: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    changed_at: str | None = None
    changed_by: str | None = None
    origin: str | None = None
    status: Status = Status.TRANSLATED
    usage_count: int = 0
    last_used_at: str | None = None
    context_prev: str | None = None
    context_next: str | None = None
    document: str | None = None
    tuid: str | None = None
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


class MatchKind(StrEnum):
    """How a memory unit matches a segment."""

    IN_CONTEXT = "in-context"
    EXACT = "exact"
    FUZZY = "fuzzy"


@dataclass(frozen=True, slots=True)
class Match:
    """A translation-memory match for a segment.

    ``score`` is 101 for in-context, 100 for exact, 50-99 for fuzzy.
    ``target`` is the suggestion to insert: the unit's target, with numbers
    carried over from the segment where only numbers differ.
    """

    unit: TranslationUnit
    score: int
    kind: MatchKind
    target: str = field(default="")

    def __post_init__(self) -> None:
        if not self.target:
            object.__setattr__(self, "target", self.unit.target)
