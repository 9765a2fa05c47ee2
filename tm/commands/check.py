"""`tm check`: is the store intact, and how to recover what is not.

It runs SQLite's ``PRAGMA integrity_check`` on the file, then the memory
indexes' own consistency check (:func:`tm.leverage.check_index`: FTS5's
``integrity-check`` and the fuzzy snapshot rebuilt in memory and compared).
``--rebuild-index`` rebuilds both indexes from the units when the file
itself is sound. Exit status: 0 intact, 1 problems found, 2 usage errors.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated

import typer

from tm.commands.common import console, db_path, open_store
from tm.errors import StoreDamagedError, TmError
from tm.store import Store, file_uri

# How many problems PRAGMA integrity_check lists at most.
MAX_PROBLEMS = 20


def register(app: typer.Typer) -> None:
    """Add `tm check`."""
    app.command("check")(check)


def _recovery(path: str, file_ok: bool) -> list[str]:
    lines = ["How to recover:"]
    if file_ok:
        lines.append(
            "- The units are intact; only the search indexes are out of step. "
            f"Run `tm --db {path} check --rebuild-index` to rebuild them from the units."
        )
        return lines
    lines += [
        "- First keep a copy of the file as it is.",
        "- Export what is readable: `tm export --all --format tmx --out rescue.tmx` (the "
        "memory) and `tm export DOC --format txt --out DOC.txt` for each document "
        "(`tm docs` lists them).",
        f"- SQLite's own recovery often saves most of a damaged file: `sqlite3 {path} "
        ".recover | sqlite3 recovered.sqlite`, then `tm --db recovered.sqlite check`.",
        "- Or start a new store and bring the memory back: `tm --db new.sqlite import rescue.tmx`.",
    ]
    return lines


def _integrity(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [f"SQLite cannot read the file's structure: {exc}"]
    found = [str(r[0]) for r in rows]
    return [] if found == ["ok"] else found


def check(
    ctx: typer.Context,
    rebuild_index: Annotated[
        bool,
        typer.Option(
            "--rebuild-index",
            help="Rebuild the full-text index and the fuzzy snapshot from the units.",
        ),
    ] = False,
) -> None:
    """Check that the store is intact (file, full-text index, fuzzy index)."""
    from tm.leverage import check_index
    from tm.leverage import rebuild_index as rebuild

    path = db_path(ctx)
    store: Store | None = None
    problems: list[str] = []
    try:
        store = open_store(ctx, read_only=False if rebuild_index else None)
    except StoreDamagedError as exc:
        problems.append(str(exc))
    if store is None:
        # Too damaged to open as a store: ask SQLite about the file alone.
        conn = sqlite3.connect(file_uri(path, mode="ro"), uri=True)
        try:
            problems += _integrity(conn)
        finally:
            conn.close()
        _report(path, problems, [], file_ok=False)
        raise typer.Exit(1)
    file_problems = _integrity(store.conn)
    index_problems: list[str] = []
    if not file_problems:
        try:
            index_problems = check_index(store)
        except (TmError, sqlite3.DatabaseError) as exc:
            file_problems.append(f"reading the indexes failed: {exc}")
    if rebuild_index:
        if file_problems:
            _report(path, file_problems, index_problems, file_ok=False)
            console.print(
                "The index was not rebuilt: the file itself is damaged. Recover it first.",
                markup=False,
            )
            raise typer.Exit(1)
        rebuild(store)
        console.print("Rebuilt the full-text index and the fuzzy snapshot.", markup=False)
        index_problems = check_index(store)
    if store.read_only:
        console.print(
            "The store is read-only here: the full-text index was not checked.", markup=False
        )
    _report(path, file_problems, index_problems, file_ok=not file_problems)
    if file_problems or index_problems:
        raise typer.Exit(1)


def _report(
    path: object, file_problems: list[str], index_problems: list[str], *, file_ok: bool
) -> None:
    lines = [f"Store: {path}"]
    lines.append("File (SQLite integrity_check): " + ("ok" if not file_problems else "DAMAGED"))
    lines += [f"  {line}" for p in file_problems for line in p.splitlines()]
    if file_ok:
        lines.append("Indexes: " + ("ok" if not index_problems else "OUT OF STEP"))
        lines += [f"  {p}" for p in index_problems]
    if file_problems or index_problems:
        lines += _recovery(str(path), file_ok)
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
