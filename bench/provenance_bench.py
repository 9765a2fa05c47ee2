"""What provenance costs: the post-editing distance, and confirming with it.

Run: ``python bench/provenance_bench.py [news-valid.en]``. Uses the English side of
../shared/data/news-valid.en (benchmarks only): each sentence is a "draft",
its "final" the same sentence with every fifth word changed. Reports the
edit-distance rate and the time of one confirmation on a real store file
(segment, unit with provenance props, repetitions), median of a few hundred.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data" / "news-valid.en"

from tm.models import Status  # noqa: E402
from tm.provenance import edit_distance, tokens  # noqa: E402
from tm.segment import segment_text  # noqa: E402
from tm.store import Store  # noqa: E402


def edited(text: str) -> str:
    words = text.split()
    return " ".join(w if i % 5 else w.upper() for i, w in enumerate(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DATA, help="English sentences")
    data = parser.parse_args().data
    lines = [line.strip() for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = lines[:2000]
    tokens("warm up the tokenizer.")
    started = time.perf_counter()
    distances = [edit_distance(line, edited(line)) for line in lines]
    seconds = time.perf_counter() - started
    print(
        f"edit distance: {len(lines)} pairs in {seconds:.2f} s "
        f"({len(lines) / seconds:,.0f} pairs/s, {1000 * seconds / len(lines):.2f} ms each); "
        f"median distance {statistics.median(distances)}%"
    )
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.sqlite") as store:
        sources = [f"Kalimat nomor {i} di sini." for i in range(300)]
        text = " ".join(sources) + "\n"
        doc = store.add_document(
            "b.txt", segment_text(text), sha256=hashlib.sha256(text.encode()).hexdigest()
        )
        timings = []
        for seg, line in zip(store.segments(doc.id), lines, strict=False):
            store.update_segment(
                seg.id, target=line, status=Status.DRAFT, origin="mt:x@1", draft=(line, "mt:x@1")
            )
            start = time.perf_counter()
            store.confirm_segment(seg.id, edited(line))
            timings.append(time.perf_counter() - start)
        print(
            f"confirm with provenance: median {1000 * statistics.median(timings):.2f} ms, "
            f"p95 {1000 * sorted(timings)[int(len(timings) * 0.95)]:.2f} ms "
            f"over {len(timings)} confirmations"
        )


if __name__ == "__main__":
    main()
