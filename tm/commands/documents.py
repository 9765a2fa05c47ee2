"""Document commands: segment, import, docs, export."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from tm import documents as core_documents
from tm.commands.common import (
    OutputFormat,
    console,
    echo,
    err_console,
    open_store,
    print_json,
    write_output,
)
from tm.delivery import plural, unconfirmed
from tm.display import visible, visible_text
from tm.documents import import_document
from tm.errors import InputError, TmError, UsageError
from tm.models import SegmentedText, Status

__all__ = ["import_document", "load_text", "register"]

DOCUMENT_SUFFIXES = {".txt", ".md", ".text", ""}
MEMORY_SUFFIXES = {".tmx"}


class ExportFormat(StrEnum):
    """What `tm export` writes."""

    tmx = "tmx"
    txt = "txt"
    tsv = "tsv"


class OnConflict(StrEnum):
    """What a TMX import does when a source already has another target."""

    keep_both = "keep-both"
    replace_ = "replace"  # not `replace`: that would shadow str.replace
    skip = "skip"


EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Read input in this encoding (e.g. cp1252) instead of detecting UTF-8/UTF-16.",
    ),
]


def load_text(file: str, encoding: str | None) -> tuple[str, SegmentedText, str]:
    """Read and segment a file (``-`` is stdin); returns text, segments, sha256."""
    loaded = core_documents.load_text(file, encoding)
    return loaded.text, loaded.segmented, loaded.sha256


def register(app: typer.Typer) -> None:
    """Add the document commands to the `tm` app."""
    app.command("segment")(segment)
    app.command("import")(import_files)
    app.command("docs")(docs)
    app.command("export")(export)


def segment(
    file: Annotated[str, typer.Argument(help="Indonesian text file, or - for stdin.")],
    encoding: EncodingOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = (
        OutputFormat.table
    ),
) -> None:
    """Print the segments of FILE, one per line."""
    _, segmented, _ = load_text(file, encoding)
    if fmt is OutputFormat.json:
        print_json(
            [
                {"position": i, "paragraph": s.paragraph, "source": s.source}
                for i, s in enumerate(segmented.spans)
            ]
        )
        return
    for span in segmented.spans:
        echo(span.source)


def import_files(
    ctx: typer.Context,
    files: Annotated[
        list[str], typer.Argument(help="Text (.txt, .md) documents or TMX memories, or -.")
    ],
    encoding: EncodingOption = None,
    on_conflict: Annotated[
        OnConflict,
        typer.Option(help="TMX only: when a source already has another target."),
    ] = OnConflict.keep_both,
) -> None:
    """Add documents (.txt/.md) or translation memories (.tmx) to the store."""
    store = open_store(ctx)
    for file in files:
        suffix = Path(file).suffix.lower()
        if suffix in MEMORY_SUFFIXES:
            from tm.commands import tmx as tmx_commands

            tmx_commands.import_memory(store, Path(file), on_conflict.value)
            continue
        if file != "-" and suffix not in DOCUMENT_SUFFIXES:
            raise InputError(
                f"Cannot import {file}: tm reads plain-text documents (.txt, .md) and "
                "translation memories (.tmx). Save the document as UTF-8 text first."
            )
        document, created = import_document(store, file, encoding)
        count = len(store.segments(document.id))
        name = visible_text(document.name, "bold")
        if created:
            err_console.print(
                Text.assemble(
                    "Imported ",
                    name,
                    f" as document {document.id}: {plural(count, 'segment')}.",
                )
            )
        else:
            err_console.print(
                Text.assemble(
                    visible(file),
                    f" is already in the store as document {document.id} (",
                    name,
                    "); nothing was added.",
                )
            )


def docs(
    ctx: typer.Context,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = (
        OutputFormat.table
    ),
) -> None:
    """List the documents in the store with their progress."""
    from rich.table import Table
    from rich.text import Text

    from tm.commands.common import db_path

    if not db_path(ctx).exists():
        if fmt is OutputFormat.json:
            print_json([])
        else:
            err_console.print(
                f"No store at {db_path(ctx)} yet. Add a document with `tm import FILE`."
            )
        return
    store = open_store(ctx)
    rows = store.list_documents()
    left = {p.document.id: unconfirmed(store.segments(p.document.id)) for p in rows}
    if fmt is OutputFormat.json:
        print_json(
            [
                {
                    "id": p.document.id,
                    "name": p.document.name,
                    "path": p.document.path,
                    "segments": p.segments,
                    "words": p.words,
                    "confirmed": p.confirmed,
                    "confirmed_words": p.confirmed_words,
                    "status": {s.value: p.by_status.get(s.value, 0) for s in Status},
                    "deliverable": left[p.document.id].total == 0,
                    "unconfirmed": left[p.document.id].counts,
                    "updated_at": p.document.updated_at,
                }
                for p in rows
            ]
        )
        return
    if not rows:
        err_console.print(f"No documents in {store.path} yet. Add one with `tm import FILE`.")
        return
    table = Table(title=f"Documents in {store.path}")
    table.add_column("id", justify="right")
    table.add_column("name")
    table.add_column("segments", justify="right")
    table.add_column("words", justify="right")
    for status in Status:
        table.add_column(status.value, justify="right")
    table.add_column("done", justify="right")
    table.add_column("deliverable")
    for p in rows:
        share = p.confirmed / p.segments if p.segments else 0.0
        todo = left[p.document.id].total
        table.add_row(
            str(p.document.id),
            visible_text(p.document.name),
            str(p.segments),
            str(p.words),
            *(str(p.by_status.get(s.value, 0)) for s in Status),
            f"{share:.0%}",
            "yes" if not todo else f"no ({todo})",
        )
    console.print(table)


def export(
    ctx: typer.Context,
    out: Annotated[str, typer.Option("--out", help="Output file, or - for stdout.")],
    doc: Annotated[str | None, typer.Argument(help="Document id or name.")] = None,
    all_docs: Annotated[bool, typer.Option("--all", help="TMX: export the whole memory.")] = False,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="tmx, txt or tsv.")] = (
        ExportFormat.txt
    ),
    status: Annotated[
        list[Status] | None,
        typer.Option(
            "--status", help="TMX and TSV: only segments with these statuses (repeatable)."
        ),
    ] = None,
    include_mt: Annotated[
        bool, typer.Option("--include-mt", help="TMX: add drafts, marked as machine output.")
    ] = False,
    allow_unconfirmed: Annotated[
        bool,
        typer.Option(
            "--allow-unconfirmed",
            help="txt/tsv: write even though some segments are not confirmed (with a warning).",
        ),
    ] = False,
) -> None:
    """Export a document as translated text or TSV, or the memory as TMX.

    A text export is the deliverable: it is refused while any segment it
    would hold is unconfirmed, unless --allow-unconfirmed is given.
    """
    if (doc is None) == (not all_docs):
        raise UsageError("Name one document (its id or name), or pass --all, but not both.")
    if fmt is not ExportFormat.tmx and all_docs:
        raise UsageError(
            "--all works with --format tmx only. Export documents as text one at a time."
        )
    if fmt is ExportFormat.tmx and allow_unconfirmed:
        raise UsageError(
            "--allow-unconfirmed is for text exports (txt, tsv). A TMX export writes confirmed "
            "units; add --include-mt to add the drafts, marked as such."
        )
    if fmt is not ExportFormat.tmx and include_mt:
        raise UsageError(
            f"--include-mt is for TMX exports. A {fmt.value} export includes drafts only with "
            "--allow-unconfirmed."
        )
    if fmt is ExportFormat.txt and status:
        raise UsageError(
            "--status does not apply to --format txt: a text export is the whole document, "
            "every segment in its place. Use --format tsv to export segments by status."
        )
    store = open_store(ctx, must_exist=True)
    if fmt is ExportFormat.tmx:
        from tm.commands import tmx as tmx_commands

        document = store.get_document(doc) if doc is not None else None
        tmx_commands.export_memory(
            store, Path(out) if out != "-" else out, document, status, include_mt
        )
        return
    assert doc is not None  # --all without tmx was refused above
    document = store.get_document(doc)
    segments = store.segments(document.id)
    if status:
        segments = [s for s in segments if s.status in status]
    left = unconfirmed(segments)
    if left.total and not allow_unconfirmed:
        raise TmError(
            f"Not exported: in {document.name}, {left.describe()}. A {fmt.value} export is "
            f"what you deliver, so it holds confirmed work only. Confirm them "
            f"(`tm review {document.name}`), or pass --allow-unconfirmed to write them as "
            "they are."
        )
    if fmt is ExportFormat.txt:
        write_output(out, store.rebuild_text(document.id))
    else:
        lines = ["position\tsource\ttarget\tstatus\torigin"]
        for seg in segments:
            cells = [str(seg.position + 1), seg.source, seg.target or "", seg.status, seg.origin]
            lines.append("\t".join(_tsv_cell(c) for c in cells))
        write_output(out, "\n".join(lines) + "\n")
    if left.total:
        what = "new segments stay in Indonesian; drafts are unreviewed"
        err_console.print(
            f"Warning: {document.name} was written with unconfirmed work: {left.describe()}"
            f" ({what}).",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if out != "-":
        err_console.print(
            f"Wrote {document.name} as {fmt.value} to {out}.",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


def _tsv_cell(value: str | None) -> str:
    """Keep one record per line: tabs and newlines inside a cell are escaped."""
    text = value or ""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
