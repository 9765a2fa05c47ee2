"""What every command module shares: the store option, consoles, output."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from tm.atomicfile import atomic_write_bytes
from tm.store import Store, default_db_path, writable


class OutputFormat(StrEnum):
    """Table for people, JSON for scripts."""

    table = "table"
    json = "json"


# Progress, summaries and errors go to stderr so that stdout stays clean for
# pipelines (`tm translate - < in.txt > out.txt`).
console = Console()
err_console = Console(stderr=True)


def db_path(ctx: typer.Context) -> Path:
    """The store path chosen by --db, TM_DB or the default."""
    root = ctx.find_root()
    path = (root.obj or {}).get("db") if isinstance(root.obj, dict) else None
    return Path(path) if path else default_db_path()


# Commands that only read the store: they never create one (a typo in --db
# must not leave an empty store behind) and they work on a read-only file or
# mount. Keyed by the command path without the program name.
READ_ONLY_COMMANDS = frozenset(
    {
        "docs",
        "export",
        "concordance",
        "analyze",
        "qa",
        "check",
        "glossary list",
        "glossary export",
    }
)

# Stores opened by this process, newest last: the CLI names the store in the
# message of a SQLite error that escapes a command (tm.cli.main).
opened_paths: list[Path] = []


def _command_name(ctx: typer.Context) -> str:
    return " ".join(ctx.command_path.split()[1:])


def open_store(
    ctx: typer.Context, *, must_exist: bool = False, read_only: bool | None = None
) -> Store:
    """Open the store for this invocation.

    A command that only reads (``READ_ONLY_COMMANDS``, or ``must_exist``)
    never creates a store, and opens it read-only where the file or its
    folder cannot be written (a read-only mount, a colleague's file).
    ``read_only`` forces either way.
    """
    path = db_path(ctx)
    reads_only = _command_name(ctx) in READ_ONLY_COMMANDS
    create = not (must_exist or reads_only or read_only)
    if read_only is None:
        read_only = (reads_only or must_exist) and path.exists() and not writable(path)
    opened_paths.append(path)
    store = Store(path, read_only=read_only, create=create)
    ctx.call_on_close(store.close)
    return store


def print_json(data: Any) -> None:
    """Write JSON for scripts to stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_output(path: str, text: str, *, encoding: str = "utf-8") -> None:
    """Write text to a file atomically, or to stdout for ``-``.

    The text goes to a temporary file beside the target, which is then
    renamed over it, so a crash or a full disk never leaves half a file.
    """
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    atomic_write_bytes(Path(path), text.encode(encoding))
