"""Value types of the glossary: an entry, a hit in a source, a check, a repair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EntryOrigin = Literal["builtin", "user"]

# An entry of this type is never reported: it exists so that the longest-match
# rule swallows a common phrase ("medan perang", the battlefield) before a
# shorter place name ("Medan", the city) can claim one of its words.
NOT_A_PLACE = "not-a-place"


@dataclass(frozen=True, slots=True)
class TermEntry:
    """One glossary concept: its Indonesian forms and how English writes it.

    ``source_forms[0]`` is the main Indonesian form; the others are variants
    (Moskow/Moskwa, Amerika Serikat/AS). ``target`` is the preferred English
    form; ``target_variants`` are other accepted English forms (Türkiye, U.S.);
    ``adjectives`` are adjective or demonym forms a correct translation may use
    instead of the name ("Presiden Prancis" → "French President").

    A ``check_only`` entry is checked but never auto-replaced in MT drafts.
    ``strict_case`` marks a name that is also a common Indonesian word (Palu,
    the hammer; Serang, to attack): it is recognised only mid-sentence, in
    ordinary running text, never in a headline.
    """

    id: str
    type: str
    source_forms: tuple[str, ...]
    target: str
    target_variants: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    check_only: bool = False
    comment: str = ""
    origin: EntryOrigin = "builtin"
    strict_case: bool = False

    @property
    def source(self) -> str:
        """The main Indonesian form."""
        return self.source_forms[0]

    @property
    def english(self) -> str:
        """The preferred English form (alias of ``target``)."""
        return self.target

    @property
    def english_forms(self) -> tuple[str, ...]:
        """Every English form that satisfies the check: name, variants, adjectives."""
        return (self.target, *self.target_variants, *self.adjectives)


@dataclass(frozen=True, slots=True)
class TermHit:
    """A glossary entry found in a text, with character offsets ``[start, end)``."""

    start: int
    end: int
    surface: str
    entry: TermEntry


@dataclass(frozen=True, slots=True)
class TermCheck:
    """The verdict on one source hit against an English target.

    ``found`` is the English form that satisfied the hit (None when flagged);
    ``found_start``/``found_end`` locate it in the target. ``untranslated`` is
    the Indonesian form found in the target when the name was left as is.
    """

    hit: TermHit
    agreed: bool
    found: str | None = None
    found_start: int | None = None
    found_end: int | None = None
    # The Indonesian form left in the target, when that is the finding.
    untranslated: str | None = None

    @property
    def satisfied(self) -> bool:
        """Alias of ``agreed``: the English names the place."""
        return self.agreed

    @property
    def expected(self) -> str:
        """The preferred English form, for messages."""
        return self.hit.entry.target


@dataclass(frozen=True, slots=True)
class TermRepair:
    """One replacement made in an MT draft: ``before`` at ``[start, end)`` of the
    old draft became ``after``."""

    start: int
    end: int
    before: str
    after: str
    entry: TermEntry

    def describe(self) -> str:
        """A short line to record on the segment, e.g. ``glossary: Moskow → Moscow``."""
        return f"glossary: {self.before} → {self.after}"
