"""Fuzz the CSV and TSV glossary readers (glossary/formats.py).

The first byte picks the format (even: TSV, odd: CSV); the rest is the file.
Property: entries with both sides, or a TmError; nothing else escapes.

    nice -n 19 python fuzz/fuzz_glossary_csv_tsv.py fuzz/work/csv_tsv fuzz/corpus/csv_tsv \
        -max_total_time=600
"""

from __future__ import annotations

import sys

import atheris
from _common import argv, scratch

with atheris.instrument_imports(include=["glossary", "tm"]):
    import tm.textio  # noqa: F401  (imported lazily by the reader; instrumented here)
    from glossary.formats import read_glossary, write_glossary
    from tm.errors import TmError


def test_one_input(data: bytes) -> None:
    if not data:
        return
    fmt = "csv" if data[0] & 1 else "tsv"
    try:
        result = read_glossary(scratch(data[1:], f"input.{fmt}"), fmt)
    except TmError:
        return
    assert result.entries, "a clean result holds entries"
    for entry in result.entries:
        assert entry.source.strip() and entry.target.strip()
    write_glossary(result.entries, fmt)


if __name__ == "__main__":
    atheris.Setup(argv("csv_tsv"), test_one_input)
    atheris.Fuzz()
    sys.exit(0)
