"""Fuzzy-match scores, bands and number transfer (tm.match)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tm.match import Band, band_for, compare, score, transfer_numbers
from tm.models import TranslationUnit
from tm.store import Store

BASE = "Harga beras naik lima persen di pasar induk hari ini."


@pytest.mark.parametrize(
    ("other", "low", "high"),
    [
        # identical text is the only 100
        (BASE, 100, 100),
        # spacing only: nearly exact
        ("Harga  beras naik lima persen di pasar induk hari ini.", 99, 99),
        # case only: one point per token
        ("harga beras naik lima persen di pasar induk hari ini.", 99, 99),
        ("HARGA BERAS naik lima persen di pasar induk hari ini.", 98, 98),
        # punctuation only
        ("Harga beras naik lima persen di pasar induk hari ini!", 99, 99),
        # one word of ten changed: 90
        ("Harga beras turun lima persen di pasar induk hari ini.", 90, 90),
        # two words deleted of ten: 80
        ("Harga beras naik lima persen di pasar hari.", 80, 80),
        # reordered halves: a poor match
        ("Di pasar induk hari ini harga beras naik lima persen.", 0, 49),
        # unrelated
        ("Presiden membuka sidang kabinet pagi tadi.", 0, 20),
    ],
)
def test_scores(other: str, low: int, high: int) -> None:
    assert low <= score(BASE, other) <= high


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Harga naik 5 persen.", "Harga naik 7 persen.", 99),
        ("Harga naik 5 persen pada 2012.", "Harga naik 7 persen pada 2013.", 98),
        ("Klik <b>Simpan</b> sekarang.", "Klik <i>Simpan</i> sekarang.", 98),
        ("Klik {1} untuk menyimpan.", "Klik {2} untuk menyimpan.", 99),
    ],
)
def test_numbers_and_codes_are_nearly_exact(a: str, b: str, expected: int) -> None:
    assert score(a, b) == expected


def test_nearly_exact_never_below_95() -> None:
    many = " ".join(str(i) for i in range(20))
    other = " ".join(str(i + 1) for i in range(20))
    assert score(f"Angka {many}.", f"Angka {other}.") == 95


def test_word_change_never_scores_nearly_exact() -> None:
    long = " ".join(["kata"] * 40)
    assert score(long + " akhir", long + " awal") == 94


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (BASE, "Harga beras turun di pasar."),
        ("Harga naik 5 persen.", "harga naik 7 persen!"),
        ("Satu dua tiga empat.", "Dua tiga empat lima enam."),
    ],
)
def test_score_is_symmetric(a: str, b: str) -> None:
    assert score(a, b) == score(b, a)


def test_minor_differences_lower_a_fuzzy_score() -> None:
    plain = score(BASE, "Harga beras turun lima persen di pasar induk hari ini.")
    cased = score(BASE, "HARGA beras turun lima persen di pasar induk hari ini.")
    assert cased < plain


def test_comparison_says_numbers_only() -> None:
    assert compare("Naik 5 persen.", "Naik 7 persen.").numbers_only
    assert not compare("Naik 5 persen.", "Turun 7 persen.").numbers_only


@pytest.mark.parametrize(
    ("score_", "band"),
    [
        (None, Band.NO_MATCH),
        (49, Band.NO_MATCH),
        (50, Band.LOW),
        (74, Band.LOW),
        (75, Band.MEDIUM),
        (84, Band.MEDIUM),
        (85, Band.HIGH),
        (94, Band.HIGH),
        (95, Band.NEAR_EXACT),
        (99, Band.NEAR_EXACT),
        (100, Band.EXACT),
        (101, Band.IN_CONTEXT),
    ],
)
def test_bands(score_: int | None, band: Band) -> None:
    assert band_for(score_) is band


@pytest.mark.parametrize(
    ("segment", "unit_source", "unit_target", "expected"),
    [
        # Indonesian decimal comma, English decimal point
        (
            "Laba perusahaan Rp 5,1 miliar.",
            "Laba perusahaan Rp 4,9 miliar.",
            "The company's profit was Rp 4.9 billion.",
            "The company's profit was Rp 5.1 billion.",
        ),
        # thousands: 12.500 in Indonesian is 12,500 in English
        (
            "Ada 12.500 peserta.",
            "Ada 10.000 peserta.",
            "There were 10,000 participants.",
            "There were 12,500 participants.",
        ),
        # a target that kept the Indonesian form keeps it
        (
            "Skor akhir 3,5 poin.",
            "Skor akhir 2,5 poin.",
            "Final score 2,5 points.",
            "Final score 3,5 points.",
        ),
        # several numbers, integers
        (
            "Pada 2013 ada 40 sekolah.",
            "Pada 2012 ada 35 sekolah.",
            "In 2012 there were 35 schools.",
            "In 2013 there were 40 schools.",
        ),
        # words differ too: no transfer
        ("Pada 2013 ada 40 rumah.", "Pada 2012 ada 35 sekolah.", "In 2012, 35 schools.", None),
        # the number is not in the target: no transfer
        ("Ada 7 orang.", "Ada 6 orang.", "There were six people.", None),
    ],
)
def test_transfer_numbers(
    segment: str, unit_source: str, unit_target: str, expected: str | None
) -> None:
    assert transfer_numbers(segment, unit_source, unit_target) == expected


# -- candidate retrieval: recall against brute force, at the threshold --------------

QUERY = "Harga beras naik lima persen di pasar induk hari ini."
_WORDS = QUERY[:-1].split()
_OTHER = ["turun", "besar", "kemarin", "tadi", "sekali", "kecil", "pagi", "murah"]


def _substituted(k: int, *, extra: tuple[str, ...] = (), at: int = 0) -> str:
    """QUERY with k words replaced (from the end), plus extra tokens inserted at ``at``."""
    words = list(_WORDS)
    for i in range(k):
        words[len(words) - 1 - i] = _OTHER[i]
    words[at:at] = extra
    return " ".join(words) + "."


# Moses keeps ``Jakarta--Bogor`` one token where the quick prefilter sees two:
# a tokenization difference the prefilter's margin is there to absorb. With
# two such tokens among four substitutions of ten words, the unit scores 60
# and its quick word score is 6 of 12 = 50: exactly QUICK_MARGIN below, kept
# only by the margin. (The shared ``anak-anak`` is one word but two index
# terms, so the candidate filter, which counts terms, lets it through.)
MARGIN_QUERY = "Harga anak-anak naik lima persen di Jakarta--Bogor Bekasi--Depok hari ini."
MARGIN_UNIT = "Harga anak-anak naik lima persen di Ankara Bursa kemarin pagi."


# A hand-built memory whose exact scores against QUERY spread over 50-94, with
# units exactly at each threshold tried, including text where the quick
# prefilter and the exact score tokenize differently: inline codes (a half
# point each in the exact score), apostrophes and abbreviations (Moses splits
# or keeps them), numbers glued to letters.
MEMORY = [
    *(_substituted(k) for k in range(1, 6)),
    *(_substituted(k, extra=('<x id="1"/>', "<b>", "</b>"), at=2) for k in range(1, 5)),
    *(_substituted(k, extra=("{1}", "%s", '<ph x="2"/>', "<g>", "</g>")) for k in range(0, 4)),
    *(_substituted(k, extra=("Jakarta's",), at=8) for k in range(0, 4)),
    *(_substituted(k, extra=("a.n.", "U.S.A."), at=3) for k in range(0, 4)),
    *(_substituted(k, extra=("10km", "Rp5.000", "COVID-19"), at=5) for k in range(0, 4)),
    # unrelated filler that must never come back
    MARGIN_UNIT,
    *(f"Presiden membuka sidang kabinet nomor {i} pagi ini." for i in range(20)),
]


def _brute_force(query: str, memory: list[tuple[int, str]], threshold: int) -> set[int]:
    return {uid for uid, source in memory if source != query and score(query, source) >= threshold}


@pytest.mark.parametrize("snapshot", [True, False], ids=["snapshot", "full-text-delta"])
def test_fuzzy_recall_equals_brute_force_at_every_threshold(tmp_path: Path, snapshot: bool) -> None:
    from tm.leverage import lookup, rebuild_snapshot

    with Store(tmp_path / "tm.sqlite") as store:
        ids = [store.add_unit(TranslationUnit(s, f"target {i}")) for i, s in enumerate(MEMORY)]
        if snapshot:
            rebuild_snapshot(store)
        memory = list(zip(ids, MEMORY, strict=True))
        scores = {score(QUERY, s) for s in MEMORY} - {100}
        assert {60, 70, 80, 90} <= scores and min(scores) < 50
        # Every threshold that some unit scores exactly.
        for threshold in sorted(t for t in scores if t >= 50):
            expected = _brute_force(QUERY, memory, threshold)
            found = {m.unit.id for m in lookup(store, QUERY, threshold=threshold, limit=1000)}
            assert found == expected, f"at {threshold}: missed {expected - found}"


def test_a_match_exactly_at_the_prefilter_margin_is_found(tmp_path: Path) -> None:
    from tm.leverage import lookup, rebuild_snapshot
    from tm.match import QUICK_MARGIN

    unit = MARGIN_UNIT
    exact = score(MARGIN_QUERY, unit)
    assert exact == 60
    assert _quick(MARGIN_QUERY, unit) == exact - QUICK_MARGIN  # exactly at the margin
    with Store(tmp_path / "tm.sqlite") as store:
        uid = store.add_unit(TranslationUnit(unit, "the unit at the margin"))
        store.add_units(TranslationUnit(s, "filler") for s in MEMORY[-20:])
        for rebuilt in (False, True):
            if rebuilt:
                rebuild_snapshot(store)
            found = lookup(store, MARGIN_QUERY, threshold=exact, limit=5)
            assert [(m.unit.id, m.score) for m in found] == [(uid, 60)]


def _quick(a: str, b: str) -> float:
    from rapidfuzz.distance import Levenshtein

    from tm.match import quick_words

    return 100 * Levenshtein.normalized_similarity(quick_words(a), quick_words(b))
