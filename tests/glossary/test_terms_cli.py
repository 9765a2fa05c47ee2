"""The user glossary in a real store file, and the `tm glossary` commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from lxml import etree
from typer.testing import CliRunner

from glossary import TermEntry
from tm.commands import glossary as glossary_commands
from tm.errors import NotFoundError
from tm.store import Store
from tm.terms import add_term, import_terms, list_terms, load_glossary, remove_term

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"


def make_app() -> typer.Typer:
    """The `tm` root as tm.cli builds it: a --db option, then the glossary sub-app."""
    app = typer.Typer()

    @app.callback()
    def root(ctx: typer.Context, db: str = typer.Option(None, "--db")) -> None:
        ctx.obj = {"db": db}

    glossary_commands.register(app)
    return app


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    app, runner, db = make_app(), CliRunner(), str(tmp_path / "tm.sqlite")

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["--db", db, "glossary", *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_user_terms_in_the_store(tmp_path: Path) -> None:
    with Store(tmp_path / "tm.sqlite") as store:
        add_term(
            store,
            TermEntry("n", "district", ("Kota Tua",), "Old Town", adjectives=(), origin="user"),
        )
        assert [(e.source, e.target, e.type) for e in list_terms(store)] == [
            ("Kota Tua", "Old Town", "district")
        ]
        glossary = load_glossary(store)
        checks = glossary.check("Wisata di Kota Tua, Jakarta.", "Touring the Old Town, Jakarta.")
        assert [(c.hit.surface, c.agreed) for c in checks] == [
            ("Kota Tua", True),
            ("Jakarta", True),
        ]
        assert remove_term(store, "Kota Tua") == 1
        with pytest.raises(NotFoundError):
            remove_term(store, "Kota Tua")
    # a fresh connection sees the removal: it was committed
    with Store(tmp_path / "tm.sqlite") as store:
        assert list_terms(store) == []


def test_import_reports_conflicts_with_store_and_builtin(tmp_path: Path) -> None:
    with Store(tmp_path / "tm.sqlite") as store:
        add_term(store, TermEntry("n", "user", ("Bulan",), "Moon", origin="user"))
        report = import_terms(
            store,
            [
                TermEntry("n", "user", ("Bulan",), "Month", origin="user"),
                TermEntry("n", "user", ("Inggris",), "England", origin="user"),
            ],
        )
        assert report.added == 1
        assert report.conflicts == (
            "'Bulan': the glossary gives 'Moon', the file 'Month'; kept the glossary's",
        )
        # "England" is an accepted English form of the built-in Inggris: no conflict
        assert [e.target for e in list_terms(store, search="Inggris")] == ["England"]


def test_cli_add_list_remove(run) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("add", "Kota Tua", "Old Town", "--type", "district", "--adjective", "old")
    assert code == 0 and "added" in err
    code, out, _ = run("list", "--origin", "user", "--format", "json")
    assert code == 0
    assert [(e["source_forms"], e["target"]) for e in json.loads(out)] == [
        (["Kota Tua"], "Old Town")
    ]
    code, out, _ = run("list", "--type", "sea", "--search", "cina")
    assert code == 0
    assert out.splitlines()[0].startswith("Laut China Selatan / Laut Cina Selatan")
    assert run("remove", "Kota Tua")[0] == 0
    assert run("list", "--origin", "user", "--format", "json")[1].strip() == "[]"


def test_cli_import_export_tbx_round_trip(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.utf8"
    source.write_text("Kota Tua\tOld Town\tJakarta's old quarter\nBulan\tMoon\n", encoding="utf-8")
    code, _, err = run("import", str(source))
    assert code == 0 and "added 2" in err
    out = tmp_path / "out.tbx"
    assert run("export", "--out", str(out), "--format", "tbx")[0] == 0
    root = etree.parse(str(out)).getroot()
    assert root.tag == "martif"
    terms = [t.text for t in root.iter("term")]
    assert terms == ["Bulan", "Moon", "Kota Tua", "Old Town"]


def test_cli_check_table_and_json(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src, tgt = tmp_path / "a.id", tmp_path / "a.en"
    src.write_text("Presiden Prancis tiba di Moskow.\nBanjir di Jakarta Utara.\n", encoding="utf-8")
    tgt.write_text(
        "The French president arrived in Moskow.\nFloods in Jakarta.\n", encoding="utf-8"
    )
    code, out, _ = run("check", str(src), str(tgt))
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == "hits: 3, agreed: 1, flagged: 2"
    assert sum(1 for line in lines if line.startswith("hits:")) == 1
    assert "1\tMoskow\tMoscow\tFLAGGED: left untranslated (Moskow)" in lines
    assert "2\tJakarta Utara\tNorth Jakarta\tFLAGGED: not in the English" in lines
    code, out, _ = run("check", str(src), str(tgt), "--format", "json")
    data = json.loads(out)
    assert (data["hits"], data["agreed"], data["flagged"]) == (3, 1, 2)
    assert data["checks"][0]["found"] == "French"
    assert data["checks"][1]["untranslated"] == "Moskow"
    # A check only reads: with no store there, it uses the built-in names
    # and leaves no store behind.
    assert not (tmp_path / "tm.sqlite").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["remove", "Nowhere"], "Error: The glossary has no user term 'Nowhere'"),
        (["import", "{tmp}/bad.tbx"], "Error: {tmp}/bad.tbx, line 1, column 15 is not well-formed"),
        (
            ["import", str(DATA / "entity_in_term.tbx")],
            "entity_in_term.tbx, line 6, column 49 uses the entity reference &u;",
        ),
        (["check", "{tmp}/two.id", "{tmp}/one.en"], "has 2 lines but"),
        (["import", "{tmp}/cp1252.csv"], "not valid UTF-8 (or UTF-16 with a byte-order mark)"),
        (["import", "{tmp}/cp1252.csv", "--encoding", "cp1252"], "no Indonesian source"),
    ],
)
def test_real_tm_command_errors(tmp_path: Path, args: list[str], message: str) -> None:
    """Through the real `tm` entry point: one paragraph on stderr, exit status 2."""
    (tmp_path / "bad.tbx").write_text("<martif><text>", encoding="utf-8")
    (tmp_path / "two.id").write_text("Satu.\nDua.\n", encoding="utf-8")
    (tmp_path / "one.en").write_text("One.\n", encoding="utf-8")
    (tmp_path / "cp1252.csv").write_bytes("source,target\n,Z\xfcrich\n".encode("cp1252"))
    argv = [a.format(tmp=tmp_path) for a in args]
    result = subprocess.run(
        [sys.executable, "-m", "tm.cli", "--db", str(tmp_path / "tm.sqlite"), "glossary", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert message.format(tmp=tmp_path) in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_import_skips_incomplete_tbx_entries_and_names_them(run) -> None:  # type: ignore[no-untyped-def]
    """Issue 12 item 15: a MultiTerm-like TBX with empty <term/>s imports its complete entries."""
    code, _, err = run("import", str(DATA / "multiterm_empty_terms.tbx"))
    assert code == 0, err
    assert "skipped entry c2 (line 19): no English term (an empty <term/>)" in err
    assert "skipped entry c4 (line 39): no Indonesian term (an empty <term/>)" in err
    assert "skipped entry c5 (line 47): no Indonesian term" in err
    # the built-in glossary says "Netherlands": reported, the user's term wins
    assert "added 3, updated 0, unchanged 0, conflicts 1, skipped 3" in err
    code, out, _ = run("list", "--origin", "user", "--format", "json")
    assert sorted(e["target"] for e in json.loads(out)) == [
        "Greater Jakarta",
        "Switzerland",
        "the Netherlands",
    ]


def test_cli_imports_omegat_utf16_glossary(run) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("import", str(DATA / "omegat_utf16le.txt"))
    assert code == 0, err
    assert "added 3" in err and "skipped 0" in err


def test_cli_import_with_a_named_encoding(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "excel.csv"
    path.write_bytes("source,target\nZürich,Zurich\n".encode("cp1252"))
    code, _, err = run("import", str(path), "--encoding", "cp1252")
    assert code == 0 and "added 1" in err
    code, out, _ = run("list", "--origin", "user", "--format", "json")
    assert [e["source_forms"] for e in json.loads(out)] == [["Zürich"]]


def test_cli_import_path_with_markup_is_printed_as_is(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "x[/]"
    folder.mkdir(parents=True)
    path = folder / "g.utf8"
    path.write_text("Roma\tRome\n", encoding="utf-8")
    code, _, err = run("import", str(path))
    assert code == 0, err
    assert f"imported {path}: added 1" in err


def test_every_glossary_command_has_help() -> None:
    app = make_app()
    runner = CliRunner()
    for command in ("list", "add", "remove", "import", "export", "check"):
        result = runner.invoke(app, ["glossary", command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout
