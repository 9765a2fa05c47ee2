"""Make docs/review.svg: the review screen on the seed article, for the README.

    python docs/make_review_svg.py

It imports the seed article into a temporary store, confirms the first
segments, leaves MT drafts on the next ones, adds a memory unit that gives a
fuzzy match, and saves a screenshot with Textual's ``save_screenshot``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tm.commands.documents import import_document  # noqa: E402
from tm.models import Status, TranslationUnit  # noqa: E402
from tm.store import Store  # noqa: E402

CONFIRMED = (
    "Turkey Vows to Defend Azerbaijan Against Armenia: We Will Help, on the Battlefield "
    "or at the Negotiating Table",
    "The situation in Nagorno-Karabakh flared up on 27 September, with armed clashes "
    "entering their fourth day.",
    "His statement echoed that of Turkish President Tayyip Erdogan.",
    "Azerbaijani President Ilham Aliyev later thanked Turkey for its support but said "
    "his country did not need military assistance.",
)
MT_DRAFTS = {
    4: '"The fighting will stop if Armenian troops immediately leave our land," he said.',
    5: "Cavusoglu also said French solidarity with Armenia was the same as supporting "
    "the Armenian occupation in Azerbaijan.",
}
CURRENT = 6
SIZE = (150, 42)


async def shoot(db: Path, document_id: int, out: Path) -> None:
    from tui.app import create_app
    from tui.widgets.target_editor import TargetEditor

    app = create_app(db, document_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.press("f5")  # insert the fuzzy match
        await pilot.pause(0.2)
        app.screen.query_one(TargetEditor).cursor_blink = False
        app.save_screenshot(out.name, path=str(out.parent))
        await pilot.press("ctrl+q")
    app.store.close()


def main() -> None:
    out = REPO / "docs" / "review.svg"
    seed = next((REPO / "seeds").glob("*.txt"))
    os.environ.setdefault("TM_AUTHOR", "ana")
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        db = Path("project.sqlite")
        with Store(db) as store:
            doc, _ = import_document(store, str(seed))
            segs = store.segments(doc.id)
            for seg, target in zip(segs, CONFIRMED, strict=False):
                store.confirm_segment(seg.id, target, author="ana")
            for i, target in MT_DRAFTS.items():
                store.update_segment(
                    segs[i].id,
                    target=target,
                    status=Status.DRAFT,
                    origin="mt:Helsinki-NLP/opus-mt-id-en",
                )
            store.add_unit(
                TranslationUnit(
                    "Presiden Prancis Emmanuel Macron, yang negaranya adalah rumah bagi banyak "
                    "orang keturunan Armenia, menanggapi hal tersebut saat berkunjung ke "
                    "Lituania.",
                    "French President Emmanuel Macron, whose country is home to many people "
                    "of Armenian descent, responded during a visit to Lithuania.",
                    created_at="20260312T101500Z",
                    created_by="budi",
                    origin="human",
                    document="earlier-article.txt",
                )
            )
            store.set_last_position(doc.id, CURRENT)
        asyncio.run(shoot(db, doc.id, out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
