"""The glossary panel: place names in the segment and how English writes them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tm.display import visible
from tui.widgets.styles import theme_colour


class GlossaryPanel(Static):
    """Place names in the segment: Indonesian → preferred English (variants)."""

    def on_mount(self) -> None:
        self.border_title = "Glossary"

    def show_message(self, message: str) -> None:
        """A line instead of terms."""
        self.update(Text(visible(message), style="dim italic"))

    def show_hits(self, hits: Sequence[Any]) -> None:
        """One line per distinct term found in the source."""
        if not hits:
            self.show_message("No glossary terms here.")
            return
        text = Text()
        seen: set[tuple[str, str]] = set()
        accent = theme_colour(self.app, "accent")
        for hit in hits:
            entry = hit.entry
            key = (hit.surface, entry.target)
            if key in seen:
                continue
            seen.add(key)
            if seen and len(text):
                text.append("\n")
            text.append(visible(hit.surface), f"bold {accent}")
            text.append(" → ")
            text.append(visible(entry.target), "bold")
            variants = [*entry.target_variants, *entry.adjectives]
            variants = [v for v in variants if v != entry.target][:4]
            if variants:
                text.append(visible(f" ({', '.join(variants)})"), "dim")
            if getattr(entry, "origin", "") == "user":
                text.append("  user", "dim italic")
        self.update(text)
