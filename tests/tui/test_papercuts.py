"""What a translator reached for and missed (issue 11 item 5), driven by Pilot."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, SMALL, settle
from tm.models import TranslationUnit
from tm.store import Store
from tui.dialogs.add_term import AddTermDialog
from tui.dialogs.filter import FilterDialog, TickBox
from tui.widgets.glossary_panel import GlossaryPanel
from tui.widgets.matches_panel import MatchesPanel
from tui.widgets.qa_panel import QaPanel
from tui.widgets.segment_table import SegmentTable
from tui.widgets.target_editor import TargetEditor

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("size", [SIZE, SMALL])
@pytest.mark.parametrize("via_picker", [False, True])
async def test_reopening_scrolls_the_table_to_the_current_segment(
    make_app, seeded, size, via_picker
) -> None:
    db, document = seeded
    with Store(db) as store:
        last = len(store.segments(document.id)) - 2
        store.set_last_position(document.id, last)
    app = make_app(document=None) if via_picker else make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if via_picker:
            await pilot.press("enter")
            await settle(pilot)
        table = app.screen.query_one(SegmentTable)
        assert app.screen.session.index == last
        assert table.cursor_row == last
        top = table._offsets[last]
        bottom = top + table._heights[last]
        view = table.scrollable_content_region.height - 1
        y = table.scroll_offset.y
        assert y > 0
        assert y <= top and bottom <= y + view


async def test_glossary_term_english_goes_in_at_the_cursor_and_cycles(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        source = screen.session.current.source
        terms = list(dict.fromkeys(h.entry.target for h in screen.glossary.find(source)))
        assert len(terms) >= 2, terms  # the seed's title names Turkey, Azerbaijan, Armenia
        editor = screen.query_one(TargetEditor)
        await pilot.press(*"Near ")
        await pilot.press("ctrl+e")
        assert editor.text == f"Near {terms[0]}"
        await pilot.press("ctrl+e")
        assert editor.text == f"Near {terms[1]}"
        await pilot.press(*" and ", "ctrl+e")
        assert editor.text == f"Near {terms[1]} and {terms[0]}"


async def test_filter_dialog_enter_applies_and_ticks_show(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Turkey", "ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        dialog = app.screen
        box = dialog.query_one("#status-translated", TickBox)
        other = dialog.query_one("#status-new", TickBox)
        box.focus()
        await pilot.press("space")
        assert box.value and not other.value
        assert "✓" in str(box._button) and "✓" not in str(other._button)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FilterDialog)
        assert app.screen.query_one(SegmentTable).row_count == 1


@pytest.mark.parametrize(
    ("source", "target", "focused"),
    [("", "", "term-source"), ("Moskow", "", "term-target"), ("Moskow", "Moscow", "term-variants")],
)
async def test_add_term_focus_starts_in_the_first_empty_field(
    make_app, source: str, target: str, focused: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(AddTermDialog(source, target))
        await settle(pilot)
        assert app.screen.focused is not None and app.screen.focused.id == focused


async def test_side_panels_are_reachable_by_keyboard_at_80x24(make_app, seeded) -> None:
    db, document = seeded
    with Store(db) as store:
        seg = store.segments(document.id)[0]
        for n in range(3):  # three long matches fill the side column
            store.add_unit(
                TranslationUnit(source=seg.source + f" {n}", target=seg.source + f" in English {n}")
            )
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = app.screen
        side = screen.query_one("#side")
        assert screen._matches
        glossary, qa = screen.query_one(GlossaryPanel), screen.query_one(QaPanel)

        def shown(panel) -> bool:
            top = panel.virtual_region.y
            return side.scroll_y <= top < side.scroll_y + side.scrollable_content_region.height

        assert not shown(qa)  # below the matches: out of sight
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert shown(glossary)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert shown(qa)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert side.scroll_y == 0


async def test_a_segments_own_translation_is_not_offered_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Turkey promises", "ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.session.index == 0
        own = app.screen.session.current.unit_id
        assert own is not None
        assert [m.unit.id for m in app.screen._matches if m.unit.id == own] == []
        assert "101%" not in str(app.screen.query_one(MatchesPanel).content)
