"""CLI glue for TMX: `tm import FILE.tmx` and `tm export --format tmx`.

tm/commands/documents.py owns those commands and calls these two functions;
this module only runs the core and prints what happened to stderr.
"""

from __future__ import annotations

from pathlib import Path

from tm.commands.common import err_console
from tm.errors import TmxError, UsageError
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
    others = ""
    if report.other_languages:
        codes = ", ".join(code for code, _ in report.other_languages[:10])
        others = f" ({codes})"
    # markup=False: a path is the user's text, never Rich markup.
    err_console.print(
        f"Imported {path} into the memory in {report.seconds:.1f} s: "
        f"{report.added:,} units added, {report.updated:,} updated, "
        f"{report.duplicates:,} duplicates, "
        f"{report.skipped_other_languages:,} skipped for another language pair{others}, "
        f"{report.invalid:,} invalid.",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    if report.adjusted:
        kept = "; ".join(f"{count:,} {what}" for what, count in report.adjusted)
        err_console.print(
            f"Kept in another form or dropped: {kept}.",
            highlight=False,
            markup=False,
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
    validate: bool = False,
) -> None:
    """Write the memory (or a document) as TMX to a file or ``-`` (stdout).

    With ``validate``, the written file is checked against the TMX 1.4b DTD
    and the rules of :mod:`tm.tmx_check`; a problem is an error (exit 2).
    """
    from tm.tmx import export_tmx

    if validate and str(out) == "-":
        raise UsageError(
            "--validate checks the written file, so it needs --out FILE, not stdout. "
            "Write to a file, or drop --validate."
        )
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
    if report.adjusted_codes:
        message += (
            f"; adjusted {report.adjusted_codes:,} inline-code attributes or elements the "
            "TMX DTD does not allow"
        )
    if report.units == 0:
        message += "; nothing matched: confirm segments first or add --include-mt for drafts"
    err_console.print(message + ".", highlight=False, markup=False, soft_wrap=True)
    if validate:
        validate_export(Path(out))


def validate_export(path: Path) -> None:
    """Check a written TMX against the DTD and tm's rules; any problem is an error."""
    from tm.tmx_check import tmx_problems

    problems = tmx_problems(path)
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5:,} more)" if len(problems) > 5 else ""
        raise TmxError(
            f"{path} was written but does not validate as TMX 1.4b: {shown}{more}. "
            "The file is left in place for inspection; please report this as a tm bug."
        )
    err_console.print(f"{path} validates against the TMX 1.4b DTD.", highlight=False, markup=False)
