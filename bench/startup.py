"""How fast `tm --help` starts (budget: median under 0.3 s).

Runs the installed console script N times in fresh processes and prints the
median and p90 wall time, and checks that torch, transformers and textual were
not imported along the way.

    python bench/startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    exe = shutil.which("tm")
    cmd = [exe, "--help"] if exe else [sys.executable, "-m", "tm.cli", "--help"]
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, tm.cli; print(sorted(m for m in ('torch','transformers','textual')"
            " if m in sys.modules))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    times.sort()
    print("| measure | value | budget |\n|---|---|---|")
    print(f"| `tm --help` median | {statistics.median(times) * 1000:.0f} ms | < 300 ms |")
    print(f"| `tm --help` p90 | {times[int(len(times) * 0.9) - 1] * 1000:.0f} ms | |")
    print(f"| heavy modules imported by tm.cli | {probe} | [] |")


if __name__ == "__main__":
    main()
