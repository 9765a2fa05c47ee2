"""Hostile text in the review UI: shown as symbols, never as escape sequences or markup.

A target holding an OSC 52 clipboard write used to reach the terminal on
every redraw; a ``[/]`` in a concordance phrase or a glossary term killed the
app. The tests read what the app would draw (its screenshot holds every
character of every cell) and what the store holds afterwards.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from tests.tui.conftest import SIZE, notifications, settle, wait_for
from tm.commands.documents import import_document
from tm.models import Document, Status, TranslationUnit
from tm.store import Store
from tui.app import ReviewApp, create_app
from tui.dialogs.add_term import AddTermDialog
from tui.dialogs.concordance import ConcordanceDialog
from tui.widgets.target_editor import TargetEditor

pytestmark = pytest.mark.anyio

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
SOURCE = f"Presiden Jokowi {OSC52}mengunjungi Jakarta [/] hari ini."
TARGET = f"President Jokowi {OSC52}visited\x1b[31m Jakarta \x9b2J \u202eevil [/] today."
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.fixture
def hostile(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Document]:
    """A document whose source, target, name and memory carry control characters."""
    monkeypatch.setenv("TM_AUTHOR", "tester")
    doc = store_path.parent / "berita [red]\x1b[31m.txt"
    doc.write_text(f"{SOURCE}\nKota Jakarta ramai.\n", encoding="utf-8")
    with Store(store_path) as store:
        document, _ = import_document(store, str(doc))
        first = store.segments(document.id)[0]
        store.update_segment(first.id, target=TARGET, status=Status.DRAFT, origin="human")
        store.add_unit(TranslationUnit(SOURCE.replace("hari ini", "kemarin"), TARGET))
    return store_path, document


def screen(app: ReviewApp) -> str:
    """Every character the app draws now (the screenshot's text, entities decoded)."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def assert_no_raw_controls(app: ReviewApp) -> str:
    shown = screen(app)
    for char in RAW:
        assert char not in shown, f"{char!r} reached the terminal"
    return shown


async def test_review_screen_shows_controls_as_symbols_and_keeps_the_text(hostile) -> None:
    db, document = hostile
    app = create_app(db, document.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "%" in str(app.screen.query_one("#matches").content))
        shown = assert_no_raw_controls(app)
        assert "␛]52;c;cm0gLXJmIH4=␇" in shown  # table, source view, matches, editor
        editor = app.screen.query_one(TargetEditor)
        assert editor.text == TARGET, "the editor edits the real text"
        await pilot.press("end", *" ok", "ctrl+s")
        await settle(pilot)
        assert_no_raw_controls(app)
    with Store(db) as store:
        first = store.segments(document.id)[0]
    assert first.target == TARGET + " ok", "the store keeps the characters"


async def test_picker_shows_a_hostile_document_name(hostile) -> None:
    db, _ = hostile
    app = create_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = assert_no_raw_controls(app)
        assert "berita [red]␛[31m.txt" in shown


async def test_concordance_of_markup_does_not_kill_the_ui(hostile) -> None:
    db, document = hostile
    app = create_app(db, document.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: isinstance(app.screen, ConcordanceDialog))
        await pilot.press(*"zz[/]", "enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#concordance-summary").render())
        assert "No unit contains “zz[/]”" in summary
        app.screen.query_one("#query").clear()
        await pilot.press(*"Jokowi", "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: app.screen.query_one("#hits").option_count == 1)
        shown = assert_no_raw_controls(app)
        assert "␛]52;c;" in shown
        assert app.is_running


async def test_adding_a_term_with_markup_is_said_as_typed(hostile) -> None:
    db, document = hostile
    app = create_app(db, document.id)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, AddTermDialog))
        dialog = app.screen
        dialog.query_one("#term-source").value = "Kota [/]"
        dialog.query_one("#term-target").value = "City [bold]\x1b[2J"
        await pilot.click("#add")
        await settle(pilot)
        assert app.is_running
        assert any("Kota [/] → City [bold]␛[2J" in n for n in notifications(app))
        assert_no_raw_controls(app)
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)), description="a toast")
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any("Kota [/] → City [bold]␛[2J" in t for t in toasts), toasts
    with Store(db) as store:
        targets = [row[0] for row in store.conn.execute("SELECT target FROM glossary_terms")]
    assert "City [bold]\x1b[2J" in targets
