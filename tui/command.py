"""`tm review [DOC]`: the terminal review UI's command.

tm/cli.py loads this module by name, so the core never imports the UI.
Textual is imported inside the command, so `tm --help` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tm.commands.common import db_path


def register(app: typer.Typer) -> None:
    """Add `tm review` to the `tm` app."""
    app.command("review")(review)


def review(
    ctx: typer.Context,
    document: Annotated[
        str | None,
        typer.Argument(help="Document id, name or file path (see `tm docs`). Omit to pick one."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="MT model for on-demand drafts: a Hub id or a folder (default: TM_MODEL).",
        ),
    ] = None,
    light: Annotated[bool, typer.Option("--light", help="Use the light theme.")] = False,
) -> None:
    """Review, edit and confirm a document's translation in a full-screen terminal UI.

    Keys follow CAT tools: Ctrl+Enter (or Ctrl+S, F2) confirms and goes to the next
    unconfirmed segment; F1 lists every key.
    """
    from functools import partial

    from tui.app import create_app, load_mt

    app = create_app(
        db_path(ctx),
        document,
        translator_factory=partial(load_mt, model),
        theme="textual-light" if light else None,
    )
    try:
        app.run()
    finally:
        app.store.close()
