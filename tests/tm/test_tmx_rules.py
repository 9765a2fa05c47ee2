"""Rules of the TMX export a translator would notice (issue 10, rules 4 and 5).

4. A unit a person has confirmed is never exported as machine output, even
   when its target came from MT: no ``creationid="MT!"``, no MT note.
5. The note that marks a draft is written once, however many times the
   memory goes out and comes back in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tm.models import SegmentedText, SourceSpan, Status, TranslationUnit
from tm.store import Store
from tm.tmx import export_tmx, import_tmx, read_tmx
from tm.tmx_check import parse_safely, tmx_problems
from tm.tmx_write import TmxWriter

MT = "mt:Helsinki-NLP/opus-mt-id-en"
MT_NOTE = "Machine translation (Helsinki-NLP/opus-mt-id-en), not reviewed by a translator."


def tus(path: Path) -> list[Any]:
    assert tmx_problems(path) == []
    return list(parse_safely(path).getroot().iter("tu"))


def drafted_document(store: Store) -> int:
    """A two-segment document whose segments hold MT drafts; the first segment's id."""
    text = SegmentedText(
        prefix="",
        spans=(
            SourceSpan("Hujan turun di Jakarta.", " ", 0),
            SourceSpan("Jalan banjir.", "\n", 0),
        ),
    )
    doc = store.add_document("berita.txt", text, sha256="0" * 64)
    segments = store.segments(doc.id)
    for seg, target in zip(segments, ("Rain fell in Jakarta.", "Roads flooded."), strict=True):
        store.update_segment(seg.id, target=target, status=Status.DRAFT, origin=MT)
    return segments[0].id


def test_a_confirmed_mt_target_is_not_exported_as_machine_output(
    tmp_path: Path, store: Store
) -> None:
    first = drafted_document(store)
    store.confirm_segment(first, "Rain fell in Jakarta.", author="rina")
    for document in (store.get_document("berita.txt"), None):
        out = tmp_path / "out.tmx"
        export_tmx(store, out, document=document, include_mt=True)
        by_source = {tu.find("tuv/seg").text: tu for tu in tus(out)}
        confirmed = by_source["Hujan turun di Jakarta."]
        assert confirmed.get("creationid") == "rina"
        assert confirmed.findall("note") == []
        props = {p.get("type"): p.text for p in confirmed.findall("prop")}
        assert props["x-status"] == "translated"
        assert props["x-origin"] == MT  # where the words came from is still on record
        # The draft beside it is machine output, and says so.
        draft = by_source["Jalan banjir."]
        assert draft.get("creationid") == "MT!"
        assert [n.text for n in draft.findall("note")] == [MT_NOTE]


def test_an_imported_mt_draft_confirmed_later_loses_its_machine_marks(
    tmp_path: Path, store: Store
) -> None:
    # Another tool's (or our own) export: an MT draft with creationid="MT!" and the note.
    drafts = tmp_path / "drafts.tmx"
    with TmxWriter(drafts) as writer:
        writer.write(
            TranslationUnit(
                source="Hujan turun di Jakarta.",
                target="Rain fell in Jakarta.",
                status=Status.DRAFT,
                origin=MT,
                created_by="MT!",
            )
        )
    import_tmx(store, drafts)
    first = drafted_document(store)
    store.confirm_segment(first, "Rain fell in Jakarta.", author="rina")
    (unit,) = store.find_exact_units("Hujan turun di Jakarta.")
    assert unit.status is Status.TRANSLATED
    out = tmp_path / "out.tmx"
    export_tmx(store, out)
    (tu,) = tus(out)
    assert tu.get("creationid") != "MT!"
    assert tu.get("changeid") == "rina"
    assert tu.findall("note") == []
    assert read_tmx(out)[0].status is Status.TRANSLATED


def test_the_draft_note_is_written_once_per_round_trip(tmp_path: Path, store: Store) -> None:
    drafted_document(store)
    out = tmp_path / "round0.tmx"
    export_tmx(store, out, document=store.get_document("berita.txt"), include_mt=True)
    for round_ in range(1, 4):
        with Store(tmp_path / f"store{round_}.sqlite") as again:
            import_tmx(again, out)
            # The note follows from the status: it is not stored as a person's note.
            assert all(u.notes == () for u in again.iter_units())
            out = tmp_path / f"round{round_}.tmx"
            export_tmx(again, out, include_mt=True)
        notes = [[n.text for n in tu.findall("note")] for tu in tus(out)]
        assert notes == [[MT_NOTE], [MT_NOTE]], round_


def test_a_draft_note_already_stored_is_not_written_twice(tmp_path: Path) -> None:
    """Stores filled by older versions hold the draft note among the unit's notes."""
    out = tmp_path / "out.tmx"
    with TmxWriter(out) as writer:
        writer.write(
            TranslationUnit(
                source="Jalan banjir.",
                target="Roads flooded.",
                status=Status.DRAFT,
                origin=MT,
                notes=(MT_NOTE, "Check the street name."),
            )
        )
    (tu,) = tus(out)
    assert [n.text for n in tu.findall("note")] == [MT_NOTE, "Check the street name."]


def test_a_stored_draft_note_is_not_written_once_the_unit_is_confirmed(tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    with TmxWriter(out) as writer:
        writer.write(
            TranslationUnit(
                source="Jalan banjir.",
                target="Roads flooded.",
                status=Status.APPROVED,
                origin=MT,
                created_by="MT!",
                notes=(MT_NOTE, "Check the street name."),
            )
        )
    (tu,) = tus(out)
    assert [n.text for n in tu.findall("note")] == ["Check the street name."]
    assert tu.get("creationid") is None
