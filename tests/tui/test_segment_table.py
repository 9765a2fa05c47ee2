"""The virtual segment table: wrapping, keys and mouse."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, settle
from tui.widgets.segment_table import SegmentTable, wrap_words
from tui.widgets.target_editor import TargetEditor


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("", 10, [""]),
        ("short", 10, ["short"]),
        ("exactly ten", 11, ["exactly ten"]),
        ("one two three four", 9, ["one two", "three", "four"]),
        ("Nagorno-Karabakh mulai", 10, ["Nagorno-Ka", "rabakh", "mulai"]),
    ],
)
def test_wrap_words(text: str, width: int, lines: list[str]) -> None:
    assert wrap_words(text, width) == lines


@pytest.mark.anyio
async def test_table_keys_and_mouse_move_the_review(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SegmentTable)
        table.focus()
        await pilot.press("down", "down")
        await settle(pilot)
        assert app.screen.session.index == 2
        await pilot.press("end")
        await settle(pilot)
        assert app.screen.session.index == len(app.screen.session) - 1
        await pilot.press("home")
        await settle(pilot)
        assert (app.screen.session.index, table.cursor_row) == (0, 0)
        await pilot.click(SegmentTable, offset=(10, 4))  # header line, then segment 1's 3 lines
        await settle(pilot)
        assert app.screen.session.index == 1
        await pilot.press("enter")
        assert app.screen.query_one(TargetEditor).has_focus
