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

# The full-text index over the memory: fuzzy-match candidate retrieval and
# concordance search on both languages (tm.leverage). It is an external-content
# FTS5 table, so the text is stored once (in units); triggers keep it current
# whatever writes units: add_unit(s), confirm_segment, the TMX importer, deletes.
# unicode61 with remove_diacritics folds case and accents the way a concordance
# user expects; fts5vocab gives each term's document frequency, which the
# candidate filter uses to fetch the rarest terms first. columnsize=0: no bm25
# is needed, and it saves a write per unit on bulk import.
FTS_INSERT_TRIGGER = """CREATE TRIGGER units_fts_insert AFTER INSERT ON units BEGIN
    INSERT INTO units_fts (rowid, source, target) VALUES (new.id, new.source, new.target);
END"""
# tm.leverage.bulk_index re-creates these two with a WHEN clause during bulk
# inserts, so keep their "ON units BEGIN" shape.
FTS_DELETE_TRIGGER = """CREATE TRIGGER units_fts_delete AFTER DELETE ON units BEGIN
    INSERT INTO units_fts (units_fts, rowid, source, target)
        VALUES ('delete', old.id, old.source, old.target);
END"""
FTS_UPDATE_TRIGGER = """CREATE TRIGGER units_fts_update AFTER UPDATE OF source, target
ON units BEGIN
    INSERT INTO units_fts (units_fts, rowid, source, target)
        VALUES ('delete', old.id, old.source, old.target);
    INSERT INTO units_fts (rowid, source, target) VALUES (new.id, new.source, new.target);
END"""

LEVERAGE_INDEX = Migration(
    2,
    "full-text index of the memory for fuzzy matches and concordance",
    (
        """CREATE VIRTUAL TABLE units_fts USING fts5(
            source, target,
            content='units', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2',
            columnsize=0
        )""",
        "CREATE VIRTUAL TABLE units_fts_vocab USING fts5vocab(units_fts, 'col')",
        FTS_INSERT_TRIGGER,
        FTS_DELETE_TRIGGER,
        FTS_UPDATE_TRIGGER,
        "INSERT INTO units_fts (units_fts) VALUES ('rebuild')",
        # The fuzzy-match snapshot: per-term posting lists as packed int32
        # blobs (one row read per term, decoded by numpy in microseconds),
        # built by tm.leverage.rebuild_index for units up to built_max_id.
        # Newer units are found through units_fts, whose triggers never lag;
        # units whose source changed after the snapshot are listed as stale.
        """CREATE TABLE fuzzy_postings (
            term TEXT PRIMARY KEY,
            df INTEGER NOT NULL,
            ids BLOB NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE fuzzy_meta (
            key TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID""",
        "INSERT INTO fuzzy_meta (key, value) VALUES ('built_max_id', 0), ('units', 0)",
        "CREATE TABLE fuzzy_lengths (id INTEGER PRIMARY KEY, lengths BLOB NOT NULL)",
        "CREATE TABLE fuzzy_stale (unit_id INTEGER PRIMARY KEY)",
        """CREATE TRIGGER units_fuzzy_stale AFTER UPDATE OF source ON units
            WHEN old.source IS NOT new.source
             AND new.id <= (SELECT value FROM fuzzy_meta WHERE key = 'built_max_id')
        BEGIN
            INSERT OR IGNORE INTO fuzzy_stale (unit_id) VALUES (new.id);
        END""",
    ),
)

# Provenance and review (issue 11). A segment remembers the draft a machine or
# the memory gave it (draft_target, draft_origin); confirming compares the
# final text with it: unchanged keeps the draft's origin (accepted_unchanged),
# changed becomes origin 'human' with origin_before and the post-editing
# distance (tm.provenance). A reviewer's approval or send-back is recorded in
# review_state ('approved' / 'rejected'), reviewed_by/at and review_note.
# Existing MT/TM drafts are taken as their own drafts.
PROVENANCE = Migration(
    3,
    "segment provenance (draft, origin before edit, edit distance) and review",
    (
        "ALTER TABLE segments ADD COLUMN draft_target TEXT",
        "ALTER TABLE segments ADD COLUMN draft_origin TEXT",
        "ALTER TABLE segments ADD COLUMN origin_before TEXT",
        "ALTER TABLE segments ADD COLUMN edit_distance INTEGER",
        "ALTER TABLE segments ADD COLUMN accepted_unchanged INTEGER",
        "ALTER TABLE segments ADD COLUMN review_state TEXT",
        "ALTER TABLE segments ADD COLUMN reviewed_by TEXT",
        "ALTER TABLE segments ADD COLUMN reviewed_at TEXT",
        "ALTER TABLE segments ADD COLUMN review_note TEXT",
        # How many parts an over-long source was translated in, so that a
        # draft from the cache carries the same mt-split flag as the first.
        "ALTER TABLE mt_cache ADD COLUMN parts INTEGER NOT NULL DEFAULT 1",
        """UPDATE segments SET draft_target = target, draft_origin = origin
            WHERE status = 'draft' AND target IS NOT NULL AND origin IS NOT NULL
              AND origin != 'human'""",
    ),
)

MIGRATIONS: list[Migration] = [CORE, LEVERAGE_INDEX, PROVENANCE]
