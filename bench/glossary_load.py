"""How long the built-in glossary takes to load in a fresh process (budget: 0.5 s).

The review UI loads it in a worker as it opens and `tm qa` / `tm glossary`
load it before their first line of output. Each run is a new interpreter
(nothing cached), timing the import of ``glossary`` and ``builtin_glossary()``
from inside the process, so interpreter start-up is not counted. Prints the
median, p90 and worst of N runs, and whether the median is within budget.
(This was a timed assertion in tests/glossary/test_data.py; timings belong
here, where a busy machine makes a figure worse instead of a test red.)

    python bench/glossary_load.py [--runs 15] [--budget 0.5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROBE = (
    "import time; t = time.perf_counter(); from glossary import builtin_glossary; "
    "g = builtin_glossary(); print(time.perf_counter() - t, len(g.search('')))"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--budget", type=float, default=0.5, help="seconds, for the median")
    args = parser.parse_args()
    times = []
    entries = 0
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=REPO
        )
        seconds, count = out.stdout.split()
        times.append(float(seconds))
        entries = int(count)
    times.sort()
    median = statistics.median(times)
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    verdict = "within" if median <= args.budget else "OVER"
    print(
        f"built-in glossary ({entries} entries), {args.runs} fresh processes: "
        f"median {median * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, worst {times[-1] * 1000:.0f} ms "
        f"({verdict} the {args.budget * 1000:.0f} ms budget)"
    )


if __name__ == "__main__":
    main()
