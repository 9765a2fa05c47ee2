"""requirements.lock: the exact tested set that the README and CI install."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHECK = REPO / "tools" / "check_lock.py"


def _lock_pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if match:
            pins[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return pins


def test_every_declared_dependency_is_pinned() -> None:
    """The lock covers the runtime dependencies and the dev extra: refreshing
    pyproject.toml without `tools/lock` shows up here."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    names = {
        re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]).lower() for d in declared
    }
    assert names - set(_lock_pins()) == set()


def test_torch_is_locked_to_the_cpu_build_on_our_machines() -> None:
    assert _lock_pins()["torch"] == "2.13.0"


def test_a_wrong_pin_is_named_in_one_readable_message(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("lxml==0.0.1\n    # via tm-workbench\nno-such-package-tm==1.0\n!!\n")
    result = subprocess.run(
        [sys.executable, str(CHECK), str(lock)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "lxml is pinned to 0.0.1" in result.stderr
    assert "no-such-package-tm 1.0 is pinned but not installed" in result.stderr
    assert "line 4: '!!' is not a 'name==version' pin" in result.stderr
    assert "Refresh the lock with tools/lock" in result.stderr
    assert "Traceback" not in result.stderr
