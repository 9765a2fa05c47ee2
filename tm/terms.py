"""The user's glossary in the project store (table ``glossary_terms``).

User terms add to the built-in place names; where a user source form is also a
built-in form, the user's entry wins (:class:`glossary.Glossary` puts user
entries first).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from glossary import Glossary, TermEntry, builtin_glossary
from tm.errors import GlossaryError, NotFoundError
from tm.store import Store
from tm.timeutil import utc_now


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: counts, and the conflicts a person should look at."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: tuple[str, ...] = field(default_factory=tuple)


def _entry(row: sqlite3.Row) -> TermEntry:
    return TermEntry(
        id=f"user:{row['id']}",
        type=row["type"] or "user",
        source_forms=(row["source"], *json.loads(row["source_variants"])),
        target=row["target"],
        target_variants=tuple(json.loads(row["target_variants"])),
        adjectives=tuple(json.loads(row["adjectives"])),
        check_only=bool(row["check_only"]),
        comment=row["comment"] or "",
        origin="user",
    )


def list_terms(store: Store, *, type: str | None = None, search: str = "") -> list[TermEntry]:
    """The user's entries, optionally filtered by type and a substring of any form."""
    rows = store.conn.execute("SELECT * FROM glossary_terms ORDER BY source, target").fetchall()
    entries = [_entry(r) for r in rows]
    needle = search.casefold()
    return [
        e
        for e in entries
        if (type is None or e.type == type)
        and (not needle or any(needle in f.casefold() for f in (*e.source_forms, *e.english_forms)))
    ]


def add_term(store: Store, entry: TermEntry) -> int:
    """Add or update the entry for (source, target); return its row id."""
    if not entry.source.strip() or not entry.target.strip():
        raise GlossaryError("A glossary term needs a non-empty source and target.")
    now = utc_now()
    values = (
        entry.type if entry.type not in ("", "user") else None,
        json.dumps(list(entry.source_forms[1:]), ensure_ascii=False),
        json.dumps(list(entry.target_variants), ensure_ascii=False),
        json.dumps(list(entry.adjectives), ensure_ascii=False),
        int(entry.check_only),
        entry.comment or None,
    )
    with store.atomic() as conn:
        row = conn.execute(
            "SELECT id FROM glossary_terms WHERE source = ? AND target = ?",
            (entry.source, entry.target),
        ).fetchone()
        if row is not None:
            conn.execute(
                "UPDATE glossary_terms SET type = ?, source_variants = ?, target_variants = ?,"
                " adjectives = ?, check_only = ?, comment = ?, updated_at = ? WHERE id = ?",
                (*values, now, row["id"]),
            )
            return int(row["id"])
        cursor = conn.execute(
            "INSERT INTO glossary_terms (source, target, type, source_variants,"
            " target_variants, adjectives, check_only, comment, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.source, entry.target, *values, now, now),
        )
        return int(cursor.lastrowid or 0)


def remove_term(store: Store, source: str, target: str | None = None) -> int:
    """Remove the user's entries for ``source`` (and ``target`` if given); return how many."""
    with store.atomic() as conn:
        if target is None:
            cursor = conn.execute("DELETE FROM glossary_terms WHERE source = ?", (source,))
        else:
            cursor = conn.execute(
                "DELETE FROM glossary_terms WHERE source = ? AND target = ?", (source, target)
            )
    if cursor.rowcount == 0:
        what = f"{source!r} → {target!r}" if target else repr(source)
        raise NotFoundError(
            f"The glossary has no user term {what}. `tm glossary list --search` shows them."
        )
    return cursor.rowcount


def import_terms(
    store: Store,
    entries: Iterable[TermEntry],
    *,
    conflicts: Iterable[str] = (),
    replace: bool = False,
) -> ImportReport:
    """Add entries in one transaction.

    A source the store (or the built-in glossary) already gives another target
    is a conflict: it is reported, and the new entry is added alongside (the
    user's entry wins over a built-in one) unless it clashes with a user term
    and ``replace`` is false, in which case it is skipped.
    """
    found = list(conflicts)
    added = updated = unchanged = 0
    builtin = {f.casefold(): e for e in builtin_glossary().entries for f in e.source_forms}
    with store.atomic() as conn:
        for entry in entries:
            existing = conn.execute(
                "SELECT * FROM glossary_terms WHERE source = ?", (entry.source,)
            ).fetchall()
            same = [r for r in existing if r["target"] == entry.target]
            other = [r for r in existing if r["target"] != entry.target]
            if other:
                found.append(
                    f"{entry.source!r}: the glossary gives {other[0]['target']!r}, the file "
                    f"{entry.target!r}; " + ("replaced" if replace else "kept the glossary's")
                )
                if not replace:
                    continue
                conn.execute(
                    "DELETE FROM glossary_terms WHERE source = ? AND target != ?",
                    (entry.source, entry.target),
                )
            built = builtin.get(entry.source.casefold())
            if built is not None and entry.target.casefold() not in {
                f.casefold() for f in built.english_forms
            }:
                found.append(
                    f"{entry.source!r}: built-in gives {built.target!r}, the file "
                    f"{entry.target!r}; the user term wins"
                )
            if same and _entry(same[0]) == _with_id(entry, same[0]["id"]):
                unchanged += 1
                continue
            add_term(store, entry)
            if same:
                updated += 1
            else:
                added += 1
    return ImportReport(added, updated, unchanged, tuple(found))


def _with_id(entry: TermEntry, row_id: int) -> TermEntry:
    from dataclasses import replace

    return replace(entry, id=f"user:{row_id}", origin="user", type=entry.type or "user")


def load_glossary(store: Store) -> Glossary:
    """The glossary in force for this store: built-in place names plus user terms."""
    return builtin_glossary().with_entries(list_terms(store))
