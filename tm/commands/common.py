"""What every command module shares: the store option, consoles, output."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console, RenderableType
from rich.status import Status
from rich.text import Text

from tm.atomicfile import atomic_write_bytes
from tm.display import json_visible, visible
from tm.errors import TmError
from tm.store import Store, default_db_path, writable


class OutputFormat(StrEnum):
    """Table for people, JSON for scripts."""

    table = "table"
    json = "json"


class SafeConsole(Console):
    """A console that never lets text drive the terminal.

    Strings are never parsed as markup (a ``[/]`` in a phrase, a file name or
    a glossary term is text), and control characters in them are shown as
    symbols (:func:`tm.display.visible`), in messages, table cells and titles
    alike. Styled output is built with :class:`rich.text.Text`
    (:func:`tm.display.visible_text`).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(**kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """Every string printed, or put in a table, passes here."""
        return super().render_str(visible(text), **kwargs)

    def status(self, status: RenderableType, **kwargs: Any) -> Status:
        """A spinner line; Rich would parse a string status as markup."""
        if isinstance(status, str):
            status = Text(visible(status))
        return super().status(status, **kwargs)


# Progress, summaries and errors go to stderr so that stdout stays clean for
# pipelines (`tm translate - < in.txt > out.txt`).
console = SafeConsole()
err_console = SafeConsole(stderr=True)


def echo(line: str, *, tabs: bool = True) -> None:
    """Print one line of text for people (a segment, a glossary row) to stdout.

    Control characters in it are shown as symbols; with ``tabs=False`` a tab
    is a field separator the caller added, and tabs inside fields must be
    shown by the caller (:func:`tm.display.visible` with ``tabs=False``).
    """
    typer.echo(visible(line, newlines=False) if tabs else line)


# How the CLI names the settings that errors refer to (tm.errors.SETTINGS).
CLI_OPTIONS: dict[str, str] = {
    "all": "--all",
    "batch_size": "--batch-size",
    "beams": "--beams",
    "db": "--db (or TM_DB)",
    "device": "--device",
    "encoding": "--encoding",
    "engine": "--engine (or TM_ENGINE)",
    "format": "--format",
    "model": "--model (or TM_MODEL)",
    "no_mt": "--no-mt",
    "on_conflict": "--on-conflict",
    "out": "--out",
    "quantization": "--quantization",
}


def cli_wording(name: str, value: str | None) -> str:
    """A setting as the command line spells it: ``--beams``, ``--device cpu``."""
    flag = CLI_OPTIONS[name]
    if value is None:
        return flag
    return f"{flag.split(' (')[0]} {value}"


def error_message(exc: TmError) -> str:
    """A user error, worded for the command line."""
    return exc.message(cli_wording)


def print_error(message: str | TmError) -> None:
    """Print a user error as one paragraph on stderr, ``Error: ...``."""
    if isinstance(message, TmError):
        message = error_message(message)
    sys.stderr.write(f"Error: {visible(message, newlines=False)}\n")
    sys.stderr.flush()


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
    """Write JSON for scripts to stdout.

    JSON is data: strings are exactly what the store holds. Characters that
    could drive a terminal are written as ``\\uXXXX`` escapes (json.dumps
    does it for C0 controls; :func:`tm.display.json_visible` for DEL, C1 and
    bidi controls), which parse to the same strings.
    """
    sys.stdout.write(json_visible(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


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
