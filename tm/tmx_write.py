"""Streaming TMX 1.4b writer that CAT tools accept.

Units are written one by one through lxml's incremental ``xmlfile`` into a
temporary file beside the target, which is fsynced and renamed over it only
when everything was written: a crash or a full disk never leaves half a TMX
where a good one was. The conventions (header, language codes, dates, props)
are those of DESIGN.md, checked against OmegaT 3.6.
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from lxml import etree

import tm
from tm.atomicfile import OutputFile, output_error
from tm.errors import OutputError
from tm.models import SOURCE_LANG, TARGET_LANG, Origin, Status, TranslationUnit, origin_kind
from tm.timeutil import utc_now
from tm.tmx_read import MT_AUTHOR

TMX_VERSION = "1.4"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
# Characters XML 1.0 forbids: C0 controls except tab/newline/return, lone
# surrogates and the two non-characters U+FFFE/U+FFFF.
FORBIDDEN_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Stored markup is re-parsed to be written; it never needs entities or a DTD.
_SEG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def header_attributes(creationdate: str | None = None) -> dict[str, str]:
    """The complete TMX header this tool writes."""
    return {
        "creationtool": "tm",
        "creationtoolversion": tm.__version__,
        "segtype": "sentence",
        "o-tmf": "tm-sqlite",
        "adminlang": "en",
        "srclang": SOURCE_LANG,
        "datatype": "plaintext",
        "creationdate": creationdate or utc_now(),
    }


def draft_note(unit: TranslationUnit) -> str | None:
    """A note telling a person that a target is unreviewed machine or TM output."""
    if unit.status is not Status.DRAFT:
        return None
    kind = origin_kind(unit.origin)
    detail = unit.origin.split(":", 1)[1] if unit.origin and ":" in unit.origin else ""
    if kind is Origin.MT:
        engine = f" ({detail})" if detail else ""
        return f"Machine translation{engine}, not reviewed by a translator."
    if kind in (Origin.TM_EXACT, Origin.TM_FUZZY):
        return "Draft from a translation-memory match, not reviewed by a translator."
    return "Draft, not reviewed by a translator."


class TmxWriter:
    """Write a TMX 1.4b file unit by unit.

    Use it as a context manager; the file appears (atomically) when the block
    ends without an exception. ``out`` may be a path or a binary stream (for
    stdout). :attr:`dropped_characters` counts characters XML forbids that
    were removed; :attr:`units` counts the units written.
    """

    def __init__(self, out: str | Path | IO[bytes]):
        self.target: Path | None = None
        self._stream: IO[bytes] | None = None
        if isinstance(out, (str, Path)):
            self.target = Path(out)
        else:
            self._stream = out
        self._out: OutputFile | None = None
        self._fh: IO[bytes] | None = None
        self._stack = contextlib.ExitStack()
        self._xf: Any = None
        self._flushed = False
        self.units = 0
        self.dropped_characters = 0

    # -- lifecycle -------------------------------------------------------------

    def __enter__(self) -> TmxWriter:
        if self.target is not None:
            self._out = OutputFile(self.target, buffering=1 << 20)
            self._fh = self._out.open()
        else:
            self._fh = self._stream
        try:
            assert self._fh is not None
            # Written by hand for the double quotes OmegaT and Trados write too.
            self._fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
            self._xf = self._stack.enter_context(etree.xmlfile(self._fh, encoding="UTF-8"))
            self._xf.write_doctype(DOCTYPE)
            self._stack.enter_context(self._xf.element("tmx", version=TMX_VERSION))
            self._xf.write("\n")
            self._xf.write(etree.Element("header", header_attributes()))
            self._xf.write("\n")
            self._stack.enter_context(self._xf.element("body"))
            self._xf.write("\n")
        except OSError as exc:
            self._abort()
            raise self._output_error(exc) from exc
        except BaseException:
            self._abort()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._abort()
            return
        try:
            self._stack.close()
            assert self._fh is not None
            self._fh.flush()
            if self._out is not None:
                self._out.commit()
                self._out = None
        except OutputError:
            self._abort()
            raise
        except OSError as exc_:
            self._abort()
            raise self._output_error(exc_) from exc_

    def _abort(self) -> None:
        """Throw the partial file away; any earlier file at the target stays."""
        with contextlib.suppress(Exception):
            self._stack.close()
        if self._out is not None:
            self._out.abort()
            self._out = None

    def _output_error(self, exc: OSError) -> OutputError:
        return output_error(self.target or "the TMX", exc)

    # -- units -----------------------------------------------------------------

    def clean(self, text: str) -> str:
        """``text`` without characters XML 1.0 forbids (they are counted)."""
        if FORBIDDEN_XML_CHARS.search(text) is None:
            return text
        cleaned, count = FORBIDDEN_XML_CHARS.subn("", text)
        self.dropped_characters += count
        return cleaned

    def write(self, unit: TranslationUnit, *, tuid: str | None = None) -> None:
        """Write one unit as a ``<tu>`` on its own line."""
        data = self.tu_xml(unit, tuid=tuid).encode("utf-8")
        try:
            # xmlfile keeps the envelope (declaration, <tmx>, <header>, <body>);
            # units go straight to the file after a flush, several times faster
            # than building an lxml element per unit. tests/tm/test_tmx.py checks
            # that lxml re-serializes every <tu> to exactly these bytes.
            if not self._flushed:
                self._xf.flush()
                self._flushed = True
            assert self._fh is not None
            self._fh.write(data)
        except OSError as exc:
            raise self._output_error(exc) from exc
        self.units += 1

    def tu_xml(self, unit: TranslationUnit, *, tuid: str | None = None) -> str:
        """The ``<tu>`` for a unit as one line of XML (nothing indented inside it)."""
        clean = self.clean
        machine = unit.status is Status.DRAFT and origin_kind(unit.origin) is Origin.MT
        # Store ids are unique in the file; tuids imported from several files may not be.
        tuid = tuid or (str(unit.id) if unit.id is not None else unit.tuid)
        parts = ["<tu"]
        if tuid:
            parts.append(f' tuid="{_attr(clean(tuid))}"')
        if unit.created_at:
            parts.append(f' creationdate="{_attr(unit.created_at)}"')
        creator = MT_AUTHOR if machine else unit.created_by
        if creator:
            parts.append(f' creationid="{_attr(clean(creator))}"')
        if unit.changed_at:
            parts.append(f' changedate="{_attr(unit.changed_at)}"')
        if unit.changed_by:
            parts.append(f' changeid="{_attr(clean(unit.changed_by))}"')
        parts.append(f' usagecount="{int(unit.usage_count)}"')
        if unit.last_used_at:
            parts.append(f' lastusagedate="{_attr(unit.last_used_at)}"')
        parts.append(f'><prop type="x-status">{unit.status.value}</prop>')
        for kind, value in (
            ("x-origin", unit.origin),
            ("x-document", unit.document),
            ("x-context-prev", unit.context_prev),
            ("x-context-next", unit.context_next),
        ):
            if value:
                parts.append(f'<prop type="{kind}">{self.text(value)}</prop>')
        for key, value in unit.props:
            if key:
                parts.append(f'<prop type="{_attr(clean(key))}">{self.text(value)}</prop>')
        note = draft_note(unit)
        if note and note not in unit.notes:
            parts.append(f"<note>{_text(note)}</note>")
        for text in unit.notes:
            parts.append(f"<note>{self.text(text)}</note>")
        parts.append(f'<tuv xml:lang="{SOURCE_LANG}"><seg>')
        parts.append(self._seg(unit.source, unit.source_markup))
        parts.append(f'</seg></tuv><tuv xml:lang="{TARGET_LANG}"><seg>')
        parts.append(self._seg(unit.target, unit.target_markup))
        parts.append("</seg></tuv></tu>\n")
        return "".join(parts)

    def _seg(self, text: str, markup: str | None) -> str:
        """The inner XML of a ``<seg>``: stored inline-code markup, else the text."""
        if markup:
            markup = self.clean(markup)
            try:
                etree.fromstring(f"<seg>{markup}</seg>", _SEG_PARSER)
                return markup
            except etree.XMLSyntaxError:
                # Markup that no longer parses is worth less than the plain text.
                pass
        return self.text(text)

    def text(self, value: str) -> str:
        """Character data: forbidden characters dropped, the rest escaped."""
        if _TEXT_WORK.search(value) is None:
            return value  # the usual case: one scan, no copies
        return _text(self.clean(value))


_TEXT_WORK = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t]')


def _text(value: str) -> str:
    """Escape character data the way libxml2 does (``\\r`` must survive parsing)."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attr(value: str) -> str:
    """Escape an attribute value the way libxml2 does."""
    if _ATTR_SPECIAL.search(value) is None:
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def stdout_stream() -> IO[bytes]:
    """The binary stdout, for ``--out -``."""
    return sys.stdout.buffer
