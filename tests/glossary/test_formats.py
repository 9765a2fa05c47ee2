"""Glossary files: OmegaT TSV, CSV, TBX 2 (martif) and TBX v3 on import."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from glossary import TermEntry
from glossary.formats import read_glossary, write_glossary
from tm.errors import GlossaryError

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
    assert [t.text for t in first.findall("langSet/tig/term")] == [
        "Moskow",
        "Moskwa",
        "Moscow",
        "Kremlin",
        "Muscovite",
    ]


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
    with pytest.raises(GlossaryError, match="not UTF-8"):
        read_glossary(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="no such file"):
        read_glossary(tmp_path / "nope.tbx")
