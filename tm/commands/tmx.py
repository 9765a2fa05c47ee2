"""CLI glue for TMX: `tm import FILE.tmx` and `tm export --format tmx`.

tm/commands/documents.py owns those commands and calls these two functions;
this module only runs the core and prints what happened to stderr.
"""

from __future__ import annotations

from pathlib import Path

from tm.commands.common import err_console
from tm.models import Document, Status
from tm.store import Store


def import_memory(store: Store, path: Path, on_conflict: str) -> None:
    """Merge a TMX into the memory and report the counts on stderr."""
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TextColumn

    from tm.display import visible
    from tm.tmx import import_tmx

    size = path.stat().st_size if path.is_file() else 0
    with Progress(
        TextColumn("Importing {task.description}"),
        BarColumn(),
        TextColumn("{task.fields[units]:,} units"),
        console=err_console,
        transient=True,
        disable=size < 5_000_000,
    ) as progress:
        task = progress.add_task(escape(visible(path.name)), total=None, units=0)
        report = import_tmx(
            store,
            path,
            on_conflict,
            progress=lambda units: progress.update(task, units=units),
        )
    err_console.print(
        f"Imported {path} into the memory in {report.seconds:.1f} s: "
        f"{report.added:,} units added, {report.updated:,} updated, "
        f"{report.duplicates:,} duplicates, "
        f"{report.skipped_other_languages:,} skipped for another language pair, "
        f"{report.invalid:,} invalid.",
        highlight=False,
        soft_wrap=True,
    )
    if report.skipped_conflicts:
        err_console.print(
            f"{report.skipped_conflicts:,} units were not added because the memory already "
            "has another translation of their source (--on-conflict skip).",
            highlight=False,
            soft_wrap=True,
        )
    if report.removed_alternatives:
        err_console.print(
            f"{report.removed_alternatives:,} older alternative translations were removed "
            "(--on-conflict replace).",
            highlight=False,
            soft_wrap=True,
        )
    for example in report.invalid_examples:
        err_console.print(
            f"  invalid unit at {example}", highlight=False, markup=False, soft_wrap=True
        )
    if report.added:
        from tm.leverage import ensure_index

        # A big import leaves many units outside the fast fuzzy index; build it
        # now rather than on the first lookup.
        with err_console.status("Updating the fuzzy-match index…"):
            ensure_index(store)


def export_memory(
    store: Store,
    out: Path | str,
    document: Document | None,
    statuses: list[Status] | None,
    include_mt: bool,
) -> None:
    """Write the memory (or a document) as TMX to a file or ``-`` (stdout)."""
    from tm.tmx import export_tmx

    report = export_tmx(store, out, document=document, statuses=statuses, include_mt=include_mt)
    what = f"document {document.name}" if document else "the memory"
    chosen = ", ".join(str(s) for s in report.statuses)
    where = "stdout" if str(out) == "-" else str(out)
    noun = "unit" if report.units == 1 else "units"
    message = f"Wrote {report.units:,} {noun} of {what} ({chosen}) as TMX to {where}"
    if report.dropped_characters:
        message += (
            f"; dropped {report.dropped_characters:,} control characters that XML cannot hold"
        )
    if report.units == 0:
        message += "; nothing matched: confirm segments first or add --include-mt for drafts"
    err_console.print(message + ".", highlight=False, markup=False, soft_wrap=True)
