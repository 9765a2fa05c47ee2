"""Reading the text files a translator hands us.

UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark
are read without being asked; the mark is dropped. Anything else needs an
explicit ``--encoding``. Every failure is an :class:`InputError` that says
which file, what is wrong and what to do: a missing file, a directory, an
empty or binary file, or bytes that do not decode.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from tm.errors import InputError

_ENCODING_HINT = (
    "If the file is in another encoding, name it with {encoding} (for example "
    "{encoding=cp1252} or {encoding=latin-1}), or save it as UTF-8."
)
# Control characters other than tab, line feed, vertical tab, form feed,
# carriage return and escape hardly ever occur in text; many of them mean
# binary data.
_CONTROL = frozenset(range(32)) - {9, 10, 11, 12, 13, 27}
# Share of control characters above which a decoded file is taken as binary.
_MAX_CONTROL_SHARE = 0.1
# Text codecs that are not document encodings: "undefined" refuses every
# byte; punycode and idna encode domain names.
_NOT_DOCUMENT_CODECS = frozenset({"undefined", "punycode", "idna"})
# How much of the start of a file is inspected for binary content.
_SNIFF = 8192


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """Read a text file (``"-"`` is standard input) and return its text.

    ``encoding`` forces a codec; without it, UTF-8 and UTF-16 with a
    byte-order mark are recognised. Raises :class:`InputError` for a missing
    file, a directory, an unreadable, empty, whitespace-only or binary file,
    and for bytes that do not decode.
    """
    if str(path) == "-":
        return decode_bytes(sys.stdin.buffer.read(), "standard input", encoding)
    file = Path(path)
    name = str(path)
    if not file.exists():
        raise InputError(f"{name}: no such file. Check the path and try again.")
    if file.is_dir():
        raise InputError(f"{name} is a directory, not a text file. Name a .txt or .md file in it.")
    try:
        data = file.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(
            f"{name} cannot be read ({reason}). Check its permissions and try again."
        ) from None
    return decode_bytes(data, name, encoding)


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode the bytes of the file called ``name`` as :func:`read_text` does.

    The byte-order mark is removed. Raises :class:`InputError` when the data
    is empty, only whitespace, binary or not valid in the encoding.
    """
    if not data:
        raise InputError(f"{name} is empty: there is no text to segment.")
    if encoding is not None:
        text = _decode_named(data, name, encoding)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF32_LE
    ):
        text = _decode(data, name, "utf-16")
    elif data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8) :], name, "utf-8", len(codecs.BOM_UTF8))
    else:
        if b"\x00" in data[:_SNIFF]:
            raise _binary(name, nul=True)
        text = _decode(data, name, "utf-8")
    if text.startswith("\ufeff"):
        # The codec named with --encoding may leave the mark in place, and a
        # file may carry it more than once (found by fuzz/fuzz_textio.py).
        text = text.lstrip("\ufeff")
    _check_text(text, name)
    return text


def _decode_named(data: bytes, name: str, encoding: str) -> str:
    """Decode with the codec the user named, checking that the name exists."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not info._is_text_encoding or info.name in _NOT_DOCUMENT_CODECS:
        # Python also registers bytes-to-bytes transforms (hex, base64, zlib...)
        # under codec names; they do not read text and must not be offered as if.
        raise InputError(
            f"Cannot read {name}: {encoding!r} is not a text encoding tm can read.",
            action="Use a name such as utf-8, utf-16, cp1252 or latin-1.",
            option="encoding",
        )
    return _decode(data, name, info.name)


def _decode(data: bytes, name: str, encoding: str, skipped: int = 0) -> str:
    """Decode ``data``, naming the first bad byte's offset on failure.

    ``skipped`` is the number of bytes (a byte-order mark) that came before
    ``data`` in the file, so that the offset counts from the file's start.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        if encoding == "utf-8":
            what = "is not valid UTF-8 (or UTF-16 with a byte-order mark)"
        else:
            what = f"is not valid {encoding}"
        raise InputError(
            f"{name} {what}: byte 0x{bad} at offset {skipped + error.start} cannot be decoded.",
            action=_ENCODING_HINT,
            option="encoding",
        ) from None


def _check_text(text: str, name: str) -> None:
    """Reject text that is empty after decoding or looks like binary data."""
    if not text.strip():
        raise InputError(f"{name} holds only whitespace: there is no text to segment.")
    if "\x00" in text:
        raise _binary(name, nul=True)
    sample = text[:_SNIFF]
    controls = sum(1 for char in sample if ord(char) in _CONTROL)
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise _binary(name)


def _binary(name: str, nul: bool = False) -> InputError:
    """The error for a file that is not text."""
    if nul:
        why = "it holds NUL bytes"
        hint = (
            " If it is UTF-16 text without a byte-order mark, name the encoding, for "
            "example {encoding=utf-16-le}."
        )
    else:
        why = "it holds many control characters"
        hint = ""
    return InputError(
        f"{name} looks like a binary file, not text ({why}). Name a plain-text .txt or "
        f".md file; a word-processor document must be saved as plain text first.{hint}"
    )
