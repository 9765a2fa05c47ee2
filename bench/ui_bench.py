"""How fast the review UI opens and follows the keyboard (budgets: < 1 s, < 50 ms).

Builds a 10,000-segment document from the real news sentences (half of it MT
drafts, a tenth confirmed), then, with Textual's Pilot in a headless terminal:

- open: from ``create_app`` to the review screen painted with every row in
  the segment table (median of ``--runs`` fresh apps);
- next segment: from the key press to the first screen paint after the
  screen has moved to the next segment (Ctrl+N from the editor, and the Down
  arrow in the table), over ``--keys`` presses.

Paint times come from wrapping ``App._display``, which headless Textual calls
once per frame it would send to the terminal.

    python bench/ui_bench.py [--segments 10000] [--runs 3] [--keys 40] [--out bench/results/ui.md]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tm.models import SegmentedText, SourceSpan  # noqa: E402
from tm.store import Store  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SIZE = (160, 45)


def build_store(path: Path, segments: int) -> int:
    """A store with one document of ``segments`` real sentences; returns its id."""
    sources = (DATA / "news-valid.id").read_text(encoding="utf-8").splitlines()
    targets = (DATA / "news-valid.en").read_text(encoding="utf-8").splitlines()
    spans = tuple(SourceSpan(sources[i % len(sources)], "\n", i // 20) for i in range(segments))
    with Store(path) as store:
        doc = store.add_document("big.txt", SegmentedText("", spans), sha256="bench")
        rows = store.segments(doc.id)
        with store.atomic() as conn:
            conn.executemany(
                "UPDATE segments SET target = ?, status = ?, origin = ? WHERE id = ?",
                (
                    (
                        targets[i % len(targets)],
                        "translated" if i % 10 == 0 else "draft",
                        "human" if i % 10 == 0 else "mt:Helsinki-NLP/opus-mt-id-en",
                        seg.id,
                    )
                    for i, seg in enumerate(rows)
                    if i % 2 == 0
                ),
            )
        return doc.id


class PaintClock:
    """Records when the app paints a frame."""

    def __init__(self, app: Any) -> None:
        self.times: list[float] = []
        original = app._display

        def display(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            self.times.append(time.perf_counter())
            return result

        app._display = display

    def first_after(self, moment: float) -> float | None:
        return next((t for t in self.times if t >= moment), None)


async def measure_open(db: Path, doc_id: int, segments: int) -> float:
    """Seconds from create_app to the first paint with every table row in place."""
    from tui.app import create_app
    from tui.widgets.segment_table import SegmentTable

    t0 = time.perf_counter()
    app = create_app(db, doc_id)
    clock = PaintClock(app)
    async with app.run_test(size=SIZE) as pilot:
        while True:
            tables = app.screen.query(SegmentTable)
            if tables and tables.first().row_count == segments:
                break
            await asyncio.sleep(0.001)
        ready = time.perf_counter()
        await pilot.pause()
        painted = clock.first_after(ready) or time.perf_counter()
        await pilot.press("ctrl+q")
    app.store.close()
    return painted - t0


async def measure_keys(db: Path, doc_id: int, keys: int) -> dict[str, list[float]]:
    """Key-to-paint latencies for Ctrl+N in the editor and Down in the table."""
    from tui.app import create_app
    from tui.screens.review import ReviewScreen
    from tui.widgets.segment_table import SegmentTable

    app = create_app(db, doc_id)
    clock = PaintClock(app)
    results: dict[str, list[float]] = {"ctrl+n (editor)": [], "down (table)": []}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        moved: list[float] = []
        original_go = screen.go

        def go(*args: Any, **kwargs: Any) -> None:
            original_go(*args, **kwargs)
            moved.append(time.perf_counter())

        screen.go = go  # type: ignore[method-assign]
        for label, key in (("ctrl+n (editor)", "ctrl+n"), ("down (table)", "down")):
            if key == "down":
                screen.query_one(SegmentTable).focus()
                await pilot.pause()
            for _ in range(keys):
                before = len(moved)
                t0 = time.perf_counter()
                await pilot.press(key)
                while len(moved) == before:
                    await asyncio.sleep(0.0005)
                painted = None
                while painted is None:
                    painted = clock.first_after(moved[-1])
                    if painted is None:
                        await asyncio.sleep(0.0005)
                results[label].append(painted - t0)
                # Let the TM lookup worker finish, as a translator's pause would.
                await app.workers.wait_for_complete()
                await pilot.pause()
        await pilot.press("ctrl+q")
    app.store.close()
    return results


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--segments", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        doc_id = build_store(db, args.segments)
        opens = [asyncio.run(measure_open(db, doc_id, args.segments)) for _ in range(args.runs)]
        keys = asyncio.run(measure_keys(db, doc_id, args.keys))

    lines = [
        f"Terminal {SIZE[0]}×{SIZE[1]} (headless Pilot), document of {args.segments:,} segments.",
        "",
        "| Measure | Median | p90 | Max | Target | Verdict |",
        "|---|---|---|---|---|---|",
    ]
    med = statistics.median(opens)
    lines.append(
        f"| Open (create_app → first paint, {args.runs} runs) | {med * 1000:.0f} ms "
        f"| {_p(opens, 0.9) * 1000:.0f} ms | {max(opens) * 1000:.0f} ms | < 1000 ms "
        f"| {'met' if med < 1 else 'MISSED'} |"
    )
    for label, values in keys.items():
        m = statistics.median(values)
        lines.append(
            f"| Next segment, {label}, key → paint ({len(values)} presses) | {m * 1000:.1f} ms "
            f"| {_p(values, 0.9) * 1000:.1f} ms | {max(values) * 1000:.1f} ms | < 50 ms "
            f"| {'met' if m < 0.05 else 'MISSED'} |"
        )
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
