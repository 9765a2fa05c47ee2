"""Line coverage of the readers reached by a fuzz corpus (coverage.py).

Replays every file of the given corpus directories through a harness's
``test_one_input`` (no fuzzing) and prints the line coverage of the readers:

    python fuzz/replay_coverage.py tbx fuzz/work/tbx fuzz/corpus/tbx
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import coverage

HARNESSES = {
    "tmx": ("fuzz_tmx", ["tm/tmx_read.py"]),
    "tbx": ("fuzz_tbx", ["glossary/formats.py"]),
    "csv_tsv": ("fuzz_glossary_csv_tsv", ["glossary/formats.py", "tm/textio.py"]),
    "textio": ("fuzz_textio", ["tm/textio.py"]),
}


def main() -> None:
    name, dirs = sys.argv[1], [a for a in sys.argv[2:] if a != "-m"]
    module, sources = HARNESSES[name]
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "fuzz"))
    cov = coverage.Coverage(data_file=None, include=[str(root / s) for s in sources], branch=True)
    cov.start()
    harness = importlib.import_module(module)
    files = sorted(p for d in dirs for p in Path(d).iterdir() if p.is_file())
    for path in files:
        harness.test_one_input(path.read_bytes())
    cov.stop()
    print(f"{name}: {len(files)} inputs replayed")
    cov.report(show_missing="-m" in sys.argv)


if __name__ == "__main__":
    main()
