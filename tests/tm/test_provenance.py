"""Provenance and review on a real store: what confirming and approving record."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from lxml import etree

from tm.leverage import lookup
from tm.migrations import MIGRATIONS
from tm.models import Document, Status, TranslationUnit
from tm.provenance import edit_distance, provenance
from tm.review import ReviewSession, SegmentFilter, match_label
from tm.segment import segment_text
from tm.store import Store
from tm.tmx import export_tmx

TEXT = "Ia dilarikan ke rumah sakit. Warga akan dievakuasi. Harga naik.\n"
MT = "mt:tiny@abc123"


def add(store: Store, text: str = TEXT) -> Document:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return store.add_document("doc.txt", segment_text(text), sha256=sha)


def drafted(store: Store) -> Document:
    """A document whose segments hold MT drafts, as `tm translate` leaves them."""
    doc = add(store)
    drafts = ["He was rushed to hospital.", "Residents will be evacuated.", "Prices rise."]
    for seg, draft in zip(store.segments(doc.id), drafts, strict=True):
        store.update_segment(
            seg.id, target=draft, status=Status.DRAFT, origin=MT, draft=(draft, MT)
        )
    return doc


def test_edit_distance_is_word_level_over_moses_tokens() -> None:
    # Worked by hand: "rushed" → "taken" and "the" inserted: 2 edits over the
    # 7 tokens of the longer side (the full stop is a token): 29%.
    assert edit_distance("He was rushed to hospital.", "He was taken to the hospital.") == 29
    # A comma is one token: one edit of six.
    assert edit_distance("Prices rise , sharply .", "Prices rise sharply .") == 20
    assert edit_distance("Same.", "Same.") == 0
    assert edit_distance("Same.", "Same. ") == 1  # changed, so never 0
    assert edit_distance("a b", "c d e f") == 100


def test_provenance_rules() -> None:
    assert provenance("Draft.", MT, "Draft.") == provenance("Draft.", MT, "Draft.")
    same = provenance("Draft.", MT, "Draft.")
    assert (same.origin, same.accepted_unchanged, same.origin_before) == (MT, True, None)
    changed = provenance("Draft.", "tm-fuzzy", "Something else.")
    assert (changed.origin, changed.origin_before, changed.accepted_unchanged) == (
        "human",
        "tm-fuzzy",
        False,
    )
    scratch = provenance(None, None, "Typed.")
    assert (scratch.origin, scratch.origin_before) == ("human", None)


def test_confirming_a_draft_unchanged_keeps_its_origin(store: Store) -> None:
    doc = drafted(store)
    session = ReviewSession(store, doc, author="ana")
    result = session.confirm("He was rushed to hospital.")
    seg = result.segment
    assert (seg.origin, seg.accepted_unchanged, seg.origin_before) == (MT, True, None)
    unit = store.get_unit(seg.unit_id or 0)
    assert unit.origin == MT
    assert ("x-accepted-unchanged", "yes") in unit.props
    assert match_label(seg) == "MT"


def test_retyping_a_draft_makes_it_human_with_the_origin_before(store: Store) -> None:
    doc = drafted(store)
    session = ReviewSession(store, doc, author="ana")
    # Typed over the draft and autosaved before confirming: still measured from the draft.
    session.keep_draft("He was taken to the hospital.")
    assert match_label(session.current) == "MT→ed 29%"
    seg = session.confirm("He was taken to the hospital.").segment
    assert (seg.origin, seg.origin_before, seg.edit_distance) == ("human", MT, 29)
    assert seg.accepted_unchanged is False
    assert match_label(seg) == "MT→ed 29%"
    unit = store.get_unit(seg.unit_id or 0)
    assert unit.origin == "human"
    assert ("x-origin-before", MT) in unit.props
    assert ("x-edit-distance", "29") in unit.props


def test_a_retyped_fuzzy_match_is_human_with_fuzzy_before(store: Store) -> None:
    doc = add(store)
    session = ReviewSession(store, doc)
    session.note_inserted("tm-fuzzy", 51, text="Residents were moved.")
    seg = session.confirm("He was taken to the hospital.").segment
    assert (seg.origin, seg.origin_before) == ("human", "tm-fuzzy")
    assert match_label(seg).startswith("fuzzy→ed ")


def test_typed_from_scratch_is_human_without_origin_before(store: Store) -> None:
    doc = add(store)
    seg = ReviewSession(store, doc).confirm("He was rushed to hospital.").segment
    assert (seg.origin, seg.origin_before, seg.accepted_unchanged) == ("human", None, None)


def test_tmx_shows_provenance_and_never_marks_human_text_as_mt(
    store: Store, tmp_path: Path
) -> None:
    doc = drafted(store)
    session = ReviewSession(store, doc, author="ana")
    session.confirm("He was rushed to hospital.")
    session.go_to(1)
    session.confirm("The residents are to be evacuated.")
    session.go_to(0)
    session.approve()
    session.go_to(1)
    session.approve()
    out = tmp_path / "doc.tmx"
    export_tmx(store, out, document=doc)
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    assert len(tus) == 2

    def props(tu: etree._Element) -> dict[str, str]:
        return {p.get("type"): p.text for p in tu.findall("prop")}

    first, second = props(tus[0]), props(tus[1])
    assert first["x-origin"] == MT and first["x-accepted-unchanged"] == "yes"
    assert first["x-status"] == second["x-status"] == "approved"
    assert second["x-origin"] == "human"
    assert second["x-origin-before"] == MT
    assert int(second["x-edit-distance"]) > 0
    assert second["x-reviewer"] == "ana"
    for tu in tus:
        assert tu.get("creationid") != "MT!"
        assert not [n for n in tu.findall("note") if "Machine translation" in (n.text or "")]


def test_approval_needs_a_confirmed_segment(store: Store) -> None:
    from tm.errors import InputError

    doc = drafted(store)
    session = ReviewSession(store, doc, author="rev")
    with pytest.raises(InputError, match="not confirmed"):
        session.approve()
    assert store.segments(doc.id)[0].status is Status.DRAFT


def test_send_back_makes_a_draft_with_the_note_and_demotes_its_unit(store: Store) -> None:
    doc = drafted(store)
    session = ReviewSession(store, doc, author="rev")
    seg = session.confirm("He was rushed to hospital.").segment
    session.go_to(0)
    back = session.send_back("Say 'taken to hospital'.")
    assert (back.status, back.review_state, back.review_note, back.reviewed_by) == (
        Status.DRAFT,
        "rejected",
        "Say 'taken to hospital'.",
        "rev",
    )
    assert store.get_unit(seg.unit_id or 0).status is Status.DRAFT
    assert [
        i
        for i, s in enumerate(session.segments)
        if SegmentFilter(frozenset({"rejected"})).accepts(s)
    ] == [0]
    # Fixed and confirmed again: translated, not yet approved, and still listed as sent back.
    seg = session.confirm("He was taken to hospital.").segment
    assert SegmentFilter(frozenset({"unapproved"})).accepts(seg)
    assert SegmentFilter(frozenset({"rejected"})).accepts(seg)
    # Its draft is still the MT one: the correction is measured from it.
    assert (seg.origin, seg.origin_before) == ("human", MT)


def test_approved_units_rank_first_among_equal_matches(store: Store) -> None:
    source = "Harga naik tajam."
    approved = store.add_unit(
        TranslationUnit(source=source, target="Prices rose.", status=Status.APPROVED,
                        created_at="2020-01-01T00:00:00Z")
    )  # fmt: skip
    store.add_unit(
        TranslationUnit(source=source, target="Prices went up.", created_at="2024-01-01T00:00:00Z")
    )
    matches = lookup(store, source, threshold=50, limit=2)
    assert [m.score for m in matches] == [100, 100]
    assert matches[0].unit.id == approved


def test_an_old_store_is_migrated_and_its_drafts_become_drafts(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS:
        if migration.version > 2:
            break
        for statement in migration.statements:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO documents (name, sha256, created_at, updated_at) VALUES ('d', 'x', '', '')"
    )
    conn.execute(
        "INSERT INTO segments (document_id, position, paragraph, source, trailing, target,"
        " status, origin) VALUES (1, 0, 0, 'Harga naik.', '', 'Prices rise.', 'draft', 'mt:x')"
    )
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.schema_version == 3
        (seg,) = store.segments(1)
        assert (seg.draft_target, seg.draft_origin) == ("Prices rise.", "mt:x")
        store.confirm_segment(seg.id, "Prices rise.")
        assert store.get_segment(seg.id).accepted_unchanged is True


def test_a_first_draft_written_without_saying_so_is_still_the_draft(store: Store) -> None:
    """An aligner (or any writer) that only sets origin 'aligned' still gets provenance."""
    doc = add(store)
    seg = store.segments(doc.id)[0]
    store.update_segment(seg.id, target="He was rushed.", status=Status.DRAFT, origin="aligned")
    session = ReviewSession(store, doc)
    confirmed = session.confirm("He was rushed.").segment
    assert (confirmed.origin, confirmed.accepted_unchanged) == ("aligned", True)
    session.go_to(1)
    store.update_segment(
        session.current.id, target="Evacuated.", status=Status.DRAFT, origin="aligned"
    )
    session.refresh()
    edited = session.confirm("Residents will be evacuated.").segment
    assert (edited.origin, edited.origin_before) == ("human", "aligned")
