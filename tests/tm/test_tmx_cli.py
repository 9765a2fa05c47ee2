"""`tm import FILE.tmx` and `tm export --format tmx` end to end, in a real process."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

from tm.models import Status, TranslationUnit
from tm.store import Store
from tm.tmx import read_tmx
from tm.tmx_check import tmx_problems

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data" / "tmx"


def run_tm(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run the real entry point with a store in ``cwd``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TM_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["COLUMNS"] = "400"  # keep rich from wrapping the one-line summaries
    return subprocess.run(
        [sys.executable, "-m", "tm.cli", "--db", str(cwd / "tm.sqlite"), *args],
        cwd=cwd,
        capture_output=True,
        env=env,
        timeout=120,
    )


def test_import_reports_what_it_did(tmp_path: Path) -> None:
    done = run_tm("import", str(DATA / "okapi_rainbow.tmx"), cwd=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    for needle in (
        "4 units added",
        "0 updated",
        "0 duplicates",
        "1 skipped for another language pair",
        "2 invalid",
        "invalid unit at line 9: an empty Indonesian or English segment",
    ):
        assert needle in err
    again = run_tm("import", str(DATA / "okapi_rainbow.tmx"), cwd=tmp_path)
    assert "0 units added" in again.stderr.decode() and "4 duplicates" in again.stderr.decode()


def test_on_conflict_option_reaches_the_import(tmp_path: Path) -> None:
    run_tm("import", str(DATA / "omegat_project_save.tmx"), cwd=tmp_path)
    changed = tmp_path / "changed.tmx"
    changed.write_text(
        (DATA / "omegat_project_save.tmx")
        .read_text(encoding="utf-8")
        .replace("Moscow's role", "The role of Moscow")
    )
    done = run_tm("import", str(changed), "--on-conflict", "replace", cwd=tmp_path)
    assert "0 units added, 1 updated, 2 duplicates" in done.stderr.decode()
    with Store(tmp_path / "tm.sqlite") as store:
        assert [u.target for u in store.find_exact_units("Peran Moskow")] == ["The role of Moscow"]


def test_a_broken_tmx_is_one_paragraph_exit_2_and_changes_nothing(tmp_path: Path) -> None:
    run_tm("import", str(DATA / "trados_studio.tmx"), cwd=tmp_path)
    broken = tmp_path / "broken.tmx"
    broken.write_bytes((DATA / "omegat_project_save.tmx").read_bytes()[:-60])
    done = run_tm("import", str(broken), cwd=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "Traceback" not in err
    assert err.startswith("Error: ") and err.strip().count("\n") == 0
    assert "truncated" in err and "Nothing was imported" in err
    with Store(tmp_path / "tm.sqlite") as store:
        assert store.unit_count() == 2


def test_export_all_writes_a_valid_file_and_reports_it(tmp_path: Path) -> None:
    run_tm("import", str(DATA / "okapi_rainbow.tmx"), cwd=tmp_path)
    out = tmp_path / "memory.tmx"
    done = run_tm("export", "--all", "--format", "tmx", "--out", str(out), cwd=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert f"Wrote 3 units of the memory (translated, approved) as TMX to {out}." in err
    assert tmx_problems(out) == []
    with_mt = run_tm(
        "export", "--all", "--format", "tmx", "--include-mt", "--out", str(out), cwd=tmp_path
    )
    assert "Wrote 4 units" in with_mt.stderr.decode()
    assert [u.status for u in read_tmx(out)].count(Status.DRAFT) == 1


def test_export_to_stdout(tmp_path: Path) -> None:
    run_tm("import", str(DATA / "trados_studio.tmx"), cwd=tmp_path)
    done = run_tm(
        "export", "--all", "--format", "tmx", "--status", "approved", "--out", "-", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert done.stdout.count(b"<tu ") == 1
    assert b"Harga minyak naik" in done.stdout
    assert "Wrote 1 unit of the memory (approved)" in done.stderr.decode()


def test_export_validate_checks_the_written_file(tmp_path: Path) -> None:
    run_tm("import", str(DATA / "heartsome_ph_id.tmx"), cwd=tmp_path)
    out = tmp_path / "memory.tmx"
    done = run_tm(
        "export", "--all", "--format", "tmx", "--validate", "--out", str(out), cwd=tmp_path
    )
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert f"{out} validates against the TMX 1.4b DTD." in err
    to_stdout = run_tm(
        "export", "--all", "--format", "tmx", "--validate", "--out", "-", cwd=tmp_path
    )
    assert to_stdout.returncode == 2
    assert "--validate checks the written file" in to_stdout.stderr.decode()
    as_text = run_tm("export", "1", "--format", "txt", "--validate", "--out", "x.txt", cwd=tmp_path)
    assert as_text.returncode == 2 and "--format tmx" in as_text.stderr.decode()


def test_export_validate_fails_on_a_problem(tmp_path: Path) -> None:
    with Store(tmp_path / "tm.sqlite") as store:
        store.add_units([TranslationUnit(source="Satu.", target="One.", created_at="kemarin")])
    out = tmp_path / "memory.tmx"
    done = run_tm(
        "export", "--all", "--format", "tmx", "--validate", "--out", str(out), cwd=tmp_path
    )
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "Traceback" not in err
    assert "does not validate as TMX 1.4b" in err
    assert "creationdate='kemarin' is not YYYYMMDDThhmmssZ" in err


def test_import_of_compressed_memories(tmp_path: Path) -> None:
    path = tmp_path / "project_save.tmx.gz"
    path.write_bytes(gzip.compress((DATA / "omegat_project_save.tmx").read_bytes()))
    done = run_tm("import", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert "3 units added" in done.stderr.decode()


def test_a_memory_for_another_pair_is_an_error_naming_its_languages(tmp_path: Path) -> None:
    done = run_tm("import", str(DATA / "german_french.tmx"), cwd=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "no Indonesian-English units" in err and "de-DE (3), fr-FR (2)" in err


def test_import_reports_metadata_it_kept_or_dropped(tmp_path: Path) -> None:
    # A folder name that is Rich markup must be printed as it is.
    folder = tmp_path / "x[" / "]"  # the path reads .../x[/]/quirks.tmx
    folder.mkdir(parents=True)
    path = folder / "quirks.tmx"
    path.write_bytes((DATA / "metadata_quirks.tmx").read_bytes())
    done = run_tm("import", str(path), cwd=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert f"Imported {path} into the memory" in err
    assert "1 units added" in err
    assert "Kept in another form or dropped: " in err
    for needle in (
        "2 malformed dates dropped",
        "1 malformed usage counts dropped",
        "2 props without a type kept as type x-untyped",
        "1 extra Indonesian or English variants dropped (the first of each is kept)",
    ):
        assert needle in err
