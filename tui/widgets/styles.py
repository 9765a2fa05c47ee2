"""Colours that follow the current theme, so light and dark both read well."""

from __future__ import annotations

from textual.app import App

from tm.models import Status

_FALLBACK = {"error": "red", "warning": "yellow", "success": "green", "accent": "blue"}


def theme_colour(app: App[object], name: str) -> str:
    """A colour of the current theme (``error``, ``warning``, ``success``, ``accent``)."""
    theme = app.current_theme
    value = getattr(theme, name, None) if theme is not None else None
    return str(value) if value else _FALLBACK.get(name, "default")


def status_style(app: App[object], status: Status) -> str:
    """The style for a status word: red new, amber draft, green done, accent approved."""
    name = {
        Status.NEW: "error",
        Status.DRAFT: "warning",
        Status.TRANSLATED: "success",
        Status.APPROVED: "accent",
    }[status]
    return f"bold {theme_colour(app, name)}"


def status_mark(status: Status) -> str:
    """A shape beside the colour, for colour-blind users and monochrome terminals."""
    return {
        Status.NEW: "○",
        Status.DRAFT: "◐",
        Status.TRANSLATED: "●",
        Status.APPROVED: "✔",
    }[status]
