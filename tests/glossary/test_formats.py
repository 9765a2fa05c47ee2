"""Glossary files: OmegaT TSV, CSV, TBX 2 (martif) and TBX v3 on import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from glossary import TermEntry
from glossary.formats import read_glossary, write_glossary
from tm.errors import GlossaryError, TmError

DATA = Path(__file__).parent / "data"

ENTRIES = [
    TermEntry(
        "user:Moskow",
        "city",
        ("Moskow", "Moskwa"),
        "Moscow",
        target_variants=("Kremlin",),
        adjectives=("Muscovite",),
        comment="capital of Russia",
        origin="user",
    ),
    TermEntry("user:Korea", "region", ("Korea",), "Korea", check_only=True, origin="user"),
    TermEntry("user:Jenewa", "city", ("Jenewa",), "Geneva", origin="user"),
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("fmt", "name"), [("csv", "g.csv"), ("tbx", "g.tbx")])
def test_full_round_trip(tmp_path: Path, fmt: str, name: str) -> None:
    path = _write(tmp_path, name, write_glossary(ENTRIES, fmt))
    result = read_glossary(path)
    assert list(result.entries) == ENTRIES
    assert result.conflicts == ()


def test_omegat_tsv_round_trip_keeps_source_target_comment(tmp_path: Path) -> None:
    text = write_glossary(ENTRIES, "tsv")
    assert text.splitlines()[0] == "Moskow\tMoscow\tcapital of Russia"
    result = read_glossary(_write(tmp_path, "g.utf8", text))
    assert [(e.source, e.target, e.comment) for e in result.entries] == [
        ("Moskow", "Moscow", "capital of Russia"),
        ("Korea", "Korea", ""),
        ("Jenewa", "Geneva", ""),
    ]


def test_tbx_is_martif_tbx_basic_that_lxml_parses(tmp_path: Path) -> None:
    root = etree.fromstring(write_glossary(ENTRIES, "tbx").encode("utf-8"))
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    entries = root.findall("text/body/termEntry")
    assert len(entries) == 3
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    first = entries[0]
    assert [ls.get(lang) for ls in first.findall("langSet")] == ["id", "en"]
    assert [t.text for t in first.findall("langSet/tig/term")] == ["Moskow", "Moskwa", "Moscow"]


def _omegat_36_pairs(tbx: str) -> list[tuple[str, str]]:
    """The (source, translation) pairs OmegaT 3.6's GlossaryReaderTBX makes of a file.

    It offers every ``<term>`` of the target langSet as a translation of every
    term of the source langSet, whatever its termNotes say; descrips only go
    into the comment ("type: text").
    """
    pairs = []
    for entry in etree.fromstring(tbx.encode("utf-8")).iter("termEntry"):
        by_lang: dict[str, list[str]] = {}
        for lang_set in entry.iter("langSet"):
            code = lang_set.get("{http://www.w3.org/XML/1998/namespace}lang", "")
            terms = ["".join(t.itertext()) for t in lang_set.iter("term")]
            by_lang.setdefault(code.split("-")[0].lower(), []).extend(terms)
        pairs += [(s, t) for s in by_lang.get("id", []) for t in by_lang.get("en", [])]
    return pairs


def test_omegat_is_offered_only_the_preferred_english_not_variants_or_adjectives() -> None:
    """Issue 12 item 20: OmegaT offered the adjective "African" as a translation of Afrika."""
    afrika = TermEntry(
        "user:Afrika",
        "continent",
        ("Afrika",),
        "Africa",
        target_variants=("the African continent",),
        adjectives=("African",),
        origin="user",
    )
    tbx = write_glossary([*ENTRIES, afrika], "tbx")
    assert _omegat_36_pairs(tbx) == [
        ("Moskow", "Moscow"),
        ("Moskwa", "Moscow"),
        ("Korea", "Korea"),
        ("Jenewa", "Geneva"),
        ("Afrika", "Africa"),
    ]
    # ...and the variants and adjectives are still there, as descrips OmegaT
    # shows in the entry's comment ("adjective: African").
    root = etree.fromstring(tbx.encode("utf-8"))
    # (in the order TBXcoreStructV02.dtd gives a langSet: descrips, then tigs)
    en = root.findall("text/body/termEntry")[-1].findall("langSet")[1]
    assert [(c.tag, c.get("type"), "".join(c.itertext()).strip()) for c in en] == [
        ("descrip", "variant", "the African continent"),
        ("descrip", "adjective", "African"),
        ("tig", None, "Africa"),
    ]


OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")


@pytest.mark.slow
@pytest.mark.skipif(
    not (OMEGAT_JAR.is_file() and shutil.which("javac")),
    reason="needs OmegaT (Debian package omegat, 3.6) and a JDK",
)
def test_real_omegat_offers_only_the_preferred_english(tmp_path: Path) -> None:
    """OmegaT's own TBX reader, run on our export: no variant or adjective as a translation."""
    afrika = TermEntry(
        "user:Afrika", "continent", ("Afrika",), "Africa", adjectives=("African",), origin="user"
    )
    tbx = _write(tmp_path, "g.tbx", write_glossary([ENTRIES[0], afrika], "tbx"))
    shutil.copy(DATA / "omegat" / "ReadTbx.java", tmp_path)
    classpath = f"{OMEGAT_JAR}{os.pathsep}{tmp_path}"
    subprocess.run(["javac", "-cp", classpath, "ReadTbx.java"], cwd=tmp_path, check=True)
    out = subprocess.run(
        ["java", "-cp", classpath, "ReadTbx", str(tbx)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert out.splitlines() == [
        "Moskow = Moscow   [comment: subjectField: city | capital of Russia | "
        "variant: Kremlin | adjective: Muscovite]",
        "Moskwa = Moscow   [comment: subjectField: city | capital of Russia | "
        "variant: Kremlin | adjective: Muscovite]",
        "Afrika = Africa   [comment: subjectField: continent | adjective: African]",
    ]


OLD_STYLE_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
  <termEntry id="c1"><descrip type="subjectField">city</descrip>
    <langSet xml:lang="id"><tig><term>Moskow</term></tig></langSet>
    <langSet xml:lang="en">
      <tig><term>Moscow</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      <tig><term>Kremlin</term>
        <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
      <tig><term>Muscovite</term><termNote type="partOfSpeech">adjective</termNote></tig>
    </langSet>
  </termEntry>
</body></text></martif>
"""


def test_tbx_written_by_earlier_versions_still_reads_variants_and_adjectives(
    tmp_path: Path,
) -> None:
    (entry,) = read_glossary(_write(tmp_path, "old.tbx", OLD_STYLE_TBX)).entries
    assert (entry.target, entry.target_variants, entry.adjectives) == (
        "Moscow",
        ("Kremlin",),
        ("Muscovite",),
    )


TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="id"><termSec><term>Praha</term></termSec></langSec>
      <langSec xml:lang="en">
        <termSec><term>Prague</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>Praha</term></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_tbx_v3_import(tmp_path: Path) -> None:
    result = read_glossary(_write(tmp_path, "v3.tbx", TBX3))
    assert [(e.source, e.target, e.target_variants) for e in result.entries] == [
        ("Praha", "Prague", ("Praha",))
    ]


def test_conflicting_entries_in_one_file_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "g.txt", "Inggris\tBritain\nInggris\tEngland\nInggris\tBritain\n")
    result = read_glossary(path)
    assert [e.target for e in result.entries] == ["Britain"]
    assert result.conflicts == ("'Inggris' is given as 'Britain' and as 'England'; kept 'Britain'",)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.tbx", "<martif><text><body><termEntry>", "not well-formed XML"),
        ("bad.tbx", "<html><body/></html>", "not TBX"),
        (
            "bad.tbx",
            '<martif><text><body><termEntry id="x"><langSet xml:lang="id"><tig>'
            "<term>Roma</term></tig></langSet></termEntry></body></text></martif>",
            "lacks an Indonesian",
        ),
        ("bad.utf8", "Roma Rome\n", "found no tab"),
        ("bad.utf8", "Roma\t\n", "needs both"),
        ("empty.utf8", "\n\n", "holds no glossary entries"),
        ("bad.csv", "source,target\nRoma\n", "at least source,target"),
    ],
)
def test_bad_files_get_clear_errors(tmp_path: Path, name: str, content: str, message: str) -> None:
    with pytest.raises(GlossaryError, match=message):
        read_glossary(_write(tmp_path, name, content))


def test_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.utf8"
    path.write_bytes("Zürich\tZurich\n".encode("latin-1"))
    with pytest.raises(TmError, match=r"not valid UTF-8.*byte 0xfc at offset 1.*encoding cp1252"):
        read_glossary(path)
    # ...and it reads once the encoding is named.
    (entry,) = read_glossary(path, encoding="latin-1").entries
    assert (entry.source, entry.target) == ("Zürich", "Zurich")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="no such file"):
        read_glossary(tmp_path / "nope.tbx")


# -- issue 12: real-world glossary files -------------------------------------


def test_omegat_utf16_tsv_glossary_is_read(tmp_path: Path) -> None:
    """Item 20: OmegaT's own UTF-16 (LE, with a BOM) glossary was refused as "not UTF-8"."""
    result = read_glossary(DATA / "omegat_utf16le.txt")
    assert [(e.source, e.target, e.comment) for e in result.entries] == [
        ("Belanda", "the Netherlands", "country"),
        ("Selandia Baru", "New Zealand", ""),
        ("Jenewa", "Geneva", "city in Switzerland"),
    ]


@pytest.mark.parametrize(
    ("name", "encoding", "bom"),
    [
        ("g.utf8", "utf-16-be", b"\xfe\xff"),
        ("g.tsv", "utf-8", b"\xef\xbb\xbf"),
        ("g.csv", "utf-16-le", b"\xff\xfe"),
        ("g.csv", "utf-16-be", b"\xfe\xff"),
    ],
)
def test_byte_order_marks_are_honoured(
    tmp_path: Path, name: str, encoding: str, bom: bytes
) -> None:
    sep = "," if name.endswith(".csv") else "\t"
    path = tmp_path / name
    path.write_bytes(bom + f"Zürich{sep}Zurich\nJenewa{sep}Geneva\n".encode(encoding))
    assert [(e.source, e.target) for e in read_glossary(path).entries] == [
        ("Zürich", "Zurich"),
        ("Jenewa", "Geneva"),
    ]


def test_utf16_tbx_without_a_tbx_suffix_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "glossary.dat"
    path.write_bytes(
        b"\xff\xfe"
        + write_glossary(ENTRIES, "tbx")
        .replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .encode("utf-16-le")
    )
    assert list(read_glossary(path).entries) == ENTRIES


def test_incomplete_tbx_entries_are_skipped_and_reported() -> None:
    """Item 15: one empty <term/> (an SDL MultiTerm export) aborted the whole import."""
    result = read_glossary(DATA / "multiterm_empty_terms.tbx")
    assert [(e.source, e.target, e.type) for e in result.entries] == [
        ("Belanda", "the Netherlands", "country"),
        ("Jakarta Raya", "Greater Jakarta", "user"),
        ("Swiss", "Switzerland", "user"),
    ]
    assert result.skipped == (
        "entry c2 (line 19): no English term (an empty <term/>)",
        "entry c4 (line 39): no Indonesian term (an empty <term/>)",
        "entry c5 (line 47): no Indonesian term",
    )
    assert result.skipped_count == 3


def test_a_tbx_with_no_complete_entry_is_an_error(tmp_path: Path) -> None:
    text = (DATA / "multiterm_empty_terms.tbx").read_text(encoding="utf-8")
    text = text.replace('xml:lang="en-GB"', 'xml:lang="fr-FR"')
    with pytest.raises(GlossaryError, match=r"no complete entry.*6 entries.*entry c1 \(line 10\)"):
        read_glossary(_write(tmp_path, "fr.tbx", text))


def test_entity_reference_in_tbx_is_refused_with_line_and_column() -> None:
    """Item 13: `Jakarta &u; kota` silently imported as "Jakarta"."""
    with pytest.raises(GlossaryError) as info:
        read_glossary(DATA / "entity_in_term.tbx")
    message = str(info.value)
    assert "entity_in_term.tbx, line 6, column 49" in message
    assert "&u;" in message and "nothing was imported" in message


ENTRY = (
    '<termEntry id="c{n}"><langSet xml:lang="id"><tig><term>Roma</term></tig></langSet>'
    '<langSet xml:lang="en"><tig><term>Rome</term></tig></langSet></termEntry>'
)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (ENTRY.format(n=1) + "\n&u;" + ENTRY.format(n=2), "line 5, column 1"),
        ("<martifHeader><p>&u;</p></martifHeader><text><body>", "line 3, column 26"),
        (ENTRY.format(n=1).replace("<tig>", "<tig>&u;", 1), "line 4, column 48"),
    ],
)
def test_entity_references_anywhere_in_tbx_are_refused(
    tmp_path: Path, body: str, where: str
) -> None:
    if "<text>" in body:
        text = f"<martif>{body}{ENTRY.format(n=1)}</body></text></martif>\n"
    else:
        text = f"<martif><text><body>\n{body}\n</body></text></martif>\n"
    path = _write(tmp_path, "e.tbx", '<!DOCTYPE martif SYSTEM "x.dtd">\n\n' + text)
    with pytest.raises(GlossaryError, match=f"{where} uses the entity reference &u;"):
        read_glossary(path)


@pytest.mark.parametrize(
    ("doctype", "where"),
    [
        ('<!ENTITY xx SYSTEM "file:///etc/passwd">', "line 3, column 1"),
        ('  <!ENTITY % pe SYSTEM "http://example.com/x.dtd">', "line 3, column 3"),
        ('<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">', "line 3, column 1"),
    ],
)
def test_entity_declarations_in_tbx_are_refused(tmp_path: Path, doctype: str, where: str) -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE martif [\n' + doctype + "\n]>\n"
        '<martif><text><body><termEntry id="c1">'
        '<langSet xml:lang="id"><tig><term>Roma</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>Rome</term></tig></langSet>'
        "</termEntry></body></text></martif>\n"
    )
    with pytest.raises(GlossaryError, match=f"{where} declares XML entities"):
        read_glossary(_write(tmp_path, "decl.tbx", text))


def test_undeclared_entity_without_doctype_names_line_and_column(tmp_path: Path) -> None:
    text = '<martif>\n<text><body><termEntry id="a"><term>Jakarta &nbsp; kota</term>'
    with pytest.raises(GlossaryError) as info:
        read_glossary(_write(tmp_path, "nbsp.tbx", text + "</termEntry></body></text></martif>"))
    message = str(info.value)
    assert "line 2, column" in message and "&nbsp;" in message
    assert "no element found" not in message


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        (":artifHeader", "line 1, column 22 is not well-formed XML: Failed to parse QName"),
        ("a:b", "line 1, column 13 is not well-formed XML: Namespace prefix a on b"),
        ("termEntry:", "line 1, column 20 is not well-formed XML: Failed to parse QName"),
    ],
)
def test_odd_element_names_are_clear_errors(tmp_path: Path, tag: str, message: str) -> None:
    """Found by fuzz/fuzz_tbx.py: `<:artifHeader>` escaped as lxml's ValueError."""
    text = (
        f'<martif><{tag}/><text><body><termEntry id="c1">'
        '<langSet xml:lang="id"><tig><term>Roma</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>Rome</term></tig></langSet>'
        "</termEntry></body></text></martif>"
    )
    with pytest.raises(GlossaryError, match=message):
        read_glossary(_write(tmp_path, "odd.tbx", text))


def test_an_oversized_tbx_entry_is_refused(tmp_path: Path) -> None:
    tigs = "<tig><term>x</term></tig>" * 3000
    text = (
        '<martif><text><body><termEntry id="big"><langSet xml:lang="en">'
        + tigs
        + "</langSet></termEntry></body></text></martif>"
    )
    with pytest.raises(GlossaryError, match="entry big at line 1 has more than"):
        read_glossary(_write(tmp_path, "big.tbx", text))


_RSS_PROBE = """
import resource, sys
from pathlib import Path
from glossary.formats import read_glossary
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = read_glossary(Path(sys.argv[1]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(result.entries), (after - before) // 1024)
"""


@pytest.mark.slow
def test_a_big_tbx_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """Item 12: a 69 MB TBX took 990 MB; the reader must not hold the whole tree."""
    other = "".join(
        f'<langSet xml:lang="{code}"><tig><term>nama tempat {code}</term>'
        f'<termNote type="partOfSpeech">noun</termNote></tig>'
        f'<descrip type="definition">a place, as the {code} team writes it</descrip></langSet>'
        for code in ("de", "fr", "es", "it", "nl", "pt", "pl", "cs", "sv", "da", "fi", "ja")
    )
    path = tmp_path / "big.tbx"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX"><text><body>\n')
        for n in range(12_000):
            fh.write(
                f'<termEntry id="c{n}"><langSet xml:lang="id"><tig><term>Tempat {n}</term>'
                f'</tig></langSet><langSet xml:lang="en"><tig><term>Place {n}</term></tig>'
                f"</langSet>{other}</termEntry>\n"
            )
        fh.write("</body></text></martif>\n")
    size_mb = path.stat().st_size // 2**20
    assert size_mb >= 20
    probe = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    entries, grown_mb = map(int, probe.stdout.split())
    assert entries == 12_000
    # The whole tree of this file takes about 12 times its size; streaming
    # keeps one entry at a time, plus the 12,000 entries read.
    assert grown_mb < size_mb, (grown_mb, size_mb)


def test_tsv_and_csv_lines_missing_a_side_are_skipped_and_reported(tmp_path: Path) -> None:
    tsv = read_glossary(_write(tmp_path, "g.utf8", "Roma\tRome\nMilano\t \n\tTurin\n"))
    assert [e.source for e in tsv.entries] == ["Roma"]
    assert tsv.skipped == ("line 2: no English target", "line 3: no Indonesian source")
    csv_ = read_glossary(_write(tmp_path, "g.csv", "source,target\nRoma,Rome\nMilano,\n"))
    assert [e.source for e in csv_.entries] == ["Roma"]
    assert (csv_.skipped, csv_.skipped_count) == (("line 3: no English target",), 1)


def test_skipped_entries_shown_are_capped_but_all_counted(tmp_path: Path) -> None:
    lines = "Roma\tRome\n" + "".join(f"Kota {n}\t\n" for n in range(150))
    result = read_glossary(_write(tmp_path, "g.utf8", lines))
    assert (len(result.skipped), result.skipped_count) == (100, 150)


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf" * 3, b"\xfe\xff" * 3, b"\xff\xfe" * 2])
def test_repeated_byte_order_marks_do_not_stick_to_the_first_term(
    tmp_path: Path, bom: bytes
) -> None:
    """Found by fuzz/fuzz_textio.py: a third BOM stayed as U+FEFF before the first word."""
    encoding = {b"\xef": "utf-8", b"\xfe": "utf-16-be", b"\xff": "utf-16-le"}[bom[:1]]
    path = tmp_path / "g.utf8"
    path.write_bytes(bom + "Jenewa\tGeneva\n".encode(encoding))
    (entry,) = read_glossary(path).entries
    assert entry.source == "Jenewa"
