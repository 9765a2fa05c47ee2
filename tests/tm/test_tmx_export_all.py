"""`tm export --all --format tmx`: the memory, plus drafts with --include-mt."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tm.models import SegmentedText, SourceSpan, Status
from tm.store import Store
from tm.tmx import export_tmx
from tm.tmx_check import tmx_problems


def _statuses(path: Path) -> dict[str, str]:
    tree = etree.parse(str(path))
    found = {}
    for tu in tree.iter("tu"):
        source = tu.find("tuv/seg").text
        found[source] = tu.find("prop[@type='x-status']").text
    return found


def test_all_with_include_mt_adds_the_documents_drafts(store: Store, tmp_path: Path) -> None:
    spans = (SourceSpan("Halo semua.", " ", 0), SourceSpan("Apa kabar?", "\n", 0))
    doc = store.add_document("d.txt", SegmentedText("", spans), sha256="x")
    first, second = store.segments(doc.id)
    store.confirm_segment(first.id, "Hello everyone.")
    store.update_segment(
        second.id, target="How are you?", status=Status.DRAFT, origin="mt:opus-mt-id-en"
    )

    confirmed = tmp_path / "confirmed.tmx"
    export_tmx(store, confirmed)
    assert _statuses(confirmed) == {"Halo semua.": "translated"}

    everything = tmp_path / "all.tmx"
    report = export_tmx(store, everything, include_mt=True)
    assert report.units == 2
    assert _statuses(everything) == {"Halo semua.": "translated", "Apa kabar?": "draft"}
    assert tmx_problems(everything) == []
