"""The picker, the help screen and the dialogs, driven by Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from tests.tui.conftest import SIZE, notifications, panel_text, settle
from tm.models import TranslationUnit
from tm.store import Store
from tm.terms import list_terms
from tui.app import create_app
from tui.dialogs.concordance import ConcordanceDialog
from tui.dialogs.help import HelpScreen
from tui.keymap import KEYS
from tui.screens.picker import PickerScreen
from tui.screens.review import ReviewScreen
from tui.widgets.target_editor import TargetEditor

pytestmark = pytest.mark.anyio


async def test_picker_lists_documents_and_opens_one(seeded) -> None:
    db, document = seeded
    app = create_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        table = app.screen.query_one("#documents", DataTable)
        assert table.row_count == 1
        assert document.name in str(table.get_row_at(0))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.document.id == document.id


async def test_picker_on_an_empty_store_says_what_to_do(store_path) -> None:
    app = create_app(store_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "tm import" in str(app.screen.query_one("#picker-empty").content)


async def test_help_lists_every_key(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen._keys
        assert {k.description for k in KEYS} <= {row[2] for row in shown}
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_question_mark_types_in_the_editor_but_opens_help_from_the_table(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert app.screen.query_one(TargetEditor).text == "?"
        await pilot.press("tab")  # from the editor to the side panels / table
        app.screen.query_one("#segments").focus()
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_concordance_finds_and_inserts(make_app, seeded) -> None:
    db, _ = seeded
    with Store(db) as store:
        store.add_unit(
            TranslationUnit(
                "Menteri Luar Negeri Rusia tiba.", "The Russian Foreign Minister arrived."
            )
        )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, ConcordanceDialog)
        await pilot.press(*"luar negeri", "enter")
        await settle(pilot)
        assert "1 unit" in str(app.screen.query_one("#concordance-summary").content)
        app.screen.query_one("#hits").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(TargetEditor).text == "The Russian Foreign Minister arrived."


async def test_add_glossary_term(make_app, seeded) -> None:
    db, _ = seeded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        source = app.screen.query_one("#term-source")
        source.value = "Janji Bela"
        target = app.screen.query_one("#term-target")
        target.value = "Pledge of Defence"
        target.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert any("Added Janji Bela" in m for m in notifications(app))
        assert "Janji Bela → Pledge of Defence" in panel_text(app, "#glossary")
    with Store(db) as store:
        assert [(t.source, t.target) for t in list_terms(store)] == [
            ("Janji Bela", "Pledge of Defence")
        ]


async def test_add_term_needs_both_forms(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        app.screen.query_one("#term-source").value = ""
        app.screen.query_one("#term-target").value = ""
        await pilot.click("#add")
        await settle(pilot)
        assert "needed" in str(app.screen.query_one("#term-error").content)
