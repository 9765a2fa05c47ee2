"""The `tm` command end to end: segment, import, docs, export, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from tm.cli import app
from tm.store import Store

REPO = Path(__file__).resolve().parents[2]


def run_tm(*args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None):
    """Run the real console entry point in a fresh process."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TM_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tm.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=full_env,
        timeout=120,
    )


def assert_clean_error(result: subprocess.CompletedProcess[bytes], *needles: str) -> str:
    """Exit 2, one paragraph on stderr, no traceback."""
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "Traceback" not in err
    assert err.startswith("Error: ")
    assert err.strip().count("\n") == 0, err
    for needle in needles:
        assert needle in err
    return err


def test_import_docs_export_round_trip_is_byte_for_byte(tmp_path: Path, seed_path: Path) -> None:
    original = seed_path.read_bytes()
    imported = run_tm("import", str(seed_path), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert b"Imported" in imported.stderr
    assert (tmp_path / "tm.sqlite").exists()

    docs = run_tm("docs", "--format", "json", cwd=tmp_path)
    (entry,) = json.loads(docs.stdout)
    assert entry["name"] == seed_path.name
    assert entry["segments"] > 10
    assert entry["status"]["new"] == entry["segments"]

    out = tmp_path / "out.txt"
    # Nothing is translated: the delivery gate needs --allow-unconfirmed.
    exported = run_tm(
        "export", seed_path.name, "--format", "txt", "--out", str(out), "--allow-unconfirmed",
        cwd=tmp_path,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes() == original


@pytest.mark.parametrize(
    "raw",
    [
        "Kalimat satu.\r\nKalimat dua.\r\n\r\n\tKalimat tiga.  ",
        "\ufeffJudul\n\nBpk. Ahmad pergi ke Jl. Sudirman. Dia pulang.\n",
    ],
)
def test_export_rebuilds_crlf_tabs_and_bom_files(tmp_path: Path, raw: str) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(raw.encode("utf-8"))
    assert run_tm("import", str(src), cwd=tmp_path).returncode == 0
    out = tmp_path / "out.txt"
    exported = run_tm("export", "in.txt", "--out", str(out), "--allow-unconfirmed", cwd=tmp_path)
    assert exported.returncode == 0
    assert out.read_bytes() == raw.removeprefix("\ufeff").encode("utf-8")


def test_reimporting_identical_content_adds_nothing(tmp_path: Path, seed_path: Path) -> None:
    run_tm("import", str(seed_path), cwd=tmp_path)
    again = run_tm("import", str(seed_path), cwd=tmp_path)
    assert b"already in the store" in again.stderr
    with Store(tmp_path / "tm.sqlite") as store:
        assert len(store.documents()) == 1


def test_segment_prints_one_sentence_per_line_from_stdin(tmp_path: Path) -> None:
    text = "Bpk. Joko tiba pukul 10.30 WIB. Harga naik 2,3 juta dll. Semua senang.\n"
    result = run_tm("segment", "-", cwd=tmp_path, stdin=text.encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        "Bpk. Joko tiba pukul 10.30 WIB.",
        "Harga naik 2,3 juta dll.",
        "Semua senang.",
    ]


def test_db_option_and_env_choose_the_store(tmp_path: Path, seed_path: Path) -> None:
    run_tm("--db", str(tmp_path / "a.sqlite"), "import", str(seed_path), cwd=tmp_path)
    run_tm("import", str(seed_path), cwd=tmp_path, env={"TM_DB": str(tmp_path / "b.sqlite")})
    assert (tmp_path / "a.sqlite").exists()
    assert (tmp_path / "b.sqlite").exists()
    assert not (tmp_path / "tm.sqlite").exists()


def test_failed_import_leaves_the_store_as_it_was(tmp_path: Path, seed_path: Path) -> None:
    run_tm("import", str(seed_path), cwd=tmp_path)
    before = (tmp_path / "tm.sqlite").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Kalimat baik.\n" + b"\xff\xfe\x00bad\x81")
    result = run_tm("import", str(bad), cwd=tmp_path)
    assert_clean_error(result, "bad.txt")
    with Store(tmp_path / "tm.sqlite") as store:
        assert [d.name for d in store.documents()] == [seed_path.name]
    assert len(before) > 0


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["import", "missing.txt"], ["missing.txt"]),
        (["export", "nothing.txt", "--out", "x.txt"], ["There is no store at tm.sqlite"]),
        (["qa", "nothing.txt"], ["There is no store"]),
        (["import", "photo.png"], [".txt"]),
        (["--db", "no/such/folder/tm.sqlite", "import", "ok.txt"], ["does not exist"]),
        (["export", "--all", "--format", "txt", "--out", "x.txt"], ["--format tmx"]),
    ],
)
def test_user_errors_are_one_paragraph_and_exit_2(
    tmp_path: Path, args: list[str], needles: list[str]
) -> None:
    (tmp_path / "ok.txt").write_text("Kalimat baik.\n", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert_clean_error(run_tm(*args, cwd=tmp_path), *needles)


def test_unknown_document_in_a_store_points_to_tm_docs(tmp_path: Path, seed_path: Path) -> None:
    run_tm("import", str(seed_path), cwd=tmp_path)
    result = run_tm("export", "nothing.txt", "--out", "x.txt", cwd=tmp_path)
    assert_clean_error(result, "tm docs")
    assert not (tmp_path / "x.txt").exists()


def test_corrupt_store_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "tm.sqlite").write_bytes(b"garbage" * 1000)
    assert_clean_error(run_tm("docs", cwd=tmp_path), "not a tm store")


def test_export_failure_keeps_the_old_file(tmp_path: Path, seed_path: Path) -> None:
    run_tm("import", str(seed_path), cwd=tmp_path)
    (tmp_path / "out").mkdir()
    result = run_tm(
        "export", seed_path.name, "--out", str(tmp_path / "out"), "--allow-unconfirmed",
        cwd=tmp_path,
    )  # fmt: skip
    assert_clean_error(result, "directory")
    assert list((tmp_path / "out").iterdir()) == []


def test_every_command_has_help_text() -> None:
    command = typer.main.get_command(app)
    assert hasattr(command, "commands")

    def walk(group, prefix: str):  # type: ignore[no-untyped-def]
        for name, cmd in group.commands.items():
            yield f"{prefix}{name}", cmd
            if hasattr(cmd, "commands"):
                yield from walk(cmd, f"{prefix}{name} ")

    commands = dict(walk(command, ""))
    for name in ("segment", "import", "docs", "export", "qa"):
        assert name in commands
    for name, cmd in commands.items():
        assert (cmd.help or "").strip(), f"tm {name} has no help text"


def test_help_does_not_import_heavy_or_ui_modules() -> None:
    code = (
        "import sys, tm.cli, tm.store, tm.models, tm.segment, tm.qa, glossary; "
        "print(','.join(m for m in ('torch', 'transformers', 'textual', 'tui.app') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert out.stdout.strip() == ""
