"""TMX import/export benchmark against the budgets in DESIGN.md.

Generates a TMX of ``--units`` units (default 1,000,000) whose sentences are
sampled and perturbed from the Indonesian/English news data, then measures,
each in its own child process so that peak RSS is that step's alone:

- import into a fresh store (target: >= 50k units/s, peak RSS < 300 MB);
- export of the whole memory (target: >= 100k units/s);
- translate-toolkit parsing the same file (time and peak RSS), as a ratio.

Usage: python bench/tmx_bench.py [--units N] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"

_CHILD_PRELUDE = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

IMPORT_CHILD = """
from tm.store import Store
from tm.tmx import import_tmx
store = Store({db!r})
if {drop_index!r}:
    # Measure tm's own work: without the FTS5 triggers of tm.leverage (migration 2).
    for name in ("units_fts_insert", "units_fts_update", "units_fts_delete"):
        store.conn.execute(f"DROP TRIGGER IF EXISTS {{name}}")
t = time.perf_counter()
report = import_tmx(store, {tmx!r})
elapsed = time.perf_counter() - t
print(json.dumps({{"seconds": elapsed, "units": report.added, "rss_mb": peak_mb()}}))
"""

EXPORT_CHILD = """
from tm.store import Store
from tm.tmx import export_tmx
store = Store({db!r})
t = time.perf_counter()
report = export_tmx(store, {out!r})
elapsed = time.perf_counter() - t
print(json.dumps({{"seconds": elapsed, "units": report.units, "rss_mb": peak_mb()}}))
"""

TTK_CHILD = """
from translate.storage import tmx
t = time.perf_counter()
with open({tmx!r}, "rb") as fh:
    store = tmx.tmxfile(fh)
units = sum(1 for u in store.units if u.target)
elapsed = time.perf_counter() - t
print(json.dumps({{"seconds": elapsed, "units": units, "rss_mb": peak_mb()}}))
"""


def perturb(words: list[str], rng: random.Random, number: int) -> str:
    """A sentence of realistic length that differs from its neighbours."""
    words = list(words)
    if len(words) > 4 and rng.random() < 0.5:
        del words[rng.randrange(len(words))]
    words.insert(rng.randrange(len(words) + 1), str(number))
    return " ".join(words)


def generate(path: Path, units: int, seed: int = 7) -> float:
    """Write the benchmark TMX with tm's own writer; returns seconds."""
    sys.path.insert(0, str(REPO))
    from tm.models import Status, TranslationUnit
    from tm.tmx_write import TmxWriter

    ids = (DATA / "news-valid.id").read_text(encoding="utf-8").splitlines()
    ens = (DATA / "news-valid.en").read_text(encoding="utf-8").splitlines()
    pairs = [(i.split(), e.split()) for i, e in zip(ids, ens, strict=True) if i and e]
    rng = random.Random(seed)
    started = time.perf_counter()
    with TmxWriter(path) as writer:
        for n in range(units):
            src, tgt = pairs[rng.randrange(len(pairs))]
            writer.write(
                TranslationUnit(
                    source=perturb(src, rng, n),
                    target=perturb(tgt, rng, n),
                    created_at="20240102T030405Z",
                    created_by="bench",
                    status=Status.TRANSLATED,
                    origin="human",
                ),
                tuid=str(n + 1),
            )
    return time.perf_counter() - started


def run_child(code: str) -> dict[str, float]:
    """Run a measurement in a fresh interpreter; returns its JSON line."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Run the benchmark and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--reuse", action="store_true", help="reuse the TMX in --workdir")
    parser.add_argument("--no-ttk", action="store_true", help="skip translate-toolkit")
    parser.add_argument(
        "--without-fts",
        action="store_true",
        help="also import into a store without the full-text index triggers",
    )
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tmx-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    tmx_path, db, out = work / "bench.tmx", work / "bench.sqlite", work / "export.tmx"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    reuse = args.reuse and tmx_path.exists()
    gen_s = 0.0 if reuse else generate(tmx_path, args.units)
    size_mb = tmx_path.stat().st_size / 1e6
    prelude = _CHILD_PRELUDE.format(repo=str(REPO))
    imp = run_child(prelude + IMPORT_CHILD.format(db=str(db), tmx=str(tmx_path), drop_index=False))
    bare = None
    if args.without_fts:
        bare_db = work / "bare.sqlite"
        for stale in (bare_db, Path(f"{bare_db}-wal"), Path(f"{bare_db}-shm")):
            stale.unlink(missing_ok=True)
        bare = run_child(
            prelude + IMPORT_CHILD.format(db=str(bare_db), tmx=str(tmx_path), drop_index=True)
        )
    exp = run_child(prelude + EXPORT_CHILD.format(db=str(db), out=str(out)))
    ttk = None if args.no_ttk else run_child(prelude + TTK_CHILD.format(tmx=str(tmx_path)))

    def rate(r: dict[str, float]) -> float:
        return r["units"] / r["seconds"] if r["seconds"] else float("inf")

    print(
        f"TMX benchmark: {args.units:,} units, {size_mb:.0f} MB file (generated in {gen_s:.1f} s)"
    )
    print()
    print("| step | units | seconds | units/s | peak RSS MB | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(
        f"| tm import | {imp['units']:,.0f} | {imp['seconds']:.1f} | {rate(imp):,.0f} |"
        f" {imp['rss_mb']:.0f} | >= 50,000 units/s, < 300 MB |"
    )
    if bare:
        print(
            f"| tm import, no FTS index | {bare['units']:,.0f} | {bare['seconds']:.1f} |"
            f" {rate(bare):,.0f} | {bare['rss_mb']:.0f} | (FTS5 triggers dropped) |"
        )
    print(
        f"| tm export (--all) | {exp['units']:,.0f} | {exp['seconds']:.1f} | {rate(exp):,.0f} |"
        f" {exp['rss_mb']:.0f} | >= 100,000 units/s |"
    )
    if ttk:
        print(
            f"| translate-toolkit parse | {ttk['units']:,.0f} | {ttk['seconds']:.1f} |"
            f" {rate(ttk):,.0f} | {ttk['rss_mb']:.0f} | (reference) |"
        )
        print()
        print(
            f"translate-toolkit / tm import: time x{ttk['seconds'] / imp['seconds']:.2f},"
            f" peak RSS x{ttk['rss_mb'] / imp['rss_mb']:.2f}"
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
