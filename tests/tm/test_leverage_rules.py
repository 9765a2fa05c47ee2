"""Leverage rules that mutation testing (TESTING.md) found unchecked.

In-context matches at a document's edges, a draft exactly at the threshold,
the newest of equal matches first, and the analysis JSON that scripts read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tm import leverage
from tm.match import Band
from tm.models import MatchKind, Status, TranslationUnit
from tm.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "tm.sqlite")
    yield s
    s.close()


FIRST = "Harga beras naik hari ini."
SECOND = "Pedagang di pasar senang."
THIRD = "Pembeli mengeluh."


def test_first_and_last_segments_can_be_in_context(store: Store) -> None:
    # The first segment has no previous one, the last no next one: a unit
    # recorded at the same edge is still in context.
    store.add_unit(TranslationUnit(FIRST, "Rice rose today.", context_next=SECOND))
    store.add_unit(TranslationUnit(THIRD, "Buyers complain.", context_prev=SECOND))
    (first,) = leverage.lookup(store, FIRST, None, SECOND)
    assert (first.score, first.kind) == (101, MatchKind.IN_CONTEXT)
    (last,) = leverage.lookup(store, THIRD, SECOND, None)
    assert (last.score, last.kind) == (101, MatchKind.IN_CONTEXT)


def test_analysis_gives_each_segment_its_own_neighbours(store: Store) -> None:
    store.add_unit(TranslationUnit(FIRST, "a", context_next=SECOND))
    store.add_unit(TranslationUnit(SECOND, "b", context_prev=FIRST, context_next=THIRD))
    store.add_unit(TranslationUnit(THIRD, "c", context_prev=SECOND))
    report = leverage.analyze(store, [FIRST, SECOND, THIRD])
    assert [s.score for s in report.segments] == [101, 101, 101]
    # Given with their context as (source, prev, next), the same result.
    items = [(FIRST, None, SECOND), (SECOND, FIRST, THIRD), (THIRD, SECOND, None)]
    assert [s.score for s in leverage.analyze(store, items).segments] == [101, 101, 101]


def test_draft_exactly_at_the_threshold_is_offered(store: Store) -> None:
    store.add_unit(TranslationUnit(FIRST, "Rice up.", status=Status.DRAFT, origin="mt:opus"))
    at = 100 - leverage.UNCONFIRMED_PENALTY
    (match,) = leverage.lookup(store, FIRST, threshold=at)
    assert (match.score, match.kind) == (at, MatchKind.FUZZY)
    assert leverage.lookup(store, FIRST, threshold=at + 1) == []


def test_fuzzy_draft_below_the_threshold_after_its_penalty_is_dropped(store: Store) -> None:
    near = FIRST.replace("naik", "turun")  # one word of five: 80
    store.add_unit(TranslationUnit(near, "Rice fell.", status=Status.DRAFT, origin="mt:opus"))
    assert [m.score for m in leverage.lookup(store, FIRST, threshold=75)] == [75]
    assert leverage.lookup(store, FIRST, threshold=76) == []


def test_newest_of_equal_matches_comes_first(store: Store) -> None:
    store.add_unit(TranslationUnit(FIRST, "old", changed_at="20260101T000000Z"))
    store.add_unit(TranslationUnit(FIRST, "new", changed_at="20260301T000000Z"))
    store.add_unit(TranslationUnit(FIRST, "middle", changed_at="20260201T000000Z"))
    assert [m.target for m in leverage.lookup(store, FIRST)] == ["new", "middle", "old"]


def test_analysis_json_names_its_fields(store: Store) -> None:
    store.add_unit(TranslationUnit(FIRST, "a"))
    data = leverage.analyze(store, [FIRST, SECOND]).to_dict()
    exact = next(b for b in data["bands"] if b["band"] == Band.EXACT.value)
    assert {k: exact[k] for k in ("segments", "words", "characters")} == {
        "segments": 1,
        "words": 5,
        "characters": 22,  # characters without spaces, as agencies count
    }
    total = data["total"]
    assert (total["segments"], total["words"], total["characters"]) == (
        2,
        9,
        22 + 22,
    )
