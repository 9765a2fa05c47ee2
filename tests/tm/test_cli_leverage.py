"""`tm analyze` and `tm concordance` end to end."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tm.cli import app
from tm.models import SegmentedText, SourceSpan, TranslationUnit
from tm.store import Store

RICE = "Harga beras naik lima persen di pasar induk hari ini."
TEXT = (
    f"{RICE} Harga beras turun lima persen di pasar induk hari ini.\n\n"
    "Presiden membuka sidang kabinet. Gempa mengguncang kota. "
    f"{RICE}\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tm.sqlite"
    with Store(path) as store:
        store.add_units(
            [
                TranslationUnit(
                    RICE, "Rice prices rose five percent today.", created_at="20240101T000000Z"
                ),
                TranslationUnit(
                    "Presiden membuka sidang kabinet pagi ini.",
                    "The president opened the cabinet meeting this morning.",
                    created_at="20250101T000000Z",
                ),
            ]
        )
    return path


def invoke(db: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_analyze_file_json(db: Path, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, encoding="utf-8")
    report = json.loads(invoke(db, "analyze", str(doc), "--format", "json"))
    segments = {b["band"]: b["segments"] for b in report["bands"]}
    # RICE exact; its variant 9 of 10 words -> 90%; the president sentence
    # lacks 2 of the unit's 6 words -> 66% (50-74%); the earthquake no match;
    # the second RICE a repetition.
    assert segments == {
        "repetitions": 1,
        "101%": 0,
        "100%": 1,
        "95-99%": 0,
        "85-94%": 1,
        "75-84%": 0,
        "50-74%": 1,
        "no match": 1,
    }
    assert report["total"]["segments"] == 5


def test_analyze_stored_document_csv(db: Path) -> None:
    with Store(db) as store:
        spans = (SourceSpan(RICE, " ", 0), SourceSpan("Gempa mengguncang kota.", "\n", 0))
        store.add_document("berita.txt", SegmentedText("", spans), sha256="x")
    rows = list(csv.reader(io.StringIO(invoke(db, "analyze", "berita.txt", "--format", "csv"))))
    assert rows[0] == ["band", "segments", "words", "characters"]
    table = {r[0]: r[1:] for r in rows[1:]}
    assert table["100%"] == ["1", "10", "44"]
    assert table["no match"] == ["1", "3", "21"]
    assert table["total"] == ["2", "13", "65"]


def test_analyze_table(db: Path, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, encoding="utf-8")
    out = invoke(db, "analyze", str(doc))
    for label in ("repetitions", "101%", "95-99%", "no match", "total"):
        assert label in out


def _run_tm(
    db: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TM_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tm.cli", "--db", str(db), *args],
        capture_output=True,
        env=full_env,
        cwd=db.parent,
        timeout=120,
    )


def test_concordance_table_highlights(db: Path) -> None:
    result = _run_tm(db, "concordance", "BERAS naik", env={"FORCE_COLOR": "1", "COLUMNS": "200"})
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    # the hit, and only the hit, is shown in bold reverse video
    assert "\x1b[1;7mberas naik\x1b[0m" in out
    assert out.count("\x1b[1;7m") == 1


def test_concordance_json_target_and_limit(db: Path) -> None:
    hits = json.loads(invoke(db, "concordance", "the", "--target", "--format", "json"))
    assert [h["id"] for h in hits] == [2]
    assert hits[0]["spans"] == [[0, 3], [21, 24]]  # both "the"s, any case
    hits = json.loads(invoke(db, "concordance", "ini", "--format", "json", "--limit", "1"))
    assert [h["id"] for h in hits] == [2]  # newest first


def test_concordance_no_hit(db: Path) -> None:
    assert "No unit" in invoke(db, "concordance", "jembatan")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["analyze", "nosuchdoc"], "There is no document"),
        (["concordance", "?!"], "no letters or digits"),
    ],
)
def test_user_errors_are_one_paragraph(db: Path, args: list[str], needle: str) -> None:
    result = _run_tm(db, *args)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert err.startswith("Error: ") and needle in err
    assert "Traceback" not in err
