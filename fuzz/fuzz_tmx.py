"""Fuzz the streaming TMX reader (tm/tmx_read.py).

Property: reading any bytes as a TMX file yields units or raises a TmError;
nothing else escapes, and memory stays under -rss_limit_mb.

    nice -n 19 python fuzz/fuzz_tmx.py fuzz/work/tmx fuzz/corpus/tmx -max_total_time=600
"""

from __future__ import annotations

import sys

import atheris
from _common import argv, scratch

with atheris.instrument_imports(include=["tm"]):
    from tm.errors import TmError
    from tm.tmx_read import TmxReader


def test_one_input(data: bytes) -> None:
    reader = TmxReader(scratch(data, "input.tmx"))
    try:
        for unit in reader:
            assert unit.source.strip() and unit.target.strip()
    except TmError:
        pass


if __name__ == "__main__":
    atheris.Setup(argv("tmx", "xml.dict"), test_one_input)
    atheris.Fuzz()
    sys.exit(0)
