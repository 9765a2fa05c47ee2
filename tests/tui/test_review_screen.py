"""The review screen driven by Pilot on real store files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, notifications, panel_text, settle
from tm.models import Status, TranslationUnit
from tm.store import Store
from tui.app import create_app
from tui.screens.review import ReviewScreen
from tui.widgets.segment_table import SegmentTable
from tui.widgets.target_editor import TargetEditor

pytestmark = pytest.mark.anyio


def segments_of(db: Path, document_id: int):
    with Store(db) as store:
        return store.segments(document_id)


def editor(app) -> TargetEditor:
    return app.screen.query_one(TargetEditor)


async def test_opens_the_seed_article(make_app, seeded) -> None:
    db, document = seeded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        segs = segments_of(db, document.id)
        assert app.screen.query_one(SegmentTable).row_count == len(segs)
        assert panel_text(app, "#source") == segs[0].source
        assert f"0/{len(segs)} segments" in panel_text(app, "#status")
        assert str(db) in panel_text(app, "#status")
        assert editor(app).has_focus


@pytest.mark.parametrize("key", ["ctrl+enter", "ctrl+s", "f2"])
async def test_confirm_writes_segment_and_unit_and_moves_on(make_app, seeded, key) -> None:
    db, document = seeded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Turkey promises")
        await pilot.press(key)
        await settle(pilot)
        assert app.screen.session.index == 1
        assert "1/" in panel_text(app, "#status")
    segs = segments_of(db, document.id)
    assert (segs[0].status, segs[0].target) == (Status.TRANSLATED, "Turkey promises")
    with Store(db) as store:
        (unit,) = store.find_exact_units(segs[0].source)
    assert unit.target == "Turkey promises"
    assert unit.changed_by == "tester"
    assert unit.context_next == segs[1].source


async def test_confirm_skips_confirmed_segments(make_app, seeded) -> None:
    db, document = seeded
    segs = segments_of(db, document.id)
    with Store(db) as store:
        store.confirm_segment(segs[1].id, "Done already.")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Title")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.session.index == 2


async def test_empty_target_is_not_confirmed(make_app, seeded) -> None:
    db, document = seeded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.session.index == 0
        assert any("empty" in m for m in notifications(app))
    assert segments_of(db, document.id)[0].status is Status.NEW


async def test_edit_then_undo(make_app, seeded) -> None:
    db, document = seeded
    first = segments_of(db, document.id)[0]
    with Store(db) as store:
        store.update_segment(first.id, target="MT draft", status=Status.DRAFT, origin="mt:tiny")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert editor(app).text == "MT draft"
        await pilot.press("end", *" edited")
        await pilot.press("ctrl+n")  # moving away keeps the edit as a draft
        await settle(pilot)
        edited = segments_of(db, document.id)[0]
        assert (edited.target, edited.status) == ("MT draft edited", Status.DRAFT)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert editor(app).text == "MT draft edited"
        await pilot.press("alt+z")
        await settle(pilot)
        assert editor(app).text == "MT draft"
    restored = segments_of(db, document.id)[0]
    assert (restored.target, restored.status, restored.origin) == (
        "MT draft",
        Status.DRAFT,
        "mt:tiny",
    )


async def test_insert_tm_match(make_app, seeded) -> None:
    db, document = seeded
    first = segments_of(db, document.id)[0]
    # The same headline with one word changed: a fuzzy match.
    fuzzy_source = first.source.replace("Perangi", "Melawan")
    with Store(db) as store:
        store.add_unit(
            TranslationUnit(fuzzy_source, "Turkey vows to defend Azerbaijan", created_by="ana")
        )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = panel_text(app, "#matches")
        assert "Turkey vows to defend Azerbaijan" in shown
        assert "%" in shown
        await pilot.press("f5")
        await settle(pilot)
        assert editor(app).text == "Turkey vows to defend Azerbaijan"
        await pilot.press("ctrl+s")
        await settle(pilot)
    seg = segments_of(db, document.id)[0]
    assert seg.status is Status.TRANSLATED
    assert seg.origin == "tm-fuzzy"
    assert seg.match_score is not None and 50 <= seg.match_score < 100


async def test_glossary_panel_shows_prancis(make_app, seeded) -> None:
    db, document = seeded
    index = next(i for i, s in enumerate(segments_of(db, document.id)) if "Prancis" in s.source)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(index):
            await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Prancis → France (French" in panel_text(app, "#glossary")


async def test_qa_warning_appears_and_goes_away(make_app, seeded) -> None:
    db, document = seeded
    index = next(
        i for i, s in enumerate(segments_of(db, document.id)) if "27 September" in s.source
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(index):
            await pilot.press("ctrl+n")
        await pilot.press(*"Nagorno-Karabakh: fighting began on 28 September.")
        await settle(pilot)
        assert "Numbers differ" in panel_text(app, "#qa")
        editor(app).replace_all("Nagorno-Karabakh: fighting began on 27 September.")
        await settle(pilot)
        assert "Numbers differ" not in panel_text(app, "#qa")
        assert "No issues" in panel_text(app, "#qa")


async def test_filter_by_text_and_status(make_app, seeded) -> None:
    db, document = seeded
    segs = segments_of(db, document.id)
    with Store(db) as store:
        store.confirm_segment(segs[3].id, "Confirmed before.")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SegmentTable)
        await pilot.press("ctrl+f")
        await pilot.press(*"Prancis", "enter")
        await settle(pilot)
        expected = [i for i, s in enumerate(segs) if "prancis" in s.source.lower()]
        assert table.row_count == len(expected)
        assert app.screen.session.index == expected[0]
        assert '"Prancis"' in panel_text(app, "#status")
        await pilot.press("ctrl+f")
        await pilot.click("#clear")
        await settle(pilot)
        assert table.row_count == len(segs)
        await pilot.press("ctrl+f")
        await pilot.click("#status-translated")
        await pilot.click("#apply")
        await settle(pilot)
        assert table.row_count == 1
        assert app.screen.session.index == 3


async def test_machine_translation_on_demand(make_app, seeded, tiny_model_dir) -> None:
    from tui.app import load_mt

    db, document = seeded
    app = make_app(translator_factory=lambda: load_mt(str(tiny_model_dir)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        draft = editor(app).text
        assert draft.strip()
        await pilot.press("ctrl+n")
        await settle(pilot)
    seg = segments_of(db, document.id)[0]
    assert (seg.status, seg.target) == (Status.DRAFT, draft)
    assert seg.origin is not None and seg.origin.startswith("mt:")


async def test_machine_translation_without_model_notifies(make_app, tmp_path) -> None:
    from tui.app import load_mt

    app = make_app(translator_factory=lambda: load_mt(str(tmp_path / "no-such-model")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert editor(app).text == ""
        assert any("no-such-model" in m for m in notifications(app))


async def test_quit_and_reopen_keeps_position_and_work(make_app, seeded) -> None:
    db, document = seeded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Turkey promises", "ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.press(*"unfinished")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    reopened = create_app(db, document.id)
    async with reopened.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert reopened.screen.session.index == 3
        assert editor(reopened).text == "unfinished"
        assert reopened.screen.session.segments[0].status is Status.TRANSLATED


async def test_refresh_shows_another_windows_changes(make_app, seeded) -> None:
    db, _ = seeded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        segs = app.screen.session.segments
        with Store(db) as other:  # a second window confirms two segments
            other.confirm_segment(segs[0].id, "From the other window.")
            other.confirm_segment(segs[5].id, "Also from there.")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert editor(app).text == "From the other window."
        assert "2/" in panel_text(app, "#status")
        assert app.screen.session.segments[5].target == "Also from there."


async def test_ui_draft_and_batch_draft_are_the_same(make_app, seeded, tiny_model_dir) -> None:
    """One drafting path: the MT key and `tm translate` give the same origin, flags, cache."""
    from tm.documents import import_document
    from tm.mt import load_engine
    from tm.pipeline import TranslateSettings, translate_document
    from tui.app import load_mt

    db, document = seeded
    app = make_app(translator_factory=lambda: load_mt(str(tiny_model_dir)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert editor(app).text.strip()
        await pilot.press("ctrl+n")
        await settle(pilot)
    ui = segments_of(db, document.id)[0]
    with Store(db) as store:
        cache = store.conn.execute("SELECT key, target, model, settings FROM mt_cache").fetchall()
        assert len(cache) == 1
        # The same sentence in a document of its own, drafted by the batch path.
        one = db.parent / "one.txt"
        one.write_text(ui.source + "\n", encoding="utf-8")
        batch_doc, _ = import_document(store, str(one))
        engine = load_engine(str(tiny_model_dir), device="cpu", threads=1)
        summary = translate_document(store, batch_doc.id, engine, settings=TranslateSettings())
        (batch,) = store.segments(batch_doc.id)
        assert (
            store.conn.execute("SELECT key, target, model, settings FROM mt_cache").fetchall()
            == cache
        )
    assert (summary.from_cache, summary.generate_calls) == (1, 0)
    assert ui.origin is not None and ui.origin.startswith("mt:")
    assert (batch.target, batch.origin, batch.flags) == (ui.target, ui.origin, ui.flags)
    assert (batch.draft_target, batch.draft_origin) == (ui.draft_target, ui.draft_origin)


async def test_reviewer_approves_and_sends_back(make_app, seeded) -> None:
    db, document = seeded
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Turkey promises", "ctrl+s")
        await settle(pilot)
        await pilot.press("alt+a")  # segment 2 is not confirmed: refused
        await settle(pilot)
        assert any("not confirmed" in m for m in notifications(app))
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press("alt+a")
        await settle(pilot)
        first = segments_of(db, document.id)[0]
        assert (first.status, first.reviewed_by) == (Status.APPROVED, "tester")
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.session.index == 0
        assert "Approved by tester" in str(editor(app).border_subtitle)
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press(*"Use the full title", "enter")
        await settle(pilot)
        back = segments_of(db, document.id)[0]
        assert (back.status, back.review_state) == (Status.DRAFT, "rejected")
        assert back.review_note == "Use the full title"
        assert "Reviewer: Use the full title" in str(editor(app).border_subtitle)
        table = app.screen.query_one(SegmentTable)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.click("#status-rejected")
        await pilot.click("#apply")
        await settle(pilot)
        assert table.row_count == 1


async def test_table_shows_what_the_translator_did_with_a_draft(make_app, seeded) -> None:
    db, document = seeded
    with Store(db) as store:
        seg = store.segments(document.id)[0]
        draft = "Turkey promises to help Azerbaijan fight Armenia"
        store.update_segment(
            seg.id, target=draft, status=Status.DRAFT, origin="mt:x@1", draft=(draft, "mt:x@1")
        )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        editor(app).replace_all("Turkey vows to help Azerbaijan fight Armenia")
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one(SegmentTable)
        lines = "\n".join(table.render_line(y).text for y in range(1, 4))
        # One word of seven changed: 14%.
        assert "MT→ed 14%" in lines
