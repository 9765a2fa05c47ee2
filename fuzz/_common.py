"""Shared set-up of the fuzz harnesses (atheris, coverage-guided).

Each harness feeds bytes to one reader of the product and checks one property:
only the product's own :class:`tm.errors.TmError` family (or a clean result)
comes out, never another exception. Memory is bounded by libFuzzer's
``-rss_limit_mb`` (a reader that holds a crafted input's expansion dies there
and the input is written as a finding); hangs by ``-timeout``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The worktree's code, not an installed copy.
sys.path.insert(0, str(ROOT))

# Readers take paths: one scratch file per process, rewritten for each input.
_SCRATCH = Path(tempfile.mkdtemp(prefix="tm-fuzz-"))


def scratch(data: bytes, name: str) -> Path:
    """Write ``data`` to the scratch file ``name`` and return its path."""
    path = _SCRATCH / name
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def default_args(name: str) -> list[str]:
    """libFuzzer flags used unless the command line gives its own."""
    findings = ROOT / "fuzz" / "findings" / f"{name}-"
    return [
        "-rss_limit_mb=1024",
        "-timeout=20",
        "-max_len=65536",
        f"-artifact_prefix={findings}",
    ]


def argv(name: str, dictionary: str | None = None) -> list[str]:
    """sys.argv with our defaults added where the caller did not set them."""
    args = list(sys.argv)
    given = {a.split("=", 1)[0] for a in args[1:] if a.startswith("-")}
    for flag in default_args(name):
        if flag.split("=", 1)[0] not in given:
            args.append(flag)
    if dictionary and "-dict" not in given:
        args.append(f"-dict={ROOT / 'fuzz' / dictionary}")
    os.makedirs(ROOT / "fuzz" / "findings", exist_ok=True)
    return args
