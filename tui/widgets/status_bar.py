"""The line above the key hints: progress, filter and the store's path."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tm.display import visible
from tm.review import Progress


class StatusBar(Static):
    """Confirmed segments and words out of all, the filter, the store path."""

    def show_progress(
        self, progress: Progress, *, document: str, store: str, filter_label: str = ""
    ) -> None:
        """Redraw the bar."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {visible(document, newlines=False)} ", "bold reverse")
        text.append(
            f" {progress.confirmed}/{progress.total} segments · "
            f"{progress.confirmed_words}/{progress.total_words} words ({progress.share:.0%})"
        )
        if filter_label:
            text.append(f" · filter: {visible(filter_label, newlines=False)}", "bold")
        text.append(f" · {visible(store, newlines=False)}", "dim")
        self.update(text)
