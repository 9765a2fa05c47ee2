"""The QA panel: warnings about the target as it stands in the editor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

from tm.display import visible
from tui.widgets.styles import theme_colour


class QaPanel(Static):
    """Quality warnings for the target as it stands in the editor."""

    def on_mount(self) -> None:
        self.border_title = "QA"

    def show_message(self, message: str) -> None:
        """A line instead of issues."""
        self.update(Text(visible(message), style="dim italic"))

    def show_issues(self, issues: Sequence[Any]) -> None:
        """Each issue with its severity; a calm line when there are none."""
        if not issues:
            self.update(Text("✓ No issues.", style=theme_colour(self.app, "success")))
            return
        text = Text()
        # A term that occurs twice in the source yields the same warning twice.
        shown: set[tuple[str, str]] = set()
        for issue in issues:
            if (issue.severity, issue.message) in shown:
                continue
            if shown:
                text.append("\n")
            shown.add((issue.severity, issue.message))
            colour = theme_colour(self.app, "error" if issue.severity == "error" else "warning")
            text.append("✗ " if issue.severity == "error" else "⚠ ", f"bold {colour}")
            text.append(visible(issue.message))
        self.update(text)
