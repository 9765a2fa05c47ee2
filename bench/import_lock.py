"""How long a review confirmation waits while `tm import` writes a large TMX.

Builds a TMX of N units from news-valid (../shared/data), imports it into a
fresh store, and starts a confirmation on a second connection as soon as the
import has read its first chunk (inside the import's write transaction). It
prints the import's wall time and how long the confirmation waited for the
lock. Figures go to bench/results/store.md.

    python bench/import_lock.py --units 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))


def write_tmx(path: Path, units: int) -> None:
    """A TMX of ``units`` distinct pairs from news-valid."""
    sources = (DATA / "news-valid.id").read_text(encoding="utf-8").splitlines()
    targets = (DATA / "news-valid.en").read_text(encoding="utf-8").splitlines()
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
            'creationtool="bench" creationtoolversion="1" segtype="sentence" o-tmf="bench" '
            'adminlang="en" srclang="id" datatype="plaintext"/><body>'
        )
        for i in range(units):
            k = i % len(sources)
            out.write(
                f'<tu><tuv xml:lang="id"><seg>{escape(sources[k])} ({i})</seg></tuv>'
                f'<tuv xml:lang="en"><seg>{escape(targets[k])} ({i})</seg></tuv></tu>'
            )
        out.write("</body></tmx>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    args = parser.parse_args()

    from tm.models import SegmentedText, SourceSpan
    from tm.store import Store
    from tm.tmx import import_tmx

    folder = Path(tempfile.mkdtemp())
    tmx, db = folder / "memory.tmx", folder / "tm.sqlite"
    write_tmx(tmx, args.units)
    with Store(db) as store:
        spans = (SourceSpan("Banjir di Bogor.", "\n", 0),)
        doc = store.add_document("a.txt", SegmentedText("", spans), sha256="bench")
        segment = store.segments(doc.id)[0]
    importing = threading.Event()
    waited: list[float] = []

    def confirm() -> None:
        importing.wait()
        with Store(db, busy_timeout=3600) as reviewer:
            start = time.perf_counter()
            reviewer.confirm_segment(segment.id, "Floods in Bogor.", author="bench")
            waited.append(time.perf_counter() - start)

    reviewer = threading.Thread(target=confirm)
    reviewer.start()
    with Store(db) as store:
        start = time.perf_counter()
        report = import_tmx(store, tmx, progress=lambda _: importing.set())
        seconds = time.perf_counter() - start
    reviewer.join()
    print(
        f"units {report.added:,}: import {seconds:.1f} s; "
        f"a confirmation started during it waited {waited[0]:.1f} s"
    )


if __name__ == "__main__":
    main()
