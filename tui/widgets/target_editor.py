"""The multi-line editor for the current segment's English target."""

from __future__ import annotations

from textual.widgets import TextArea


class TargetEditor(TextArea):
    """A soft-wrapping plain-text editor; its ``Changed`` message drives QA."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")

    def replace_all(self, text: str) -> None:
        """Replace the whole target, as one step the editor's own undo can take back."""
        self.replace(text, (0, 0), self.document.end)
        self.move_cursor(self.document.end)

    def insert_at_cursor(self, text: str) -> None:
        """Insert text where the cursor is (or over the selection)."""
        self.replace(text, self.selection.start, self.selection.end)
