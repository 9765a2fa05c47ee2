"""The document picker: every document in the store with its progress."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from tm.display import visible
from tm.models import DocumentProgress


def _day(stamp: str | None) -> str:
    # Stored as 20261124T142820Z; people read 2026-11-24.
    digits = (stamp or "").replace("-", "")
    return f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}" if len(digits) >= 8 else ""


class PickerScreen(Screen[None]):
    """Choose a document; Enter opens it for review."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True),
        Binding("ctrl+q,f10,q", "quit", "Quit", show=True, key_display="Ctrl+Q"),
    ]

    class DocumentChosen(Message):
        """The translator chose a document to review."""

        def __init__(self, document_id: int) -> None:
            super().__init__()
            self.document_id = document_id

    def __init__(self, documents: Sequence[DocumentProgress], store_path: str) -> None:
        super().__init__()
        self._documents = documents
        self._store_path = store_path

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(Text(f"Documents in {visible(self._store_path)}"), id="picker-title")
            yield DataTable(id="documents", cursor_type="row")
            yield Label("Enter opens the highlighted document; Ctrl+Q quits.", id="picker-hint")
            yield Label("", id="picker-empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#documents", DataTable)
        table.add_column("#", key="id")
        table.add_column("Document", key="name")
        table.add_column("Segments", key="segments")
        table.add_column("Words", key="words")
        table.add_column("Confirmed", key="confirmed")
        table.add_column("To do", key="todo")
        table.add_column("Updated", key="updated")
        for p in self._documents:
            share = p.confirmed_words / p.words if p.words else 0.0
            bar_width = 6
            filled = round(share * bar_width)
            bar = Text("█" * filled, "bold") + Text("░" * (bar_width - filled), "dim")
            table.add_row(
                str(p.document.id),
                Text(visible(p.document.name, newlines=False)),
                str(p.segments),
                str(p.words),
                bar + Text(f" {share:4.0%}"),
                str(p.segments - p.confirmed),
                _day(p.document.updated_at),
                key=str(p.document.id),
            )
        if not self._documents:
            self.query_one("#picker-empty", Label).update(
                "No documents yet. Add one with `tm import FILE` (or translate it with "
                "`tm translate FILE`), then run `tm review` again."
            )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a row opens that document."""
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.DocumentChosen(int(event.row_key.value)))

    def action_open(self) -> None:
        """Open the highlighted document."""
        table = self.query_one("#documents", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            if key.value is not None:
                self.post_message(self.DocumentChosen(int(key.value)))

    def action_quit(self) -> None:
        """Leave the application."""
        self.app.exit()
