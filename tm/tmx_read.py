"""Streaming TMX reader: TMX 1.1 to 1.4b from any CAT tool, safely.

The file is parsed with lxml ``iterparse``; each ``<tu>`` is turned into a
:class:`~tm.models.TranslationUnit` and then cleared, so memory stays flat
whatever the file size. The parser never resolves entities, never loads a DTD
and never touches the network; a document that declares entities is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tm.errors import TmxError
from tm.models import SOURCE_LANG, TARGET_LANG, Status, TranslationUnit

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
INLINE_TAGS = frozenset({"bpt", "ept", "ph", "it", "hi", "ut", "sub"})
# The text inside these is native code (``<b>``, ``{1}``), not words to match.
_CODE_TAGS = frozenset({"bpt", "ept", "ph", "it", "ut"})
_HEADER_CHILDREN = frozenset({"note", "prop", "ude"})
_TUV_CHILDREN = frozenset({"note", "prop", "seg"})
# Props that map onto TranslationUnit fields instead of staying in ``props``.
CONSUMED_PROPS = frozenset(
    {"x-status", "x-origin", "x-document", "x-context-prev", "x-context-next"}
)
# How Okapi, GlobalSight and MyMemory mark machine translation in creationid.
MT_AUTHOR = "MT!"
# Trados Studio's confirmation levels, mapped onto our statuses.
_TRADOS_LEVELS = {
    "draft": Status.DRAFT,
    "translated": Status.TRANSLATED,
    "approvedtranslation": Status.APPROVED,
    "approvedsignoff": Status.APPROVED,
}
_INDONESIAN = frozenset({"id", "in", "ind"})
_ENGLISH = frozenset({"en", "eng"})
_LANG_SHAPE = re.compile(r"^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})Z$")
MAX_INVALID_EXAMPLES = 5
# Files use a handful of language codes; a bounded cache spares the regex.
_LANG_CACHE: dict[str, str | None] = {}


def normalize_lang(code: str | None) -> str | None:
    """``"id"`` or ``"en"`` for the spellings tools use, else None.

    Indonesian: ``id``, legacy ``in``, ``id-ID``, ``ind`` in any case;
    English: ``en``, ``en-US``, ``en-GB``, ``eng``, ``EN``.
    """
    if not code:
        return None
    try:
        return _LANG_CACHE[code]
    except KeyError:
        pass
    lang: str | None = None
    if _LANG_SHAPE.match(code.strip()):
        primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
        if primary in _INDONESIAN:
            lang = SOURCE_LANG
        elif primary in _ENGLISH:
            lang = TARGET_LANG
    if len(_LANG_CACHE) < 1000:
        _LANG_CACHE[code] = lang
    return lang


def normalize_date(value: str | None) -> str | None:
    """A TMX date as ``YYYYMMDDThhmmssZ``, or None when it is malformed."""
    if not value:
        return None
    if len(value) == 16 and value[8] == "T" and value[15] == "Z" and value[:8].isdigit():
        return value  # the common, already-canonical case
    m = _DATE.match(value.strip())
    if not m:
        return None
    return "{}{}{}T{}{}{}Z".format(*m.groups())


@dataclass(frozen=True, slots=True)
class TmxHeader:
    """What a file's ``<header>`` says about itself."""

    version: str | None
    srclang: str | None
    creationtool: str | None
    creationtoolversion: str | None
    datatype: str | None
    segtype: str | None


@dataclass(slots=True)
class ReadStats:
    """Counts a reader keeps while it streams units."""

    units: int = 0
    skipped_other_languages: int = 0
    invalid: int = 0
    invalid_examples: list[str] = field(default_factory=list)

    def reject(self, line: int | None, reason: str) -> None:
        """Count an invalid unit, keeping the first few reasons."""
        self.invalid += 1
        if len(self.invalid_examples) < MAX_INVALID_EXAMPLES:
            where = f"line {line}" if line else "unknown line"
            self.invalid_examples.append(f"{where}: {reason}")


class _InvalidUnit(Exception):
    """A ``<tu>`` that is well-formed XML but unusable as a memory unit."""


class TmxReader:
    """Stream the Indonesian/English units of a TMX file.

    Iterate over it to get :class:`TranslationUnit` values; :attr:`header`
    is set once the header has been read, and :attr:`stats` counts units
    skipped for another language pair or because they are invalid.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.header: TmxHeader | None = None
        self.stats = ReadStats()

    def __iter__(self) -> Iterator[TranslationUnit]:
        if not self.path.is_file():
            raise TmxError(
                f"Cannot read {self.path}: there is no such file. Check the path and try again."
            )
        _check_declaration(self.path)
        try:
            parser = etree.iterparse(
                str(self.path),
                events=("end",),
                tag=("header", "tu"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                dtd_validation=False,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            root: Any = None
            for _event, elem in parser:
                if root is None:
                    root = elem.getroottree().getroot()
                    self._check_root(root)
                if elem.tag == "header":
                    self._read_header(elem)
                    continue
                if self.header is None:
                    raise self._error(elem, "the file has no <header> before its first <tu>")
                unit = self._read_tu(elem)
                body = elem.getparent()
                if body is None or body.tag != "body":
                    raise self._error(elem, "a <tu> outside <body>")
                # Keep memory flat: drop this unit and every sibling before it.
                elem.clear(keep_tail=True)
                previous = elem.getprevious()
                while previous is not None:
                    if previous.tag != "tu":
                        raise self._error(previous, f"an unknown element <{previous.tag}>")
                    del body[0]
                    previous = elem.getprevious()
                if unit is not None:
                    yield unit
            self._check_end(parser.root)
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(self.path, exc) from exc
        except OSError as exc:
            raise TmxError(
                f"Cannot read {self.path}: {exc.strerror or exc}. Check that the file exists "
                "and that you may read it."
            ) from exc

    # -- structure -------------------------------------------------------------

    def _error(self, elem: Any, what: str) -> TmxError:
        line = getattr(elem, "sourceline", None)
        where = f" at line {line}" if line else ""
        return TmxError(
            f"{self.path} is not a valid TMX file: {what}{where}. Fix the file or export it "
            "again from the tool that made it; nothing was imported."
        )

    def _check_root(self, root: Any) -> None:
        if root.tag != "tmx":
            raise self._error(root, f"the root element is <{root.tag}>, not <tmx>")
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            raise TmxError(
                f"{self.path} declares XML entities in its DOCTYPE. tm never expands "
                "entities (they can read local files or explode in size), so the file was "
                "refused and nothing was imported. Remove the <!ENTITY> declarations."
            )

    def _check_end(self, root: Any) -> None:
        if root is None:
            raise TmxError(f"{self.path} holds no XML elements; it is not a TMX file.")
        if self.header is None:
            self._check_root(root)
            raise self._error(root, "the file has no <header>")
        for child in root:
            if child.tag not in ("header", "body"):
                raise self._error(child, f"an unknown element <{child.tag}> in <tmx>")
        body = root.find("body")
        if body is None:
            raise self._error(root, "the file has no <body>")
        for child in body:
            if child.tag != "tu":
                raise self._error(child, f"an unknown element <{child.tag}> in <body>")

    def _read_header(self, elem: Any) -> None:
        parent = elem.getparent()
        if parent is None or parent.tag != "tmx":
            raise self._error(elem, "a <header> outside <tmx>")
        for child in elem:
            if not isinstance(child.tag, str):
                raise _entity_error(self.path, child)
            if child.tag not in _HEADER_CHILDREN:
                raise self._error(child, f"an unknown element <{child.tag}> in <header>")
        self.header = TmxHeader(
            version=parent.get("version"),
            srclang=elem.get("srclang"),
            creationtool=elem.get("creationtool"),
            creationtoolversion=elem.get("creationtoolversion"),
            datatype=elem.get("datatype"),
            segtype=elem.get("segtype"),
        )

    # -- units -----------------------------------------------------------------

    def _read_tu(self, tu: Any) -> TranslationUnit | None:
        self.stats.units += 1
        try:
            return self._unit(tu)
        except _InvalidUnit as exc:
            self.stats.reject(tu.sourceline, str(exc))
            return None

    def _unit(self, tu: Any) -> TranslationUnit | None:
        props: list[tuple[str, str]] = []
        notes: list[str] = []
        segs: dict[str, tuple[str, str | None, Any]] = {}
        variants = 0
        for child in tu:
            tag = child.tag
            if tag == "tuv":
                variants += 1
                self._read_tuv(child, segs)
            elif tag == "prop":
                props.append((child.get("type") or "", child.text or ""))
            elif tag == "note":
                notes.append(child.text or "")
            elif isinstance(tag, str):
                raise self._error(child, f"an unknown element <{tag}> in <tu>")
            else:
                raise _entity_error(self.path, child)
        if SOURCE_LANG not in segs or TARGET_LANG not in segs:
            if variants == 0:
                raise _InvalidUnit("the <tu> has no <tuv>")
            self.stats.skipped_other_languages += 1
            return None
        source, source_markup, _ = segs[SOURCE_LANG]
        target, target_markup, target_tuv = segs[TARGET_LANG]
        if not source.strip() or not target.strip():
            raise _InvalidUnit("an empty Indonesian or English segment")
        attrs = tu.attrib
        extra: dict[str, str] = {}
        kept: list[tuple[str, str]] = []
        for key, value in props:
            if key in CONSUMED_PROPS and key not in extra:
                extra[key] = value
            else:
                kept.append((key, value))
        created_by = attrs.get("creationid") or target_tuv.get("creationid")
        changed_by = attrs.get("changeid") or target_tuv.get("changeid")
        status, origin = _status_origin(extra, props, created_by, changed_by)
        usage = attrs.get("usagecount") or target_tuv.get("usagecount")
        return TranslationUnit(
            source=source,
            target=target,
            source_markup=source_markup,
            target_markup=target_markup,
            created_at=normalize_date(attrs.get("creationdate") or target_tuv.get("creationdate")),
            created_by=created_by,
            changed_at=normalize_date(attrs.get("changedate") or target_tuv.get("changedate")),
            changed_by=changed_by,
            origin=origin,
            status=status,
            usage_count=int(usage) if usage and usage.isdigit() else 0,
            last_used_at=normalize_date(attrs.get("lastusagedate")),
            context_prev=extra.get("x-context-prev")
            or (_omegat_prop(kept, "prev") if kept else None),
            context_next=extra.get("x-context-next")
            or (_omegat_prop(kept, "next") if kept else None),
            document=extra.get("x-document") or (_omegat_prop(kept, "file") if kept else None),
            tuid=attrs.get("tuid"),
            props=tuple(kept),
            notes=tuple(notes),
        )

    def _read_tuv(self, tuv: Any, segs: dict[str, tuple[str, str | None, Any]]) -> None:
        code = tuv.get(XML_LANG) or tuv.get("lang")
        if not code:
            raise _InvalidUnit("a <tuv> without xml:lang")
        lang = normalize_lang(code)
        seg = None
        for child in tuv:
            tag = child.tag
            if tag == "seg":
                seg = child
            elif not isinstance(tag, str):
                raise _entity_error(self.path, child)
            elif tag not in _TUV_CHILDREN:
                raise self._error(child, f"an unknown element <{tag}> in <tuv>")
        if seg is None:
            raise _InvalidUnit(f"the <tuv xml:lang={code!r}> has no <seg>")
        if lang is None or lang in segs:
            # Another language, or a second English variant (en-GB after en-US):
            # the first one of each language wins.
            return
        segs[lang] = (*self._seg(seg), tuv)

    def _seg(self, seg: Any) -> tuple[str, str | None]:
        """Plain text for matching, and the inner XML when inline codes are present."""
        if len(seg) == 0:
            return seg.text or "", None
        parts = [seg.text or ""]
        self._plain(seg, parts)
        markup = _escape(seg.text or "") + "".join(
            etree.tostring(child, encoding="unicode", with_tail=True) for child in seg
        )
        return "".join(parts), markup

    def _plain(self, elem: Any, parts: list[str]) -> None:
        for child in elem:
            tag = child.tag
            if not isinstance(tag, str):
                raise _entity_error(self.path, child)
            if tag not in INLINE_TAGS:
                raise self._error(child, f"an unknown inline element <{tag}> in <seg>")
            if tag == "hi":
                # Highlighted text is real text; only its nested codes are skipped.
                parts.append(child.text or "")
                self._plain(child, parts)
            parts.append(child.tail or "")


def _status_origin(
    extra: dict[str, str],
    props: list[tuple[str, str]],
    created_by: str | None,
    changed_by: str | None,
) -> tuple[Status, str | None]:
    origin = extra.get("x-origin") or None
    machine = MT_AUTHOR in (created_by, changed_by)
    if machine and origin is None:
        origin = "mt"
    status: Status | None = None
    raw = extra.get("x-status")
    if raw:
        try:
            status = Status(raw.strip().lower())
        except ValueError:
            status = None
    if status is None:
        for key, value in props:
            if key.lower() == "x-confirmationlevel":
                status = _TRADOS_LEVELS.get(value.strip().lower())
    if status is None or status is Status.NEW:
        status = Status.DRAFT if machine else Status.TRANSLATED
    return status, origin


def _omegat_prop(props: list[tuple[str, str]], name: str) -> str | None:
    for key, value in props:
        if key == name:
            return value or None
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _entity_error(path: Path, node: Any) -> TmxError:
    return TmxError(
        f"{path} uses the entity reference {node} at line {node.sourceline}. tm never "
        "expands entities (they can read local files or explode in size), so the file "
        "was refused and nothing was imported. Replace the entity with its text."
    )


_DECLARED = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _check_declaration(path: Path) -> None:
    """Refuse a file whose 8-bit bytes claim a 16- or 32-bit encoding.

    libxml2 would decode such a file as garbage and report a baffling error
    about the first character; the real problem deserves a plain message.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(200)
    except OSError:
        return  # the parser reports unreadable files with their reason
    match = _DECLARED.match(head)
    if match is None:
        return
    declared = match.group(1).decode("ascii").lower().replace("_", "-")
    if declared.startswith(("utf-16", "utf16", "ucs-2", "ucs2", "utf-32", "ucs-4")):
        raise TmxError(
            f"Cannot read {path} at line 1: it declares encoding={declared!r}, but its bytes "
            "are 8-bit text (UTF-8 or similar), so the declaration is wrong. Re-save it as "
            'UTF-8 with <?xml version="1.0" encoding="UTF-8"?>, or as UTF-16 with a '
            "byte-order mark. Nothing was imported."
        )


_LINE_SUFFIX = re.compile(r",? line \d+, column \d+\.?$")


def _ends_at(path: Path, line: int | None, column: int | None) -> bool:
    """True when a parse error sits at the very end of the file: it was cut short."""
    if not line or not column:
        return False
    newlines = 0
    tail = b""
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            newlines += block.count(b"\n")
            tail = (tail + block)[-(1 << 16) :]
    last = tail.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    if not last.strip():
        # The file ends with a newline: the error sits on the line before it.
        return line >= newlines
    # libxml2 reports end of input one column past the last character.
    return line == newlines + 1 and column >= len(last)


def _syntax_error(path: Path, exc: etree.XMLSyntaxError) -> TmxError:
    line, column = exc.position if exc.position else (None, None)
    where = f" at line {line}, column {column}" if line else ""
    message = _LINE_SUFFIX.sub("", exc.msg or str(exc))
    lower = message.lower()
    if "amplification" in lower or ("entity" in lower and "loop" in lower):
        hint = (
            "It expands entities to a huge size (an entity-expansion bomb), so it was "
            "refused. Remove the <!ENTITY> declarations."
        )
    elif "encoding" in lower or "utf-8" in lower or "char 0x" in lower or "bytes:" in lower:
        hint = (
            "Its bytes do not match the encoding it declares. Re-save it as UTF-8 (or "
            "UTF-16 with a byte-order mark) with a matching <?xml encoding?> line."
        )
    elif "premature end" in lower or "end of data" in lower or _ends_at(path, line, column):
        hint = "It ends before the TMX is complete: the file is probably truncated."
    elif any(m in lower for m in ("document is empty", "start tag expected", "no element found")):
        hint = "It is empty or not XML at all."
    else:
        hint = "It is not well-formed XML."
    return TmxError(
        f"Cannot read {path}{where}: {message.rstrip('.')}. {hint} Nothing was imported; "
        "fix the file or export it again from the tool that made it."
    )
