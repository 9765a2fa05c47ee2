"""Hostile text on the terminal: control characters shown as symbols, markup never parsed.

Documents, memory units, glossary entries and paths are data. The CLI runs
here as a real process (``python -m tm.cli``) on a real store, and every
byte it writes is checked: no ESC, C1 control or bidi override may reach the
terminal, and a literal ``[/]`` (Rich's closing tag) is text, not a crash.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tm.display import json_visible, same_width, symbol, visible, visible_text
from tm.models import Status, TranslationUnit
from tm.store import Store

# An OSC 52 clipboard write, a colour, a bell, a carriage return that hides
# what came before, a C1 CSI and a right-to-left override.
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
HOSTILE = f"Hello {OSC52}world\x1b[31m red\rX \x9b2J \u202eevil\u202c [/] [bold]x"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\r")


def run_tm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TM_")}
    env["COLUMNS"] = "400"  # tables on one line each, for the assertions
    return subprocess.run(
        [sys.executable, "-m", "tm.cli", *args],
        cwd=cwd,
        capture_output=True,
        env=env,
        encoding="utf-8",
        errors="surrogateescape",
        timeout=120,
    )


def assert_safe(result: subprocess.CompletedProcess[str], code: int = 0) -> str:
    """The command ended as expected, without a traceback or a raw control character."""
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert "Traceback" not in output
    for char in RAW:
        assert char not in output, f"{char!r} reached the terminal: {output!r}"
    return output


# -- the module ------------------------------------------------------------------------


def test_visible_shows_controls_as_symbols_and_keeps_text() -> None:
    assert visible("Halo dunia. [/] “x” é") == "Halo dunia. [/] “x” é"
    assert visible(OSC52) == "␛]52;c;cm0gLXJmIH4=␇"
    assert visible("a\rb\x00c\x7fd") == "a␍b␀c␡d"
    assert visible("\x9b\u202e\u2066\udc80") == "<U+009B><U+202E><U+2066><U+DC80>"
    assert visible("a\tb\nc") == "a\tb\nc"
    assert visible("a\tb\nc", newlines=False) == "a\tb␊c"
    assert visible("a\tb\nc", tabs=False) == "a␉b␊c"
    for code in [*range(0x20), *range(0x7F, 0xA0)]:
        if chr(code) not in "\t\n":
            assert chr(code) not in visible(chr(code)), hex(code)


def test_same_width_is_one_symbol_per_character() -> None:
    text = "a\x1bb\x9bc\u202ed\te"
    shown = same_width(text)
    assert len(shown) == len(text)
    assert shown == "a␛b\ufffdc\ufffdd\te"


def test_visible_text_moves_highlights_with_the_symbols() -> None:
    text = "ab\x1bcd\u202eef"
    shown = visible_text(text, spans=[(3, 5, "bold"), (6, 8, "red")])
    assert shown.plain == "ab␛cd<U+202E>ef"
    styled = {(s.start, s.end): str(s.style) for s in shown.spans}
    assert shown.plain[3:5] == "cd" and styled[(3, 5)] == "bold"
    assert shown.plain[13:15] == "ef" and styled[(13, 15)] == "red"
    assert styled[(2, 3)] == "reverse"  # the symbol stands out, as in less


def test_json_visible_is_the_same_data() -> None:
    data = {"target": HOSTILE, "path": "x\udc80y"}
    document = json_visible(json.dumps(data, ensure_ascii=False))
    assert json.loads(document) == data
    assert not any(char in document for char in RAW)
    assert symbol("\x1b") == "␛"


# -- the CLI -------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A store with a document, a confirmed hostile target and a hostile memory unit."""
    doc = tmp_path / "berita.txt"
    doc.write_text(f"Halo dunia {OSC52} ini.\nKota Jakarta [/] ramai.\n", encoding="utf-8")
    assert run_tm("import", str(doc), cwd=tmp_path).returncode == 0
    with Store(tmp_path / "tm.sqlite") as store:
        seg = store.segments(1)[0]
        store.update_segment(seg.id, target=HOSTILE, status=Status.TRANSLATED, origin="human")
        store.add_unit(TranslationUnit("Halo dunia sekali lagi.", HOSTILE))
    return tmp_path


def test_concordance_shows_symbols_in_tables_and_exact_text_in_json(project: Path) -> None:
    out = assert_safe(run_tm("concordance", "Halo", cwd=project))
    assert "␛]52;c;cm0gLXJmIH4=␇" in out
    assert "<U+202E>" in out and "[/] [bold]x" in out
    hits = json.loads(assert_safe(run_tm("concordance", "Halo", "--format", "json", cwd=project)))
    assert HOSTILE in {hit["target"] for hit in hits}


def test_concordance_of_markup_is_a_search_for_text(project: Path) -> None:
    out = assert_safe(run_tm("concordance", "Jakarta [/]", cwd=project))
    assert "'Jakarta [/]'" in out
    out = assert_safe(run_tm("concordance", "zz [/] \x1b[2J", cwd=project))
    assert "No unit in the memory has" in out and "[/]" in out


def test_qa_with_markup_and_controls_in_targets(project: Path) -> None:
    out = assert_safe(run_tm("qa", "1", cwd=project))
    assert "[/]" in out and "␛" in out
    issues = json.loads(assert_safe(run_tm("qa", "1", "--format", "json", cwd=project)))
    assert HOSTILE in {issue["target"] for issue in issues}


def test_docs_and_import_show_a_hostile_file_name(tmp_path: Path) -> None:
    doc = tmp_path / "x [red]\x1b[31mberita\u202e.txt"
    doc.write_text("Halo dunia.\n", encoding="utf-8")
    out = assert_safe(run_tm("import", str(doc), cwd=tmp_path))
    assert "x [red]␛[31mberita<U+202E>.txt" in out
    out = assert_safe(run_tm("docs", cwd=tmp_path))
    assert "x [red]␛[31mberita" in out
    listed = json.loads(assert_safe(run_tm("docs", "--format", "json", cwd=tmp_path)))
    assert listed[0]["name"] == doc.name


def test_segment_text_shows_symbols_and_json_keeps_the_text(tmp_path: Path) -> None:
    doc = tmp_path / "berita.txt"
    doc.write_text(f"Halo {OSC52} dunia.\n", encoding="utf-8")
    out = assert_safe(run_tm("segment", str(doc), cwd=tmp_path))
    assert out == "Halo ␛]52;c;cm0gLXJmIH4=␇ dunia.\n"
    spans = json.loads(assert_safe(run_tm("segment", str(doc), "--format", "json", cwd=tmp_path)))
    assert spans[0]["source"] == f"Halo {OSC52} dunia."


def test_analyze_a_path_with_markup(tmp_path: Path) -> None:
    folder = tmp_path / "x[/]"  # a folder "x[" with a folder "]" in it
    folder.mkdir(parents=True)
    doc = folder / "berita [bold].txt"
    doc.write_text("Halo dunia. Apa kabar?\n", encoding="utf-8")
    Store(tmp_path / "tm.sqlite").close()  # analyze only reads: it needs a store
    out = assert_safe(run_tm("analyze", str(doc), cwd=tmp_path))
    assert "x[/]" in out and "[bold].txt" in out


def test_import_a_tmx_in_a_folder_named_with_markup(tmp_path: Path) -> None:
    folder = tmp_path / "x[/]"  # a folder "x[" with a folder "]" in it
    folder.mkdir(parents=True)
    tmx = folder / "memory.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="id" '
        'datatype="plaintext"/><body><tu><tuv xml:lang="id"><seg>Halo dunia.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Hello world \u202eevil.</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    out = assert_safe(run_tm("import", str(tmx), cwd=tmp_path))
    assert str(folder) in out
    out = assert_safe(run_tm("concordance", "Halo", cwd=tmp_path))
    assert "<U+202E>" in out


def test_glossary_terms_with_markup_and_controls(tmp_path: Path) -> None:
    out = assert_safe(run_tm("glossary", "add", "Kota [/]", "City [bold]", cwd=tmp_path))
    assert "Kota [/]" in out
    out = assert_safe(run_tm("glossary", "add", "Kota\x1b[2Jku", "My\u202ecity", cwd=tmp_path))
    assert "Kota␛[2Jku" in out
    out = assert_safe(run_tm("glossary", "list", "--origin", "user", cwd=tmp_path))
    assert "Kota [/]\tCity [bold]" in out and "Kota␛[2Jku\tMy<U+202E>city" in out
    listed = run_tm("glossary", "list", "--origin", "user", "--format", "json", cwd=tmp_path)
    entries = json.loads(assert_safe(listed))
    assert {e["target"] for e in entries} == {"City [bold]", "My\u202ecity"}


def test_errors_show_symbols(tmp_path: Path) -> None:
    result = run_tm("import", "missing\x1b[2J [/].txt", cwd=tmp_path)
    out = assert_safe(result, 2)
    assert "missing␛[2J [/].txt" in out
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
