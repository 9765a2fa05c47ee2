"""Numbered schema migrations for the project store.

Each migration runs inside one transaction together with the bump of
``PRAGMA user_version``, so a store is always at exactly one version. Append
new migrations at the end; never edit one that has shipped.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """A schema change: a version number and the statements that make it."""

    version: int
    name: str
    statements: tuple[str, ...]


CORE = Migration(
    1,
    "documents, segments, translation units, glossary, MT cache",
    (
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            path TEXT,
            prefix TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            last_position INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX documents_sha256 ON documents(sha256)",
        """CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            source_lang TEXT NOT NULL DEFAULT 'id',
            target_lang TEXT NOT NULL DEFAULT 'en',
            source_markup TEXT,
            target_markup TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT,
            changed_at TEXT,
            changed_by TEXT,
            origin TEXT,
            status TEXT NOT NULL DEFAULT 'translated',
            usage_count INTEGER NOT NULL DEFAULT 0,
            last_used_at TEXT,
            context_prev TEXT,
            context_next TEXT,
            document TEXT,
            tuid TEXT,
            props TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '[]'
        )""",
        "CREATE INDEX units_source ON units(source)",
        """CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            source TEXT NOT NULL,
            trailing TEXT NOT NULL,
            target TEXT,
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'draft', 'translated', 'approved')),
            origin TEXT,
            match_score INTEGER,
            unit_id INTEGER REFERENCES units(id) ON DELETE SET NULL,
            flags TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT,
            updated_by TEXT,
            UNIQUE (document_id, position)
        )""",
        "CREATE INDEX segments_unit ON segments(unit_id)",
        """CREATE TABLE glossary_terms (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            type TEXT,
            source_variants TEXT NOT NULL DEFAULT '[]',
            target_variants TEXT NOT NULL DEFAULT '[]',
            adjectives TEXT NOT NULL DEFAULT '[]',
            check_only INTEGER NOT NULL DEFAULT 0,
            comment TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (source, target)
        )""",
        """CREATE TABLE mt_cache (
            key TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            model TEXT NOT NULL,
            settings TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID""",
    ),
)

# Migration 2 (the fuzzy-match index and concordance search) is appended by
# tm.leverage's owner; keep the list ordered by version.
MIGRATIONS: list[Migration] = [CORE]
