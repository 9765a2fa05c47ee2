"""Matching rules that mutation testing (TESTING.md) found unchecked.

Each is something a translator sees: a match that should be offered and is
not, a number not carried over, a score one point off in the 95-99 band.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tm.leverage import lookup, rebuild_snapshot
from tm.match import Comparison, analyze_text, compare, quick_words
from tm.models import TranslationUnit
from tm.store import Store


def test_identical_texts_differ_in_nothing() -> None:
    assert compare("Harga naik 5 persen.", "Harga naik 5 persen.") == Comparison(100, 0, 0, 0, 0, 0)


def test_comparison_names_each_minor_difference() -> None:
    base = "Dia pergi ke pasar."
    assert compare(base, "dia pergi ke pasar.") == Comparison(99, 0, 1, 0, 0, 0)
    assert compare(base, "Dia pergi ke pasar!") == Comparison(99, 0, 0, 0, 1, 0)
    assert compare(base, "Dia pergi ke <b>pasar.") == Comparison(99, 0, 0, 0, 0, 1)
    # Each minor difference costs its point: case and punctuation, 98.
    assert compare(base, "dia pergi ke pasar!") == Comparison(98, 0, 1, 0, 1, 0)


def test_quick_words_count_numbers_as_one_placeholder() -> None:
    assert quick_words("Harga 5.000 naik 7 kali") == ["harga", "#", "naik", "#", "kali"]


# Four numbers among eight words: a unit that differs only in its numbers
# shares no more than four index terms (numbers are not searched), so the
# candidate filter must count the numbers as shared words.
NUMBERS_UNIT = "Tahun 2019 naik 5 dan 2020 naik 7."
NUMBERS_TARGET = "In 2019 it rose 5 and in 2020 it rose 7."
NUMBERS_QUERY = "Tahun 2021 naik 6 dan 2022 naik 8."


@pytest.mark.parametrize("snapshot", [False, True], ids=["full-text-delta", "snapshot"])
def test_match_differing_only_in_numbers_is_found_and_carries_them(
    tmp_path: Path, snapshot: bool
) -> None:
    with Store(tmp_path / "tm.sqlite") as store:
        uid = store.add_unit(TranslationUnit(NUMBERS_UNIT, NUMBERS_TARGET))
        store.add_units(
            TranslationUnit(f"Presiden membuka sidang kabinet nomor {i} pagi ini.", "filler")
            for i in range(10)
        )
        if snapshot:
            rebuild_snapshot(store)
        found = lookup(store, NUMBERS_QUERY, threshold=95, limit=3)
    assert [(m.unit.id, m.score) for m in found] == [(uid, 96)]
    assert found[0].target == "In 2021 it rose 6 and in 2022 it rose 8."


@pytest.mark.parametrize("snapshot", [False, True], ids=["full-text-delta", "snapshot"])
def test_one_word_segment_finds_its_nearly_exact_match(tmp_path: Path, snapshot: bool) -> None:
    with Store(tmp_path / "tm.sqlite") as store:
        uid = store.add_unit(TranslationUnit("Jakarta!", "Jakarta!"))
        store.add_unit(TranslationUnit("Bandung.", "Bandung."))
        if snapshot:
            rebuild_snapshot(store)
        found = lookup(store, "Jakarta.", threshold=90, limit=3)
    assert [(m.unit.id, m.score) for m in found] == [(uid, 99)]


def test_tokens_are_classified_as_the_scorer_sees_them() -> None:
    # Called past analyze_text's cache, so that the tokenizer itself runs:
    # words lower-cased, numbers as one placeholder, punctuation and inline
    # codes apart, and Moses's escaping off (a quote stays a quote).
    tokens = analyze_text.__wrapped__('Harga <b>beras</b> naik 5,5 persen, kata "Dia".')
    assert tokens.words == ("harga", "beras", "naik", "\x00#", "persen", "kata", "dia")
    assert tokens.cased == ("Harga", "beras", "naik", "\x00#", "persen", "kata", "Dia")
    assert tokens.numbers == ("5,5",)
    assert tokens.punct == (",", '"', '"', ".")
    assert tokens.codes == ("<b>", "</b>")
    # Moses's escaping stays off before an inline code too.
    before = analyze_text.__wrapped__('Dia & "kami" <b>naik</b>')
    assert before.punct == ("&", '"', '"')
    plain = analyze_text.__wrapped__("Dia & kami: 10% naik!")
    assert plain.words == ("dia", "kami", "\x00#", "naik")
    assert plain.punct == ("&", ":", "%", "!")
    assert plain.codes == ()


def test_a_rebuilt_snapshot_is_read_fresh_in_the_same_process(tmp_path: Path) -> None:
    """The review UI keeps one process open while imports rebuild the index:
    a lookup after a rebuild must read the new snapshot's word counts, not
    the ones cached from the last build (they are cached per path and build)."""
    with Store(tmp_path / "a.sqlite") as store:
        store.add_unit(TranslationUnit(source="Banjir besar melanda Jakarta pagi ini.", target="x"))
        rebuild_snapshot(store)
        assert lookup(store, "Banjir besar melanda Jakarta pagi ini.", threshold=70)
        # Many more units after the first build, then a new build.
        for n in range(200):
            store.add_unit(
                TranslationUnit(
                    source=f"Gempa nomor {n} mengguncang kota Padang kemarin.", target="y"
                )
            )
        wanted = "Kebakaran hutan meluas di Kalimantan Tengah sejak Senin lalu."
        store.add_unit(TranslationUnit(source=wanted, target="Forest fires since Monday."))
        rebuild_snapshot(store)
        (best, *_) = lookup(
            store, "Kebakaran hutan meluas di Kalimantan Tengah sejak Senin.", threshold=70
        )
        assert best.unit.source == wanted
