"""`tm qa DOC`: the quality checks over a whole document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tm.commands.common import OutputFormat, console, open_store, print_json
from tm.delivery import plural
from tm.store import Store

if TYPE_CHECKING:
    from glossary import Glossary


def register(app: typer.Typer) -> None:
    """Add `tm qa` to the app."""
    app.command("qa")(qa)


def qa(
    ctx: typer.Context,
    doc: Annotated[str, typer.Argument(help="Document id or name.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = (
        OutputFormat.table
    ),
    include_new: Annotated[
        bool, typer.Option("--include-new", help="Also report segments with no target yet.")
    ] = False,
) -> None:
    """Check a document's targets: glossary terms, numbers, brackets, empty or copied."""
    from tm.qa import check_document

    store = open_store(ctx, must_exist=True)
    document = store.get_document(doc)
    findings = check_document(
        store.segments(document.id), _glossary(store), include_new=include_new
    )
    if fmt is OutputFormat.json:
        print_json(
            [
                {
                    "position": seg.position + 1,
                    "status": seg.status.value,
                    "code": issue.code,
                    "severity": issue.severity,
                    "message": issue.message,
                    "source": seg.source,
                    "target": seg.target,
                }
                for seg, issue in findings
            ]
        )
        return
    from rich.table import Table

    from tm.display import visible_text

    table = Table(title=f"QA: {document.name}")
    table.add_column("#", justify="right")
    table.add_column("check")
    table.add_column("message")
    table.add_column("target", overflow="fold")
    for seg, issue in findings:
        style = "red" if issue.severity == "error" else "yellow"
        table.add_row(
            str(seg.position + 1),
            visible_text(issue.code, style),
            visible_text(issue.message),
            visible_text(seg.target or ""),
        )
    console.print(table)
    flagged = len({s.id for s, _ in findings})
    console.print(f"{plural(len(findings), 'issue')} in {plural(flagged, 'segment')}.")


def _glossary(store: Store) -> Glossary:
    """The project's glossary (built-in place names plus the user's terms)."""
    from tm.terms import load_glossary

    return load_glossary(store)
