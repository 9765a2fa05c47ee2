"""`tm align` end to end: outputs, folder pairs, --import into the store, errors, MT."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from tests.fixtures.align import berita_pair, import_aligned
from tm.leverage import lookup
from tm.models import MatchKind, Status
from tm.store import Store
from tm.tmx_check import tmx_problems

from .test_cli_documents import assert_clean_error, run_tm

DATA = Path(__file__).parent / "data" / "align"
NO_MODEL = {"HF_HOME": "/nonexistent-hf-home", "HF_HUB_OFFLINE": "1"}


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return berita_pair(tmp_path)


def test_tsv_has_one_bead_per_line_with_empty_sides(tmp_path: Path, pair) -> None:
    src, tgt = pair
    result = run_tm("align", str(src), str(tgt), "--segmented", "--no-mt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.decode().splitlines()]
    assert all(len(row) == 3 for row in rows)
    assert rows[2][:2] == ["", "Photo: Antara"]
    assert rows[4][0].startswith("Warga menyambut") and rows[4][1] == ""
    merged = rows[6]
    assert merged[0].startswith('"Kami belum tahu') and "Pemerintah berjanji" in merged[0]
    assert 0.0 <= float(merged[2]) <= 1.0
    err = result.stderr.decode()
    assert "10 beads" in err and "2-1: 1" in err and "mean confidence" in err
    # Nothing was stored: no store without --import.
    assert not (tmp_path / "tm.sqlite").exists()


def test_tmx_output_is_valid_and_marks_drafts(tmp_path: Path, pair) -> None:
    src, tgt = pair
    out = tmp_path / "out.tmx"
    result = run_tm(
        "align", str(src), str(tgt), "--segmented", "--no-mt", "--format", "tmx",
        "--out", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert tmx_problems(out) == []  # the TMX 1.4b DTD and our semantic rules
    tree = etree.parse(str(out))
    tus = tree.findall(".//tu")
    assert len(tus) == 8  # ten beads, two of them with one side empty
    first = tus[0]
    assert first.findtext("prop[@type='x-origin']") == "aligned"
    assert first.findtext("prop[@type='x-status']") == "draft"
    assert 0.0 <= float(first.findtext("prop[@type='x-align-confidence']")) <= 1.0
    assert first.findtext("tuv[@{http://www.w3.org/XML/1998/namespace}lang='en']/seg").startswith(
        "Jakarta Governor"
    )


def test_import_stores_aligned_drafts_and_penalised_units(tmp_path: Path, pair) -> None:
    src, tgt = pair
    db = tmp_path / "project.sqlite"
    result = import_aligned(src, tgt, db, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""  # --import alone writes no bead list
    with Store(db) as store:
        (document,) = store.documents()
        segments = store.segments(document.id)
        # The document is the source file, losslessly, one segment per line.
        assert store.rebuild_text(document.id, use_targets=False) == src.read_text("utf-8")
        assert len(segments) == 10
        assert next(s.source for s in segments).startswith("Gubernur DKI Jakarta")
        first = segments[0]
        assert first.status is Status.DRAFT and first.origin == "aligned"
        assert first.target.startswith("Jakarta Governor")
        assert first.match_score is not None and 0 <= first.match_score <= 100
        # The sentence with no translation and the second half of the 2-1 bead stay new.
        assert segments[3].status is Status.NEW and "aligned:no-target" in segments[3].flags
        assert segments[6].status is Status.NEW
        assert "aligned:in-previous-target" in segments[6].flags
        assert "Tanah Abang" in segments[5].target
        # Aligned units are in the memory, unconfirmed: never an exact match.
        matches = lookup(store, first.source)
        assert matches and matches[0].kind is MatchKind.FUZZY and matches[0].score < 100
        assert matches[0].unit.origin == "aligned"
        # An unsure alignment loses more than a sure one.
        doubtful = [s for s in segments if s.match_score is not None and s.match_score < 50]
        assert doubtful, [s.match_score for s in segments]
        (unsure,) = lookup(store, doubtful[0].source, limit=1)
        assert unsure.unit.origin == "aligned" and unsure.score == 90
        assert matches[0].score == 95
        # Confirming the segment turns its unit into a human-confirmed one.
        store.confirm_segment(first.id, first.target or "")
        confirmed = lookup(store, first.source)
        assert confirmed[0].score == 100 and confirmed[0].kind is MatchKind.EXACT
        assert store.unit_count() == 8


def test_folder_pairs_write_one_file_per_pair(tmp_path: Path) -> None:
    ids, ens, out = tmp_path / "id", tmp_path / "en", tmp_path / "out"
    ids.mkdir()
    ens.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(DATA / "berita.id", ids / name)
        shutil.copy(DATA / "berita.en", ens / name)
    (ids / "lonely.txt").write_text("Tidak ada pasangan.\n", encoding="utf-8")
    result = run_tm(
        "align", str(ids), str(ens), "--segmented", "--no-mt", "--format", "json",
        "--out", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    data = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert data["counts"]["1-0"] == 1 and data["counts"]["0-1"] == 1
    assert data["beads"][0]["source"][0].startswith("Gubernur")
    err = result.stderr.decode()
    assert "Aligned 2 pair(s): 20 beads" in err
    assert "lonely.txt" in err


def test_plain_text_is_segmented_on_both_sides(tmp_path: Path) -> None:
    src, tgt = tmp_path / "a.id", tmp_path / "a.en"
    src.write_text("Presiden tiba di Jakarta pada Senin. Ia disambut 200 warga.\n", "utf-8")
    tgt.write_text(
        "The president arrived in Jakarta on Monday. He was met by 200 people.\n", "utf-8"
    )
    result = run_tm("align", str(src), str(tgt), "--no-mt", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    beads = json.loads(result.stdout)["beads"]
    assert [b["kind"] for b in beads] == ["1-1", "1-1"]
    assert beads[1]["target"] == ["He was met by 200 people."]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["missing.id", "berita.en"], "no such file"),
        (["berita.id", "."], "is a folder"),
        (["berita.id", "berita.en", "--out", "no/such/dir/x.tsv"], "does not exist"),
    ],
)
def test_bad_input_is_one_paragraph_and_exit_2(tmp_path: Path, pair, args, needle) -> None:
    db = tmp_path / "tm.sqlite"
    result = run_tm("align", *args, "--no-mt", "--import", cwd=tmp_path)
    assert_clean_error(result, needle)
    assert not db.exists()


def test_a_named_model_that_is_missing_is_an_error(tmp_path: Path, pair) -> None:
    src, tgt = pair
    result = run_tm(
        "align", str(src), str(tgt), "--model", str(tmp_path / "no-model"), "--import",
        cwd=tmp_path, env=NO_MODEL,
    )  # fmt: skip
    assert_clean_error(result)
    assert not (tmp_path / "tm.sqlite").exists()


def test_without_a_model_it_aligns_on_lengths_and_anchors(tmp_path: Path, pair) -> None:
    src, tgt = pair
    result = run_tm("align", str(src), str(tgt), "--segmented", cwd=tmp_path, env=NO_MODEL)
    assert result.returncode == 0, result.stderr
    assert b"No MT model on this machine" in result.stderr
    assert len(result.stdout.decode().splitlines()) == 10


def test_mt_path_runs_with_the_tiny_model(tmp_path: Path, pair, tiny_model_dir: Path) -> None:
    src, tgt = pair
    result = run_tm(
        "align", str(src), str(tgt), "--segmented", "--format", "json",
        cwd=tmp_path, env={"TM_MODEL": str(tiny_model_dir), "TM_THREADS": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # Random weights: the quality means nothing, but every sentence is placed once.
    assert sorted(i for b in data["beads"] for i in b["source"]) == sorted(
        s for s in (DATA / "berita.id").read_text(encoding="utf-8").splitlines() if s
    )
