"""Fuzz the TBX glossary reader (glossary/formats.py, TBX 2 and TBX v3).

Property: reading any bytes as TBX gives entries with both sides, or a
TmError; nothing else escapes, and memory stays under -rss_limit_mb.

    nice -n 19 python fuzz/fuzz_tbx.py fuzz/work/tbx fuzz/corpus/tbx -max_total_time=600
"""

from __future__ import annotations

import sys

import atheris
from _common import argv, scratch

with atheris.instrument_imports(include=["glossary", "tm"]):
    from glossary.formats import read_glossary, write_glossary
    from tm.errors import TmError


def test_one_input(data: bytes) -> None:
    try:
        result = read_glossary(scratch(data, "input.tbx"), "tbx")
    except TmError:
        return
    assert result.entries, "a clean result holds entries"
    for entry in result.entries:
        assert entry.source.strip() and entry.target.strip()
    # Whatever was read can be written back.
    write_glossary(result.entries, "tbx")


if __name__ == "__main__":
    atheris.Setup(argv("tbx", "xml.dict"), test_one_input)
    atheris.Fuzz()
    sys.exit(0)
