"""Regressions found by using the review UI in tmux, as a translator would.

Each test drives the app with Pilot on a real store file and checks what the
translator sees or what the store holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Button, DataTable, Footer, OptionList

from tests.tui.conftest import SIZE, SMALL, notifications, panel_text, settle, wait_for
from tm.models import Status, TranslationUnit
from tm.store import Store
from tui.app import create_app
from tui.dialogs.add_term import AddTermDialog
from tui.dialogs.concordance import ConcordanceDialog
from tui.keymap import review_bindings
from tui.screens.picker import PickerScreen
from tui.widgets.qa_panel import QaPanel
from tui.widgets.segment_table import SegmentTable
from tui.widgets.target_editor import TargetEditor

pytestmark = pytest.mark.anyio


def segments_of(db: Path, document_id: int):
    with Store(db) as store:
        return store.segments(document_id)


def row_text(table: SegmentTable, row: int) -> str:
    """The text the table draws for a row (all its lines)."""
    cursor = row == table.cursor_row
    return "\n".join(strip.text for strip in table._row_lines(row, cursor))


def editor(app) -> TargetEditor:
    return app.screen.query_one(TargetEditor)


@pytest.mark.parametrize("how", ["ctrl+l", "focus"])
async def test_table_follows_the_store_after_a_refresh(make_app, seeded, how) -> None:
    # A refresh (Ctrl+L, or coming back to the window) used to leave the table
    # drawing the segments of before: another window's confirmation, and every
    # later change in this window, never showed in their rows.
    db, document = seeded
    second = segments_of(db, document.id)[1]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SegmentTable)
        with Store(db) as other_window:
            other_window.confirm_segment(second.id, "Elsewhere.")
        if how == "ctrl+l":
            await pilot.press("ctrl+l")
        else:
            app.post_message(events.AppFocus())
        await settle(pilot)
        assert "Elsewhere." in row_text(table, 1)
        assert "translated" in row_text(table, 1)
        await pilot.press(*"Turkey vows", "ctrl+s")
        await settle(pilot)
        assert "Turkey vows" in row_text(table, 0)
        assert "translated" in row_text(table, 0)


async def test_enter_in_the_editor_confirms_and_never_stores_a_line_break(make_app, seeded) -> None:
    # tmux and most terminals send Ctrl+Enter as plain Enter; it used to put a
    # line break into the target, which then went into the translated text.
    db, document = seeded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Turkey vows", "enter")
        await settle(pilot)
        assert app.screen.session.index == 1
    first = segments_of(db, document.id)[0]
    assert (first.status, first.target) == (Status.TRANSLATED, "Turkey vows")


async def test_pasted_line_breaks_become_spaces(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # As the terminal delivers it: to the app, which forwards it to the editor.
        app.post_message(events.Paste("Turkey vows\nto help\r\n Azerbaijan"))
        await settle(pilot)
        assert editor(app).text == "Turkey vows to help Azerbaijan"


async def test_ctrl_a_selects_the_whole_target(make_app) -> None:
    # F7, the editor's own select-all key, inserts match 3 here: without
    # Ctrl+A a translator could not replace a long MT draft in one go.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        editor(app).replace_all("a long MT draft that is wrong")
        await pilot.press("ctrl+a", *"Right")
        assert editor(app).text == "Right"


async def test_footer_shows_a_confirm_key_that_tmux_sends(make_app) -> None:
    confirm = next(b for b in review_bindings() if b.action == "confirm")
    assert confirm.key_display == "^S"
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        shown = " ".join(str(key.render()) for key in footer.query("FooterKey"))
        assert shown.split()[:2] == ["^S", "Confirm"]
        assert "Enter" not in shown
        app.screen.query_one(SegmentTable).focus()
        await settle(pilot)
        again = " ".join(str(key.render()) for key in footer.query("FooterKey"))
        assert again == shown  # the same order whatever has focus


async def test_the_80_column_table_shows_the_target_of_a_long_segment(make_app, seeded) -> None:
    # In one column, a four-line source used to push the target out of its row.
    db, document = seeded
    long = next(s for s in segments_of(db, document.id) if len(s.source) > 150)
    with Store(db) as store:
        store.update_segment(
            long.id, target="The English draft.", status=Status.DRAFT, origin="mt:tiny"
        )
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SegmentTable)
        assert table._compact
        assert "→ The English draft." in row_text(table, long.position)
        # A target typed into a new segment shows as soon as it is kept.
        await pilot.press(*"Turkey vows", "ctrl+n")
        await settle(pilot)
        assert "→ Turkey vows" in row_text(table, 0)


async def test_undo_on_an_unchanged_segment_says_there_is_nothing_to_undo(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert notifications(app)[-1] == "Segment 1 has no changes from this session to undo."
        await pilot.press(*"typed", "f9")
        await settle(pilot)
        assert notifications(app)[-1] == "Segment 1 is back as it was."
        assert editor(app).text == ""


async def test_add_term_dialog_fits_an_80x24_terminal(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, AddTermDialog)
        screen = app.screen.region
        for button in app.screen.query(Button):
            assert screen.contains_region(button.region), button.label
            assert button.region.height == 3  # the label line is not cut off


async def test_picker_fits_80_columns(seeded) -> None:
    db, _ = seeded
    app = create_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        table = app.screen.query_one("#documents", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width


async def test_help_hint_stays_off_the_progress_bar(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        body = app.screen.query_one("#help-body")
        assert "Esc" in str(body.border_subtitle)
        assert not app.screen.query("#help-hint")


async def test_a_term_twice_in_the_source_warns_once(make_app, seeded) -> None:
    db, document = seeded
    segs = segments_of(db, document.id)
    twice = next(i for i, s in enumerate(segs) if s.source.count("Armenia") >= 2)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.go(twice)
        await settle(pilot)
        editor(app).replace_all("No place names here.")
        await settle(pilot)
        lines = str(app.screen.query_one(QaPanel).content).splitlines()
        armenia = [line for line in lines if "“Armenia”" in line]
        assert len(armenia) == 1


async def test_concordance_down_reaches_the_hits_and_inserts_with_a_space(make_app, seeded) -> None:
    db, _ = seeded
    with Store(db) as store:
        store.add_unit(TranslationUnit("Menteri Luar Negeri Rusia tiba.", "Russia's minister."))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Turkey said", "ctrl+k")
        await settle(pilot)
        await pilot.press(*"Rusia", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConcordanceDialog)
        assert "1 unit contains" in panel_text(app, "#concordance-summary")
        await pilot.press("down")
        assert app.screen.query_one("#hits", OptionList).has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert editor(app).text == "Turkey said Russia's minister."


async def test_missing_model_notification_is_short_and_says_how_to_fix_it(make_app) -> None:
    # The core's message (advice for `tm translate`, naming --no-mt) filled
    # fifteen lines of an 80x24 screen for eight seconds. The UI words the
    # core's structured error itself: what went wrong, and its own fix.
    from tm.mt_model import resolve_model

    def no_model() -> None:
        resolve_model("Helsinki-NLP/opus-mt-id-en-not-downloaded")

    app = make_app(translator_factory=no_model)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        message = notifications(app)[-1]
        assert message.startswith(
            "The MT model Helsinki-NLP/opus-mt-id-en-not-downloaded is not on this machine."
        )
        assert "tm review --model DIR" in message
        assert "--no-mt" not in message
        assert len(message) < 200


async def test_confirming_the_last_filtered_segment_does_not_claim_the_document_is_done(
    make_app,
) -> None:
    from tm.review import SegmentFilter

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen._apply_filter(SegmentFilter(text="Latvia"))
        await settle(pilot)
        await pilot.press(*"Macron replied from Latvia.", "ctrl+s")
        await settle(pilot)
        message = notifications(app)[-1]
        assert message != "Every segment is confirmed."
        assert f"1 of {len(app.screen.session)} in the document" in message


async def test_typing_is_kept_as_a_draft_after_a_pause(make_app, seeded, monkeypatch) -> None:
    # Closing the terminal ends the app without unmounting it: what was typed
    # since the last move used to be lost.
    import tui.screens.review as review_screen

    monkeypatch.setattr(review_screen, "DRAFT_SAVE_DELAY", 0.1)
    db, document = seeded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"unfinished")
        await wait_for(
            pilot,
            lambda: segments_of(db, document.id)[0].target == "unfinished",
            description="the typed text to be kept as a draft",
        )
        first = segments_of(db, document.id)[0]
        assert (first.status, first.target) == (Status.DRAFT, "unfinished")
        assert "draft" in row_text(app.screen.query_one(SegmentTable), 0)
