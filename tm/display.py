"""Showing text from files on a terminal without letting it drive the terminal.

Documents, memory units, glossary entries and paths are data. Printed raw, an
ESC in them starts an escape sequence (colours, a cursor jump, an OSC 52
clipboard write, a fake prompt), a carriage return overwrites what was shown,
and a bidi override reverses the line it is in. Everything that shows such
text to a person goes through :func:`visible`, which shows those characters
as symbols, as ``less`` and ``cat -v`` do:

- C0 controls and DEL as the Unicode control pictures (ESC as ``␛``, BEL as
  ``␇``, CR as ``␍``, DEL as ``␡``); tab and line feed stay themselves;
- C1 controls (U+0080..U+009F, which some terminals take as CSI, OSC...),
  bidi embeddings, overrides and isolates, and lone surrogates (undecodable
  bytes in a file name) as ``<U+XXXX>``, as ``less`` shows them.

The store and the exports keep the text as it is (TMX drops only what XML
forbids). Text formats printed by the CLI are for people and always go
through :func:`visible`, on a terminal or not; ``--format json`` is for
scripts and carries the exact text, with every such character written as a
JSON ``\\uXXXX`` escape (:func:`json_visible`), so that JSON is safe on a
terminal too and parses to the same strings.

Markup is the other half: user text is never parsed as Rich or Textual
markup (``[/]`` in a phrase or a folder name is text). The CLI's consoles
and the review UI's widgets take plain text or :class:`rich.text.Text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# What the terminal must never receive raw: C0 controls, DEL, C1 controls,
# bidi embeddings/overrides/isolates and lone surrogates.
_REST = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_REST}]")
_C0_EXCEPT_TAB_LF = re.compile(f"[\x00-\x08\x0b-\x1f{_REST}]")
_C0_EXCEPT_TAB = re.compile(f"[\x00-\x08\x0a-\x1f{_REST}]")
# The one-character stand-in for characters without a control picture.
REPLACEMENT = "\ufffd"


def symbol(char: str) -> str:
    """How one unsafe character is shown: a control picture or ``<U+XXXX>``."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def _pattern(newlines: bool, tabs: bool) -> re.Pattern[str]:
    if not tabs:
        return _UNSAFE
    return _C0_EXCEPT_TAB_LF if newlines else _C0_EXCEPT_TAB


def visible(text: str, *, newlines: bool = True, tabs: bool = True) -> str:
    """``text`` with every character that could drive a terminal shown as a symbol.

    ``newlines=False`` also shows line feeds (as ``␊``), for output that must
    stay one line per record; ``tabs=False`` (which implies it) shows tabs
    (``␉``), for tab-separated lines.
    """
    pattern = _pattern(newlines, tabs)
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: symbol(m.group()), text)


def same_width(text: str) -> str:
    """Like :func:`visible` but one character for one, for an editor's display.

    The editor's cursor and selection count characters of the real text, so
    each unsafe character becomes exactly one symbol (a control picture, or
    U+FFFD where there is none). Tab and line feed stay.
    """
    if _C0_EXCEPT_TAB_LF.search(text) is None:
        return text

    def one(match: re.Match[str]) -> str:
        char = match.group()
        return symbol(char) if ord(char) < 0x20 or ord(char) == 0x7F else REPLACEMENT

    return _C0_EXCEPT_TAB_LF.sub(one, text)


def visible_text(
    text: str,
    style: str = "",
    spans: Iterable[tuple[int, int, str]] = (),
    *,
    newlines: bool = True,
    symbol_style: str = "reverse",
) -> Text:
    """A :class:`rich.text.Text` of ``visible(text)``, never parsed as markup.

    ``spans`` are (start, end, style) in ``text``; they are moved to where
    those characters are once symbols have replaced unsafe ones. Symbols get
    ``symbol_style`` so that they stand out from real text, as in ``less``.
    """
    from rich.text import Text

    pattern = _pattern(newlines, True)
    if pattern.search(text) is None:
        result = Text(text, style=style)
        for start, end, span_style in spans:
            result.stylize(span_style, start, end)
        return result
    # new_index[i] is where original character i starts in the shown text.
    new_index: list[int] = []
    pieces: list[str] = []
    marks: list[tuple[int, int]] = []
    position = 0
    last = 0
    for match in pattern.finditer(text):
        plain = text[last : match.start()]
        new_index.extend(range(position, position + len(plain)))
        pieces.append(plain)
        position += len(plain)
        shown = symbol(match.group())
        new_index.append(position)
        pieces.append(shown)
        marks.append((position, position + len(shown)))
        position += len(shown)
        last = match.end()
    tail = text[last:]
    new_index.extend(range(position, position + len(tail)))
    pieces.append(tail)
    position += len(tail)
    new_index.append(position)
    result = Text("".join(pieces), style=style)
    for start, end in marks:
        result.stylize(symbol_style, start, end)
    size = len(text)
    for start, end, span_style in spans:
        start, end = max(0, min(start, size)), max(0, min(end, size))
        result.stylize(span_style, new_index[start], new_index[end])
    return result


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_visible(document: str) -> str:
    """A JSON document with DEL, C1, bidi controls and lone surrogates as ``\\uXXXX``.

    ``json.dumps`` already escapes C0 controls; with ``ensure_ascii=False`` it
    writes the others raw. Inside JSON they can only occur in strings, where
    the escape means the same character: the data is unchanged.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
