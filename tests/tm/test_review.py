"""The headless review session (tm.review) on real store files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tm.commands.documents import import_document
from tm.errors import NotFoundError
from tm.models import Segment, SegmentedText, SourceSpan, Status, TranslationUnit
from tm.review import (
    NEEDS_WORK,
    ReviewSession,
    SegmentFilter,
    lookup_matches,
    match_label,
    search_memory,
    word_diff,
)
from tm.store import Store


def _text(*sources: str) -> SegmentedText:
    return SegmentedText("", tuple(SourceSpan(s, " ", 0) for s in sources))


@pytest.fixture
def session(store: Store) -> ReviewSession:
    """A five-segment document with a repetition (segments 1 and 4)."""
    doc = store.add_document(
        "doc",
        _text("Satu.", "Dua ekor.", "Tiga.", "Satu.", "Empat di Prancis."),
        sha256="x",
    )
    return ReviewSession(store, doc, author="ana")


def test_opens_at_the_first_segment(session: ReviewSession) -> None:
    assert session.index == 0
    assert session.current.source == "Satu."
    assert len(session) == 5


def test_open_unknown_document_is_a_clear_error(store: Store) -> None:
    with pytest.raises(NotFoundError, match="tm docs"):
        ReviewSession.open(store, "missing.txt")


def test_confirm_writes_unit_fills_repetitions_and_moves_on(session: ReviewSession) -> None:
    result = session.confirm("One.")
    assert result.segment.status is Status.TRANSLATED
    assert result.next_index == 1
    rep = session.segments[3]
    assert result.repetitions == (rep.id,)
    assert (rep.target, rep.status) == ("One.", Status.DRAFT)
    (unit,) = session.store.find_exact_units("Satu.")
    assert (unit.target, unit.changed_by, unit.context_next) == ("One.", "ana", "Dua ekor.")


def test_next_unconfirmed_skips_confirmed_and_wraps(session: ReviewSession) -> None:
    session.go_to(2)
    session.confirm("Three.")
    session.go_to(1)
    assert session.confirm("Two.").next_index == 3
    session.go_to(4)
    assert session.next_unconfirmed() == 0


def test_last_segment_confirmed_means_no_next(session: ReviewSession) -> None:
    for i, text in enumerate(["One.", "Two.", "Three.", "One.", "Four in France."]):
        session.go_to(i)
        result = session.confirm(text)
    assert result.next_index is None
    assert session.progress().confirmed == 5


def test_keep_draft_only_writes_changes(session: ReviewSession) -> None:
    assert session.keep_draft("") is None  # nothing typed, nothing written
    seg = session.keep_draft("On")
    assert seg is not None and (seg.target, seg.status, seg.origin) == ("On", Status.DRAFT, "human")
    assert session.keep_draft("On") is None


def test_editing_a_confirmed_segment_without_confirming_makes_it_a_draft(
    session: ReviewSession,
) -> None:
    session.confirm("One.")
    session.go_to(0)
    seg = session.keep_draft("One!")
    assert seg is not None and seg.status is Status.DRAFT


def test_clearing_the_target_makes_it_new(session: ReviewSession) -> None:
    session.keep_draft("x")
    seg = session.keep_draft("")
    assert seg is not None and (seg.target, seg.status) == (None, Status.NEW)


def test_inserted_origin_is_kept(session: ReviewSession) -> None:
    session.note_inserted("tm-fuzzy", 82)
    seg = session.keep_draft("One")
    assert seg is not None and (seg.origin, seg.match_score) == ("tm-fuzzy", 82)
    session.go_to(1)
    session.note_inserted("mt:tiny", text="Two tails.")
    result = session.confirm("Two tails.")
    assert result.segment.origin == "mt:tiny"
    (unit,) = session.store.find_exact_units("Dua ekor.")
    assert unit.origin == "mt:tiny"


def test_undo_restores_the_segment_as_first_seen(session: ReviewSession) -> None:
    store = session.store
    store.update_segment(session.current.id, target="MT", status=Status.DRAFT, origin="mt:x")
    session.refresh()
    session.keep_draft("MT edited")
    session.keep_draft("MT edited twice")
    seg = session.undo()
    assert (seg.target, seg.status, seg.origin) == ("MT", Status.DRAFT, "mt:x")
    assert store.get_segment(seg.id).target == "MT"
    assert not session.is_modified()


def test_undo_after_confirm_reopens_the_segment(session: ReviewSession) -> None:
    session.confirm("One.")
    seg = session.undo(0)
    assert (seg.target, seg.status) == (None, Status.NEW)
    # The repetition filled by the confirmation goes back too.
    assert session.undo(3).status is Status.NEW


def test_undo_after_confirm_withdraws_the_unit_it_created(session: ReviewSession) -> None:
    # Otherwise the rejected text would come back as a 101% match.
    session.confirm("One (wrong).")
    assert [u.target for u in session.store.find_exact_units("Satu.")] == ["One (wrong)."]
    session.undo(0)
    assert session.store.find_exact_units("Satu.") == []


def test_undo_keeps_a_unit_that_existed_before(session: ReviewSession) -> None:
    store = session.store
    store.add_unit(TranslationUnit(source="Tiga.", target="Three.", created_at="20200101T000000Z"))
    session.go_to(2)
    session.confirm("Three.")
    session.undo(2)
    assert [u.target for u in store.find_exact_units("Tiga.")] == ["Three."]


def test_position_is_saved_for_reopening(session: ReviewSession) -> None:
    session.go_to(3)
    session.save_position()
    again = ReviewSession.open(session.store, session.document.id)
    assert again.index == 3


@pytest.mark.parametrize(
    ("statuses", "text", "expected"),
    [
        (set(), "", [0, 1, 2, 3, 4]),
        ({NEEDS_WORK}, "", [1, 2, 3, 4]),  # the filled repetition is a draft
        ({"translated"}, "", [0]),
        ({"draft"}, "", [3]),
        ({"new"}, "prancis", [4]),
        (set(), "ONE", [0, 3]),  # targets too, ignoring case
        (set(), "ekor", [1]),
    ],
)
def test_filter(session: ReviewSession, statuses: set[str], text: str, expected: list[int]) -> None:
    session.confirm("One.")
    assert session.set_filter(SegmentFilter(frozenset(statuses), text)) == expected


def test_moving_follows_the_filter(session: ReviewSession) -> None:
    session.set_filter(SegmentFilter(frozenset(), "Satu"))
    assert session.step(1) == 3
    session.go_to(3)
    assert session.step(1) is None
    assert session.step(-1) == 0


def test_next_needing_work_includes_flagged(session: ReviewSession) -> None:
    for i, text in enumerate(["One.", "Two.", "Three.", "One.", "Four."]):
        session.go_to(i)
        session.confirm(text)
    session.store.update_segment(
        session.segments[2].id,
        target="Three.",
        status=Status.TRANSLATED,
        origin="human",
        flags=["numbers"],
    )
    session.refresh()
    session.go_to(0)
    assert session.next_needing_work() == 2


def test_refresh_sees_another_connections_changes(session: ReviewSession) -> None:
    with Store(session.store.path) as other:
        other.confirm_segment(session.segments[1].id, "Two.")
    assert session.refresh() == [1]
    assert session.segments[1].status is Status.TRANSLATED
    assert session.progress().confirmed == 1


def test_refresh_updates_the_segment_list_in_place(session: ReviewSession) -> None:
    # The UI's table holds this list; a new list left it showing stale rows.
    shown = session.segments
    with Store(session.store.path) as other:
        other.confirm_segment(session.segments[1].id, "Two.")
    session.refresh()
    assert shown is session.segments
    assert shown[1].target == "Two."


def test_leaving_an_untouched_segment_never_overwrites_another_window(
    session: ReviewSession,
) -> None:
    with Store(session.store.path) as other:
        other.confirm_segment(session.current.id, "One, from the other window.")
    assert session.keep_draft("") is None  # the editor still shows the old, empty target
    stored = session.store.get_segment(session.current.id)
    assert (stored.target, stored.status) == ("One, from the other window.", Status.TRANSLATED)


def test_progress_counts_words(session: ReviewSession) -> None:
    session.go_to(1)
    session.confirm("Two tails.")
    p = session.progress()
    assert (p.confirmed, p.total, p.confirmed_words, p.total_words) == (1, 5, 2, 8)


@pytest.mark.parametrize(
    ("origin", "score", "label"),
    [
        (None, None, ""),
        ("mt:Helsinki-NLP/opus-mt-id-en", None, "MT"),
        ("tm-exact", 100, "TM 100%"),
        ("tm-exact", 101, "TM 101%"),
        ("tm-fuzzy", 82, "fuzzy 82%"),
        ("aligned", None, "aligned"),
        ("human", None, "human"),
    ],
)
def test_match_label(origin: str | None, score: int | None, label: str) -> None:
    seg = Segment(1, 1, 0, 0, "a", "", "b", Status.DRAFT, origin, score)
    assert match_label(seg) == label


@pytest.mark.parametrize(
    ("current", "other", "pieces"),
    [
        ("a b c", "a b c", [("equal", "a b c")]),
        ("a b c", "a x c", [("equal", "a "), ("changed", "x "), ("equal", "c")]),
        ("a b c d", "a c d", [("equal", "a "), ("missing", "b"), ("equal", "c d")]),
        ("a c", "a b c", [("equal", "a "), ("changed", "b "), ("equal", "c")]),
    ],
)
def test_word_diff(current: str, other: str, pieces: list[tuple[str, str]]) -> None:
    assert word_diff(current, other) == pieces


def test_lookup_and_concordance_open_their_own_connection(store: Store) -> None:
    """Made for worker threads: each call opens (and closes) its own
    connection, so it works from a thread that did not open the store, and
    sees what another connection committed just before the call."""
    import threading

    store.add_unit(
        TranslationUnit(
            "Presiden Prancis berkunjung ke Latvia.", "The French president visits Latvia."
        )
    )
    results: dict[str, object] = {}

    def worker() -> None:
        # A connection opened on the test's thread would raise
        # sqlite3.ProgrammingError here ("objects created in a thread can only
        # be used in that same thread").
        try:
            results["matches"] = lookup_matches(
                store.path, "Presiden Prancis berkunjung ke Estonia.", None, None
            )
            results["hits"] = search_memory(store.path, "president")
        except BaseException as exc:
            results["error"] = exc

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert "error" not in results, results.get("error")
    matches = results["matches"]
    assert isinstance(matches, list) and matches
    assert matches[0].unit.target == "The French president visits Latvia."
    hits = results["hits"]
    assert isinstance(hits, list) and [h.in_target for h in hits] == [True]
    # A fresh connection per call: a unit committed after the first calls
    # is seen by the next one, and closing the test's own store changes nothing.
    store.add_unit(TranslationUnit("Presiden Estonia.", "The Estonian president."))
    store.close()
    assert [h.unit.target for h in search_memory(store.path, "estonian")] == [
        "The Estonian president."
    ]
    # Each call closed its connection: no open handle keeps the WAL files alive.
    assert not Path(f"{store.path}-wal").exists()


def test_seed_article_session(store: Store, seed_path: Path) -> None:
    doc, _ = import_document(store, str(seed_path))
    session = ReviewSession.open(store, doc.name)
    assert session.current.source.startswith("Turki Janji Bela")
    assert session.context() == (None, session.segments[1].source)


def test_review_core_never_imports_textual() -> None:
    code = "import sys, tm.review, tui.command; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
