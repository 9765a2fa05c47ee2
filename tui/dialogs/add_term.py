"""Add a glossary term from the current segment."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from glossary import TermEntry
from tm.display import visible


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


class AddTermDialog(ModalScreen[TermEntry | None]):
    """Indonesian form(s), English form and variants; returns the new entry or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, source: str = "", target: str = "") -> None:
        super().__init__()
        # Prefilled from the segment: an input shows its value raw, so a
        # control character in it is offered as its symbol, to be fixed.
        self._source = visible(source, newlines=False)
        self._target = visible(target, newlines=False)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Add a glossary term", classes="dialog-title")
            yield Label("Indonesian (variants after commas):")
            yield Input(self._source, placeholder="e.g. Moskow, Moskwa", id="term-source")
            yield Label("English (preferred):")
            yield Input(self._target, placeholder="e.g. Moscow", id="term-target")
            yield Label("Other accepted English forms (commas):")
            yield Input("", placeholder="e.g. Muscovite", id="term-variants")
            yield Label("", id="term-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # The first field still to fill: a selection may have filled both names.
        inputs = list(self.query(Input))
        empty = [i for i in inputs if not i.value.strip()]
        (empty or inputs)[0].focus()

    def _entry(self) -> TermEntry | None:
        sources = _split(self.query_one("#term-source", Input).value)
        target = self.query_one("#term-target", Input).value.strip()
        if not sources or not target:
            error = self.query_one("#term-error", Label)
            error.update("Both the Indonesian and the English form are needed.")
            error.add_class("-shown")
            return None
        return TermEntry(
            id="",
            type="user",
            source_forms=sources,
            target=target,
            target_variants=_split(self.query_one("#term-variants", Input).value),
            origin="user",
        )

    def _submit(self) -> None:
        entry = self._entry()
        if entry is not None:
            self.dismiss(entry)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in any box adds the term."""
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Add or cancel."""
        event.stop()
        if event.button.id == "add":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without adding."""
        self.dismiss(None)
