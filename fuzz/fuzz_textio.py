"""Fuzz the text decoder every text reader uses (tm/textio.py).

The first byte picks the encoding the user named (none, or one of a few text
codecs); the rest is the file. Property: text without a NUL, or a TmError.

    nice -n 19 python fuzz/fuzz_textio.py fuzz/work/textio fuzz/corpus/textio -max_total_time=600
"""

from __future__ import annotations

import sys

import atheris
from _common import argv

with atheris.instrument_imports(include=["tm"]):
    from tm.errors import TmError
    from tm.textio import decode_bytes

# Text encodings a translator may name with --encoding. Non-text codecs
# (hex, rot13, zlib...) are issue 12 item 11, fixed in tm/textio.py by its owner.
ENCODINGS = (None, None, "utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1", "utf-32", "gb18030")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    encoding = ENCODINGS[data[0] % len(ENCODINGS)]
    try:
        text = decode_bytes(data[1:], "input.txt", encoding)
    except TmError:
        return
    assert text.strip() and "\x00" not in text and not text.startswith("\ufeff")


if __name__ == "__main__":
    atheris.Setup(argv("textio"), test_one_input)
    atheris.Fuzz()
    sys.exit(0)
