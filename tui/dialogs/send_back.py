"""Send a segment back to the translator, with the reviewer's note."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


class SendBackDialog(ModalScreen[str | None]):
    """Asks what the translator should fix; returns the note, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, position: int) -> None:
        super().__init__()
        self._position = position

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Send segment {self._position} back", classes="dialog-title")
            yield Label("Note for the translator (what to fix):")
            yield Input("", placeholder="e.g. the title is wrong", id="review-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Send back", variant="warning", id="send")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#review-note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter sends it back."""
        event.stop()
        self.dismiss(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Send back or cancel."""
        event.stop()
        if event.button.id == "send":
            self.dismiss(self.query_one("#review-note", Input).value)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without sending anything back."""
        self.dismiss(None)
