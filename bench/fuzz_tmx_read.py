"""Coverage-guided fuzzing of the TMX reader (atheris).

Every input must either read (units, counts) or raise TmxError: any other
exception is a finding, and so is a TmxError message with a newline or a
libxml2 option name in it. Each input is read as a plain file and again
gzip-compressed (the .tmx.gz path).

usage: python bench/fuzz_tmx_read.py CORPUS_DIR [libFuzzer options]

for example, with CORPUS_DIR seeded from tests/tm/data/tmx/*.tmx:

    nice -n 19 python bench/fuzz_tmx_read.py CORPUS -max_total_time=600 -max_len=20000

atheris comes with the bench extra (pip install -e '.[bench]').
"""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
from typing import Any

_DIR = ""
_PLAIN = ""
_GZ = ""
TmxError: Any = None
TmxReader: Any = None


def _read(path: str) -> None:
    reader = TmxReader(path)
    try:
        for _unit in reader:
            pass
    except TmxError as exc:
        message = str(exc)
        assert "\n" not in message, message
        assert "XML_PARSE" not in message, message


def test_one_input(data: bytes) -> None:
    with open(_PLAIN, "wb") as fh:
        fh.write(data)
    _read(_PLAIN)
    with open(_GZ, "wb") as fh:
        fh.write(gzip.compress(data, compresslevel=1))
    _read(_GZ)


def main() -> None:
    global _DIR, _PLAIN, _GZ, TmxError, TmxReader
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    try:
        import atheris
    except ImportError:
        sys.exit("atheris is not installed: pip install -e '.[bench]' (or pip install atheris).")
    with atheris.instrument_imports():
        from tm.errors import TmxError as error
        from tm.tmx_read import TmxReader as reader
    TmxError, TmxReader = error, reader
    _DIR = tempfile.mkdtemp(prefix="fuzz-tmx-")
    _PLAIN = os.path.join(_DIR, "input.tmx")
    _GZ = os.path.join(_DIR, "input.tmx.gz")
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
