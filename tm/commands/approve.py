"""`tm approve DOC`: a reviewer signs off a whole document."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from tm.commands.common import err_console, open_store
from tm.errors import InputError


def register(app: typer.Typer) -> None:
    """Add `tm approve` to the app."""
    app.command("approve")(approve)


def approve(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id or name.")],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")
    ] = False,
    reviewer: Annotated[
        str | None,
        typer.Option("--reviewer", help="The reviewer's name. Default: TM_AUTHOR, else login."),
    ] = None,
) -> None:
    """Approve every translated segment of DOC (refused while any is unconfirmed)."""
    from tm.delivery import plural, unconfirmed
    from tm.review import approve_document
    from tm.timeutil import default_author

    store = open_store(ctx, must_exist=True)
    document = store.get_document(doc)
    name = reviewer or default_author()
    segments = store.segments(document.id)
    left = unconfirmed(segments)
    if left.total:
        # The same refusal approve_document makes, before asking anything.
        approve_document(store, document, reviewer=name)
    todo = sum(1 for s in segments if s.status.value == "translated")
    if not todo:
        err_console.print(
            f"Every segment of {document.name} is already approved; nothing to do.",
            highlight=False,
            markup=False,
        )
        return
    if not yes:
        if not sys.stdin.isatty():
            raise InputError(
                f"tm approve asks before approving {plural(todo, 'segment')} of "
                f"{document.name}, but there is no terminal to ask on. Pass --yes to approve "
                "without asking."
            )
        if not typer.confirm(
            f"Approve {plural(todo, 'translated segment')} of {document.name} as {name}?"
        ):
            err_console.print("Nothing was approved.", highlight=False, markup=False)
            raise typer.Exit(1)
    approved = approve_document(store, document, reviewer=name)
    err_console.print(
        f"Approved {plural(len(approved), 'segment')} of {document.name} as {name}.",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
