"""Coverage-guided fuzzing of the TMX reader (atheris).

Every input must either read (units, counts) or raise TmxError: any other
exception is a finding. Run from the repository root, e.g.

    nice -n 19 python bench/fuzz_tmx_read.py CORPUS_DIR -max_total_time=600

with CORPUS_DIR seeded from tests/tm/data/tmx/*.tmx. Each input is read as a
plain file and again gzip-compressed (the .tmx.gz path).
"""

from __future__ import annotations

import gzip
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from tm.errors import TmxError
    from tm.tmx_read import TmxReader

_DIR = tempfile.mkdtemp(prefix="fuzz-tmx-")
_PLAIN = os.path.join(_DIR, "input.tmx")
_GZ = os.path.join(_DIR, "input.tmx.gz")


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


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
