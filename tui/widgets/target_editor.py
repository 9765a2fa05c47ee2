"""The multi-line editor for the current segment's English target."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import EditResult, Location

from tm.display import same_width

_LINE_BREAKS = re.compile(r"\s*(?:\r\n|[\n\r\x0b\x0c\x85\u2028\u2029])\s*")


class TargetEditor(TextArea):
    """A soft-wrapping plain-text editor; its ``Changed`` message drives QA.

    A segment is one line of the document (the segmenter splits at line
    breaks), so the target never holds one: Enter asks to confirm, as in
    OmegaT, and pasted line breaks become spaces. This is also what makes
    Ctrl+Enter confirm in the many terminals (tmux among them) that send it as
    plain Enter.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Select all, as in every desktop editor (TextArea's own key for it, F7,
        # inserts match 3 here). Home still goes to the start of the line.
        Binding("ctrl+a", "select_all", "Select all", show=False),
    ]

    class ConfirmRequested(Message):
        """Enter in the editor: the translator wants to confirm the segment."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not self.read_only:
            # TextArea's own handler would insert a line break.
            event.stop()
            event.prevent_default()
            self.post_message(self.ConfirmRequested())

    def _replace_via_keyboard(
        self, insert: str, start: Location, end: Location
    ) -> EditResult | None:
        # Typing and pasting both come through here.
        return super()._replace_via_keyboard(_LINE_BREAKS.sub(" ", insert), start, end)

    def get_line(self, line_index: int) -> Text:
        """A line as drawn: control characters as symbols, one for one.

        The document keeps the real text (what is confirmed and stored); only
        the drawing changes, character for character, so that the cursor and
        the selection stay where they are.
        """
        line = super().get_line(line_index)
        shown = same_width(line.plain)
        if shown is line.plain:
            return line
        return Text(shown, end="", no_wrap=True)

    def replace_all(self, text: str) -> None:
        """Replace the whole target, as one step the editor's own undo can take back."""
        self.replace(text, (0, 0), self.document.end)
        self.move_cursor(self.document.end)

    def insert_at_cursor(self, text: str) -> None:
        """Insert text where the cursor is (or over the selection).

        A space is added between the text and a word it would otherwise run
        into, as when a concordance hit goes after words already typed.
        """
        start, end = sorted((self.selection.start, self.selection.end))
        before = self.get_text_range((start[0], 0), start)[-1:] if start[1] else ""
        if before and not before.isspace() and text[:1].isalnum():
            text = " " + text
        result = self.replace(text, start, end)
        self.move_cursor(result.end_location)
