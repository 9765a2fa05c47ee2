"""Memory leverage commands: analyze, concordance."""

from __future__ import annotations

import csv
import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tm.commands.common import OutputFormat, console, open_store, print_json
from tm.store import Store


class AnalyzeFormat(StrEnum):
    """How `tm analyze` prints its report."""

    table = "table"
    json = "json"
    csv = "csv"


def _sources(store: Store, ref: str, encoding: str | None) -> tuple[str, list[str]]:
    """The segment sources of a file (a path that exists, or -) or a stored document."""
    if ref == "-" or Path(ref).exists():
        from tm.commands.documents import load_text

        _, segmented, _ = load_text(ref, encoding)
        return ("stdin" if ref == "-" else ref), [span.source for span in segmented.spans]
    document = store.get_document(ref)
    return document.name, [seg.source for seg in store.segments(document.id)]


def register(app: typer.Typer) -> None:
    """Add `tm analyze` and `tm concordance`."""

    @app.command("analyze")
    def analyze_command(
        ctx: typer.Context,
        source: Annotated[
            str, typer.Argument(metavar="FILE|DOC", help="A text file, - for stdin, or a document.")
        ],
        output_format: Annotated[
            AnalyzeFormat, typer.Option("--format", help="table, json or csv.")
        ] = AnalyzeFormat.table,
        encoding: Annotated[
            str | None,
            typer.Option("--encoding", help="Read the file in this encoding (e.g. cp1252)."),
        ] = None,
    ) -> None:
        """Count segments, words and characters per match band (the quote report)."""
        from tm.leverage import analyze

        store = open_store(ctx)
        name, sources = _sources(store, source, encoding)
        report = analyze(store, sources)
        if output_format is AnalyzeFormat.json:
            print_json({"document": name, **report.to_dict()})
            return
        total = report.total
        rows = [(str(b.band), b.segments, b.words, b.characters) for b in report.bands] + [
            ("total", total.segments, total.words, total.characters)
        ]
        if output_format is AnalyzeFormat.csv:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["band", "segments", "words", "characters"])
            writer.writerows(rows)
            sys.stdout.write(buffer.getvalue())
            return
        from rich.table import Table

        table = Table(title=f"Analysis of {name}")
        for column in ("Band", "Segments", "Words", "Characters", "% words"):
            table.add_column(column, justify="left" if column == "Band" else "right")
        for band, segments, words, characters in rows:
            share = f"{100 * words / total.words:.1f}" if total.words else "0.0"
            table.add_row(
                band,
                str(segments),
                str(words),
                str(characters),
                share,
                end_section=band == str(report.bands[-1].band),
            )
        console.print(table)

    @app.command("concordance")
    def concordance_command(
        ctx: typer.Context,
        text: Annotated[str, typer.Argument(help="The word or phrase to search for.")],
        target: Annotated[
            bool, typer.Option("--target", help="Search the English targets.")
        ] = False,
        limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many hits.")] = 20,
        output_format: Annotated[
            OutputFormat, typer.Option("--format", help="table or json.")
        ] = OutputFormat.table,
    ) -> None:
        """Search the memory for a word or phrase, newest units first."""
        from tm.leverage import concordance

        store = open_store(ctx)
        hits = concordance(store, text, target=target, limit=limit)
        if output_format is OutputFormat.json:
            print_json(
                [
                    {
                        "id": h.unit.id,
                        "source": h.unit.source,
                        "target": h.unit.target,
                        "spans": [list(s) for s in h.spans],
                        "changed_at": h.unit.changed_at or h.unit.created_at,
                        "changed_by": h.unit.changed_by or h.unit.created_by,
                    }
                    for h in hits
                ]
            )
            return
        if not hits:
            side = "targets" if target else "sources"
            console.print(f"No unit in the memory has {text!r} in its {side}.")
            return
        from rich.table import Table

        from tm.display import visible_text

        table = Table(title=f"{len(hits)} unit(s) with {text!r}")
        table.add_column("#", justify="right")
        table.add_column("Source (id)")
        table.add_column("Target (en)")
        table.add_column("Changed")
        for hit in hits:
            spans = [(start, end, "bold reverse") for start, end in hit.spans]
            table.add_row(
                str(hit.unit.id),
                visible_text(hit.unit.source, spans=() if target else spans),
                visible_text(hit.unit.target, spans=spans if target else ()),
                hit.unit.changed_at or hit.unit.created_at or "",
            )
        console.print(table)
