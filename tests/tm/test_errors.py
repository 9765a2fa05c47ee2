"""Errors carry what, why and what to do; each front end words the settings.

The core never spells a CLI flag: `str(err)` names settings in plain words,
the CLI says `--beams`, the review UI says `tm review --model DIR`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tm.commands.common import error_message
from tm.errors import ModelError, TmError, UsageError
from tm.mt_model import resolve_model
from tm.store import Store
from tm.textio import read_text
from tm.tmx import import_tmx
from tui.errors import describe

REPO = Path(__file__).resolve().parents[2]
FLAG = re.compile(r"(?<![\w`-])--[a-z]")


def test_fields_make_one_paragraph() -> None:
    err = TmError(
        "Cannot write out.tmx",
        "No space left on device",
        "Free some space, or write elsewhere ({out}).",
        option="out",
    )
    assert (err.what, err.why, err.option) == (
        "Cannot write out.tmx",
        "No space left on device",
        "out",
    )
    assert str(err) == (
        "Cannot write out.tmx: No space left on device. Free some space, or write elsewhere "
        "(the output path)."
    )
    assert error_message(err).endswith("or write elsewhere (--out).")
    assert TmError("One paragraph, as before.").message() == "One paragraph, as before."


def test_values_are_worded_with_their_setting() -> None:
    err = UsageError("{device=cuda} was asked for", action="Use {device=cpu}.", option="device")
    assert str(err) == "device cuda was asked for. Use device cpu."
    assert error_message(err) == "--device cuda was asked for. Use --device cpu."
    assert isinstance(err, TmError) and err.exit_code == 2


def _missing_model() -> ModelError:
    with pytest.raises(ModelError) as caught:
        resolve_model("Helsinki-NLP/opus-mt-id-en-not-downloaded")
    return caught.value


def _bad_encoding(tmp_path: Path) -> TmError:
    path = tmp_path / "a.txt"
    path.write_bytes(b"caf\xe9 au lait")
    with pytest.raises(TmError) as caught:
        read_text(path)
    return caught.value


def _bad_policy(tmp_path: Path) -> TmError:
    with Store(tmp_path / "tm.sqlite") as store, pytest.raises(UsageError) as caught:
        import_tmx(store, tmp_path / "x.tmx", "overwrite")
    return caught.value


@pytest.mark.parametrize(
    ("make", "option", "flag"),
    [
        (lambda tmp: _missing_model(), "model", "--no-mt"),
        (_bad_encoding, "encoding", "--encoding cp1252"),
        (_bad_policy, "on_conflict", "--on-conflict"),
    ],
    ids=["model", "encoding", "on-conflict"],
)
def test_the_core_names_settings_and_the_cli_spells_flags(
    tmp_path: Path, make, option: str, flag: str
) -> None:
    err = make(tmp_path)
    assert err.option == option
    assert not FLAG.search(str(err)), str(err)
    assert flag in error_message(err)


def test_the_review_ui_words_a_model_error_itself() -> None:
    text = describe(_missing_model())
    assert text.startswith("The MT model Helsinki-NLP/opus-mt-id-en-not-downloaded is not")
    assert "tm review --model DIR" in text and not FLAG.search(text.replace("--model DIR", ""))


def test_the_ui_has_no_regex_rewriting_messages() -> None:
    for path in (REPO / "tui").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "model_problem" not in source and "_ASIDE" not in source, path


def test_usage_mistakes_exit_2_with_one_paragraph(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tm.cli", "export", "--all", "--format", "txt", "--out", "x.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Error: --all works with --format tmx only.")
    assert "Traceback" not in result.stderr
