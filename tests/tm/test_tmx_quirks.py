"""Real-world TMX quirks (issue 12, items 16 to 20): what other tools write is
read, kept where the format can hold it, counted where it cannot, and our
export of it validates against the TMX 1.4b DTD."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tm.errors import TmxError
from tm.models import Status, TranslationUnit
from tm.store import Store
from tm.tmx import TmxReader, export_tmx, import_tmx, read_tmx
from tm.tmx_check import parse_safely, tmx_problems
from tm.tmx_read import (
    CODE_ATTRIBUTES,
    EXTRA_VARIANT,
    FOREIGN_CODES,
    MALFORMED_DATE,
    MALFORMED_USAGE,
    UNTYPED_PROP,
)
from tm.tmx_write import TmxWriter

DATA = Path(__file__).parent / "data" / "tmx"


def export_all(store: Store, path: Path) -> list[Any]:
    """Export the whole memory; the <tu> elements of the written file."""
    export_tmx(store, path)
    assert tmx_problems(path) == []
    return list(parse_safely(path).getroot().iter("tu"))


# -- 16: segtype ---------------------------------------------------------------


def test_each_units_segtype_is_kept_and_written_where_it_differs(
    tmp_path: Path, store: Store
) -> None:
    import_tmx(store, DATA / "okapi_paragraph.tmx")
    assert [u.segtype for u in store.iter_units()] == ["paragraph", "sentence"]
    tus = export_all(store, tmp_path / "out.tmx")
    header = parse_safely(tmp_path / "out.tmx").getroot().find("header")
    assert header is not None and header.get("segtype") == "sentence"
    # The paragraph unit says so; the sentence one follows the header.
    assert [tu.get("segtype") for tu in tus] == ["paragraph", None]
    assert [u.segtype for u in read_tmx(tmp_path / "out.tmx")] == ["paragraph", "sentence"]


# -- 17 and 18: inline codes other tools write ------------------------------------


def test_inline_attributes_the_dtd_does_not_allow_are_dropped_and_counted(
    tmp_path: Path, store: Store
) -> None:
    report = import_tmx(store, DATA / "heartsome_ph_id.tmx")
    assert report.added == 1
    # <ph id>, <bpt id>, <ept id> in both languages: six attributes.
    assert dict(report.adjusted)[CODE_ATTRIBUTES] == 6
    unit = next(store.iter_units())
    assert unit.source == "Tekan  lalu Simpan."
    assert unit.target_markup == (
        'Press <ph>&lt;br/&gt;</ph> then <bpt i="2">&lt;b&gt;</bpt>Save<ept i="2">&lt;/b&gt;</ept>.'
    )
    export_all(store, tmp_path / "out.tmx")


def test_markup_stored_before_the_fix_is_made_valid_on_export(tmp_path: Path) -> None:
    path = tmp_path / "old.tmx"
    unit = TranslationUnit(
        source="Tekan tombol.",
        target="Press the button.",
        source_markup="Tekan <ph id='1'>&lt;br/&gt;</ph>tombol.",
        target_markup='Press <g id="1">the</g> button<x id="2"/>.',
    )
    with TmxWriter(path) as writer:
        writer.write(unit)
    assert writer.adjusted_codes == 3  # ph@id, <g>, <x/>
    assert tmx_problems(path) == []
    back = read_tmx(path)[0]
    assert back.target == "Press the button."
    assert back.target_markup == (
        'Press <bpt i="1">&lt;g id="1"&gt;</bpt>the<ept i="1">&lt;/g&gt;</ept> button'
        '<ph>&lt;x id="2"/&gt;</ph>.'
    )


def test_a_raw_html_tag_in_a_seg_becomes_tmx_codes_around_its_text(
    tmp_path: Path, store: Store
) -> None:
    report = import_tmx(store, DATA / "raw_b_in_seg.tmx")
    assert report.added == 1
    assert dict(report.adjusted)[FOREIGN_CODES] == 4  # <b> and <x/>, twice
    unit = next(store.iter_units())
    # The words inside <b> are text to match; the tags are codes.
    assert unit.source == "Kota Jakarta besar."
    assert unit.target == "The city of Jakarta is big."
    assert unit.source_markup == (
        'Kota <bpt i="1">&lt;b class="name"&gt;</bpt>Jakarta<ept i="1">&lt;/b&gt;</ept>'
        ' besar<ph>&lt;x id="1"/&gt;</ph>.'
    )
    export_all(store, tmp_path / "out.tmx")


def test_elements_inside_a_code_become_its_native_text(tmp_path: Path) -> None:
    path = tmp_path / "nested.tmx"
    path.write_text(
        '<tmx version="1.4"><header srclang="id"/><body><tu>'
        '<tuv xml:lang="id"><seg>A <ph>&lt;img&gt;<b>x</b>&lt;/img&gt;</ph> B</seg></tuv>'
        '<tuv xml:lang="en"><seg>A <it pos="middle">{1}</it> <ept>{2}</ept> B</seg></tuv>'
        "</tu></body></tmx>",
        encoding="utf-8",
    )
    unit = read_tmx(path)[0]
    assert unit.source_markup == "A <ph>&lt;img&gt;&lt;b&gt;x&lt;/b&gt;&lt;/img&gt;</ph> B"
    # An <it> without a valid pos and an <ept> without i cannot stay what they were.
    assert unit.target_markup == "A <ph>{1}</ph> <ph>{2}</ph> B"


def test_a_file_in_the_tmx14_namespace_reads_like_any_other(tmp_path: Path, store: Store) -> None:
    report = import_tmx(store, DATA / "lisa_namespace.tmx")
    assert (report.added, report.invalid) == (2, 0)
    first, second = store.iter_units()
    assert (first.source, first.target) == ("Harga naik  persen.", "Prices rose  percent.")
    # No namespace declaration leaks into the stored markup.
    assert first.target_markup == 'Prices rose <ph x="1">{1}</ph> percent.'
    assert first.props == (("x-domain", "news"),)
    assert (first.tuid, second.tuid) == ("ns-1", "ns-2")
    export_all(store, tmp_path / "out.tmx")


def test_a_twelve_megabyte_inline_code_is_read(tmp_path: Path) -> None:
    """libxml2 refuses a text over 10 MB unless told otherwise; OmegaT reads it."""
    blob = "A" * 12_000_000
    path = tmp_path / "big_ph.tmx"
    path.write_text(
        '<tmx version="1.4"><header srclang="id"/><body><tu>'
        f'<tuv xml:lang="id"><seg>Gambar <ph x="1">{blob}</ph> ini.</seg></tuv>'
        '<tuv xml:lang="en"><seg>This picture.</seg></tuv></tu>'
        '<tu><tuv xml:lang="id"><seg>Dua.</seg></tuv><tuv xml:lang="en"><seg>Two.</seg></tuv>'
        "</tu></body></tmx>",
        encoding="utf-8",
    )
    units = read_tmx(path)
    assert [u.source for u in units] == ["Gambar  ini.", "Dua."]
    assert units[0].source_markup is not None and blob in units[0].source_markup


@pytest.mark.parametrize("kind", ["gz", "zip"])
def test_compressed_memories_are_read(tmp_path: Path, store: Store, kind: str) -> None:
    data = (DATA / "omegat_project_save.tmx").read_bytes()
    path = tmp_path / f"project_save.tmx.{kind}"
    if kind == "gz":
        path.write_bytes(gzip.compress(data))
    else:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("readme.txt", "not a memory")
            archive.writestr("omegat/project_save.tmx", data)
    report = import_tmx(store, path)
    assert report.added == len(read_tmx(DATA / "omegat_project_save.tmx")) > 0


def test_a_zip_with_several_memories_names_the_problem(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "two.tmx.zip"
    data = (DATA / "omegat_project_save.tmx").read_bytes()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.tmx", data)
        archive.writestr("b.tmx", data)
    with pytest.raises(TmxError, match=r"2 \.tmx files"):
        import_tmx(store, path)
    assert store.unit_count() == 0


def test_a_truncated_gzip_is_a_clear_error(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "cut.tmx.gz"
    path.write_bytes(gzip.compress((DATA / "omegat_project_save.tmx").read_bytes())[:-30])
    with pytest.raises(TmxError, match="damaged or truncated compressed file"):
        import_tmx(store, path)
    assert store.unit_count() == 0


# -- 19: metadata ----------------------------------------------------------------


def test_original_tuids_are_kept_on_export(tmp_path: Path, store: Store) -> None:
    import_tmx(store, DATA / "okapi_paragraph.tmx")
    store.add_units([TranslationUnit(source="Tanpa tuid.", target="No tuid.")])
    tus = export_all(store, tmp_path / "out.tmx")
    tuids = [tu.get("tuid") for tu in tus]
    assert tuids == ["ACDetectionCheckFailedAction0", "ACDetectionCheckFailedAction1", "3"]


def test_a_tuid_repeated_by_two_files_stays_the_same_key(tmp_path: Path, store: Store) -> None:
    """TMX 1.4b: a tuid "could be unique or not"; a string id is a key to keep."""
    store.add_units(
        [
            TranslationUnit(source="Satu.", target="One.", tuid="1"),
            TranslationUnit(source="Dua.", target="Two.", tuid="1"),
            TranslationUnit(source="Tiga.", target="Three."),  # store id 3
            TranslationUnit(source="Empat.", target="Four.", tuid="3"),
        ]
    )
    tus = export_all(store, tmp_path / "out.tmx")
    tuids = [tu.get("tuid") for tu in tus]
    assert tuids == ["1", "1", "3", "3"]


def test_metadata_other_tools_write_is_kept_or_counted(tmp_path: Path, store: Store) -> None:
    report = import_tmx(store, DATA / "metadata_quirks.tmx")
    assert report.added == 1
    adjusted = dict(report.adjusted)
    assert adjusted == {
        MALFORMED_DATE: 2,
        MALFORMED_USAGE: 1,
        UNTYPED_PROP: 2,
        EXTRA_VARIANT: 1,
    }
    unit = next(store.iter_units())
    assert unit.target == "The market opened."  # the first English variant
    assert unit.usage_count == 0
    assert unit.changed_at is None
    assert unit.props == (("x-untyped", "untyped value"),)
    assert unit.tuv_notes == (("id", "Catatan sumber"), ("en", "Target note"))
    assert unit.tuv_props == (
        ("id", "x-src-prop", "sp"),
        ("en", "x-tgt-prop", "tp"),
        ("en", "x-untyped", "untyped tuv value"),
    )
    # Exported where they were: in their <tuv>, before the <seg>.
    out = tmp_path / "out.tmx"
    (tu,) = export_all(store, out)
    tuvs = tu.findall("tuv")
    assert [n.text for n in tuvs[0].findall("note")] == ["Catatan sumber"]
    assert [(p.get("type"), p.text) for p in tuvs[1].findall("prop")] == [
        ("x-tgt-prop", "tp"),
        ("x-untyped", "untyped tuv value"),
    ]
    back = read_tmx(out)[0]
    assert (back.tuv_props, back.tuv_notes, back.props) == (
        unit.tuv_props,
        unit.tuv_notes,
        unit.props,
    )


def test_a_five_thousand_digit_usagecount_is_malformed_not_a_crash(tmp_path: Path) -> None:
    reader = TmxReader(DATA / "metadata_quirks.tmx")
    (unit,) = list(reader)
    assert unit.usage_count == 0
    assert reader.stats.adjusted[MALFORMED_USAGE] == 1


# -- 20: another language pair ---------------------------------------------------


def test_a_memory_without_indonesian_english_names_its_languages(store: Store) -> None:
    store.add_units([TranslationUnit(source="Rumah", target="House")])
    with pytest.raises(TmxError) as caught:
        import_tmx(store, DATA / "german_french.tmx")
    message = str(caught.value)
    assert "no Indonesian-English units" in message
    assert "de-DE (3), fr-FR (2), en-US (1)" in message
    assert [u.source for u in store.iter_units()] == ["Rumah"]


def test_other_languages_are_listed_when_some_units_are_ours(tmp_path: Path) -> None:
    path = tmp_path / "mixed.tmx"
    text = (DATA / "german_french.tmx").read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "</body>",
            '<tu><tuv xml:lang="id"><seg>Ya.</seg></tuv><tuv xml:lang="en"><seg>Yes.</seg>'
            "</tuv></tu></body>",
        ),
        encoding="utf-8",
    )
    with Store(tmp_path / "s.sqlite") as store:
        report = import_tmx(store, path)
    assert report.added == 1
    assert report.other_languages == (("de-DE", 3), ("fr-FR", 2), ("en-US", 1))


def test_confirmed_statuses_survive_the_quirk_files(store: Store) -> None:
    for name in ("heartsome_ph_id.tmx", "lisa_namespace.tmx", "okapi_paragraph.tmx"):
        import_tmx(store, DATA / name)
    assert {u.status for u in store.iter_units()} == {Status.TRANSLATED}
