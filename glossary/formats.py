"""Glossary files: OmegaT tab-separated, CSV, TBX 2 (martif, TBX-Basic), TBX v3.

- TSV is OmegaT's ``source<TAB>target<TAB>comment`` (``.utf8``/``.txt``/``.tsv``):
  one line per entry; variants and adjectives do not fit it and are not written.
- CSV carries every field: source, target, type, source_variants,
  target_variants, adjectives (lists joined with ``|``), check_only, comment.
- TBX 2 (``martif``, TBX-Basic) is what OmegaT reads; TBX v3 (``tbx``) is read
  on import only, since OmegaT cannot read it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from glossary.models import TermEntry
from tm.errors import GlossaryError

FORMATS = ("tsv", "csv", "tbx")
CSV_FIELDS = [
    "source",
    "target",
    "type",
    "source_variants",
    "target_variants",
    "adjectives",
    "check_only",
    "comment",
]
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PREFERRED = "preferredTerm-admn-sts"
_ADMITTED = "admittedTerm-admn-sts"


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Entries read from a file, and the conflicts found inside it."""

    entries: tuple[TermEntry, ...]
    conflicts: tuple[str, ...] = field(default_factory=tuple)


def detect_format(path: Path) -> str:
    """The format of a glossary file, from its extension or its first bytes."""
    suffix = path.suffix.lower()
    if suffix in (".tbx", ".xml"):
        return "tbx"
    if suffix == ".csv":
        return "csv"
    if suffix in (".utf8", ".txt", ".tsv", ".tab"):
        return "tsv"
    head = path.read_bytes()[:200].lstrip(b"\xef\xbb\xbf \r\n\t")
    return "tbx" if head.startswith(b"<") else "tsv"


def _entry(
    source: str,
    target: str,
    *,
    line: str,
    type: str = "user",
    source_forms_extra: tuple[str, ...] = (),
    target_variants: tuple[str, ...] = (),
    adjectives: tuple[str, ...] = (),
    check_only: bool = False,
    comment: str = "",
) -> TermEntry:
    source, target = source.strip(), target.strip()
    if not source or not target:
        raise GlossaryError(
            f"{line}: an entry needs both an Indonesian source and an English target. "
            "Fill in the missing side or delete the line."
        )
    return TermEntry(
        id=f"user:{source}",
        type=type or "user",
        source_forms=(source, *(f for f in source_forms_extra if f != source)),
        target=target,
        target_variants=target_variants,
        adjectives=adjectives,
        check_only=check_only,
        comment=comment,
        origin="user",
    )


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split("|") if p.strip())


def read_glossary(path: Path, fmt: str = "auto") -> ReadResult:
    """Read a glossary file; raise :class:`GlossaryError` with a clear message if bad."""
    if not path.is_file():
        raise GlossaryError(f"Cannot read {path}: no such file. Check the path.")
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt not in FORMATS:
        raise GlossaryError(f"Unknown glossary format {fmt!r}: use tsv, csv or tbx.")
    data = path.read_bytes()
    if fmt == "tbx":
        entries = _read_tbx(data, path)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise GlossaryError(
                f"{path} is not UTF-8 text (byte {exc.start} is invalid). Save it as UTF-8 "
                "(OmegaT's .utf8 glossaries are) and import it again."
            ) from exc
        entries = _read_csv(text, path) if fmt == "csv" else _read_tsv(text, path)
    if not entries:
        raise GlossaryError(f"{path} holds no glossary entries. Is it the right file?")
    return merge_duplicates(entries)


def merge_duplicates(entries: Iterable[TermEntry]) -> ReadResult:
    """Drop repeated entries; report a source given two different targets."""
    kept: dict[str, TermEntry] = {}
    conflicts: list[str] = []
    for entry in entries:
        key = entry.source.casefold()
        first = kept.get(key)
        if first is None:
            kept[key] = entry
        elif first.target != entry.target:
            conflicts.append(
                f"{entry.source!r} is given as {first.target!r} and as {entry.target!r}; "
                f"kept {first.target!r}"
            )
    return ReadResult(tuple(kept.values()), tuple(conflicts))


def _read_tsv(text: str, path: Path) -> list[TermEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            raise GlossaryError(
                f"{path}, line {number}: expected source<TAB>target[<TAB>comment], found no "
                "tab. Separate the columns with tabs (OmegaT's glossary format)."
            )
        comment = cells[2].strip() if len(cells) > 2 else ""
        entries.append(_entry(cells[0], cells[1], line=f"{path}, line {number}", comment=comment))
    return entries


def _read_csv(text: str, path: Path) -> list[TermEntry]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise GlossaryError(f"{path} is not valid CSV: {exc}.") from exc
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    has_header = "source" in header and "target" in header
    columns = header if has_header else list(CSV_FIELDS)
    entries = []
    for number, row in enumerate(rows[1:] if has_header else rows, start=2 if has_header else 1):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 2:
            raise GlossaryError(
                f"{path}, line {number}: expected at least source,target columns. "
                "Check the separator: it must be a comma."
            )
        cell = dict(zip(columns, row, strict=False))
        entries.append(
            _entry(
                cell.get("source", ""),
                cell.get("target", ""),
                line=f"{path}, line {number}",
                type=cell.get("type", "").strip() or "user",
                source_forms_extra=_split(cell.get("source_variants")),
                target_variants=_split(cell.get("target_variants")),
                adjectives=_split(cell.get("adjectives")),
                check_only=cell.get("check_only", "").strip().lower() in ("1", "true", "yes"),
                comment=cell.get("comment", "").strip(),
            )
        )
    return entries


def _read_tbx(data: bytes, path: Path) -> list[TermEntry]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise GlossaryError(
            f"{path} is not well-formed XML ({exc}). Is it a TBX file? Repair it or export "
            "it again from the tool that made it."
        ) from exc
    if etree.QName(root).localname not in ("martif", "tbx"):
        raise GlossaryError(
            f"{path} is XML but not TBX: its root is <{etree.QName(root).localname}>, not "
            "<martif> (TBX 2) or <tbx> (TBX v3)."
        )
    entries = []
    for concept in root.iter("{*}termEntry", "{*}conceptEntry"):
        entries.append(_tbx_entry(concept, path))
    return entries


def _local(el: object) -> str:
    from lxml import etree

    return str(etree.QName(el).localname)


def _tbx_entry(concept: object, path: Path) -> TermEntry:
    langs: dict[str, list[tuple[str, dict[str, str]]]] = {"id": [], "en": []}
    kind, comment, check_only = "user", "", False
    for el in concept.iter():  # type: ignore[attr-defined]
        if not isinstance(el.tag, str):
            continue
        name, value = _local(el), (el.text or "").strip()
        if (name == "descrip" and el.get("type") == "subjectField") or name == "subjectField":
            kind = value or kind
        elif name == "note" and _local(el.getparent()) in ("termEntry", "conceptEntry"):
            comment = value
        elif (name == "admin" and el.get("type") == "projectSubset") or name == "projectSubset":
            check_only = value == "check-only"
        elif name == "term":
            group = el.getparent()
            lang_el = group
            while lang_el is not None and _local(lang_el) not in ("langSet", "langSec"):
                lang_el = lang_el.getparent()
            lang = (
                (lang_el.get(_XML_LANG) or "").lower().split("-")[0] if lang_el is not None else ""
            )
            lang = {"in": "id", "ind": "id", "eng": "en"}.get(lang, lang)
            notes = {}
            for sib in group.iter():
                if sib is el or not isinstance(sib.tag, str):
                    continue
                sib_name = _local(sib)
                key = sib.get("type") if sib_name == "termNote" else sib_name
                if key:
                    notes[key] = (sib.text or "").strip()
            if lang in langs and value:
                langs[lang].append((value, notes))
    concept_id = concept.get("id", "?")  # type: ignore[attr-defined]
    if not langs["id"] or not langs["en"]:
        raise GlossaryError(
            f'{path}: entry {concept_id} lacks an Indonesian (xml:lang="id") or an English '
            '(xml:lang="en") term. Each entry needs both.'
        )
    english = [t for t, n in langs["en"] if n.get("partOfSpeech") != "adjective"]
    adjectives = tuple(t for t, n in langs["en"] if n.get("partOfSpeech") == "adjective")
    preferred = next(
        (t for t, n in langs["en"] if n.get("administrativeStatus") == _PREFERRED), None
    ) or (english[0] if english else langs["en"][0][0])
    sources = [t for t, _ in langs["id"]]
    return _entry(
        sources[0],
        preferred,
        line=f"{path}, entry {concept_id}",
        type=kind,
        source_forms_extra=tuple(sources[1:]),
        target_variants=tuple(t for t in english if t != preferred),
        adjectives=adjectives,
        check_only=check_only,
        comment=comment,
    )


def write_glossary(entries: Sequence[TermEntry], fmt: str) -> str:
    """Serialise entries as ``tsv``, ``csv`` or ``tbx`` (TBX 2, TBX-Basic)."""
    if fmt == "tsv":
        return "".join(
            f"{_clean(e.source)}\t{_clean(e.target)}\t{_clean(e.comment)}\n" for e in entries
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for e in entries:
            writer.writerow(
                [
                    e.source,
                    e.target,
                    e.type,
                    "|".join(e.source_forms[1:]),
                    "|".join(e.target_variants),
                    "|".join(e.adjectives),
                    "1" if e.check_only else "0",
                    e.comment,
                ]
            )
        return buffer.getvalue()
    if fmt == "tbx":
        return _write_tbx(entries)
    raise GlossaryError(f"Unknown glossary format {fmt!r}: use tsv, csv or tbx.")


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _write_tbx(entries: Sequence[TermEntry]) -> str:
    from lxml import etree

    root = etree.Element("martif", type="TBX-Basic", nsmap=None)
    root.set(_XML_LANG, "en")
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    source_desc = etree.SubElement(file_desc, "sourceDesc")
    etree.SubElement(source_desc, "p").text = "tm-workbench place-name glossary"
    encoding = etree.SubElement(header, "encodingDesc")
    etree.SubElement(encoding, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for number, e in enumerate(entries, start=1):
        concept = etree.SubElement(body, "termEntry", id=f"c{number}")
        etree.SubElement(concept, "descrip", type="subjectField").text = e.type
        if e.check_only:
            etree.SubElement(concept, "admin", type="projectSubset").text = "check-only"
        if e.comment:
            etree.SubElement(concept, "note").text = e.comment
        _lang_set(concept, "id", [(f, None, None) for f in e.source_forms])
        _lang_set(
            concept,
            "en",
            [(e.target, _PREFERRED, None)]
            + [(v, _ADMITTED, None) for v in e.target_variants]
            + [(a, None, "adjective") for a in e.adjectives],
        )
    body_xml = str(etree.tostring(root, encoding="unicode", pretty_print=True))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n' + body_xml
    )


def _lang_set(concept: object, lang: str, terms: list[tuple[str, str | None, str | None]]) -> None:
    from lxml import etree

    lang_set = etree.SubElement(concept, "langSet")
    lang_set.set(_XML_LANG, lang)
    for text, status, pos in terms:
        tig = etree.SubElement(lang_set, "tig")
        etree.SubElement(tig, "term").text = text
        if status:
            etree.SubElement(tig, "termNote", type="administrativeStatus").text = status
        if pos:
            etree.SubElement(tig, "termNote", type="partOfSpeech").text = pos
