"""The filter dialog: show only segments with some statuses, or containing some text."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label

from tm.review import FILTER_STATUSES, SegmentFilter

_LABELS = {
    "todo": "to do (not confirmed)",
    "new": "new",
    "draft": "draft",
    "translated": "translated",
    "approved": "approved",
    "rejected": "sent back by the reviewer",
    "unapproved": "translated, not yet approved",
}


class TickBox(Checkbox, inherit_bindings=False):
    """A checkbox whose ticked state reads at a glance: ✓ when ticked, blank when not.

    Textual's own draws the same X in both states and tells them apart by
    colour only, which some themes and terminals barely show.
    """

    # Space ticks; Enter is left to the dialog, which applies the filter.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle_button", "Toggle")]

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "✓" if self.value else " "
        return super()._button


class FilterDialog(ModalScreen[SegmentFilter | None]):
    """Returns the new filter, or None when cancelled. An empty filter shows everything.

    Enter applies the filter wherever the focus is (space ticks a box), except
    on a button, which Enter presses.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("enter", "apply", "Apply", show=False),
    ]

    def __init__(self, current: SegmentFilter) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Filter segments", classes="dialog-title")
            yield Label("Text in the source or the target:")
            yield Input(self._current.text, placeholder="e.g. Prancis", id="filter-text")
            yield Label("Status (none ticked: all):")
            with Vertical(id="filter-statuses"):
                for status in FILTER_STATUSES:
                    yield TickBox(
                        _LABELS[status], status in self._current.statuses, id=f"status-{status}"
                    )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear", id="clear")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def _chosen(self) -> SegmentFilter:
        statuses = frozenset(
            s for s in FILTER_STATUSES if self.query_one(f"#status-{s}", Checkbox).value
        )
        return SegmentFilter(statuses, self.query_one("#filter-text", Input).value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the text box applies the filter."""
        event.stop()
        self.dismiss(self._chosen())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Apply, clear or cancel."""
        event.stop()
        if event.button.id == "apply":
            self.dismiss(self._chosen())
        elif event.button.id == "clear":
            self.dismiss(SegmentFilter())
        else:
            self.dismiss(None)

    def action_apply(self) -> None:
        """Enter: apply the filter (a focused button is pressed instead)."""
        focused = self.focused
        if isinstance(focused, Button):
            focused.press()
            return
        self.dismiss(self._chosen())

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)
