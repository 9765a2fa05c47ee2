"""What every TMX we write must satisfy: the TMX 1.4b DTD (shipped in
``tm/data/tmx14.dtd``) and the checks a DTD cannot make: every ``<tu>`` has a
``<tuv>`` in the header's ``srclang``, ``bpt``/``ept`` pair up by ``i``,
language codes are well formed and dates read ``YYYYMMDDThhmmssZ``."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from lxml import etree

DTD_RESOURCE = files("tm") / "data" / "tmx14.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE = re.compile(r"^\d{8}T\d{6}Z$")
LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DATE_ATTRS = ("creationdate", "changedate", "lastusagedate")


@cache
def tmx_dtd() -> etree.DTD:
    """The TMX 1.4b DTD, loaded once from the package data."""
    with DTD_RESOURCE.open("rb") as handle:
        return etree.DTD(handle)


def parse_safely(path: Path) -> etree._ElementTree:
    """Parse a whole TMX without entities, DTD loading or network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser)


def tmx_problems(path: Path) -> list[str]:
    """Every way the file breaks the DTD or the semantic rules (empty if none)."""
    tree = parse_safely(path)
    problems: list[str] = []
    dtd = tmx_dtd()
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
