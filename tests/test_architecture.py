"""The layering rules of the design: the core never imports the UI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_core_packages_do_not_import_textual() -> None:
    modules = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts)
        for pkg in ("tm", "glossary")
        for p in (REPO / pkg).rglob("*.py")
        if p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        # tui.command is the UI's plugin that tm.cli loads by name to list
        # `tm review`; it imports nothing of Textual until the command runs.
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')\n"
        "             and m not in ('tui', 'tui.command')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports")
    assert exe, "import-linter is part of the dev install"
    out = subprocess.run([exe], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
