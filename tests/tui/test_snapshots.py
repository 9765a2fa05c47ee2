"""How the screens look (pytest-textual-snapshot), at fixed terminal sizes.

Update the SVGs after an intended change with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, SMALL, settle
from tm.store import Store
from tui.app import ReviewApp, create_app


@pytest.fixture
def stable(seeded, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeded store under a relative name and a fixed date, so the SVGs are stable."""
    db, _ = seeded
    monkeypatch.chdir(db.parent)
    with Store(db) as store:
        store.conn.execute(
            "UPDATE documents SET created_at = ?, updated_at = ?", ("20260101T000000Z",) * 2
        )
    return Path(db.name)


async def _ready(pilot) -> None:
    """Idle, with no cursor blinking: a blink caught mid-phase changed the SVG under load."""
    await settle(pilot)
    for screen in pilot.app.screen_stack:
        for widget in screen.query("*"):
            if hasattr(widget, "cursor_blink"):
                widget.cursor_blink = False
                # TextArea caches its lines under the same key for "blink off
                # phase" and "blink disabled": a line cached in the off phase
                # (no cursor) would be drawn again. Drop the cache and repaint.
                widget.notify_style_update()
                widget.refresh()
    await pilot.pause()


def _pressing(*keys: str):
    """Press keys, then wait until ready: a dialog's input is opened before its blink stops."""

    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press(*keys)
        await _ready(pilot)

    return run_before


def _review(db: Path, theme: str | None = None) -> ReviewApp:
    return create_app(db, 1, theme=theme)


class TestReviewScreen:
    def test_main_screen(self, snap_compare, stable: Path) -> None:
        assert snap_compare(_review(stable), terminal_size=SIZE, run_before=_ready)

    def test_main_screen_80x24(self, snap_compare, stable: Path) -> None:
        assert snap_compare(_review(stable), terminal_size=SMALL, run_before=_ready)

    def test_light_theme_with_glossary_term(self, snap_compare, stable: Path) -> None:
        async def on_prancis(pilot) -> None:
            await _ready(pilot)
            for _ in range(5):
                await pilot.press("ctrl+n")
            await _ready(pilot)

        app = _review(stable, theme="textual-light")
        assert snap_compare(app, terminal_size=SIZE, run_before=on_prancis)

    def test_confirmed_segments(self, snap_compare, stable: Path) -> None:
        async def confirm_two(pilot) -> None:
            await _ready(pilot)
            await pilot.press(*"Turkey vows to help Azerbaijan", "ctrl+s")
            await pilot.press(
                *"The situation in Nagorno-Karabakh flared up on 27 September.", "ctrl+s"
            )
            await _ready(pilot)

        assert snap_compare(_review(stable), terminal_size=SIZE, run_before=confirm_two)


class TestHelpAndDialogs:
    def test_help_screen(self, snap_compare, stable: Path) -> None:
        assert snap_compare(_review(stable), terminal_size=SIZE, run_before=_pressing("f1"))

    def test_filter_dialog(self, snap_compare, stable: Path) -> None:
        assert snap_compare(_review(stable), terminal_size=SIZE, run_before=_pressing("ctrl+f"))


class TestPicker:
    def test_picker(self, snap_compare, stable: Path) -> None:
        assert snap_compare(create_app(stable), terminal_size=SIZE, run_before=_ready)
