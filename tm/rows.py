"""Rows of the store's tables as domain values, and back.

The store and the TMX importer both write ``units`` rows; this module is the
one place that knows the column order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from tm.models import Document, Segment, Status, TranslationUnit
from tm.timeutil import utc_now

UNIT_COLUMNS = (
    "source, target, source_lang, target_lang, source_markup, target_markup, created_at,"
    " created_by, changed_at, changed_by, origin, status, usage_count, last_used_at,"
    " context_prev, context_next, document, tuid, props, notes"
)
UNIT_COLUMN_COUNT = UNIT_COLUMNS.count(",") + 1
INSERT_UNIT = f"INSERT INTO units ({UNIT_COLUMNS}) VALUES ({','.join('?' * UNIT_COLUMN_COUNT)})"


def _json_list(items: Sequence[Any]) -> str:
    if not items:
        return "[]"
    return json.dumps([list(i) if isinstance(i, tuple) else i for i in items], ensure_ascii=False)


def unit_row(u: TranslationUnit, now: str | None = None) -> tuple[Any, ...]:
    """The values of a ``units`` row, in :data:`UNIT_COLUMNS` order."""
    return (
        u.source,
        u.target,
        u.source_lang,
        u.target_lang,
        u.source_markup,
        u.target_markup,
        u.created_at or now or utc_now(),
        u.created_by,
        u.changed_at,
        u.changed_by,
        u.origin,
        u.status.value,
        u.usage_count,
        u.last_used_at,
        u.context_prev,
        u.context_next,
        u.document,
        u.tuid,
        _json_list(u.props),
        _json_list(u.notes),
    )


def unit_from_row(row: sqlite3.Row) -> TranslationUnit:
    """A :class:`TranslationUnit` from a ``units`` row."""
    return TranslationUnit(
        id=row["id"],
        source=row["source"],
        target=row["target"],
        source_lang=row["source_lang"],
        target_lang=row["target_lang"],
        source_markup=row["source_markup"],
        target_markup=row["target_markup"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        changed_at=row["changed_at"],
        changed_by=row["changed_by"],
        origin=row["origin"],
        status=Status(row["status"]),
        usage_count=row["usage_count"],
        last_used_at=row["last_used_at"],
        context_prev=row["context_prev"],
        context_next=row["context_next"],
        document=row["document"],
        tuid=row["tuid"],
        props=tuple((k, v) for k, v in json.loads(row["props"])),
        notes=tuple(json.loads(row["notes"])),
    )


def document_from_row(row: sqlite3.Row) -> Document:
    """A :class:`Document` from a ``documents`` row."""
    return Document(
        id=row["id"],
        name=row["name"],
        path=row["path"],
        prefix=row["prefix"],
        sha256=row["sha256"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        last_position=row["last_position"],
    )


def segment_from_row(row: sqlite3.Row) -> Segment:
    """A :class:`Segment` from a ``segments`` row."""
    return Segment(
        id=row["id"],
        document_id=row["document_id"],
        position=row["position"],
        paragraph=row["paragraph"],
        source=row["source"],
        trailing=row["trailing"],
        target=row["target"],
        status=Status(row["status"]),
        origin=row["origin"],
        match_score=row["match_score"],
        unit_id=row["unit_id"],
        flags=tuple(json.loads(row["flags"])),
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
    )
