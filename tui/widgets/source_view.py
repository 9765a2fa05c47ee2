"""The read-only Indonesian source of the current segment, glossary terms highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tui.widgets.styles import theme_colour


class SourceView(Static):
    """Shows the source text; place names the glossary knows are highlighted."""

    def show_source(self, source: str, hits: Sequence[Any] = ()) -> None:
        """Display ``source`` with each glossary hit (``start``/``end``) highlighted."""
        text = Text(source)
        colour = theme_colour(self.app, "accent")
        for hit in hits:
            text.stylize(f"bold underline {colour}", hit.start, hit.end)
        self.update(text)
