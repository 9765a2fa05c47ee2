"""Streaming TMX reader: TMX 1.1 to 1.4b from any CAT tool, safely.

The file is fed in chunks to lxml's pull parser; each ``<tu>`` is turned into
a :class:`~tm.models.TranslationUnit` and then cleared, so memory stays flat
whatever the file size, and after each chunk whatever would pile up (unknown
elements, a unit with millions of children, one huge unit) is refused at
once. The parser never resolves entities, never loads a DTD and never touches
the network; a document that declares entities is refused.
"""

from __future__ import annotations

import contextlib
import gzip
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

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
# The notes tm_write.draft_note writes on drafts. They follow from a unit's
# status, so they are not stored on import but written again on export, and
# only while the unit is a draft.
DRAFT_NOTE = re.compile(
    r"^(Machine translation( \(.*\))?|Draft from a translation-memory match|Draft), "
    r"not reviewed by a translator\.$"
)
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
# TMX's form, ISO 8601 with separators, a space for the T, fractions of a
# second, and a missing Z (tools write UTC; a few forget to say so).
_DATE = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})[T ](\d{2}):?(\d{2}):?(\d{2})(?:\.\d+)?(?:Z|[+-]00:?00)?$"
)
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
    try:
        # Files repeat their dates (a whole batch saved in the same second).
        return _DATE_CACHE[value]
    except KeyError:
        pass
    date = _normalize_date(value)
    if len(_DATE_CACHE) < 10_000:
        _DATE_CACHE[value] = date
    return date


_DATE_CACHE: dict[str, str | None] = {}


def _normalize_date(value: str) -> str | None:
    if not (len(value) == 16 and value[8] == "T" and value[15] == "Z" and value[:8].isdigit()):
        m = _DATE.match(value.strip())
        if not m:
            return None
        value = "{}{}{}T{}{}{}Z".format(*m.groups())
    # String comparisons: a month 13 or an hour 25 is malformed too.
    if (
        "01" <= value[4:6] <= "12"
        and "01" <= value[6:8] <= "31"
        and value[9:15].isdigit()
        and value[9:11] <= "23"
        and value[11:13] <= "59"
        and value[13:15] <= "60"
    ):
        return value
    return None


@dataclass(frozen=True, slots=True)
class TmxHeader:
    """What a file's ``<header>`` says about itself."""

    version: str | None
    srclang: str | None
    creationtool: str | None
    creationtoolversion: str | None
    datatype: str | None
    segtype: str | None


# What a reader keeps in another form, or drops, and counts (ReadStats.adjusted).
MALFORMED_DATE = "malformed dates dropped"
MALFORMED_USAGE = "malformed usage counts dropped"
MALFORMED_SEGTYPE = "unknown segtypes dropped"
UNTYPED_PROP = "props without a type kept as type x-untyped"
EXTRA_VARIANT = "extra Indonesian or English variants dropped (the first of each is kept)"
CODE_ATTRIBUTES = "inline-code attributes the TMX DTD does not allow dropped"
FOREIGN_CODES = "inline elements TMX does not define kept as TMX codes"
UNTYPED = "x-untyped"
SEGTYPES = frozenset({"block", "paragraph", "sentence", "phrase"})
# Namespaces some tools put on every TMX element (OmegaT reads them too).
TMX_NAMESPACES = frozenset({"http://www.lisa.org/tmx14", "http://www.lisa.org/tmx"})
# Bytes fed to the parser at a time; limits below are checked after each feed.
CHUNK_BYTES = 256 * 1024
# A single <tu> (or the <header>) larger than this is refused: it bounds the
# memory one unit can take, however well the file compresses.
MAX_UNIT_BYTES = 64 * 1024 * 1024
# Children one element may have while it is being parsed.
MAX_CHILDREN = {"header": 100_000, "tu": 10_000, "tuv": 10_000}
MAX_INLINE_CHILDREN = 100_000
# A file whose first MiB holds no <tmx> start tag is not a TMX file.
ROOT_WITHIN = 1 << 20
MAX_LANGUAGES = 50
# Attributes the TMX 1.4b DTD allows on each inline element.
INLINE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "bpt": frozenset({"i", "x", "type"}),
    "ept": frozenset({"i"}),
    "sub": frozenset({"datatype", "type"}),
    "it": frozenset({"pos", "x", "type"}),
    "ph": frozenset({"x", "assoc", "type"}),
    "hi": frozenset({"x", "type"}),
    "ut": frozenset({"x"}),
}
# Elements the DTD allows in <seg>, <hi> and <sub> (the others hold native code).
_FLOW_TAGS = frozenset({"bpt", "ept", "it", "ph", "hi", "ut"})


@dataclass(slots=True)
class ReadStats:
    """Counts a reader keeps while it streams units."""

    units: int = 0
    skipped_other_languages: int = 0
    invalid: int = 0
    invalid_examples: list[str] = field(default_factory=list)
    # What was kept in another form or dropped, by kind (the constants above).
    adjusted: dict[str, int] = field(default_factory=dict)
    # Language codes of the <tuv>s of units skipped for another language pair.
    languages: dict[str, int] = field(default_factory=dict)

    def reject(self, line: int | None, reason: str) -> None:
        """Count an invalid unit, keeping the first few reasons."""
        self.invalid += 1
        if len(self.invalid_examples) < MAX_INVALID_EXAMPLES:
            where = f"line {line}" if line else "unknown line"
            self.invalid_examples.append(f"{where}: {reason}")

    def note(self, kind: str, count: int = 1) -> None:
        """Count something kept in another form or dropped."""
        if count:
            self.adjusted[kind] = self.adjusted.get(kind, 0) + count


class _InvalidUnit(Exception):
    """A ``<tu>`` that is well-formed XML but unusable as a memory unit."""


class InlineFixer:
    """Make a ``<seg>``'s inline markup valid under the TMX 1.4b DTD, in place.

    Attributes the DTD does not allow are dropped (:attr:`dropped`). An
    element TMX does not define (a raw ``<b>``, XLIFF's ``<g>``/``<x/>``)
    becomes a ``<bpt>``/``<ept>`` pair (or a ``<ph>``) holding its tag as
    native code, its text staying text; inside a code it becomes code text. A
    ``<bpt>``/``<ept>`` without ``i`` or an ``<it>`` without a valid ``pos``
    becomes a ``<ph>``. Those are counted in :attr:`converted`.
    """

    def __init__(self, seg: Any):
        self.seg = seg
        self.dropped = 0
        self.converted = 0
        self._next_i: int | None = None

    def fix(self) -> bool:
        """Fix the markup; True when anything changed."""
        self._flow(self.seg)
        return bool(self.dropped or self.converted)

    def _flow(self, parent: Any) -> None:
        """Children of an element that may hold codes: seg, hi, sub."""
        for child in list(parent):
            tag = child.tag
            if not isinstance(tag, str):
                continue  # entity references: the reader refuses them
            if tag not in _FLOW_TAGS:
                self._convert(parent, child)
                continue
            self._attributes(child)
            if tag == "hi":
                self._flow(child)
            else:
                self._code(child)

    def _code(self, parent: Any) -> None:
        """Children of a code (bpt, ept, it, ph, ut): text and <sub> only."""
        for child in list(parent):
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == "sub":
                self._attributes(child)
                self._flow(child)
            else:
                self._flatten(parent, child)

    def _attributes(self, elem: Any) -> None:
        allowed = INLINE_ATTRIBUTES[elem.tag]
        for name in list(elem.attrib):
            if name not in allowed:
                del elem.attrib[name]
                self.dropped += 1
        tag = elem.tag
        if (tag in ("bpt", "ept") and not elem.get("i")) or (
            tag == "it" and elem.get("pos") not in ("begin", "end")
        ):
            elem.tag = "ph"
            for name in list(elem.attrib):
                if name not in INLINE_ATTRIBUTES["ph"]:
                    del elem.attrib[name]
            self.converted += 1

    def _new_i(self) -> str:
        if self._next_i is None:
            taken = [
                int(value)
                for el in self.seg.iter("bpt", "ept")
                if (value := el.get("i")) and value.isdigit() and len(value) < 9
            ]
            self._next_i = max(taken, default=0) + 1
        value = self._next_i
        self._next_i += 1
        return str(value)

    def _convert(self, parent: Any, child: Any) -> None:
        """An unknown element in running text: its tags become codes."""
        self.converted += 1
        name = _local_name(child.tag)
        attrs = "".join(f' {_local_name(k)}="{_quote(v)}"' for k, v in child.attrib.items())
        if len(child) == 0 and not child.text:
            ph = etree.Element("ph")
            ph.text = f"<{name}{attrs}/>"
            ph.tail = child.tail
            parent.replace(child, ph)
            return
        self._flow(child)
        i = self._new_i()
        bpt = etree.Element("bpt", i=i)
        bpt.text = f"<{name}{attrs}>"
        bpt.tail = child.text
        ept = etree.Element("ept", i=i)
        ept.text = f"</{name}>"
        ept.tail = child.tail
        kids = list(child)
        index = parent.index(child)
        parent.replace(child, bpt)
        for offset, kid in enumerate(kids, 1):
            parent.insert(index + offset, kid)
        parent.insert(index + len(kids) + 1, ept)

    def _flatten(self, parent: Any, child: Any) -> None:
        """An element inside a code: it is native code, kept as its text."""
        self.converted += 1
        native = etree.tostring(child, encoding="unicode", with_tail=False)
        extra = native + (child.tail or "")
        previous = child.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + extra
        else:
            parent.text = (parent.text or "") + extra
        parent.remove(child)


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _quote(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


class TmxReader:
    """Stream the Indonesian/English units of a TMX file.

    Iterate over it to get :class:`TranslationUnit` values; :attr:`header`
    is set once the header has been read, and :attr:`stats` counts units
    skipped for another language pair or because they are invalid, and
    metadata kept in another form or dropped. The file may be gzip-compressed
    or a zip archive holding one ``.tmx`` (as OmegaT reads them).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.header: TmxHeader | None = None
        self.stats = ReadStats()
        # "{namespace}" when the file puts its elements in a TMX namespace.
        self._ns = ""
        self._newlines = 0
        self._last_line = b""

    def __iter__(self) -> Iterator[TranslationUnit]:
        if not self.path.is_file():
            raise TmxError(
                f"Cannot read {self.path}: there is no such file. Check the path and try again."
            )
        try:
            with _open_tmx(self.path) as stream:
                yield from self._parse(stream)
        except etree.XMLSyntaxError as exc:
            raise self._syntax_error(exc) from exc
        except (EOFError, zlib.error, zipfile.BadZipFile, gzip.BadGzipFile) as exc:
            raise TmxError(
                f"Cannot read {self.path}: it is a damaged or truncated compressed file "
                f"({exc}). Nothing was imported; compress the TMX again, or import the "
                "uncompressed .tmx."
            ) from exc
        except (RuntimeError, NotImplementedError) as exc:
            # zipfile: an encrypted member, or a compression method it lacks.
            raise TmxError(
                f"Cannot read {self.path}: the zip archive cannot be opened ({exc}). "
                "Unpack it and import the .tmx inside. Nothing was imported."
            ) from exc
        except OSError as exc:
            raise TmxError(
                f"Cannot read {self.path}: {exc.strerror or exc}. Check that the file exists "
                "and that you may read it."
            ) from exc

    def _parse(self, stream: IO[bytes] | gzip.GzipFile) -> Iterator[TranslationUnit]:
        parser = etree.XMLPullParser(
            events=("start", "end"),
            tag=("{*}tmx", "{*}header", "{*}tu"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            # Lifts libxml2's 10 MB limit on one text (a 12 MB <ph> holding an
            # embedded image is real); the bounds here keep memory in check,
            # and libxml2 still refuses entity amplification and deep nesting.
            huge_tree=True,
            remove_comments=True,
            remove_pis=True,
        )
        # The exception's error log is this thread's: start it empty.
        etree.clear_error_log()
        root: Any = None
        fed = 0
        unit_start = 0
        first = True
        while True:
            chunk = stream.read(CHUNK_BYTES)
            if first:
                _check_declaration(self.path, chunk)
                first = False
            if not chunk:
                break
            fed += len(chunk)
            self._newlines += chunk.count(b"\n")
            self._last_line = (self._last_line + chunk).rsplit(b"\n", 1)[-1][-(1 << 16) :]
            parser.feed(chunk)
            for event, elem in parser.read_events():
                if event == "start":
                    if root is None:
                        root = elem
                        self._check_root(root)
                    continue
                tag = elem.tag
                if self._ns:
                    tag = self._strip(elem)
                if tag == "tu":
                    unit_start = fed
                    unit = self._take_tu(elem)
                    if unit is not None:
                        yield unit
                elif tag == "header":
                    unit_start = fed
                    self._read_header(elem)
            if root is None:
                if fed > ROOT_WITHIN:
                    raise TmxError(
                        f"{self.path} is not a TMX file: its first MiB holds no <tmx> "
                        "element. Nothing was imported."
                    )
            else:
                self._check_growth(root, fed - unit_start)
        closed = parser.close()
        if root is None:
            if closed is not None:
                self._check_root(closed)
            raise TmxError(f"{self.path} holds no XML elements; it is not a TMX file.")
        self._check_end(root)

    def _strip(self, elem: Any) -> str:
        """Take the TMX namespace off an element and everything in it."""
        ns = self._ns
        for node in elem.iter():
            name = node.tag
            if isinstance(name, str) and name.startswith(ns):
                node.tag = name[len(ns) :]
        return str(elem.tag)

    def _take_tu(self, elem: Any) -> TranslationUnit | None:
        if self.header is None:
            raise self._error(elem, "the file has no <header> before its first <tu>")
        body = elem.getparent()
        if body is None or body.tag != self._ns + "body":
            raise self._error(elem, f"a <{_local_name(elem.tag)}> outside <body>")
        if elem.tag != "tu":
            raise self._error(elem, f"an unknown element <{elem.tag}> in <body>")
        unit = self._read_tu(elem)
        # Keep memory flat: drop this unit and every sibling before it.
        elem.clear(keep_tail=True)
        previous = elem.getprevious()
        while previous is not None:
            if previous.tag != "tu":
                raise self._error(previous, f"an unknown element <{previous.tag}> in <body>")
            del body[0]
            previous = elem.getprevious()
        return unit

    # -- structure -------------------------------------------------------------

    def _error(self, elem: Any, what: str) -> TmxError:
        line = getattr(elem, "sourceline", None)
        where = f" at line {line}" if line else ""
        return TmxError(
            f"{self.path} is not a valid TMX file: {what}{where}. Fix the file or export it "
            "again from the tool that made it; nothing was imported."
        )

    def _local(self, tag: Any) -> str:
        """An element's TMX name: its own namespace taken off, others kept."""
        if not isinstance(tag, str):
            return str(tag)
        if self._ns and tag.startswith(self._ns):
            return tag[len(self._ns) :]
        return tag

    def _check_root(self, root: Any) -> None:
        tag = root.tag
        if isinstance(tag, str) and tag.startswith("{"):
            namespace = tag[1:].split("}", 1)[0]
            if namespace in TMX_NAMESPACES:
                self._ns = "{" + namespace + "}"
        if self._local(tag) != "tmx":
            raise self._error(root, f"the root element is <{tag}>, not <tmx>")
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            raise TmxError(
                f"{self.path} declares XML entities in its DOCTYPE. tm never expands "
                "entities (they can read local files or explode in size), so the file was "
                "refused and nothing was imported. Remove the <!ENTITY> declarations."
            )

    def _check_growth(self, root: Any, unit_bytes: int) -> None:
        """Refuse, as soon as it shows, what would otherwise pile up in memory.

        Called after each chunk: the tree then holds the header (until it
        ends) and the <tu> being parsed; anything else in <body> is unknown.
        """
        body = None
        for child in root:
            local = self._local(child.tag)
            if local == "body":
                body = child
            elif local == "header":
                if self.header is None:
                    self._check_spine(child, "the <header>", unit_bytes)
            elif isinstance(child.tag, str):
                raise self._error(child, f"an unknown element <{local}> in <tmx>")
        if body is None:
            return
        for child in body:
            local = self._local(child.tag)
            if local != "tu":
                if not isinstance(child.tag, str):
                    raise _entity_error(self.path, child)
                raise self._error(child, f"an unknown element <{local}> in <body>")
        if len(body):
            self._check_spine(body[-1], "a single <tu>", unit_bytes)

    def _check_spine(self, node: Any, what: str, unit_bytes: int) -> None:
        """Bound the element being parsed and the open elements inside it."""
        if unit_bytes > MAX_UNIT_BYTES:
            raise self._error(
                node,
                f"{what} starting at line {node.sourceline} is larger than "
                f"{MAX_UNIT_BYTES >> 20} MB, more than tm reads as one unit",
            )
        while node is not None and len(node):
            local = self._local(node.tag)
            limit = MAX_CHILDREN.get(local, MAX_INLINE_CHILDREN)
            if len(node) > limit:
                raise self._error(
                    node, f"a <{local}> with more than {limit:,} elements inside (the limit)"
                )
            node = node[-1]

    def _check_end(self, root: Any) -> None:
        if self.header is None:
            raise self._error(root, "the file has no <header>")
        for child in root:
            if child.tag not in ("header", "body") and self._local(child.tag) not in (
                "header",
                "body",
            ):
                raise self._error(child, f"an unknown element <{child.tag}> in <tmx>")
        body = next((c for c in root if self._local(c.tag) == "body"), None)
        if body is None:
            raise self._error(root, "the file has no <body>")
        for child in body:
            if self._local(child.tag) != "tu":
                raise self._error(child, f"an unknown element <{child.tag}> in <body>")

    def _read_header(self, elem: Any) -> None:
        parent = elem.getparent()
        if parent is None or self._local(parent.tag) != "tmx":
            raise self._error(elem, "a <header> outside <tmx>")
        for child in elem:
            if not isinstance(child.tag, str):
                raise _entity_error(self.path, child)
            if child.tag not in _HEADER_CHILDREN:
                raise self._error(child, f"an unknown element <{child.tag}> in <header>")
        segtype = elem.get("segtype")
        self.header = TmxHeader(
            version=parent.get("version"),
            srclang=elem.get("srclang"),
            creationtool=elem.get("creationtool"),
            creationtoolversion=elem.get("creationtoolversion"),
            datatype=elem.get("datatype"),
            segtype=segtype if segtype in SEGTYPES else None,
        )
        # Only the attributes are needed: free the header's notes and props.
        elem.clear(keep_tail=True)

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
        segs: dict[str, _Variant] = {}
        codes: list[str] = []
        for child in tu:
            tag = child.tag
            if tag == "tuv":
                self._read_tuv(child, segs, codes)
            elif tag == "prop":
                props.append((child.get("type") or self._untyped(), child.text or ""))
            elif tag == "note":
                text = child.text or ""
                if not DRAFT_NOTE.match(text):
                    notes.append(text)
            elif isinstance(tag, str):
                raise self._error(child, f"an unknown element <{tag}> in <tu>")
            else:
                raise _entity_error(self.path, child)
        if SOURCE_LANG not in segs or TARGET_LANG not in segs:
            if not codes:
                raise _InvalidUnit("the <tu> has no <tuv>")
            self.stats.skipped_other_languages += 1
            languages = self.stats.languages
            for code in codes:
                if code in languages or len(languages) < MAX_LANGUAGES:
                    languages[code] = languages.get(code, 0) + 1
            return None
        source_text, source_markup, _, source_props, source_notes = segs[SOURCE_LANG]
        target_text, target_markup, target_tuv, target_props, target_notes = segs[TARGET_LANG]
        if not source_text.strip() or not target_text.strip():
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
        date = self._date
        segtype = attrs.get("segtype")
        if segtype is not None and segtype not in SEGTYPES:
            self.stats.note(MALFORMED_SEGTYPE)
            segtype = None
        header = self.header
        return TranslationUnit(
            source=source_text,
            target=target_text,
            source_markup=source_markup,
            target_markup=target_markup,
            created_at=date(attrs.get("creationdate") or target_tuv.get("creationdate")),
            created_by=created_by,
            changed_at=date(attrs.get("changedate") or target_tuv.get("changedate")),
            changed_by=changed_by,
            origin=origin,
            status=status,
            usage_count=self._usage(attrs.get("usagecount") or target_tuv.get("usagecount")),
            last_used_at=date(last_used) if (last_used := attrs.get("lastusagedate")) else None,
            context_prev=extra.get("x-context-prev")
            or (_omegat_prop(kept, "prev") if kept else None),
            context_next=extra.get("x-context-next")
            or (_omegat_prop(kept, "next") if kept else None),
            document=extra.get("x-document") or (_omegat_prop(kept, "file") if kept else None),
            tuid=attrs.get("tuid"),
            props=tuple(kept),
            notes=tuple(notes),
            segtype=segtype or (header.segtype if header is not None else None),
            tuv_props=source_props + target_props,
            tuv_notes=source_notes + target_notes,
        )

    def _untyped(self) -> str:
        self.stats.note(UNTYPED_PROP)
        return UNTYPED

    def _date(self, value: str | None) -> str | None:
        if not value:
            return None
        date = normalize_date(value)
        if date is None:
            self.stats.note(MALFORMED_DATE)
        return date

    def _usage(self, value: str | None) -> int:
        if not value:
            return 0
        value = value.strip()
        # int() refuses strings over 4,300 digits; a count needs far fewer.
        if value.isdigit() and len(value) <= 18:
            return int(value)
        self.stats.note(MALFORMED_USAGE)
        return 0

    def _read_tuv(self, tuv: Any, segs: dict[str, _Variant], codes: list[str]) -> None:
        code = tuv.get(XML_LANG) or tuv.get("lang")
        if not code:
            raise _InvalidUnit("a <tuv> without xml:lang")
        codes.append(code)
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
        if lang is None:
            return
        if lang in segs:
            # A second English variant (en-GB after en-US): the first one wins.
            self.stats.note(EXTRA_VARIANT)
            return
        props: tuple[tuple[str, str, str], ...] = ()
        notes: tuple[tuple[str, str], ...] = ()
        if len(tuv) > 1:
            props = tuple(
                (lang, c.get("type") or self._untyped(), c.text or "")
                for c in tuv
                if c.tag == "prop"
            )
            notes = tuple((lang, c.text or "") for c in tuv if c.tag == "note")
        text, markup = self._seg(seg)
        segs[lang] = (text, markup, tuv, props, notes)

    def _seg(self, seg: Any) -> tuple[str, str | None]:
        """Plain text for matching, and the inner XML when inline codes are present."""
        if len(seg) == 0:
            return seg.text or "", None
        fixer = InlineFixer(seg)
        if fixer.fix():
            self.stats.note(CODE_ATTRIBUTES, fixer.dropped)
            self.stats.note(FOREIGN_CODES, fixer.converted)
        parts = [seg.text or ""]
        self._plain(seg, parts)
        markup = _escape(seg.text or "") + "".join(
            etree.tostring(child, encoding="unicode", with_tail=True) for child in seg
        )
        if self._ns:
            # lxml declares the file's default namespace on each serialized code.
            markup = markup.replace(f' xmlns="{self._ns[1:-1]}"', "")
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

    # -- messages --------------------------------------------------------------

    def _syntax_error(self, exc: etree.XMLSyntaxError) -> TmxError:
        return _syntax_error(self.path, exc, self._newlines, self._last_line)


# One language's <tuv> of a unit, as read: text, markup, the <tuv>, its props
# and notes. A plain tuple: a dataclass costs measurably at 100k units/s.
_Variant = tuple[
    str, str | None, Any, tuple[tuple[str, str, str], ...], tuple[tuple[str, str], ...]
]


@contextlib.contextmanager
def _open_tmx(path: Path) -> Iterator[IO[bytes] | gzip.GzipFile]:
    """The TMX bytes of a file: plain, gzip-compressed, or in a zip archive."""
    with path.open("rb") as raw:
        magic = raw.read(4)
        raw.seek(0)
        if magic[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped
        elif magic == b"PK\x03\x04":
            with zipfile.ZipFile(raw) as archive:
                files = [m for m in archive.infolist() if not m.is_dir()]
                tmx = [m for m in files if m.filename.lower().endswith(".tmx")]
                chosen = tmx or files
                if len(chosen) != 1:
                    raise TmxError(
                        f"Cannot read {path}: it is a zip archive with {len(tmx)} .tmx files "
                        f"among {len(files)} files; tm reads an archive that holds one TMX. "
                        "Unpack it and import the .tmx files one by one. Nothing was imported."
                    )
                with archive.open(chosen[0]) as member:
                    yield member
        else:
            yield raw


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


def _check_declaration(path: Path, head: bytes) -> None:
    """Refuse a file whose 8-bit bytes claim a 16- or 32-bit encoding.

    libxml2 would decode such a file as garbage and report a baffling error
    about the first character; the real problem deserves a plain message.
    """
    match = _DECLARED.match(head[:200])
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
# libxml2 names its own options in some messages; users cannot set them.
_PARSER_ADVICE = re.compile(
    r",? *(try XML_PARSE_HUGE|use XML_PARSE_HUGE option|see xmlCtxtSetMaxAmplification\.?)",
    re.IGNORECASE,
)
_UNDEFINED_ENTITY = re.compile(r"Entity '([^']+)' not defined")
_CHAR_REF = re.compile(r"xmlParseCharRef: invalid xmlChar value (\d+)")


def _ends_at(newlines: int, last_line: bytes, line: int | None, column: int | None) -> bool:
    """True when a parse error sits at the very end of the file: it was cut short."""
    if not line or not column:
        return False
    last = last_line.decode("utf-8", errors="replace")
    if not last.strip():
        # The file ends with a newline: the error sits on the line before it.
        return line >= newlines
    # libxml2 reports end of input one column past the last character.
    return line == newlines + 1 and column >= len(last)


def _first_error(exc: etree.XMLSyntaxError) -> tuple[str, int, int | None, int | None]:
    """The message, libxml2 error code and place of the error that stopped the parser.

    The pull parser sometimes reports only "no element found" at line 0 when
    an earlier error (an undefined entity) is the real one; the log has it
    (as its last error: the log may also hold older errors of this thread).
    """
    line, column = exc.position if exc.position else (None, None)
    message = exc.msg or str(exc)
    if not line:
        for entry in reversed(exc.error_log):
            if entry.level >= etree.ErrorLevels.ERROR and entry.line:
                return entry.message, entry.type, entry.line, entry.column
    return message, exc.code, line, column


_ENCODING_ERRORS = frozenset(
    {
        etree.ErrorTypes.ERR_INVALID_ENCODING,
        etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING,
        etree.ErrorTypes.ERR_UNKNOWN_ENCODING,
    }
)
# Where libxml2 starts quoting the file in a message.
_QUOTE_START = re.compile(r": |\n| <|\"|'")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
MAX_QUOTED = 200


def _printable(message: str) -> str:
    """libxml2 quotes the file in some messages: keep it to one safe line."""
    message = _CONTROL.sub(lambda m: repr(m.group())[1:-1], message)
    if len(message) > MAX_QUOTED:
        message = message[:MAX_QUOTED] + "…"
    return message


def _syntax_error(
    path: Path, exc: etree.XMLSyntaxError, newlines: int = 0, last_line: bytes = b""
) -> TmxError:
    raw, code, line, column = _first_error(exc)
    where = f" at line {line}, column {column}" if line else ""
    message = _PARSER_ADVICE.sub("", _LINE_SUFFIX.sub("", raw)).strip().rstrip(".,")
    # Only libxml2's own words decide the hint, never file content it quotes.
    lower = _QUOTE_START.split(message, 1)[0].lower()
    entity = _UNDEFINED_ENTITY.search(message)
    char_ref = _CHAR_REF.search(message)
    if "amplification" in lower or ("entity" in lower and "loop" in lower):
        hint = (
            "It expands entities to a huge size (an entity-expansion bomb), so it was "
            "refused. Remove the <!ENTITY> declarations."
        )
    elif code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
        hint = (
            "The file goes beyond what the XML parser accepts (elements nested more than "
            "2,048 deep, or a single text or name of more than a gigabyte). The file may "
            "well be complete, but tm cannot read a file built this way."
        )
    elif char_ref and code == etree.ErrorTypes.ERR_INVALID_CHAR:
        value = int(char_ref.group(1))
        hint = (
            f"It uses the character reference &#{value}; (U+{value:04X}), a control "
            "character that XML 1.0 forbids (only XML 1.1 allows it, and tm reads XML 1.0). "
            "Remove the reference or replace it with a space."
        )
    elif entity and code == etree.ErrorTypes.ERR_UNDECLARED_ENTITY:
        name = entity.group(1)
        hint = (
            f"It uses the entity &{name}; that XML does not define (HTML does); a TMX file "
            f"may only use &amp; &lt; &gt; &quot; &apos;. Replace &{name}; with the character "
            "itself or a numeric reference (&nbsp; is &#160;)."
        )
    elif code in _ENCODING_ERRORS or "utf-8" in lower or "char 0x" in lower:
        hint = (
            "Its bytes do not match the encoding it declares. Re-save it as UTF-8 (or "
            "UTF-16 with a byte-order mark) with a matching <?xml encoding?> line."
        )
    elif (
        "premature end" in lower
        or "end of data" in lower
        or _ends_at(newlines, last_line, line, column)
    ):
        hint = "It ends before the TMX is complete: the file is probably truncated."
    elif code == etree.ErrorTypes.ERR_DOCUMENT_EMPTY or "no element found" in lower:
        hint = "It is empty or not XML at all."
    else:
        hint = "It is not well-formed XML."
    return TmxError(
        f"Cannot read {path}{where}: {_printable(message)}. {hint} Nothing was imported; "
        "fix the file or export it again from the tool that made it."
    )
