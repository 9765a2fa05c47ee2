"""Messages that worker threads post back to the review screen.

Widgets define their own messages next to themselves; these are the results
of blocking work (TM lookups, MT, loading the glossary) done off the UI thread.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message

from tm.models import Match


class MatchesFound(Message):
    """TM matches for a segment, or why there are none."""

    def __init__(self, segment_id: int, matches: list[Match], error: str | None = None) -> None:
        super().__init__()
        self.segment_id = segment_id
        self.matches = matches
        self.error = error


class MachineTranslation(Message):
    """An MT draft for a segment."""

    def __init__(
        self, segment_id: int, target: str, origin: str, flags: tuple[str, ...] = ()
    ) -> None:
        super().__init__()
        self.segment_id = segment_id
        self.target = target
        self.origin = origin
        self.flags = flags


class MachineTranslationFailed(Message):
    """MT could not run (no model, a broken checkpoint...); ``message`` says why."""

    def __init__(self, segment_id: int, message: str) -> None:
        super().__init__()
        self.segment_id = segment_id
        self.message = message


class GlossaryLoaded(Message):
    """The glossary in force for the store, or None with the reason."""

    def __init__(self, glossary: Any, error: str | None = None) -> None:
        super().__init__()
        self.glossary = glossary
        self.error = error
