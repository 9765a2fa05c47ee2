"""What every command module shares: the store option, consoles, output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from tm.errors import NotFoundError, OutputError
from tm.store import Store, default_db_path

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


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` atomically (temp file + rename)."""
    import os
    import tempfile

    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(
            f"Cannot write {target}: the folder {folder} does not exist. Create it or "
            "choose another --out path."
        )
    if target.is_dir():
        raise OutputError(f"Cannot write {target}: it is a directory. Give a file name.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(
            f"Cannot write {target}: {exc.strerror or exc}. Nothing was written; any "
            "earlier file there is unchanged. Free some space or choose another path."
        ) from exc
