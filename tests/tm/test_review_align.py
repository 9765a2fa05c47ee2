"""Reviewing `tm align --import` drafts headless: labels, lowest confidence first, join, split."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.align import berita_pair, import_aligned
from tm.errors import InputError
from tm.leverage import lookup
from tm.models import MatchKind, SegmentedText, SourceSpan, Status, TranslationUnit
from tm.review import LOW_CONFIDENCE_FIRST, NEEDS_WORK, ReviewSession, SegmentFilter, match_label
from tm.store import Store


def _text(*sources: str) -> SegmentedText:
    return SegmentedText("", tuple(SourceSpan(s, " ", 0) for s in sources))


def _aligned(store: Store, sources: list[str], drafts: list[tuple[str | None, int | None]]):
    """A document of aligned drafts, each linked to its own unit (as 1-1 beads)."""
    doc = store.add_document("berita.id", _text(*sources), sha256="x")
    rows = [
        (n, t, s, ["aligned:1-1"] if t else ["aligned:no-target"])
        for n, (t, s) in enumerate(drafts)
    ]
    units = [
        (
            n,
            True,
            TranslationUnit(source=sources[n], target=t, origin="aligned", status=Status.DRAFT),
        )
        for n, (t, _) in enumerate(drafts)
        if t
    ]
    store.add_aligned_drafts(doc.id, rows, units)
    return ReviewSession(store, doc, author="ana")


SOURCES = [
    "Gubernur meresmikan jalur bus baru.",
    "Jalur itu sepanjang 12 kilometer.",
    "Warga menyambut baik.",
    "Pedagang khawatir.",
]


@pytest.fixture
def session(store: Store) -> ReviewSession:
    # The aligner cut segment 1's translation in two: its second half sits on segment 2.
    return _aligned(
        store,
        SOURCES,
        [
            ("The governor opened a new", 62),
            ("bus lane.", 41),
            ("Residents welcomed it.", 88),
            ("Vendors are worried.", 35),
        ],
    )


def test_aligned_drafts_show_their_confidence(session: ReviewSession) -> None:
    seg = session.segments[0]
    assert (seg.status, seg.origin, seg.match_score) == (Status.DRAFT, "aligned", 62)
    assert match_label(seg) == "AL 62%"


def test_lowest_confidence_first_orders_the_aligned_drafts(session: ReviewSession) -> None:
    visible = session.set_filter(SegmentFilter(order=LOW_CONFIDENCE_FIRST))
    assert visible == [3, 1, 0, 2]
    assert "lowest confidence first" in session.filter.describe()
    # Moving and "next unconfirmed" follow the order, not the document.
    session.go_to(3)
    assert session.visible_row(3) == 0
    assert session.step(1) == 1
    assert session.step(-1) is None
    assert session.confirm("Vendors are worried.").next_index == 1
    session.go_to(1)
    assert session.confirm("bus lane.").next_index == 0  # the next row, not the next position
    # With a status filter: confirmed ones drop out, the rest keep the order.
    todo = SegmentFilter(frozenset({NEEDS_WORK}), order=LOW_CONFIDENCE_FIRST)
    assert session.set_filter(todo) == [0, 2]
    # Without the order, the document's order again.
    assert session.set_filter(SegmentFilter()) == [0, 1, 2, 3]
    assert session.step(1) == 2 and session.visible_row(2) == 2


def test_join_moves_the_next_target_and_its_unit(session: ReviewSession) -> None:
    store = session.store
    first, second = session.join_next()
    assert first.target == "The governor opened a new bus lane."
    assert (first.status, first.origin, first.match_score) == (Status.DRAFT, "aligned", 41)
    assert (second.target, second.status, second.origin) == (None, Status.NEW, None)
    # The store holds the same, and the memory no longer offers the broken pair.
    assert store.get_segment(second.id).target is None
    assert second.unit_id is None
    assert [m.unit.target for m in lookup(store, SOURCES[1])] == []
    (match,) = lookup(store, SOURCES[0], limit=1)
    assert match.unit.target == "The governor opened a new bus lane."
    # Confirming the joined pair makes it a human-confirmed unit: an exact match.
    session.confirm(first.target or "")
    (exact,) = lookup(store, SOURCES[0], limit=1)
    assert exact.kind is MatchKind.EXACT and exact.unit.target == first.target
    assert exact.unit.status is Status.TRANSLATED


def test_join_takes_the_editor_text_and_one_space(session: ReviewSession) -> None:
    first, _ = session.join_next("The governor opened a new  ")
    assert first.target == "The governor opened a new bus lane."


def test_undo_of_either_segment_puts_both_back(session: ReviewSession) -> None:
    store = session.store
    before = [store.get_segment(s.id) for s in session.segments[:2]]
    units = store.unit_count()
    session.join_next()
    assert store.unit_count() == units - 1
    session.undo(1)  # the segment that lost its target
    after = [store.get_segment(s.id) for s in session.segments[:2]]
    assert [(s.target, s.status, s.origin, s.match_score, s.flags) for s in after] == [
        (s.target, s.status, s.origin, s.match_score, s.flags) for s in before
    ]
    # Each keeps a unit with its own pair again.
    assert store.unit_count() == units
    for seg in after:
        assert seg.unit_id is not None
        assert store.get_unit(seg.unit_id).target == seg.target
    assert not session.is_modified(0) and not session.is_modified(1)


def test_split_moves_the_text_after_the_cursor(session: ReviewSession) -> None:
    store = session.store
    text = "Residents welcomed it. Vendors are worried."
    cut = text.index("Vendors")
    third, fourth = session.split_target(text, cut, index=2)
    assert third.target == "Residents welcomed it."
    assert fourth.target == "Vendors are worried. Vendors are worried."
    # The moved text keeps the lower of the two confidences.
    assert (fourth.status, fourth.origin, fourth.match_score) == (Status.DRAFT, "aligned", 35)
    assert store.get_unit(fourth.unit_id or 0).target == fourth.target
    session.undo(2)
    assert store.get_segment(fourth.id).target == "Vendors are worried."
    assert store.get_segment(third.id).target == "Residents welcomed it."


def test_refusals_leave_the_store_unchanged(session: ReviewSession) -> None:
    store = session.store
    session.go_to(2)
    session.confirm("Residents welcomed it.")
    before = [store.get_segment(s.id) for s in session.segments]
    with pytest.raises(InputError, match="Segment 3 is confirmed"):
        session.join_next(index=1)
    with pytest.raises(InputError, match="last one"):
        session.join_next(index=3)
    with pytest.raises(InputError, match="last one"):
        session.split_target("Vendors are worried.", 3, index=3)
    with pytest.raises(InputError, match="Nothing follows the cursor"):
        session.split_target("The governor opened a new", 25, index=0)
    session.store.update_segment(
        session.segments[1].id, target=None, status=Status.NEW, origin=None
    )
    before[1] = store.get_segment(session.segments[1].id)
    with pytest.raises(InputError, match="Segment 2 has no target"):
        session.join_next(index=0)
    assert [store.get_segment(s.id) for s in session.segments] == before


def test_split_fixes_a_real_import(tmp_path: Path) -> None:
    """`tm align --import` put two sentences' English on segment 6; split it at the second."""
    db = tmp_path / "project.sqlite"
    result = import_aligned(*berita_pair(tmp_path), db, tmp_path)
    assert result.returncode == 0, result.stderr
    with Store(db) as store:
        session = ReviewSession.open(store, "berita.id", author="ana")
        six, seven = session.segments[5], session.segments[6]
        assert seven.target is None and "aligned:in-previous-target" in seven.flags
        text = six.target or ""
        six, seven = session.split_target(text, text.index("The government"), index=5)
        assert (
            six.target == '"We do not know yet where we have to move," said Suryadi (50), a vendor.'
        )
        assert (
            seven.target
            == "The government promised to provide a new location in Tanah Abang in March."
        )
        assert (seven.status, seven.origin) == (Status.DRAFT, "aligned")
        assert seven.match_score == six.match_score and match_label(seven).startswith("AL ")
        assert "aligned:in-previous-target" not in seven.flags
        # Both confirmed: two human-confirmed units, exact matches for their sources.
        for index in (5, 6):
            session.go_to(index)
            session.confirm(session.current.target or "")
        for seg in (six, seven):
            (match,) = lookup(store, seg.source, limit=1)
            assert match.kind is MatchKind.EXACT and match.unit.target == seg.target
