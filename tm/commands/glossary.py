"""`tm glossary`: list, add, remove, import, export, check."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tm.commands.common import (
    OutputFormat,
    echo,
    err_console,
    open_store,
    print_json,
    write_output,
)
from tm.display import visible
from tm.errors import InputError

if TYPE_CHECKING:
    from glossary import TermEntry


class FileFormat(StrEnum):
    """Glossary file formats."""

    auto = "auto"
    tsv = "tsv"
    csv = "csv"
    tbx = "tbx"


class Origin(StrEnum):
    """Which entries to list."""

    all = "all"
    user = "user"
    builtin = "builtin"


def _entry_json(entry: TermEntry) -> dict[str, object]:
    from dataclasses import asdict

    data: dict[str, object] = asdict(entry)
    data.pop("strict_case", None)
    return data


def register(app: typer.Typer) -> None:
    """Add the `tm glossary` sub-app to ``app``."""
    glossary_app = typer.Typer(
        help="The place-name glossary: built-in names plus your own terms.",
        no_args_is_help=True,
    )
    app.add_typer(glossary_app, name="glossary")

    @glossary_app.command("list")
    def list_command(
        ctx: typer.Context,
        type: Annotated[str | None, typer.Option("--type", help="Only this type.")] = None,
        search: Annotated[str, typer.Option("--search", help="Only forms containing this.")] = "",
        origin: Annotated[Origin, typer.Option("--origin", help="all, user or builtin.")] = (
            Origin.all
        ),
        format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    ) -> None:
        """List glossary entries (built-in and user)."""
        from tm.terms import load_glossary

        glossary = load_glossary(open_store(ctx))
        entries = [
            e
            for e in glossary.search(search, type=type)
            if origin == Origin.all or e.origin == origin.value
        ]
        if format == OutputFormat.json:
            print_json([_entry_json(e) for e in entries])
            return
        for e in entries:
            extra = ", ".join((*e.target_variants, *e.adjectives))
            flags = " [check-only]" if e.check_only else ""
            fields = (
                " / ".join(e.source_forms),
                f"{e.target}{f' ({extra})' if extra else ''}",
                e.type,
                f"{e.origin}{flags}",
            )
            echo("\t".join(visible(f, tabs=False) for f in fields), tabs=False)
        err_console.print(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")

    @glossary_app.command("add")
    def add_command(
        ctx: typer.Context,
        source: Annotated[str, typer.Argument(help="Indonesian form.")],
        target: Annotated[str, typer.Argument(help="Preferred English form.")],
        type: Annotated[str, typer.Option("--type", help="country, city, term …")] = "user",
        variant: Annotated[
            list[str] | None, typer.Option("--variant", help="Another Indonesian form.")
        ] = None,
        target_variant: Annotated[
            list[str] | None, typer.Option("--target-variant", help="Accepted English form.")
        ] = None,
        adjective: Annotated[
            list[str] | None, typer.Option("--adjective", help="English adjective/demonym.")
        ] = None,
        check_only: Annotated[
            bool, typer.Option("--check-only", help="Check it, never auto-replace it.")
        ] = False,
        comment: Annotated[str, typer.Option("--comment")] = "",
    ) -> None:
        """Add (or update) a user term."""
        from glossary import TermEntry
        from tm.terms import add_term

        entry = TermEntry(
            id="user:new",
            type=type,
            source_forms=(source, *(variant or ())),
            target=target,
            target_variants=tuple(target_variant or ()),
            adjectives=tuple(adjective or ()),
            check_only=check_only,
            comment=comment,
            origin="user",
        )
        add_term(open_store(ctx), entry)
        err_console.print(f"added: {source} → {target}")

    @glossary_app.command("remove")
    def remove_command(
        ctx: typer.Context,
        source: Annotated[str, typer.Argument(help="Indonesian form of the user term.")],
        target: Annotated[str | None, typer.Argument(help="Only this English target.")] = None,
    ) -> None:
        """Remove a user term (built-in entries cannot be removed)."""
        from tm.terms import remove_term

        count = remove_term(open_store(ctx), source, target)
        err_console.print(f"removed {count} term(s)")

    @glossary_app.command("import")
    def import_command(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="A .utf8/.txt/.tsv, .csv or .tbx file.")],
        format: Annotated[FileFormat, typer.Option("--format")] = FileFormat.auto,
        replace: Annotated[
            bool, typer.Option("--replace", help="On conflict, the file's target wins.")
        ] = False,
        encoding: Annotated[
            str | None,
            typer.Option(
                "--encoding",
                help="Encoding of a TSV/CSV file (default: UTF-8, or UTF-16 with a BOM).",
            ),
        ] = None,
    ) -> None:
        """Import terms from an OmegaT TSV, CSV or TBX (2 or 3) file.

        Incomplete entries (an empty term, a line without its English) are
        skipped and listed; the complete ones are imported.
        """
        from glossary.formats import read_glossary
        from tm.terms import import_terms

        result = read_glossary(file, format.value, encoding=encoding)
        report = import_terms(
            open_store(ctx), result.entries, conflicts=result.conflicts, replace=replace
        )
        for conflict in report.conflicts:
            _say(f"conflict: {conflict}")
        for skipped in result.skipped:
            _say(f"skipped {skipped}")
        if result.skipped_count > len(result.skipped):
            _say(f"... and {result.skipped_count - len(result.skipped):,} more skipped")
        _say(
            f"imported {file}: added {report.added}, updated {report.updated}, "
            f"unchanged {report.unchanged}, conflicts {len(report.conflicts)}, "
            f"skipped {result.skipped_count}"
        )

    @glossary_app.command("export")
    def export_command(
        ctx: typer.Context,
        out: Annotated[str, typer.Option("--out", help="Output file, or - for stdout.")],
        format: Annotated[FileFormat, typer.Option("--format")] = FileFormat.tsv,
        include_builtin: Annotated[
            bool, typer.Option("--include-builtin", help="Export the built-in names too.")
        ] = False,
    ) -> None:
        """Export the user's terms as OmegaT TSV, CSV or TBX 2 (TBX-Basic)."""
        from glossary.formats import write_glossary
        from tm.terms import list_terms, load_glossary

        store = open_store(ctx)
        if include_builtin:
            entries = [e for e in load_glossary(store).search("")]
        else:
            entries = list_terms(store)
        fmt = "tsv" if format == FileFormat.auto else format.value
        write_output(out, write_glossary(entries, fmt))
        if out != "-":
            err_console.print(f"exported {len(entries)} entries to {out}")

    @glossary_app.command("check")
    def check_command(
        ctx: typer.Context,
        source_file: Annotated[Path, typer.Argument(help="Indonesian text, one segment a line.")],
        target_file: Annotated[Path, typer.Argument(help="English text, aligned line by line.")],
        format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    ) -> None:
        """Check a parallel pair of files line by line against the glossary."""
        from tm.terms import load_glossary

        sources, targets = _read_lines(source_file), _read_lines(target_file)
        if len(sources) != len(targets):
            raise InputError(
                f"{source_file} has {len(sources)} lines but {target_file} has "
                f"{len(targets)}: the files must be aligned line by line."
            )
        glossary = load_glossary(open_store(ctx))
        rows = []
        for number, (source, target) in enumerate(zip(sources, targets, strict=True), 1):
            for check in glossary.check(source, target):
                rows.append((number, check))
        agreed = sum(1 for _, c in rows if c.agreed)
        if format == OutputFormat.json:
            print_json(
                {
                    "hits": len(rows),
                    "agreed": agreed,
                    "flagged": len(rows) - agreed,
                    "checks": [
                        {
                            "line": n,
                            "source": c.hit.surface,
                            "start": c.hit.start,
                            "end": c.hit.end,
                            "entry": c.hit.entry.id,
                            "expected": c.expected,
                            "agreed": c.agreed,
                            "found": c.found,
                            "untranslated": c.untranslated,
                        }
                        for n, c in rows
                    ],
                }
            )
            return
        for n, c in rows:
            if c.agreed:
                verdict = f"ok ({c.found})"
            elif c.untranslated:
                verdict = f"FLAGGED: left untranslated ({c.untranslated})"
            else:
                verdict = "FLAGGED: not in the English"
            fields = (str(n), c.hit.surface, c.expected, verdict)
            echo("\t".join(visible(f, tabs=False) for f in fields), tabs=False)
        typer.echo(f"hits: {len(rows)}, agreed: {agreed}, flagged: {len(rows) - agreed}")


def _say(line: str) -> None:
    """One line on stderr, printed as it is: never read as markup, never wrapped."""
    err_console.print(line, markup=False, highlight=False, soft_wrap=True)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        raise InputError(f"Cannot read {path}: no such file. Check the path.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text. Save it as UTF-8 and try again.") from exc
