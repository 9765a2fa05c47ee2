"""The project store: migrations, transactions, documents, confirmation."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tm.errors import NotFoundError, StoreBusyError, StoreError
from tm.migrations import MIGRATIONS
from tm.models import SegmentedText, SourceSpan, Status, TranslationUnit
from tm.store import APPLICATION_ID, Store


def _text(*sentences: str) -> SegmentedText:
    spans = tuple(
        SourceSpan(s, " " if i < len(sentences) - 1 else "\n", 0) for i, s in enumerate(sentences)
    )
    return SegmentedText("", spans)


def test_new_store_is_at_latest_schema_with_wal_and_foreign_keys(store: Store) -> None:
    assert store.schema_version == MIGRATIONS[-1].version
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrations_run_once_and_reopen_keeps_data(store_path: Path) -> None:
    with Store(store_path) as s:
        s.add_unit(TranslationUnit(source="Halo.", target="Hello."))
    with Store(store_path) as s:
        assert s.schema_version == MIGRATIONS[-1].version
        assert s.unit_count() == 1


def test_old_store_is_migrated_forward(store_path: Path) -> None:
    # A store written at schema 1 (the first release) opens and gains the rest.
    conn = sqlite3.connect(store_path)
    for statement in MIGRATIONS[0].statements:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO units (source, target, created_at) VALUES ('Halo.', 'Hello.', 'x')")
    conn.commit()
    conn.close()
    with Store(store_path) as s:
        assert s.schema_version == MIGRATIONS[-1].version
        assert [u.target for u in s.find_exact_units("Halo.")] == ["Hello."]


def test_store_from_a_newer_tm_is_refused(store_path: Path) -> None:
    # A newer tm marks its stores as ours, like this one does.
    conn = sqlite3.connect(store_path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(store_path)


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(b"this is not sqlite at all, just text\n" * 100)
    with pytest.raises(StoreError, match="not a tm store"):
        Store(bogus)


def test_store_in_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nope" / "x.sqlite")


def test_atomic_rolls_back_everything_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.atomic():
        store.add_unit(TranslationUnit(source="A.", target="A."))
        store.add_document("doc.txt", _text("Satu.", "Dua."), sha256="abc")
        raise RuntimeError("boom")
    assert store.unit_count() == 0
    assert store.documents() == []


def test_nested_atomic_rolls_back_only_the_inner_block(store: Store) -> None:
    with store.atomic():
        store.add_unit(TranslationUnit(source="Luar.", target="Outer."))
        with pytest.raises(ValueError), store.atomic():
            store.add_unit(TranslationUnit(source="Dalam.", target="Inner."))
            raise ValueError
    assert [u.source for u in store.iter_units()] == ["Luar."]


def test_document_round_trip_and_unique_names(store: Store) -> None:
    first = store.add_document("berita.txt", _text("Satu.", "Dua."), sha256="a")
    second = store.add_document("berita.txt", _text("Tiga."), sha256="b")
    assert (first.name, second.name) == ("berita.txt", "berita.txt (2)")
    assert store.get_document("berita.txt").id == first.id
    assert store.get_document(str(second.id)).name == "berita.txt (2)"
    assert [s.source for s in store.segments(first.id)] == ["Satu.", "Dua."]
    assert store.rebuild_text(first.id) == "Satu. Dua.\n"


def test_unknown_document_is_a_clear_error(store: Store) -> None:
    with pytest.raises(NotFoundError, match="tm docs"):
        store.get_document("missing.txt")


def test_confirm_writes_unit_with_context_and_fills_repetitions(store: Store) -> None:
    doc = store.add_document("d.txt", _text("Halo.", "Apa kabar?", "Halo."), sha256="c")
    first, _middle, last = store.segments(doc.id)
    filled = store.confirm_segment(first.id, "Hello.", author="ana")
    assert filled == [last.id]
    seg = store.get_segment(first.id)
    assert (seg.status, seg.target) == (Status.TRANSLATED, "Hello.")
    assert seg.unit_id is not None
    unit = store.get_unit(seg.unit_id)
    assert (unit.source, unit.target, unit.created_by) == ("Halo.", "Hello.", "ana")
    assert (unit.context_prev, unit.context_next, unit.document) == (None, "Apa kabar?", "d.txt")
    repeated = store.get_segment(last.id)
    assert (repeated.status, repeated.target) == (Status.DRAFT, "Hello.")


def test_confirming_keeps_refreshing_the_drafts_of_repetitions(store: Store) -> None:
    """Each confirmation rewrites every unconfirmed repetition in the document,
    drafts included (an MT draft, or the draft an earlier confirmation left),
    never a repetition the translator confirmed, nor another document's."""
    doc = store.add_document(
        "d.txt", _text("Halo.", "Apa kabar?", "Halo.", "Halo.", "Halo."), sha256="r"
    )
    first, _, mt_draft, confirmed, new = store.segments(doc.id)
    other = store.add_document("e.txt", _text("Halo."), sha256="s")
    (elsewhere,) = store.segments(other.id)
    store.update_segment(mt_draft.id, target="Hallo.", status=Status.DRAFT, origin="mt:opus")
    store.confirm_segment(confirmed.id, "Hi!", author="ana")
    # The first confirmation refreshes the MT draft and the new one.
    assert sorted(store.confirm_segment(first.id, "Hello.", author="ana")) == sorted(
        [mt_draft.id, new.id]
    )
    # So does the next one, over the drafts the first one left.
    assert sorted(store.confirm_segment(first.id, "Hello there.", author="ana")) == sorted(
        [mt_draft.id, new.id]
    )
    for seg_id in (mt_draft.id, new.id):
        seg = store.get_segment(seg_id)
        assert (seg.target, seg.status, seg.origin, seg.match_score) == (
            "Hello there.",
            Status.DRAFT,
            "tm-exact",
            100,
        )
    kept = store.get_segment(confirmed.id)
    assert (kept.target, kept.status) == ("Hi!", Status.TRANSLATED)
    untouched = store.get_segment(elsewhere.id)
    assert (untouched.target, untouched.status) == (None, Status.NEW)


def test_reconfirming_updates_the_same_unit(store: Store) -> None:
    doc = store.add_document("d.txt", _text("Halo."), sha256="d")
    (seg,) = store.segments(doc.id)
    store.confirm_segment(seg.id, "Hi.")
    store.confirm_segment(seg.id, "Hello.")
    assert [(u.source, u.target) for u in store.iter_units()] == [("Halo.", "Hello.")]


def test_progress_counts_statuses_and_words(store: Store) -> None:
    doc = store.add_document("d.txt", _text("Satu dua.", "Tiga empat lima."), sha256="e")
    seg = store.segments(doc.id)[1]
    store.confirm_segment(seg.id, "Three four five.")
    (progress,) = store.list_documents()
    assert progress.segments == 2
    assert progress.words == 5
    assert progress.confirmed == 1
    assert progress.confirmed_words == 3
    assert progress.by_status == {"new": 1, "translated": 1}


def test_mt_cache_round_trip(store: Store) -> None:
    store.mt_cache_put([("k1", "Halo.", "Hello.", "m", "beams=4")])
    assert store.mt_cache_get(["k1", "k2"]) == {"k1": "Hello."}


def test_second_writer_waits_then_fails_clearly(store_path: Path) -> None:
    holder = Store(store_path)
    waiter = Store(store_path, busy_timeout=0.2)
    started = threading.Event()
    release = threading.Event()

    def hold() -> None:
        # A connection belongs to its thread: this one opens its own.
        with Store(store_path) as s, s.atomic():
            started.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait(5)
    t0 = time.monotonic()
    with pytest.raises(StoreBusyError, match="another tm process"):
        waiter.add_unit(TranslationUnit(source="X.", target="X."))
    assert time.monotonic() - t0 >= 0.15
    release.set()
    thread.join()
    # Once the lock is free, the same store writes fine and nothing is lost.
    waiter.add_unit(TranslationUnit(source="X.", target="X."))
    assert holder.unit_count() == 1
    holder.close()
    waiter.close()


def test_units_columns_are_in_the_order_rows_are_read(store: Store) -> None:
    # tm.rows.unit_from_row reads `SELECT * FROM units` by position.
    from tm.rows import UNIT_COLUMNS

    names = [r[1] for r in store.conn.execute("PRAGMA table_info(units)")]
    assert names == ["id", *(c.strip() for c in UNIT_COLUMNS.split(","))]
    unit = TranslationUnit(
        source="Halo.", target="Hello.", props=(("x-a", "1"),), notes=("n",), tuid="t1"
    )
    assert store.get_unit(store.add_unit(unit)) == TranslationUnit(
        **{
            **{f: getattr(unit, f) for f in unit.__slots__},
            "id": 1,
            "created_at": store.get_unit(1).created_at,
        }
    )
