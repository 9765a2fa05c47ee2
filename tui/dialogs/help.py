"""The `?` screen: every key of the review screen, grouped as translators think of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Lists (group, keys, what it does); any of Esc, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", show=False),
    ]

    def __init__(self, keys: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        # The group names in a column of their own, on each group's first row:
        # every key fits on one 120x36 screen without scrolling.
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column("group", no_wrap=True)
        table.add_column("keys", style="bold", no_wrap=True)
        table.add_column("what")
        group = None
        for name, keys, what in self._keys:
            first = name != group
            table.add_row(
                Text(name, style="bold underline") if first else "",
                keys,
                what,
                end_section=False,
            )
            group = name
        with VerticalScroll(id="help-body"):
            yield Static(table)

    def on_mount(self) -> None:
        body = self.query_one("#help-body")
        body.border_title = "Keys"
        # In the border, not on a line of its own: at 80x24 a line below the
        # box would fall on the progress bar.
        body.border_subtitle = "Esc, q or ? closes · ↑↓ PgUp PgDn scroll"

    def action_close(self) -> None:
        """Close the help screen."""
        self.dismiss(None)
