"""The read-only Indonesian source of the current segment, glossary terms highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import Static

from tm.display import visible_text
from tui.widgets.styles import theme_colour


class SourceView(Static):
    """Shows the source text; place names the glossary knows are highlighted."""

    def show_source(self, source: str, hits: Sequence[Any] = ()) -> None:
        """Display ``source`` with each glossary hit (``start``/``end``) highlighted."""
        style = f"bold underline {theme_colour(self.app, 'accent')}"
        self.update(visible_text(source, spans=[(hit.start, hit.end, style) for hit in hits]))
