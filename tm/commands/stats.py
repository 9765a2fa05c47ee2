"""`tm stats DOC|--all`: the post-editing effort report."""

from __future__ import annotations

import csv
import io
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from tm.commands.common import console, open_store, print_json
from tm.errors import TmError


class StatsFormat(StrEnum):
    """Table for people; JSON and CSV for scripts and spreadsheets."""

    table = "table"
    json = "json"
    csv = "csv"


def register(app: typer.Typer) -> None:
    """Add `tm stats` to the app."""
    app.command("stats")(stats)


def stats(
    ctx: typer.Context,
    doc: Annotated[str | None, typer.Argument(help="Document id or name.")] = None,
    all_docs: Annotated[bool, typer.Option("--all", help="Every document in the store.")] = False,
    fmt: Annotated[StatsFormat, typer.Option("--format", help="table, json or csv.")] = (
        StatsFormat.table
    ),
) -> None:
    """Post-editing effort: per draft origin, segments accepted unchanged and edit distances.

    The edit distance is the word-level Levenshtein distance between the draft
    and the confirmed text, over Moses tokens, as a percentage of the longer.
    """
    from tm.stats import report

    if (doc is None) == (not all_docs):
        raise TmError("Name one document (its id or name), or pass --all, but not both.")
    store = open_store(ctx, must_exist=True)
    documents = store.documents() if all_docs else [store.get_document(doc or "")]
    result = report(store, documents)
    rows: list[dict[str, Any]] = [
        {
            "origin": r.origin,
            "confirmed": r.confirmed,
            "accepted_unchanged": r.accepted_unchanged,
            "edited": r.edited,
            "mean_edit_distance": r.mean_distance,
            "median_edit_distance": r.median_distance,
            "words": r.words,
        }
        for r in result.origins
    ]
    if fmt is StatsFormat.json:
        print_json(
            {
                "documents": list(result.documents),
                "origins": rows,
                "segments_by_status": result.segments_by_status,
                "words_by_status": result.words_by_status,
            }
        )
        return
    if fmt is StatsFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        fields = [
            "confirmed",
            "accepted_unchanged",
            "edited",
            "mean_edit_distance",
            "median_edit_distance",
            "words",
        ]
        # One table: a row per draft origin, then a row per status (words only).
        # "confirmed" holds the segment count in both sections.
        writer.writerow(["section", "key", "segments", *fields[1:]])
        for row in rows:
            writer.writerow(["origin", row["origin"], *(_cell(row[f]) for f in fields)])
        for status, words in result.words_by_status.items():
            count = result.segments_by_status[status]
            writer.writerow(["status", status, count, "", "", "", "", words])
        sys.stdout.write(buffer.getvalue())
        return
    from rich.table import Table
    from rich.text import Text

    title = result.documents[0] if len(result.documents) == 1 else "all documents"
    table = Table(title=Text(f"Post-editing: {title}"))
    for name, justify in (
        ("draft origin", "left"),
        ("confirmed", "right"),
        ("unchanged", "right"),
        ("edited", "right"),
        ("mean edit %", "right"),
        ("median edit %", "right"),
        ("words", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in result.origins:
        table.add_row(
            Text(r.origin),
            str(r.confirmed),
            str(r.accepted_unchanged),
            str(r.edited),
            _cell(r.mean_distance) or "-",
            _cell(r.median_distance) or "-",
            str(r.words),
        )
    console.print(table)
    per_status = ", ".join(f"{status} {n}" for status, n in result.words_by_status.items())
    console.print(f"Words per status: {per_status}.", highlight=False, markup=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
