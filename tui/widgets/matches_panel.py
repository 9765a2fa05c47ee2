"""The TM matches panel: the best three, with score, origin, date and differences."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from tm.display import visible
from tm.models import Match, MatchKind
from tm.review import word_diff
from tui.widgets.styles import theme_colour

MATCH_KEYS = ("F5", "F6", "F7")


def _date(stamp: str | None) -> str:
    # Stored dates are TMX-style (20261124T142820Z) or ISO; show the day.
    if not stamp:
        return ""
    digits = stamp.replace("-", "")
    return f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}" if len(digits) >= 8 else stamp


def _origin(match: Match) -> str:
    unit = match.unit
    origin = (unit.origin or "memory").split(":", 1)[0]
    who = unit.changed_by or unit.created_by or ""
    parts = [origin, _date(unit.changed_at or unit.created_at), who, unit.document or ""]
    return visible(" · ".join(p for p in parts if p))


class MatchesPanel(Static):
    """The best three translation-memory matches, differences from the source marked."""

    def on_mount(self) -> None:
        self.border_title = "TM matches"

    def show_message(self, message: str) -> None:
        """A line instead of matches (searching, not available...)."""
        self.update(Text(visible(message), style="dim italic"))

    def show_matches(self, matches: Sequence[Match], source: str) -> None:
        """Each match: key, score, origin and date; its source with differences; its target."""
        if not matches:
            self.show_message("No matches in the memory.")
            return
        changed = f"bold {theme_colour(self.app, 'error')}"
        missing = f"strike {theme_colour(self.app, 'warning')}"
        good = theme_colour(self.app, "success")
        text = Text()
        for n, match in enumerate(matches):
            if n:
                text.append("\n\n")
            score_style = (
                f"bold {good}"
                if match.score >= 100
                else f"bold {theme_colour(self.app, 'warning')}"
            )
            label = "context" if match.kind is MatchKind.IN_CONTEXT else match.kind.value
            text.append(f"{MATCH_KEYS[n] if n < len(MATCH_KEYS) else n + 1} ", "reverse")
            text.append(f" {match.score}% ", score_style)
            text.append(f"{label}  ", "dim")
            text.append(_origin(match), "dim italic")
            text.append("\n")
            for op, piece in word_diff(source, match.unit.source):
                if op == "equal":
                    text.append(visible(piece))
                elif op == "changed":
                    text.append(visible(piece), changed)
                else:
                    text.append(f"[{visible(piece)}] ", missing)
            text.append("\n→ ", "dim")
            text.append(visible(match.target), "bold")
        self.update(text)
