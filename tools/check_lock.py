"""Check that the installed packages are exactly the ones requirements.lock pins.

Run by .ci/run after the install: a lock entry that pip could not honour, or
one that no longer belongs to the dependency tree, fails here with a message
that names it, instead of a test failing later for a reason nobody can see.
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> tuple[dict[str, str], list[str]]:
    """The lock's pins by canonical name, and its lines that are not pins."""
    found: dict[str, str] = {}
    bad: list[str] = []
    for number, line in enumerate(lock.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        if match is None:
            bad.append(f"line {number}: {line!r} is not a 'name==version' pin")
        else:
            found[canonical(match[1])] = match[2]
    return found, bad


def problems(lock: Path = LOCK) -> list[str]:
    """Every way the installed packages differ from the lock (empty if none)."""
    found, problems = pins(lock)
    for name, pinned in found.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            problems.append(f"{name} {pinned} is pinned but not installed")
            continue
        if installed.split("+")[0] != pinned.split("+")[0]:
            problems.append(f"{name} is pinned to {pinned}, {installed} is installed")
    return problems


def main(argv: list[str]) -> int:
    lock = Path(argv[0]) if argv else LOCK
    found = problems(lock)
    if found:
        print(
            f"{lock.name} does not match what is installed:\n  "
            + "\n  ".join(found)
            + "\nRefresh the lock with tools/lock (README, Development) and reinstall.",
            file=sys.stderr,
        )
        return 1
    print(f"{lock.name}: every pin is installed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
