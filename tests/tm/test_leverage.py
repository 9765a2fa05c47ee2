"""TM leverage: lookup (in-context, exact, fuzzy), analysis, concordance, index upkeep."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tm import leverage
from tm.match import Band
from tm.models import MatchKind, SegmentedText, SourceSpan, Status, TranslationUnit
from tm.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "tm.sqlite")
    yield s
    s.close()


def _unit(source: str, target: str, **kw: object) -> TranslationUnit:
    return TranslationUnit(source=source, target=target, **kw)  # type: ignore[arg-type]


def _document(store: Store, *sentences: str) -> list[int]:
    spans = tuple(SourceSpan(s, " ", 0) for s in sentences)
    doc = store.add_document("doc.txt", SegmentedText("", spans), sha256="x")
    return [seg.id for seg in store.segments(doc.id)]


RICE = "Harga beras naik lima persen di pasar induk hari ini."
RICE_EN = "Rice prices rose five percent at the main market today."


def test_in_context_beats_exact(store: Store) -> None:
    store.add_unit(_unit(RICE, "Rice went up (no context).", changed_at="20260102T000000Z"))
    store.add_unit(
        _unit(RICE, RICE_EN, context_prev="Pasar ramai.", context_next="Pedagang senang.")
    )
    matches = leverage.lookup(store, RICE, "Pasar ramai.", "Pedagang senang.")
    assert [(m.score, m.kind) for m in matches] == [
        (101, MatchKind.IN_CONTEXT),
        (100, MatchKind.EXACT),
    ]
    assert matches[0].target == RICE_EN


def test_unconfirmed_machine_drafts_are_never_exact_matches(store: Store) -> None:
    # An MT draft that came back through TMX (--include-mt) must not be
    # leveraged or priced as a 100% match of human work.
    store.add_unit(_unit(RICE, "Rice price up five.", status=Status.DRAFT, origin="mt:opus"))
    (match,) = leverage.lookup(store, RICE, "Pasar ramai.", None)
    assert (match.score, match.kind) == (100 - leverage.UNCONFIRMED_PENALTY, MatchKind.FUZZY)
    store.add_unit(_unit(RICE, RICE_EN, status=Status.TRANSLATED))
    best = leverage.lookup(store, RICE)[0]
    assert (best.score, best.target) == (100, RICE_EN)


@pytest.mark.parametrize("status", [Status.APPROVED, Status.TRANSLATED])
def test_confirmed_units_are_never_penalised_like_drafts(store: Store, status: Status) -> None:
    """Approved (reviewed) units count as fully as translated ones: in context,
    exact, fuzzy and in the analysis; only drafts lose UNCONFIRMED_PENALTY."""
    near = RICE.replace("naik", "turun")  # one word of ten: 90
    store.add_unit(
        _unit(RICE, RICE_EN, status=status, context_prev="Pasar ramai.", context_next="Sepi.")
    )
    in_context = leverage.lookup(store, RICE, "Pasar ramai.", "Sepi.")
    assert [(m.score, m.kind) for m in in_context] == [(101, MatchKind.IN_CONTEXT)]
    exact = leverage.lookup(store, RICE)
    assert [(m.score, m.kind) for m in exact] == [(100, MatchKind.EXACT)]
    fuzzy = leverage.lookup(store, near, threshold=90)
    assert [(m.score, m.kind) for m in fuzzy] == [(90, MatchKind.FUZZY)]
    report = leverage.analyze(store, [RICE, near])
    assert [r.score for r in report.segments] == [100, 90]
    # The same memory as a draft: every score loses the penalty.
    with store.atomic() as conn:
        conn.execute("UPDATE units SET status = 'draft'")
    penalty = leverage.UNCONFIRMED_PENALTY
    assert [m.score for m in leverage.lookup(store, RICE, "Pasar ramai.", "Sepi.")] == [
        100 - penalty
    ]
    assert [m.score for m in leverage.lookup(store, near, threshold=80)] == [90 - penalty]


def test_in_context_duplicate_of_a_newer_exact_unit_wins(store: Store) -> None:
    store.add_unit(_unit(RICE, RICE_EN, context_prev="Pasar ramai.", context_next="Pedagang."))
    store.add_unit(_unit(RICE, RICE_EN, changed_at="20990101T000000Z"))
    matches = leverage.lookup(store, RICE, "Pasar ramai.", "Pedagang.")
    assert [(m.score, m.target) for m in matches] == [(101, RICE_EN)]


@pytest.mark.parametrize(
    ("prev", "next_"),
    [("Pasar sepi.", "Pedagang senang."), ("Pasar ramai.", None), (None, None)],
)
def test_other_context_is_only_exact(store: Store, prev: str | None, next_: str | None) -> None:
    store.add_unit(
        _unit(RICE, RICE_EN, context_prev="Pasar ramai.", context_next="Pedagang senang.")
    )
    matches = leverage.lookup(store, RICE, prev, next_)
    assert [(m.score, m.kind) for m in matches] == [(100, MatchKind.EXACT)]


def test_fuzzy_match_and_threshold(store: Store) -> None:
    store.add_unit(_unit(RICE, RICE_EN))
    query = "Harga beras turun lima persen di pasar induk hari ini."
    (match,) = leverage.lookup(store, query)
    assert (match.score, match.kind, match.target) == (90, MatchKind.FUZZY, RICE_EN)
    assert leverage.lookup(store, query, threshold=91) == []


def test_best_first_and_limit(store: Store) -> None:
    store.add_units(
        [
            _unit("Harga beras turun lima persen di pasar induk hari ini.", "A"),
            _unit("Harga beras turun tujuh persen di pasar induk kemarin.", "B"),
            _unit("Harga beras naik lima persen di pasar induk hari ini!", "C"),
            _unit("Presiden membuka sidang kabinet.", "D"),
        ]
    )
    matches = leverage.lookup(store, RICE, limit=2)
    assert [m.target for m in matches] == ["C", "A"]
    assert [m.score for m in matches] == [99, 90]


def test_number_transfer_in_lookup(store: Store) -> None:
    store.add_unit(
        _unit("Laba bersih naik menjadi Rp 4,9 miliar.", "Net profit rose to Rp 4.9 billion.")
    )
    (match,) = leverage.lookup(store, "Laba bersih naik menjadi Rp 5,1 miliar.")
    assert match.score == 99
    assert match.target == "Net profit rose to Rp 5.1 billion."
    assert match.unit.target == "Net profit rose to Rp 4.9 billion."


# The memory of the crafted analysis document. Scores worked out by hand with
# the word-level rule (100 × (L − d) / L, numbers as one placeholder):
MEMORY = [
    # U1: S2 with its neighbours S1 and S3 as context -> 101
    _unit(RICE, RICE_EN, context_prev="Pasar ramai sejak pagi.", context_next="Pedagang mengeluh."),
    # U2: S4 exactly (no context) -> 100
    _unit("Pemerintah akan membangun jembatan baru di Jakarta.", "The government will build..."),
    # U3: S5 differs only in the year 2012/2013 -> 99
    _unit("Banjir besar melanda kota itu pada 2012.", "A big flood hit the city in 2012."),
    # U4: 8 words; S6 changes 1 (sore/pagi): 7/8 = 87; S7 changes 2: 6/8 = 75
    _unit("Gubernur meresmikan gedung sekolah yang baru kemarin sore.", "The governor..."),
]
DOCUMENT = [
    "Pasar ramai sejak pagi.",  # S1 no match                       4 words, 20 chars
    RICE,  # S2 101%                                                 10 words
    "Pedagang mengeluh.",  # S3 no match                             2 words, 17 chars
    "Pemerintah akan membangun jembatan baru di Jakarta.",  # S4 100%   7 words
    "Banjir besar melanda kota itu pada 2013.",  # S5 95-99%             7 words
    "Gubernur meresmikan gedung sekolah yang baru kemarin pagi.",  # S6 87: 85-94%  8 words
    "Gubernur meresmikan gedung olahraga yang baru kemarin pagi.",  # S7 75: 75-84% 8 words
    # S8 vs U2: 2 of 7 words deleted -> 5/7 = 71: 50-74%            5 words
    "Pemerintah membangun jembatan di Jakarta.",
    "Pemerintah akan membangun jembatan baru di Jakarta.",  # S9 = S4: repetition  7 words
    RICE,  # S10 = S2: repetition (whatever its context)             10 words
]
EXPECTED = {
    Band.REPETITION: (2, 17),
    Band.IN_CONTEXT: (1, 10),
    Band.EXACT: (1, 7),
    Band.NEAR_EXACT: (1, 7),
    Band.HIGH: (1, 8),
    Band.MEDIUM: (1, 8),
    Band.LOW: (1, 5),
    Band.NO_MATCH: (2, 6),
}


def test_analysis_bands_on_crafted_document(store: Store) -> None:
    store.add_units(MEMORY)
    report = leverage.analyze(store, DOCUMENT)
    assert {b.band: (b.segments, b.words) for b in report.bands} == EXPECTED
    assert report.count(Band.NO_MATCH).characters == 20 + 17
    assert (report.total.segments, report.total.words) == (10, 68)
    assert [b["band"] for b in report.to_dict()["bands"]] == [
        "repetitions",
        "101%",
        "100%",
        "95-99%",
        "85-94%",
        "75-84%",
        "50-74%",
        "no match",
    ]


def test_analysis_agrees_with_lookup(store: Store) -> None:
    store.add_units(MEMORY)
    report = leverage.analyze(store, DOCUMENT)
    for i, result in enumerate(report.segments):
        if result.band is Band.REPETITION:
            assert DOCUMENT[i] in DOCUMENT[:i]
            continue
        prev = DOCUMENT[i - 1] if i else None
        nxt = DOCUMENT[i + 1] if i + 1 < len(DOCUMENT) else None
        best = leverage.lookup(store, DOCUMENT[i], prev, nxt, limit=1)
        assert result.score == (best[0].score if best else None)


def test_confirmed_target_update_reaches_the_index(store: Store) -> None:
    seg_id = _document(store, "Pasar ramai.", RICE, "Pedagang mengeluh.")[1]
    store.confirm_segment(seg_id, "Rice went up at the market.")
    assert [h.unit.target for h in leverage.concordance(store, "market", target=True)] == [
        "Rice went up at the market."
    ]
    store.confirm_segment(seg_id, "Rice prices rose in the bazaar.")
    assert leverage.concordance(store, "market", target=True) == []
    (hit,) = leverage.concordance(store, "bazaar", target=True)
    assert hit.unit.target == "Rice prices rose in the bazaar."
    (match,) = leverage.lookup(store, RICE, "Pasar ramai.", "Pedagang mengeluh.")
    assert (match.kind, match.target) == (MatchKind.IN_CONTEXT, "Rice prices rose in the bazaar.")


def test_source_update_and_delete_reach_the_index(store: Store) -> None:
    unit_id = store.add_unit(_unit(RICE, RICE_EN))
    with store.atomic() as conn:
        conn.execute(
            "UPDATE units SET source = ? WHERE id = ?",
            ("Harga gula naik lima persen di pasar induk hari ini.", unit_id),
        )
    assert leverage.concordance(store, "beras") == []
    assert [h.unit.id for h in leverage.concordance(store, "gula")] == [unit_id]
    with store.atomic() as conn:
        conn.execute("DELETE FROM units WHERE id = ?", (unit_id,))
    assert leverage.concordance(store, "gula") == []
    assert leverage.lookup(store, RICE) == []


def test_bulk_import_is_indexed(store: Store) -> None:
    store.add_unit(_unit("Satu dua tiga.", "One two three."))
    units = [
        _unit(f"Kalimat nomor {i} tentang banjir di kota.", f"Sentence {i}.") for i in range(50)
    ]
    store.add_units(units)
    with leverage.bulk_index(store) as conn:
        conn.execute(
            "INSERT INTO units (source, target, created_at) VALUES (?, ?, ?)",
            ("Gempa mengguncang kota pagi ini.", "An earthquake shook the city.", "20260101T0Z"),
        )
    assert len(leverage.concordance(store, "banjir", limit=100)) == 50
    assert len(leverage.concordance(store, "gempa")) == 1
    # the per-row trigger is back after the bulk block
    store.add_unit(_unit("Gempa susulan terasa.", "An aftershock was felt."))
    assert len(leverage.concordance(store, "gempa")) == 2
    assert _fts_intact(store)


def _fts_intact(store: Store) -> bool:
    # FTS5's own integrity check against the units table, reported by
    # check_index (the previous version returned True whatever it found).
    return leverage.check_index(store) == []


def test_bulk_index_handles_updates_and_deletes_inside_the_block(store: Store) -> None:
    old = store.add_unit(_unit("Hujan turun di Bogor.", "Rain fell in Bogor."))
    with leverage.bulk_index(store) as conn:
        new = conn.execute(
            "INSERT INTO units (source, target, created_at) VALUES ('Angin kencang.', 'x', 'x')"
        ).lastrowid
        gone = conn.execute(
            "INSERT INTO units (source, target, created_at) VALUES ('Kabut tebal.', 'y', 'y')"
        ).lastrowid
        conn.execute("UPDATE units SET source = 'Angin ribut.' WHERE id = ?", (new,))
        conn.execute("DELETE FROM units WHERE id = ?", (gone,))
        conn.execute("UPDATE units SET source = 'Hujan turun di Depok.' WHERE id = ?", (old,))
    assert _fts_intact(store)
    assert [h.unit.id for h in leverage.concordance(store, "ribut")] == [new]
    assert leverage.concordance(store, "kencang") == []
    assert leverage.concordance(store, "kabut") == []
    assert [h.unit.id for h in leverage.concordance(store, "depok")] == [old]
    assert leverage.concordance(store, "bogor") == []


def test_bulk_index_rolls_back_whole(store: Store) -> None:
    with pytest.raises(RuntimeError), leverage.bulk_index(store) as conn:
        conn.execute(
            "INSERT INTO units (source, target, created_at) VALUES ('Hujan.', 'Rain.', 'x')"
        )
        raise RuntimeError("import failed")
    assert store.unit_count() == 0
    store.add_unit(_unit("Hujan deras.", "Heavy rain."))
    assert len(leverage.concordance(store, "hujan")) == 1


def test_rebuild_index(store: Store) -> None:
    store.add_unit(_unit(RICE, RICE_EN))
    store.conn.execute("INSERT INTO units_fts (units_fts) VALUES ('delete-all')")
    assert leverage.concordance(store, "beras") == []
    leverage.rebuild_index(store)
    assert len(leverage.concordance(store, "beras")) == 1


@pytest.mark.parametrize(
    ("query", "target", "text", "spans"),
    [
        ("beras", False, RICE, ((6, 11),)),
        ("BERAS naik", False, RICE, ((6, 16),)),
        ("main market", True, RICE_EN, ((37, 48),)),
        ("Pasar", False, RICE, ((32, 37),)),
    ],
)
def test_concordance_spans(
    store: Store, query: str, target: bool, text: str, spans: tuple[tuple[int, int], ...]
) -> None:
    store.add_unit(_unit(RICE, RICE_EN))
    (hit,) = leverage.concordance(store, query, target=target)
    assert hit.text == text
    assert hit.spans == spans
    assert [text[s:e].casefold() for s, e in hit.spans] == [query.casefold()] * len(spans)


def test_concordance_ignores_accents_and_finds_every_occurrence(store: Store) -> None:
    store.add_unit(_unit("Kafe di kafé itu, kafe lagi.", "Cafe."))
    (hit,) = leverage.concordance(store, "kafe")
    assert hit.spans == ((0, 4), (8, 12), (18, 22))


def test_concordance_newest_first_with_limit(store: Store) -> None:
    store.add_units(
        [
            _unit("Banjir di Jakarta.", "Old.", created_at="20200101T000000Z"),
            _unit("Banjir di Bandung.", "Newest.", created_at="20250101T000000Z"),
            _unit(
                "Banjir di Bogor.",
                "Changed.",
                created_at="20190101T000000Z",
                changed_at="20240101T000000Z",
            ),
        ]
    )
    hits = leverage.concordance(store, "banjir", limit=2)
    assert [h.unit.target for h in hits] == ["Newest.", "Changed."]


def test_concordance_phrase_must_be_adjacent(store: Store) -> None:
    store.add_unit(_unit("Harga naik, beras mahal.", "x"))
    assert leverage.concordance(store, "beras naik") == []


def test_concordance_without_words_is_an_error(store: Store) -> None:
    from tm.errors import InputError

    with pytest.raises(InputError, match="no letters or digits"):
        leverage.concordance(store, "?!")


def test_fuzzy_snapshot_with_later_changes(store: Store) -> None:
    near = "Harga beras turun lima persen di pasar induk hari ini."
    first = store.add_unit(_unit(near, "in snapshot"))
    changed = store.add_unit(_unit("Presiden membuka sidang kabinet pagi ini.", "changed later"))
    store.add_units(_unit(f"Kalimat lain nomor {i} tentang cuaca.", "x") for i in range(30))
    leverage.rebuild_snapshot(store)
    assert leverage.index_lag(store) == 0
    later = store.add_unit(_unit("Harga beras naik lima persen di pasar induk kemarin.", "later"))
    with store.atomic() as conn:
        conn.execute(
            "UPDATE units SET source = ? WHERE id = ?",
            ("Harga beras naik lima persen di pasar besar hari ini.", changed),
        )
    assert leverage.index_lag(store) == 2
    found = {m.unit.id: m.score for m in leverage.lookup(store, RICE, limit=10)}
    assert found == {first: 90, changed: 90, later: 80}
    with store.atomic() as conn:
        conn.execute("DELETE FROM units WHERE id = ?", (first,))
    assert first not in {m.unit.id for m in leverage.lookup(store, RICE, limit=10)}


def test_snapshot_of_an_empty_memory(store: Store) -> None:
    leverage.rebuild_snapshot(store)
    assert leverage.lookup(store, RICE) == []
    store.add_unit(_unit(RICE, RICE_EN))
    assert [m.score for m in leverage.lookup(store, RICE.replace("naik", "turun"))] == [90]


def test_ensure_index_rebuilds_only_when_lagging(store: Store) -> None:
    store.add_units(_unit(f"Banjir melanda desa nomor {i}.", "x") for i in range(5))
    assert leverage.ensure_index(store, max_lag=100) is False
    assert leverage.ensure_index(store, max_lag=0) is True
    assert leverage.index_lag(store) == 0
    assert leverage.lookup(store, "Banjir melanda desa nomor 9.")[0].score == 99


def test_lookup_many_matches_lookup(store: Store) -> None:
    store.add_units(MEMORY)
    items = [
        (DOCUMENT[i], DOCUMENT[i - 1] if i else None, DOCUMENT[i + 1] if i < 9 else None)
        for i in range(len(DOCUMENT))
    ]
    batch = leverage.lookup_many(store, items, limit=2)
    single = [leverage.lookup(store, s, p, n, limit=2) for s, p, n in items]
    assert [[(m.unit.id, m.score) for m in ms] for ms in batch] == [
        [(m.unit.id, m.score) for m in ms] for ms in single
    ]
    assert batch[1][0].score == 101


def test_snapshot_built_in_small_batches_finds_the_same(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_units(MEMORY)
    store.add_units(
        _unit(f"Harga beras naik {i} persen di pasar induk hari ini.", f"{i}") for i in range(20)
    )

    def found() -> list[list[tuple[int | None, int]]]:
        return [
            [(m.unit.id, m.score) for m in leverage.lookup(store, seg, limit=5)] for seg in DOCUMENT
        ]

    leverage.rebuild_snapshot(store)
    expected = found()
    monkeypatch.setattr(leverage, "SNAPSHOT_BATCH", 3)
    leverage.rebuild_snapshot(store)
    got = found()
    assert got == expected
    assert any(len(ms) > 1 for ms in got)


# -- a lookup racing an import (issue 12, item 8) ------------------------------------


def test_lookup_batch_reads_one_consistent_index_while_an_import_commits(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import on another connection commits (and rebuilds the snapshot) in
    the middle of a lookup batch, between reading the index's metadata and
    its posting lists: the batch still sees one consistent index.

    The interleaving is explicit, not timed: the import runs from inside the
    batch's first exact lookup, which comes after the index metadata is read
    and before the posting lists are.
    """
    store.add_units(_unit(f"Banjir melanda desa nomor {i} di Bogor.", f"x{i}") for i in range(40))
    leverage.rebuild_snapshot(store)
    query = "Banjir besar melanda desa di Bogor."
    baseline = leverage.lookup(store, query, limit=3)
    assert baseline
    other = Store(store.path)
    calls: list[str] = []
    find_exact = store.find_exact_units

    def find_exact_then_import(source: str) -> list[TranslationUnit]:
        if not calls:
            # Another process imports 60 more units with the same words and
            # rebuilds the snapshot: the posting lists now hold ids the batch's
            # word-length table (read with the metadata) does not cover.
            other.add_units(
                _unit(f"Banjir melanda desa nomor {i} di Bogor.", f"y{i}") for i in range(40, 100)
            )
            leverage.rebuild_snapshot(other)
        calls.append(source)
        return find_exact(source)

    monkeypatch.setattr(store, "find_exact_units", find_exact_then_import)
    try:
        batch = leverage.lookup_many(store, [(query, None, None), (query, None, None)], limit=3)
    finally:
        other.close()
    assert len(calls) == 2  # the import did run inside the batch
    # The batch saw the memory as it was when it began, both times.
    expected = [(m.unit.id, m.score) for m in baseline]
    assert [[(m.unit.id, m.score) for m in ms] for ms in batch] == [expected, expected]
    # The next batch sees the import.
    assert leverage.index_lag(store) == 0
    assert max(m.unit.id or 0 for m in leverage.lookup(store, query, limit=100)) > 40


# -- the index's own consistency check (tm check) ------------------------------------


def test_check_index_finds_a_full_text_index_out_of_step(store: Store) -> None:
    store.add_units(_unit(f"Banjir melanda desa nomor {i}.", "x") for i in range(5))
    leverage.rebuild_snapshot(store)
    assert leverage.check_index(store) == []
    # A unit deleted behind the full-text index's back (no trigger).
    with store.atomic() as conn:
        conn.execute("DROP TRIGGER units_fts_delete")
        conn.execute("DELETE FROM units WHERE id = 3")
    problems = leverage.check_index(store)
    assert any("full-text index" in p for p in problems), problems
    leverage.rebuild_index(store)
    assert leverage.check_index(store) == []


def test_check_index_finds_a_damaged_fuzzy_snapshot(store: Store) -> None:
    store.add_units(_unit(f"Banjir melanda desa nomor {i}.", "x") for i in range(5))
    store.add_unit(_unit("Gempa di Palu.", "Earthquake in Palu."))
    leverage.rebuild_snapshot(store)
    # Later changes are not damage: they are found through the full-text index.
    with store.atomic() as conn:
        conn.execute("UPDATE units SET source = 'Gempa di Donggala.' WHERE id = 6")
        conn.execute("DELETE FROM units WHERE id = 2")
    store.add_unit(_unit("Banjir lagi.", "Floods again."))
    assert leverage.check_index(store) == []
    with store.atomic() as conn:
        conn.execute("UPDATE fuzzy_postings SET ids = ? WHERE term = 'banjir'", (bytes(8),))
    problems = leverage.check_index(store)
    assert any("posting lists of 1 term" in p for p in problems), problems
    leverage.rebuild_index(store)
    assert leverage.check_index(store) == []
