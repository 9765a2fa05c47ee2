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
from tm.errors import NotFoundError
from tm.store import Store, default_db_path


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


def open_store(ctx: typer.Context, *, must_exist: bool = False) -> Store:
    """Open the store for this invocation, creating it unless ``must_exist``.

    Commands that only read pass ``must_exist`` so that a typo in --db never
    leaves an empty store behind.
    """
    path = db_path(ctx)
    if must_exist and not path.exists():
        raise NotFoundError(
            f"There is no store at {path} yet. Run the command in your project folder, "
            "point --db (or TM_DB) at your store, or create one with `tm import FILE`."
        )
    store = Store(path)
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
