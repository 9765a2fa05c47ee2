"""TMX import and export: files from CAT tools in, files CAT tools accept out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from tm.errors import OutputError, TmError
from tm.models import SegmentedText, SourceSpan, Status, TranslationUnit
from tm.store import Store
from tm.tmx import (
    TmxReader,
    TmxWriter,
    export_tmx,
    import_tmx,
    normalize_lang,
    read_tmx,
    select_statuses,
)
from tm.tmx_check import XML_LANG, parse_safely, tmx_problems
from tm.tmx_read import normalize_date

DATA = Path(__file__).parent / "data" / "tmx"


def memory(store: Store) -> list[tuple[str, str]]:
    """The memory as (source, target) pairs in id order."""
    return [(u.source, u.target) for u in store.iter_units()]


def segs_of(path: Path) -> list[tuple[str, str]]:
    """Each <tu>'s (id, en) seg inner XML, exactly as in the file's bytes."""
    raw = path.read_bytes().decode("utf-8")
    pairs = []
    for tu in re.findall(r"<tu[ >].*?</tu>", raw, flags=re.S):
        segs = re.findall(r"<tuv [^>]*?lang=\"(\w+)[^\"]*\"[^>]*>\s*<seg>(.*?)</seg>", tu, re.S)
        by_lang = {lang.lower(): seg for lang, seg in segs}
        pairs.append((by_lang.get("id") or by_lang.get("in"), by_lang.get("en")))
    return pairs


# -- reading files from other tools --------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("id", "id"),
        ("in", "id"),
        ("id-ID", "id"),
        ("ID_id", "id"),
        ("ind", "id"),
        ("IND", "id"),
        ("en", "en"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("EN", "en"),
        ("eng", "en"),
        ("fr-FR", None),
        ("indonesian", None),
        ("", None),
        ("i d", None),
    ],
)
def test_language_codes_tools_write(code: str, expected: str | None) -> None:
    assert normalize_lang(code) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20201001T081500Z", "20201001T081500Z"),
        ("2020-10-01T08:15:00Z", "20201001T081500Z"),
        ("20201001", None),
        ("yesterday", None),
        # What other tools write, kept in TMX form.
        ("2020-10-01 08:15:00", "20201001T081500Z"),
        ("20201001T081500", "20201001T081500Z"),
        ("2020-10-01T08:15:00.250Z", "20201001T081500Z"),
        ("2020-10-01T08:15:00+00:00", "20201001T081500Z"),
        # Shaped like a date, but not one.
        ("20201301T081500Z", None),
        ("20201000T081500Z", None),
        ("20201001T251500Z", None),
        ("2020-10-01T08:15:00+07:00", None),
        (None, None),
    ],
)
def test_dates_are_kept_only_in_tmx_form(value: str | None, expected: str | None) -> None:
    assert normalize_date(value) == expected


FIXTURES = [
    (
        "omegat_project_save.tmx",
        [
            (
                "Presiden Azerbaijan, Ilham Aliyev, berterima kasih kepada Turki.",
                "Azerbaijani President Ilham Aliyev thanked Turkey.",
            ),
            ("Peran Moskow", "Moscow's role"),
            ("Dia mengatakan Prancis sangat prihatin.", "He said France was deeply concerned."),
        ],
        (0, 0),
    ),
    ("omegat_utf16.tmx", None, (0, 0)),
    (
        "omegat_level2.tmx",
        [("Klik Simpan untuk menyimpan  berkas.", "Click Save to save the  file.")],
        (0, 0),
    ),
    (
        "trados_studio.tmx",
        [
            ("Harga minyak naik  persen pada hari Senin.", "Oil prices rose  percent on Monday."),
            (
                "Bank sentral mempertahankan suku bunga.",
                "The central bank kept interest rates on hold.",
            ),
        ],
        (1, 0),
    ),
    (
        "okapi_rainbow.tmx",
        [
            ("Laporan tahunan sudah terbit.", "The annual report is out."),
            ("Gempa bumi mengguncang Sulawesi.", "An earthquake shook Sulawesi."),
            ("Lihat catatan kaki di bawah.", "See the footnote below."),
            (
                "  Spasi di awal dan\nbaris baru tetap.  ",
                "  Leading spaces and\na new line are kept.  ",
            ),
        ],
        (1, 2),
    ),
]


@pytest.mark.parametrize(("name", "pairs", "skipped_invalid"), FIXTURES)
def test_reads_files_in_the_style_of_cat_tools(
    name: str, pairs: list[tuple[str, str]] | None, skipped_invalid: tuple[int, int]
) -> None:
    reader = TmxReader(DATA / name)
    units = list(reader)
    expected = pairs or [(u.source, u.target) for u in read_tmx(DATA / "omegat_project_save.tmx")]
    assert [(u.source, u.target) for u in units] == expected
    assert (reader.stats.skipped_other_languages, reader.stats.invalid) == skipped_invalid
    assert all(u.source_lang == "id" and u.target_lang == "en" for u in units)


def test_metadata_from_omegat_trados_and_okapi() -> None:
    omegat = read_tmx(DATA / "omegat_project_save.tmx")
    assert (omegat[0].created_by, omegat[0].created_at) == ("rina", "20201001T081500Z")
    # OmegaT's alternative translations carry their context as file/prev/next props.
    assert (omegat[2].document, omegat[2].context_prev, omegat[2].context_next) == (
        "berita.txt",
        "Sebelumnya.",
        "Sesudahnya.",
    )
    trados = read_tmx(DATA / "trados_studio.tmx")
    first = trados[0]
    assert first.status is Status.APPROVED  # x-ConfirmationLevel ApprovedSignOff
    assert (first.usage_count, first.last_used_at) == (7, "20201101T101010Z")
    assert (first.changed_by, first.changed_at) == (
        "TRADOS\\vendor".replace("vendor", "reviewer"),
        "20200916T083000Z",
    )
    assert ("x-Context", "3482745987623, 1234987123") in first.props
    assert trados[1].status is Status.DRAFT
    okapi = read_tmx(DATA / "okapi_rainbow.tmx")
    assert okapi[0].notes == ("Checked against the printed edition.",)
    assert okapi[0].tuid == "okp-1"
    # Okapi marks machine translation with creationid="MT!".
    assert (okapi[1].status, okapi[1].origin) == (Status.DRAFT, "mt")


def test_inline_codes_are_kept_as_markup_and_hidden_from_matching() -> None:
    unit = read_tmx(DATA / "trados_studio.tmx")[0]
    assert unit.source_markup == (
        'Harga minyak naik <ph x="1" type="x-number">5</ph> persen pada hari '
        '<bpt i="2" x="2" type="italic">&lt;i&gt;</bpt>Senin<ept i="2">&lt;/i&gt;</ept>.'
    )
    assert "<" not in unit.source and "Senin" in unit.source
    plain = read_tmx(DATA / "omegat_project_save.tmx")[0]
    assert plain.source_markup is None and plain.target_markup is None


def test_invalid_units_are_reported_with_their_line() -> None:
    reader = TmxReader(DATA / "okapi_rainbow.tmx")
    list(reader)
    assert reader.stats.invalid_examples == [
        "line 9: an empty Indonesian or English segment",
        "line 10: a <tuv> without xml:lang",
    ]


# -- writing ---------------------------------------------------------------------


def rich_unit(**changes: object) -> TranslationUnit:
    base: dict[str, object] = dict(
        source="Harga minyak naik 5 persen.",
        target="Oil prices rose 5 percent.",
        id=41,
        created_at="20240102T030405Z",
        created_by="rina",
        changed_at="20240103T030405Z",
        changed_by="budi",
        origin="human",
        status=Status.TRANSLATED,
        usage_count=3,
        last_used_at="20240104T030405Z",
        context_prev="Kalimat sebelumnya.",
        context_next="Kalimat berikutnya.",
        document="berita.txt",
        props=(("x-client", "ACME"),),
        notes=("Checked with the client.",),
    )
    base.update(changes)
    return TranslationUnit(**base)  # type: ignore[arg-type]


def write(path: Path, units: list[TranslationUnit]) -> TmxWriter:
    with TmxWriter(path) as writer:
        for unit in units:
            writer.write(unit)
    return writer


def test_written_file_has_the_complete_header_and_validates(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    write(path, [rich_unit()])
    assert tmx_problems(path) == []
    root = parse_safely(path).getroot()
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    import tm

    assert dict(header.attrib) | {"creationdate": "-"} == {
        "creationtool": "tm",
        "creationtoolversion": tm.__version__,
        "segtype": "sentence",
        "o-tmf": "tm-sqlite",
        "adminlang": "en",
        "srclang": "id",
        "datatype": "plaintext",
        "creationdate": "-",
    }
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')


def test_unit_metadata_is_written_as_attributes_props_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    write(path, [rich_unit()])
    tu = parse_safely(path).getroot().find("body/tu")
    assert tu is not None
    assert dict(tu.attrib) == {
        "tuid": "41",
        "creationdate": "20240102T030405Z",
        "creationid": "rina",
        "changedate": "20240103T030405Z",
        "changeid": "budi",
        "usagecount": "3",
        "lastusagedate": "20240104T030405Z",
    }
    props = [(p.get("type"), p.text) for p in tu.findall("prop")]
    assert props == [
        ("x-status", "translated"),
        ("x-origin", "human"),
        ("x-document", "berita.txt"),
        ("x-context-prev", "Kalimat sebelumnya."),
        ("x-context-next", "Kalimat berikutnya."),
        ("x-client", "ACME"),
    ]
    assert [n.text for n in tu.findall("note")] == ["Checked with the client."]
    assert [t.get(XML_LANG) for t in tu.findall("tuv")] == ["id", "en"]


def test_seg_content_is_never_indented_and_whitespace_survives(tmp_path: Path) -> None:
    source = "  Dua spasi,\ttab,\nbaris baru  "
    target = "  Two spaces,\ttab,\nnew line  "
    path = tmp_path / "out.tmx"
    write(path, [rich_unit(source=source, target=target)])
    raw = path.read_text(encoding="utf-8")
    assert f"<seg>{source}</seg>" in raw and f"<seg>{target}</seg>" in raw
    # The whole unit sits on one line: nothing is indented inside <tu>.
    assert re.search(r"<tu [^\n]*</tu>", raw.replace(source, "").replace(target, ""))
    assert (read_tmx(path)[0].source, read_tmx(path)[0].target) == (source, target)


TRICKY = [
    {},
    dict(
        source='a & b < c > d "q" \'s\r\n\tend',
        target="x\x01y\u2028 \U0001f600 ]]> --",
        created_by='Tab\there "q" <&>\n',
        changed_by=None,
        props=(("k&<", 'v & "w"\r'),),
        notes=("note\r\nline two",),
        context_prev="<prev>",
    ),
    dict(status=Status.DRAFT, origin="mt:Helsinki-NLP/opus-mt-id-en", notes=()),
    dict(
        source_markup='Harga <ph x="1" type="x-number">5</ph> &amp; <bpt i="2">&lt;i&gt;</bpt>x'
        '<ept i="2">&lt;/i&gt;</ept>',
        target_markup="Not <valid",
    ),
]


@pytest.mark.parametrize("changes", TRICKY)
def test_each_tu_is_exactly_what_lxml_would_serialize(
    tmp_path: Path, changes: dict[str, object]
) -> None:
    path = tmp_path / "out.tmx"
    unit = rich_unit(**changes)
    write(path, [unit])
    assert tmx_problems(path) == []
    raw = path.read_text(encoding="utf-8")
    [written] = re.findall(r"<tu .*?</tu>", raw, flags=re.S)
    tu = parse_safely(path).getroot().find("body/tu")
    assert written == etree.tostring(tu, encoding="unicode", with_tail=False)
    back = read_tmx(path)[0]
    # \r and \n in a seg survive; stored inline codes come back unchanged.
    assert (back.source_markup or back.source) == (unit.source_markup or unit.source)
    if unit.target_markup:
        # Markup that does not parse any more is written as the plain target.
        assert (back.target, back.target_markup) == (unit.target, None)


def test_control_characters_are_dropped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    writer = write(path, [rich_unit(source="Bel\x07 berbunyi\x00.", target="A bell\x1b rang.")])
    assert writer.dropped_characters == 3
    assert tmx_problems(path) == []
    unit = read_tmx(path)[0]
    assert (unit.source, unit.target) == ("Bel berbunyi.", "A bell rang.")


def test_machine_drafts_are_marked_for_tools_and_people(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    write(
        path,
        [rich_unit(status=Status.DRAFT, origin="mt:Helsinki-NLP/opus-mt-id-en", notes=())],
    )
    assert tmx_problems(path) == []
    tu = parse_safely(path).getroot().find("body/tu")
    assert tu is not None
    assert tu.get("creationid") == "MT!"
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert props["x-status"] == "draft"
    assert props["x-origin"] == "mt:Helsinki-NLP/opus-mt-id-en"
    assert [n.text for n in tu.findall("note")] == [
        "Machine translation (Helsinki-NLP/opus-mt-id-en), not reviewed by a translator."
    ]
    back = read_tmx(path)[0]
    assert (back.status, back.origin) == (Status.DRAFT, "mt:Helsinki-NLP/opus-mt-id-en")


def test_a_failed_write_leaves_the_earlier_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    write(path, [rich_unit()])
    before = path.read_bytes()
    with pytest.raises(RuntimeError), TmxWriter(path) as writer:
        writer.write(rich_unit(source="Setengah jalan."))
        raise RuntimeError("crash halfway")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memory.tmx"]


def test_a_full_disk_is_a_clear_output_error() -> None:
    with (
        open("/dev/full", "wb", buffering=0) as full,
        pytest.raises(OutputError, match="No space left on device"),
        TmxWriter(full) as writer,
    ):
        for n in range(5000):
            writer.write(rich_unit(source=f"Kalimat {n}.", id=n + 1))


def test_writing_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write(tmp_path / "nope" / "out.tmx", [rich_unit()])


# -- round trips -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["trados_studio.tmx", "okapi_rainbow.tmx", "omegat_level2.tmx"])
def test_inline_codes_survive_a_round_trip_byte_for_byte(
    tmp_path: Path, store: Store, name: str
) -> None:
    import_tmx(store, DATA / name)
    out = tmp_path / "out.tmx"
    export_tmx(store, out, include_mt=True)
    assert tmx_problems(out) == []
    original = [p for p in segs_of(DATA / name) if p[0] is not None and p[1] is not None]
    exported = segs_of(out)
    with_codes = [p for p in original if "<" in p[0] or "<" in p[1]]
    assert with_codes, "the fixture has inline codes"
    for pair in with_codes:
        assert pair in exported


def test_export_reimport_keeps_every_field(tmp_path: Path, store: Store) -> None:
    units = [
        rich_unit(id=None),
        rich_unit(id=None, source="Kedua.", target="Second.", status=Status.APPROVED, notes=()),
    ]
    store.add_units(units)
    out = tmp_path / "out.tmx"
    export_tmx(store, out)
    back = read_tmx(out)
    for original, again in zip(units, back, strict=True):
        for field in (
            "source", "target", "created_at", "created_by", "changed_at", "changed_by",
            "origin", "status", "usage_count", "last_used_at", "context_prev",
            "context_next", "document", "props", "notes",
        ):  # fmt: skip
            assert getattr(again, field) == getattr(original, field), field


def test_translate_toolkit_reads_every_unit_we_write(tmp_path: Path, store: Store) -> None:
    from translate.storage import tmx as ttk_tmx

    import_tmx(store, DATA / "okapi_rainbow.tmx")
    store.add_units(
        [
            TranslationUnit(source=f"Kalimat {n} & <tanda>.", target=f"Sentence {n} & <mark>.")
            for n in range(50)
        ]
    )
    out = tmp_path / "out.tmx"
    export_tmx(store, out, include_mt=True)
    with out.open("rb") as fh:
        parsed = ttk_tmx.tmxfile(fh, sourcelanguage="id", targetlanguage="en")
    ttk_units = [u for u in parsed.units if u.source]
    ours = list(store.iter_units())
    assert len(ttk_units) == len(ours) == 54
    for ttk_unit, unit in zip(ttk_units, ours, strict=True):
        if unit.source_markup is None:
            assert (ttk_unit.source, ttk_unit.target) == (unit.source, unit.target)
        else:
            # translate-toolkit renders inline codes as text; the words are there.
            assert all(w in ttk_unit.source for w in re.findall(r"\w+", unit.source))


# -- import into the store ---------------------------------------------------------


def tmx_with(pairs: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<tu><tuv xml:lang="id"><seg>{s}</seg></tuv><tuv xml:lang="en"><seg>{t}</seg></tuv></tu>\n'
        for s, t in pairs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="id" '
        f'datatype="plaintext"/><body>\n{body}</body></tmx>\n'
    )


CONFLICTS = [
    (
        "keep-both",
        [("Rumah", "House"), ("Rumah", "Home"), ("Kota", "City")],
        dict(added=2, updated=0, duplicates=1, skipped_conflicts=0),
    ),
    (
        # Each unit of the file replaces what is there: the last one wins.
        "replace",
        [("Rumah", "House"), ("Kota", "City")],
        dict(added=1, updated=2, duplicates=0, skipped_conflicts=0),
    ),
    (
        "skip",
        [("Rumah", "House"), ("Kota", "City")],
        dict(added=1, updated=0, duplicates=1, skipped_conflicts=1),
    ),
]


@pytest.mark.parametrize(("policy", "expected_memory", "expected_counts"), CONFLICTS)
def test_on_conflict_policies(
    tmp_path: Path,
    store: Store,
    policy: str,
    expected_memory: list[tuple[str, str]],
    expected_counts: dict[str, int],
) -> None:
    store.add_units([TranslationUnit(source="Rumah", target="House")])
    path = tmp_path / "in.tmx"
    path.write_text(tmx_with([("Rumah", "Home"), ("Rumah", "House"), ("Kota", "City")]))
    report = import_tmx(store, path, policy)
    assert memory(store) == expected_memory
    assert {k: getattr(report, k) for k in expected_counts} == expected_counts


def merge_model(
    memory_pairs: list[tuple[str, str]], incoming: list[tuple[str, str]], policy: str
) -> list[tuple[str, str]]:
    """The import's meaning, one unit at a time, with no chunks or staging."""
    units = dict(enumerate(memory_pairs))
    next_id = len(units)
    for source, target in incoming:
        ids = [i for i, (s, _) in units.items() if s == source]
        if any(units[i][1] == target for i in ids) or (ids and policy == "skip"):
            continue
        if not ids or policy == "keep-both":
            units[next_id] = (source, target)
            next_id += 1
            continue
        units[ids[0]] = (source, target)
        for i in ids[1:]:
            del units[i]
    return [units[i] for i in sorted(units)]


@pytest.mark.parametrize("policy", ["keep-both", "replace", "skip"])
@pytest.mark.parametrize("chunk", [1, 3, 7, 1000])
def test_chunking_never_changes_the_result(
    tmp_path: Path,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    policy: str,
    chunk: int,
) -> None:
    import random

    import tm.tmx

    monkeypatch.setattr(tm.tmx, "CHUNK_UNITS", chunk)
    rng = random.Random(f"{policy}{chunk}")
    existing = [("A", "1"), ("B", "2"), ("B", "3")]
    incoming = [(rng.choice("ABCDE"), rng.choice("1234")) for _ in range(60)]
    store.add_units([TranslationUnit(source=s, target=t) for s, t in existing])
    path = tmp_path / "in.tmx"
    path.write_text(tmx_with(incoming))
    report = import_tmx(store, path, policy)
    expected = merge_model(existing, incoming, policy)
    assert memory(store) == expected
    # Every unit of the file lands in exactly one bucket of the report.
    buckets = report.duplicates + report.skipped_conflicts + report.updated
    assert buckets + report.added == len(incoming)


def test_replace_keeps_one_translation_per_source(tmp_path: Path, store: Store) -> None:
    store.add_units(
        [TranslationUnit(source="Rumah", target="House"), TranslationUnit("Rumah", "Home")]
    )
    path = tmp_path / "in.tmx"
    path.write_text(tmx_with([("Rumah", "Dwelling"), ("Rumah", "Residence")]))
    report = import_tmx(store, path, "replace")
    assert memory(store) == [("Rumah", "Residence")]
    assert (report.updated, report.removed_alternatives, report.added) == (2, 1, 0)


def test_reimporting_the_same_file_adds_nothing(tmp_path: Path, store: Store) -> None:
    first = import_tmx(store, DATA / "trados_studio.tmx")
    again = import_tmx(store, DATA / "trados_studio.tmx")
    assert (first.added, first.skipped_other_languages) == (2, 1)
    assert (again.added, again.duplicates) == (0, 2)
    assert store.unit_count() == 2


def test_unknown_policy_is_a_clear_error(store: Store) -> None:
    with pytest.raises(TmError, match="keep-both, replace, skip"):
        import_tmx(store, DATA / "trados_studio.tmx", "merge")


def test_a_broken_file_after_many_good_units_leaves_the_memory_unchanged(
    tmp_path: Path, store: Store
) -> None:
    store.add_units([TranslationUnit(source="Rumah", target="House")])
    before = [u for u in store.iter_units()]
    good = tmx_with([(f"Kalimat {n}.", f"Sentence {n}.") for n in range(12_000)])
    path = tmp_path / "cut.tmx"
    path.write_text(good[: len(good) - 300], encoding="utf-8")  # truncated mid-unit
    with pytest.raises(TmError, match=r"truncated"):
        import_tmx(store, path, "replace")
    assert list(store.iter_units()) == before
    # The store is still usable afterwards.
    assert import_tmx(store, DATA / "trados_studio.tmx").added == 2


# -- export from the store -----------------------------------------------------------


def add_document(store: Store) -> int:
    spans = (
        SourceSpan("Kalimat satu.", " ", 0),
        SourceSpan("Kalimat dua.", " ", 0),
        SourceSpan("Kalimat tiga.", "\n", 0),
        SourceSpan("Kalimat empat.", "\n", 1),
    )
    return store.add_document("berita.txt", SegmentedText("", spans), sha256="x").id


def test_document_export_writes_translated_segments_with_context(
    tmp_path: Path, store: Store
) -> None:
    doc_id = add_document(store)
    segs = store.segments(doc_id)
    store.confirm_segment(segs[1].id, "Sentence two.", author="rina")
    store.update_segment(
        segs[2].id, target="Sentence three.", status=Status.DRAFT, origin="mt:opus-mt-id-en"
    )
    out = tmp_path / "doc.tmx"
    document = store.get_document(doc_id)
    confirmed = export_tmx(store, out, document=document)
    assert tmx_problems(out) == []
    [unit] = read_tmx(out)
    assert (unit.source, unit.target, unit.status) == (
        "Kalimat dua.",
        "Sentence two.",
        Status.TRANSLATED,
    )
    assert (unit.context_prev, unit.context_next, unit.document) == (
        "Kalimat satu.",
        "Kalimat tiga.",
        "berita.txt",
    )
    assert unit.created_by == "rina" and unit.created_at
    assert confirmed.units == 1
    with_mt = export_tmx(store, out, document=document, include_mt=True)
    assert with_mt.units == 2
    assert [(u.target, u.status, u.origin) for u in read_tmx(out)][1] == (
        "Sentence three.",
        Status.DRAFT,
        "mt:opus-mt-id-en",
    )
    assert tmx_problems(out) == []


@pytest.mark.parametrize(
    ("statuses", "include_mt", "expected"),
    [
        (None, False, ["Disetujui.", "Diterjemahkan."]),
        (None, True, ["Disetujui.", "Diterjemahkan.", "Draf."]),
        ([Status.APPROVED], False, ["Disetujui."]),
        ([Status.DRAFT], False, ["Draf."]),
    ],
)
def test_memory_export_selects_statuses(
    tmp_path: Path,
    store: Store,
    statuses: list[Status] | None,
    include_mt: bool,
    expected: list[str],
) -> None:
    store.add_units(
        [
            TranslationUnit("Disetujui.", "Approved.", status=Status.APPROVED),
            TranslationUnit("Diterjemahkan.", "Translated.", status=Status.TRANSLATED),
            TranslationUnit("Draf.", "Draft.", status=Status.DRAFT, origin="mt:m"),
        ]
    )
    out = tmp_path / "all.tmx"
    report = export_tmx(store, out, statuses=statuses, include_mt=include_mt)
    assert [u.source for u in read_tmx(out)] == expected
    assert report.units == len(expected)
    assert tmx_problems(out) == []


def test_default_statuses_are_the_confirmed_ones() -> None:
    assert select_statuses(None, False) == (Status.TRANSLATED, Status.APPROVED)
    assert select_statuses([Status.APPROVED], True) == (Status.DRAFT, Status.APPROVED)


def test_empty_memory_still_exports_a_valid_file(tmp_path: Path, store: Store) -> None:
    out = tmp_path / "empty.tmx"
    assert export_tmx(store, out).units == 0
    assert tmx_problems(out) == []
    assert etree.parse(str(out)).getroot().find("body") is not None
