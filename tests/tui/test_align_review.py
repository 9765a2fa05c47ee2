"""Reviewing `tm align --import` drafts in the review screen, driven by Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.align import berita_pair, import_aligned
from tests.tui.conftest import SIZE, notifications, panel_text, settle
from tm.leverage import lookup
from tm.models import MatchKind, Status
from tm.store import Store
from tui.app import create_app
from tui.widgets.segment_table import SegmentTable
from tui.widgets.target_editor import TargetEditor

pytestmark = pytest.mark.anyio

SIX = '"We do not know yet where we have to move," said Suryadi (50), a vendor.'
SEVEN = "The government promised to provide a new location in Tanah Abang in March."


@pytest.fixture
def aligned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store where `tm align --import` laid berita.en on berita.id.

    The aligner put two English sentences on segment 6 (a 2-1 bead): segment 7
    has no target of its own.
    """
    monkeypatch.setenv("TM_AUTHOR", "tester")
    db = tmp_path / "project.sqlite"
    result = import_aligned(*berita_pair(tmp_path), db, tmp_path)
    assert result.returncode == 0, result.stderr
    return db


def segments_of(db: Path):
    with Store(db) as store:
        (document,) = store.documents()
        return store.segments(document.id)


def table_text(app) -> str:
    table = app.screen.query_one(SegmentTable)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def editor(app) -> TargetEditor:
    return app.screen.query_one(TargetEditor)


async def test_aligned_drafts_show_their_confidence_and_confirm_into_the_memory(
    aligned: Path,
) -> None:
    first = segments_of(aligned)[0]
    app = create_app(aligned, "berita.id")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"AL {first.match_score}%" in table_text(app)
        assert editor(app).text == first.target
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.session.index == 1
    seg = segments_of(aligned)[0]
    assert (seg.status, seg.target) == (Status.TRANSLATED, first.target)
    with Store(aligned) as store:
        (match,) = lookup(store, seg.source, limit=1)
    assert match.kind is MatchKind.EXACT and match.score == 100
    assert (match.unit.status, match.unit.changed_by) == (Status.TRANSLATED, "tester")


async def test_filter_dialog_orders_aligned_drafts_lowest_confidence_first(aligned: Path) -> None:
    segs = segments_of(aligned)
    drafts = [s for s in segs if s.origin == "aligned"]
    expected = sorted(drafts, key=lambda s: (s.match_score, s.position))
    app = create_app(aligned, "berita.id")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await pilot.wait_for_scheduled_animations()
        app.screen.query_one("#order-confidence").focus()
        await pilot.press("space", "enter")
        await settle(pilot)
        session = app.screen.session
        order = [session.segments[i].position for i in session.visible]
        assert order[: len(drafts)] == [s.position for s in expected]
        # The cursor starts on the most doubtful draft; Ctrl+N goes to the next most doubtful.
        assert session.index == expected[0].position
        assert editor(app).text == expected[0].target
        assert "lowest confidence first" in panel_text(app, "#status")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert session.index == expected[1].position
        # Confirming moves on in that order too.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert session.index == expected[2].position


@pytest.mark.parametrize(("split", "join"), [("alt+s", "alt+j"), ("f19", "f18")])
async def test_split_and_join_keys_fix_the_alignment(aligned: Path, split: str, join: str) -> None:
    original = segments_of(aligned)
    assert original[5].target == f"{SIX} {SEVEN}" and original[6].target is None
    app = create_app(aligned, "berita.id")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(5):
            await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.session.index == 5
        # The cursor before "The government": the rest belongs to segment 7.
        editor(app).move_cursor((0, len(SIX) + 1))
        await pilot.press(split)
        await settle(pilot)
        segs = segments_of(aligned)
        assert (segs[5].target, segs[6].target) == (SIX, SEVEN)
        assert (segs[6].status, segs[6].origin) == (Status.DRAFT, "aligned")
        assert editor(app).text == SIX
        assert f"AL {segs[6].match_score}%" in table_text(app)
        # Joined back: segment 7's target goes onto the end of segment 6's.
        await pilot.press(join)
        await settle(pilot)
        segs = segments_of(aligned)
        assert (segs[5].target, segs[6].target, segs[6].status) == (
            f"{SIX} {SEVEN}",
            None,
            Status.NEW,
        )
        assert editor(app).text == f"{SIX} {SEVEN}"
        # Split again, then Alt+Z: both segments are back as the import left them.
        editor(app).move_cursor((0, len(SIX) + 1))
        await pilot.press(split)
        await settle(pilot)
        assert segments_of(aligned)[6].target == SEVEN
        await pilot.press("alt+z")
        await settle(pilot)
        assert any("Segments 6, 7 are back" in n for n in notifications(app))
        assert editor(app).text == original[5].target
    segs = segments_of(aligned)
    for before, after in zip(original[5:7], segs[5:7], strict=True):
        assert (after.target, after.status, after.origin, after.match_score, after.flags) == (
            before.target,
            before.status,
            before.origin,
            before.match_score,
            before.flags,
        )


async def test_join_and_split_refusals_are_said_and_change_nothing(aligned: Path) -> None:
    original = segments_of(aligned)
    app = create_app(aligned, "berita.id")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Cursor at the end: nothing to move.
        await pilot.press("alt+s")
        await settle(pilot)
        assert any("Nothing follows the cursor" in n for n in notifications(app))
        # Segment 1's neighbour confirmed: its target stays.
        await pilot.press("ctrl+n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.session.index == 2
        await pilot.press("ctrl+p", "ctrl+p")
        await settle(pilot)
        assert app.screen.session.index == 0
        await pilot.press("alt+j")
        await settle(pilot)
        assert any("Segment 2 is confirmed" in n for n in notifications(app)), notifications(app)
    segs = segments_of(aligned)
    assert [s.target for s in segs] == [s.target for s in original]
