"""Glossary files: OmegaT tab-separated, CSV, TBX 2 (martif, TBX-Basic), TBX v3.

- TSV is OmegaT's ``source<TAB>target<TAB>comment`` (``.utf8``/``.txt``/``.tsv``):
  one line per entry; variants and adjectives do not fit it and are not written.
- CSV carries every field: source, target, type, source_variants,
  target_variants, adjectives (lists joined with ``|``), check_only, comment.
- TBX 2 (``martif``, TBX-Basic) is what OmegaT reads; TBX v3 (``tbx``) is read
  on import only, since OmegaT cannot read it. Each entry's English langSet
  holds one ``<term>``, the preferred form: OmegaT (3.6 and later) offers every
  English ``<term>`` as a translation, so accepted variants and adjectives are
  written as ``<descrip type="variant">`` / ``<descrip type="adjective">``
  beside it (OmegaT shows them in the entry's comment). Older files with
  variants as admitted ``<term>``s and adjectives marked by
  ``partOfSpeech`` are read too.

TBX is streamed (one entry in memory at a time) and never expands entities:
a file that declares or uses one is refused. Incomplete entries (an empty
``<term/>``, as SDL MultiTerm exports have) are skipped and reported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    """Entries read from a file, the conflicts found inside it, and what was skipped.

    ``skipped`` describes the first :data:`MAX_SKIPPED_SHOWN` incomplete entries
    (an empty ``<term/>``, a line with no English); ``skipped_count`` counts all.
    """

    entries: tuple[TermEntry, ...]
    conflicts: tuple[str, ...] = field(default_factory=tuple)
    skipped: tuple[str, ...] = field(default_factory=tuple)
    skipped_count: int = 0


MAX_SKIPPED_SHOWN = 100


@dataclass(slots=True)
class _Skips:
    """Incomplete entries left out of an import."""

    shown: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, what: str) -> None:
        self.count += 1
        if len(self.shown) < MAX_SKIPPED_SHOWN:
            self.shown.append(what)


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def detect_format(path: Path) -> str:
    """The format of a glossary file, from its extension or its first bytes."""
    suffix = path.suffix.lower()
    if suffix in (".tbx", ".xml"):
        return "tbx"
    if suffix == ".csv":
        return "csv"
    if suffix in (".utf8", ".txt", ".tsv", ".tab"):
        return "tsv"
    with path.open("rb") as fh:
        head = fh.read(200)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", "replace").encode()
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \r\n\t")
    return "tbx" if head.startswith(b"<") else "tsv"


def _entry(
    source: str,
    target: str,
    *,
    type: str = "user",
    source_forms_extra: tuple[str, ...] = (),
    target_variants: tuple[str, ...] = (),
    adjectives: tuple[str, ...] = (),
    check_only: bool = False,
    comment: str = "",
) -> TermEntry:
    source, target = source.strip(), target.strip()
    if not source or not target:
        raise _Incomplete(f"no {'Indonesian source' if not source else 'English target'}")
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


def read_glossary(path: Path, fmt: str = "auto", encoding: str | None = None) -> ReadResult:
    """Read a glossary file; raise a :class:`~tm.errors.TmError` with a clear message if bad.

    TSV and CSV are UTF-8, or UTF-8/UTF-16 with a byte-order mark, unless
    ``encoding`` names another codec; TBX declares its own encoding. Incomplete
    entries (an empty ``<term/>``, a line without its English) are skipped and
    listed in :attr:`ReadResult.skipped`; a file with no complete entry is an error.
    """
    if not path.is_file():
        raise GlossaryError(f"Cannot read {path}: no such file. Check the path.")
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt not in FORMATS:
        raise GlossaryError(f"Unknown glossary format {fmt!r}: use tsv, csv or tbx.")
    skips = _Skips()
    if fmt == "tbx":
        entries = _read_tbx(path, skips)
    else:
        from tm.textio import decode_bytes

        data = path.read_bytes()
        bare = data
        for bom in _BOMS:
            bare = bare.removeprefix(bom)
        if not bare.strip(b" \t\r\n\x00"):
            raise GlossaryError(f"{path} holds no glossary entries: it is empty.")
        text = decode_bytes(data, str(path), encoding)
        entries = _read_csv(text, path, skips) if fmt == "csv" else _read_tsv(text, path, skips)
    if not entries:
        if skips.count:
            first = "; ".join(skips.shown[:3])
            raise GlossaryError(
                f"{path} holds no complete entry: all {skips.count:,} "
                f"{'entries lack' if skips.count > 1 else 'entry lacks'} an Indonesian or an "
                f"English term ({first}). Each entry needs both "
                '(xml:lang="id" and xml:lang="en" in TBX). Is it the right file?'
            )
        raise GlossaryError(f"{path} holds no glossary entries. Is it the right file?")
    merged = merge_duplicates(entries)
    return ReadResult(merged.entries, merged.conflicts, tuple(skips.shown), skips.count)


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


def _read_tsv(text: str, path: Path, skips: _Skips) -> list[TermEntry]:
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
        try:
            entries.append(_entry(cells[0], cells[1], comment=comment))
        except _Incomplete as exc:
            skips.add(f"line {number}: {exc}")
    return entries


def _read_csv(text: str, path: Path, skips: _Skips) -> list[TermEntry]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise GlossaryError(f"{path} is not valid CSV: {exc}.") from None
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
        try:
            entries.append(
                _entry(
                    cell.get("source", ""),
                    cell.get("target", ""),
                    type=cell.get("type", "").strip() or "user",
                    source_forms_extra=_split(cell.get("source_variants")),
                    target_variants=_split(cell.get("target_variants")),
                    adjectives=_split(cell.get("adjectives")),
                    check_only=cell.get("check_only", "").strip().lower() in ("1", "true", "yes"),
                    comment=cell.get("comment", "").strip(),
                )
            )
        except _Incomplete as exc:
            skips.add(f"line {number}: {exc}")
    return entries


class _Incomplete(Exception):
    """An entry that lacks its Indonesian or its English side: skipped, not fatal."""


_ENTRY_TAGS = frozenset({"termEntry", "conceptEntry"})
_LANG_TAGS = frozenset({"langSet", "langSec"})
# A real entry holds a few dozen elements (many languages, notes, dates); a
# bigger one is a crafted file, refused before it can cost memory or time.
MAX_ENTRY_ELEMENTS = 2000


def _read_tbx(path: Path, skips: _Skips) -> list[TermEntry]:
    """Stream the entries of a TBX file, one ``termEntry``/``conceptEntry`` at a time.

    Everything outside the entry being read is cleared as soon as it ends, so
    memory holds one entry whatever the file size. Entities are never expanded:
    a file that declares or uses one is refused.
    """
    from lxml import etree

    context = etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    entries: list[TermEntry] = []
    root: Any = None
    entry: Any = None
    size = 0
    try:
        for event, el in context:
            if entry is not None:
                # Inside the entry being read: it is kept whole until it ends.
                if event == "start":
                    size += 1
                    if size > MAX_ENTRY_ELEMENTS:
                        raise GlossaryError(
                            f"{path}: entry {_show(entry.get('id', '?'))} at line "
                            f"{entry.sourceline} has more than {MAX_ENTRY_ELEMENTS:,} elements; "
                            "a glossary entry holds a few terms and notes. The file was refused "
                            "and nothing was imported."
                        )
                    continue
                if el is not entry:
                    continue
                for node in entry.iter(etree.Entity):
                    raise _entity_error(node, path)
                try:
                    entries.append(_tbx_entry(entry))
                except _Incomplete as exc:
                    where = f"entry {_show(entry.get('id', '?'))} (line {entry.sourceline})"
                    skips.add(f"{where}: {exc}")
                entry = None
            elif event == "start":
                if root is None:
                    root = el
                    _check_tbx_root(el, path)
                elif _local(el) in _ENTRY_TAGS:
                    entry, size = el, 0
                continue
            else:
                for node in el:
                    if isinstance(node, etree._Entity):
                        raise _entity_error(node, path)
            if el is root:
                continue
            # Keep memory flat: empty this element and drop the siblings before it.
            el.clear(keep_tail=False)
            parent = el.getparent()
            while (previous := el.getprevious()) is not None:
                if isinstance(previous, etree._Entity):
                    raise _entity_error(previous, path)
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(path, exc, context.error_log) from None
    except OSError as exc:
        raise GlossaryError(
            f"Cannot read {path}: {exc.strerror or exc}. Check that you may read it."
        ) from None
    if root is None:
        raise GlossaryError(f"{path} holds no XML elements: it is not a TBX file.")
    return entries


def _check_tbx_root(root: Any, path: Path) -> None:
    name = _local(root)
    if name not in ("martif", "tbx"):
        raise GlossaryError(
            f"{path} is XML but not TBX: its root is <{_show(name)}>, not <martif> (TBX 2) or "
            "<tbx> (TBX v3)."
        )
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        line, column = _find_in_prolog(path, b"<!ENTITY", root.sourceline)
        raise GlossaryError(
            f"{path}{_where(line, column)} declares XML entities in its DOCTYPE. tm never "
            "expands entities (they can read local files or explode in size), so the file was "
            "refused and nothing was imported. Remove the <!ENTITY> declarations."
        )


def _entity_error(node: Any, path: Path) -> GlossaryError:
    """The error for an entity reference the parser kept unexpanded (``&u;``)."""
    reference = str(node)
    line, column = _find_near_line(path, node.sourceline, reference.encode("utf-8", "replace"))
    return GlossaryError(
        f"{path}{_where(line, column)} uses the entity reference {_show(reference)}. "
        "tm never expands entities (they can read local files or explode in size), "
        "so the file was refused and nothing was imported. Replace the entity with "
        "the character it stands for."
    )


def _where(line: int | None, column: int | None) -> str:
    if not line:
        return ""
    return f", line {line}" + (f", column {column}" if column else "")


def _lines(path: Path, stop: int) -> Iterator[tuple[int, bytes]]:
    """The file's lines up to line ``stop``, each cut to its first 64 KiB (memory stays flat)."""
    limit = 1 << 16
    with path.open("rb") as fh:
        number = 1
        while number <= stop:
            raw = fh.readline(limit)
            if not raw:
                return
            yield number, raw
            while not raw.endswith(b"\n"):  # skip the rest of a very long line
                raw = fh.readline(limit)
                if not raw:
                    return
            number += 1


def _column(raw: bytes, needle: bytes) -> int | None:
    at = raw.find(needle)
    return None if at < 0 else len(raw[:at].decode("utf-8", "replace")) + 1


def _find_near_line(path: Path, line: int | None, needle: bytes) -> tuple[int | None, int | None]:
    """Line and 1-based column of ``needle`` on ``line`` or the two lines after it.

    libxml2 sometimes gives an entity reference the line of the node before it.
    """
    if not line:
        return None, None
    try:
        for number, raw in _lines(path, line + 2):
            if number >= line and (column := _column(raw, needle)) is not None:
                return number, column
    except OSError:
        pass
    return line, None


def _find_in_prolog(
    path: Path, needle: bytes, last_line: int | None
) -> tuple[int | None, int | None]:
    """Line and column of the first ``needle`` up to the root element (at ``last_line``)."""
    try:
        for number, raw in _lines(path, last_line or 1):
            column = _column(raw, needle)
            if column is not None:
                return number, column
    except OSError:
        pass
    return None, None


def _syntax_error(path: Path, exc: Any, log: Any) -> GlossaryError:
    """The parser's first real error, with its line and column.

    lxml's iterparse often reports a later, misleading error ("no element
    found", line 0) while its error log holds the one that stopped it.
    """
    message: str = exc.msg or str(exc)
    line, column = exc.position or (0, 0)
    for entry in log or ():
        if entry.level_name in ("ERROR", "FATAL"):
            message, line, column = entry.message, entry.line, entry.column
            break
    message = _LINE_SUFFIX.sub("", message).rstrip(".")
    if "entity" in message.lower() and "not defined" in message.lower():
        name = message.split("'")[1] if message.count("'") >= 2 else "?"
        hint = (
            f"The file uses the entity &{_show(name)}; without declaring it. tm never "
            "expands entities: replace it with the character it stands for."
        )
    else:
        hint = "Is it a TBX file? Repair it or export it again from the tool that made it."
    return GlossaryError(
        f"{path}{_where(line, column)} is not well-formed XML: {_show(message)}. {hint} "
        "Nothing was imported."
    )


_LINE_SUFFIX = re.compile(r",? line \d+, column \d+\.?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _show(text: str) -> str:
    """Text from a file, made safe for a message: control characters escaped, length capped."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= 80 else text[:77] + "..."


def _local(el: Any) -> str:
    """An element's name without its namespace.

    Not ``etree.QName``: it raises ValueError on names libxml2 lets through
    with a namespace warning, such as ``<:artifHeader>`` (found by fuzz_tbx).
    """
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el: Any) -> str:
    """All the text of an element (``<hi>`` included), whitespace collapsed."""
    return " ".join("".join(el.itertext()).split())


def _lang_code(el: Any) -> str:
    """``id``, ``en`` or another primary language code of a langSet/langSec."""
    lang = (el.get(_XML_LANG) or el.get("lang") or "").lower().replace("_", "-").split("-")[0]
    return {"in": "id", "ind": "id", "eng": "en"}.get(lang, lang)


@dataclass(slots=True)
class _EntryParts:
    terms: dict[str, list[tuple[str, dict[str, str]]]] = field(
        default_factory=lambda: {"id": [], "en": []}
    )
    empty: set[str] = field(default_factory=set)
    variants: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    kind: str = "user"
    comment: str = ""
    check_only: bool = False

    def admin(self, el: Any, name: str) -> None:
        """Entry-level data: subject field (our type) and the check-only subset."""
        if name == "subjectField" or (name == "descrip" and el.get("type") == "subjectField"):
            self.kind = _text(el) or self.kind
        elif name == "projectSubset" or (name == "admin" and el.get("type") == "projectSubset"):
            self.check_only = _text(el) == "check-only"

    def lang_section(self, section: Any, lang: str) -> None:
        for el in section.iter():
            if not isinstance(el.tag, str):
                continue
            name = _local(el)
            if name == "term":
                value = _text(el)
                if not value:
                    self.empty.add(lang)
                    continue
                notes = {}
                for sib in el.getparent():
                    if sib is el or not isinstance(sib.tag, str):
                        continue
                    sib_name = _local(sib)
                    key = sib.get("type") if sib_name == "termNote" else sib_name
                    if key:
                        notes[key] = _text(sib)
                self.terms[lang].append((value, notes))
            elif name == "descrip" and el.get("type") in ("variant", "adjective"):
                # How tm writes accepted English forms and adjectives: beside the
                # one English <term>, so that OmegaT does not offer them as translations.
                if lang == "en" and _text(el):
                    kind = el.get("type")
                    (self.variants if kind == "variant" else self.adjectives).append(_text(el))
            else:
                self.admin(el, name)


def _tbx_entry(concept: Any) -> TermEntry:
    parts = _EntryParts()
    for child in concept:
        if not isinstance(child.tag, str):
            continue
        name = _local(child)
        if name in _LANG_TAGS:
            lang = _lang_code(child)
            if lang in parts.terms:  # other languages are not read at all
                parts.lang_section(child, lang)
        elif name == "note":
            parts.comment = _text(child)
        else:
            for el in child.iter():
                if isinstance(el.tag, str):
                    parts.admin(el, _local(el))
    terms = parts.terms
    for lang, what in (("id", "Indonesian"), ("en", "English")):
        if not terms[lang]:
            empty = " (an empty <term/>)" if lang in parts.empty else ""
            raise _Incomplete(f"no {what} term{empty}")
    english = [t for t, n in terms["en"] if n.get("partOfSpeech") != "adjective"]
    adjectives = parts.adjectives + [
        t for t, n in terms["en"] if n.get("partOfSpeech") == "adjective"
    ]
    preferred = next(
        (t for t, n in terms["en"] if n.get("administrativeStatus") == _PREFERRED), None
    ) or (english[0] if english else terms["en"][0][0])
    sources = [t for t, _ in terms["id"]]
    return _entry(
        sources[0],
        preferred,
        type=parts.kind,
        source_forms_extra=tuple(sources[1:]),
        target_variants=tuple(
            dict.fromkeys(t for t in (*english, *parts.variants) if t != preferred)
        ),
        adjectives=tuple(dict.fromkeys(a for a in adjectives if a != preferred)),
        check_only=parts.check_only,
        comment=parts.comment,
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
        _lang_set(concept, "id", e.source_forms)
        # Accepted variants and adjectives are not <term>s: OmegaT offers every
        # English <term> of an entry as a translation (the adjective "African"
        # for "Afrika"). As descrips it shows them in the entry's comment
        # ("adjective: African"). The DTD puts a langSet's descrips before its tigs.
        descrips = [("variant", v) for v in e.target_variants]
        descrips += [("adjective", a) for a in e.adjectives]
        _lang_set(concept, "en", (e.target,), descrips)
    body_xml = str(etree.tostring(root, encoding="unicode", pretty_print=True))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n' + body_xml
    )


def _lang_set(
    concept: Any, lang: str, terms: Sequence[str], descrips: Sequence[tuple[str, str]] = ()
) -> None:
    from lxml import etree

    lang_set = etree.SubElement(concept, "langSet")
    lang_set.set(_XML_LANG, lang)
    for kind, text in descrips:
        etree.SubElement(lang_set, "descrip", type=kind).text = text
    for text in terms:
        etree.SubElement(etree.SubElement(lang_set, "tig"), "term").text = text
