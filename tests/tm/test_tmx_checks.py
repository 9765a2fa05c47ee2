"""What every TMX we write must satisfy: the 1.4b DTD and the semantic checks
listed in ../shared/spec/README.md."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[2]
DTD_PATH = REPO.parent / "shared" / "spec" / "tmx14.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE = re.compile(r"^\d{8}T\d{6}Z$")
LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DATE_ATTRS = ("creationdate", "changedate", "lastusagedate")


def parse_safely(path: Path) -> etree._ElementTree:
    """Parse a whole TMX without entities, DTD loading or network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser)


def tmx_problems(path: Path) -> list[str]:
    """Every way the file breaks the DTD or the semantic rules (empty if none)."""
    tree = parse_safely(path)
    problems: list[str] = []
    dtd = etree.DTD(str(DTD_PATH))
    if not dtd.validate(tree):
        problems.extend(str(e) for e in dtd.error_log.filter_from_errors())
    root = tree.getroot()
    header = root.find("header")
    srclang = header.get("srclang") if header is not None else None
    for elem in root.iter():
        for attr in DATE_ATTRS:
            value = elem.get(attr)
            if value is not None and not DATE.match(value):
                problems.append(f"line {elem.sourceline}: {attr}={value!r} is not YYYYMMDDThhmmssZ")
    for tu in root.iter("tu"):
        langs = []
        for tuv in tu.findall("tuv"):
            lang = tuv.get(XML_LANG)
            if lang is None or not LANG.match(lang) or lang in ("in", "ind"):
                problems.append(f"line {tuv.sourceline}: bad language code {lang!r}")
            langs.append(lang)
        if srclang != "*all*" and srclang not in langs:
            problems.append(f"line {tu.sourceline}: no <tuv> in the srclang {srclang!r}")
        for seg in tu.iter("seg"):
            begins = sorted(b.get("i") for b in seg.iter("bpt"))
            ends = sorted(e.get("i") for e in seg.iter("ept"))
            if begins != ends:
                problems.append(f"line {seg.sourceline}: bpt {begins} and ept {ends} differ")
    return problems


BAD_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="id" datatype="plaintext"/><body>
<tu creationdate="2020-01-01"><tuv xml:lang="in"><seg>a <bpt i="1">&lt;b&gt;</bpt>b</seg></tuv>
<tuv xml:lang="en"><seg>c</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>d</seg></tuv></tu>
</body></tmx>"""


def test_the_checker_catches_what_the_dtd_cannot(tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(BAD_TMX, encoding="utf-8")
    problems = "\n".join(tmx_problems(path))
    assert "is not YYYYMMDDThhmmssZ" in problems
    assert "bad language code 'in'" in problems
    assert "no <tuv> in the srclang 'id'" in problems
    assert "bpt ['1'] and ept [] differ" in problems


def test_the_checker_applies_the_dtd(tmp_path: Path) -> None:
    path = tmp_path / "nodtd.tmx"
    path.write_text(BAD_TMX.replace(' creationtool="x"', ""), encoding="utf-8")
    assert any("creationtool" in p for p in tmx_problems(path))
