"""The `tm` command. It stays thin: parse, call the core, print.

Command modules live in :mod:`tm.commands`; each adds its commands to
:data:`app` through ``register``. None of them imports torch, transformers or
textual at import time, so `tm --help` starts fast.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer

from tm import __version__
from tm.commands import (
    align,
    approve,
    check,
    documents,
    glossary,
    leverage,
    model,
    qa,
    stats,
    translate,
)
from tm.errors import TmError

app = typer.Typer(
    name="tm",
    help="Indonesian → English translation workbench: segment, translate with memory and "
    "MarianMT, review, and export TMX for CAT tools.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="TM_DB",
            help="The project store (SQLite). Default: ./tm.sqlite.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Indonesian → English translation workbench."""
    ctx.obj = {"db": str(db) if db else None}


for _commands in (
    documents,
    translate,
    model,
    glossary,
    leverage,
    qa,
    check,
    stats,
    approve,
    align,
):
    _commands.register(app)

# The review UI registers its own command, loaded by name: the core never
# imports the UI.
importlib.import_module("tui.command").register(app)


def fail(message: str | TmError, code: int = 2) -> None:
    """Print one readable paragraph to stderr and exit."""
    from tm.commands.common import print_error

    print_error(message)
    raise SystemExit(code)


# Global options (of the `tm` callback) that may also come after the
# subcommand, as the README promises: `tm docs --db other.sqlite`.
GLOBAL_VALUE_OPTIONS = ("--db",)


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move global options written after the subcommand to the front.

    Click only accepts a group's options before the subcommand; moving
    ``--db PATH`` (or ``--db=PATH``) is all it takes. Nothing after ``--``
    moves.
    """
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_VALUE_OPTIONS:
            if "=" in arg:
                front.append(arg)
            else:
                front.extend(argv[i : i + 2])
                i += 1
        else:
            rest.append(arg)
        i += 1
    return [*front, *rest]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `tm` console script.

    Typer handles usage errors itself (a message and exit code 2); every
    error a user can cause inside a command is a TmError, printed here as one
    paragraph.
    """
    try:
        app(args=hoist_global_options(sys.argv[1:] if argv is None else argv), prog_name="tm")
    except TmError as exc:
        fail(exc, exc.exit_code)
    except sqlite3.Error as exc:
        # A SQLite error no store call turned into a TmError (a damaged page
        # met by a direct query): the same one-paragraph store error.
        from tm.commands.common import opened_paths
        from tm.store import store_error

        error = store_error(exc, opened_paths[-1] if opened_paths else None, "use")
        fail(error, error.exit_code)
    except KeyboardInterrupt:
        fail("Interrupted. Work committed so far is kept; run the command again to go on.", 130)
    except BrokenPipeError:
        # The reader of our stdout went away (`tm segment x | head`): not an error.
        sys.stderr.close()
        raise SystemExit(0) from None


if __name__ == "__main__":
    main()
