"""Concordance search: where a word or phrase occurs in the translation memory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tm.display import visible, visible_text
from tm.errors import TmError
from tui.errors import describe


class ConcordanceDialog(ModalScreen[str | None]):
    """Type a phrase, Enter searches; Enter on a hit returns its target for the editor.

    ``search`` is a core function that opens its own store connection, so it
    runs in a worker thread and the dialog never touches the store itself.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Close", show=False)]

    class Results(Message):
        """Hits (or an error) from the search worker."""

        def __init__(self, query: str, hits: Sequence[Any], error: str | None = None) -> None:
            super().__init__()
            self.query = query
            self.hits = hits
            self.error = error

    def __init__(self, search: Callable[[str], Sequence[Any]], initial: str = "") -> None:
        super().__init__()
        self._search = search
        # An input shows its value raw: a control character is offered as its symbol.
        self._initial = visible(initial, newlines=False)
        self._hits: Sequence[Any] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Search the memory (concordance)", classes="dialog-title")
            yield Input(
                self._initial, placeholder="a word or phrase, in Indonesian or English", id="query"
            )
            yield Label("", id="concordance-summary")
            yield OptionList(id="hits")

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        if self._initial.strip():
            self.run_search(self._initial)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Search for the typed phrase."""
        event.stop()
        if event.value.strip():
            self.query_one("#concordance-summary", Label).update(Text("Searching…"))
            self.run_search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def run_search(self, query: str) -> None:
        """Run the search off the UI thread and post the hits back."""
        try:
            hits = self._search(query)
        except TmError as exc:
            self.post_message(self.Results(query, (), describe(exc)))
            return
        except Exception as exc:  # a broken store must not kill the dialog
            self.post_message(self.Results(query, (), f"The search failed: {exc}"))
            return
        self.post_message(self.Results(query, hits))

    def on_concordance_dialog_results(self, message: Results) -> None:
        """Show the hits: source with the phrase highlighted, and the target."""
        summary = self.query_one("#concordance-summary", Label)
        options = self.query_one("#hits", OptionList)
        options.clear_options()
        self._hits = message.hits
        if message.error:
            summary.update(Text(visible(message.error), style="bold red"))
            return
        n = len(message.hits)
        query = visible(message.query)
        if n == 0:
            summary.update(Text(f"No unit contains “{query}”. Esc closes."))
        else:
            units = "1 unit contains" if n == 1 else f"{n} units contain"
            summary.update(Text(f"{units} “{query}”. ↓ and Enter inserts; Esc closes."))
        for n, hit in enumerate(message.hits):
            unit = hit.unit
            text = Text()
            spans = [(start, end, "bold reverse") for start, end in hit.spans]
            source = visible_text(unit.source, spans=() if hit.in_target else spans)
            target = visible_text(unit.target, spans=spans if hit.in_target else ())
            text.append_text(source)
            text.append("\n→ ", "dim")
            text.append_text(target)
            options.add_option(Option(text, id=str(n)))
        if message.hits:
            options.highlighted = 0

    def on_key(self, event: events.Key) -> None:
        """Down in the search box goes to the hits."""
        options = self.query_one("#hits", OptionList)
        if (
            event.key == "down"
            and self.focused is self.query_one("#query")
            and options.option_count
        ):
            event.stop()
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen unit's target."""
        event.stop()
        index = int(event.option.id or 0)
        self.dismiss(self._hits[index].unit.target)

    def action_cancel(self) -> None:
        """Close without inserting anything."""
        self.dismiss(None)
