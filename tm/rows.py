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


_STATUS = {s.value: s for s in Status}


def unit_from_row(row: Sequence[Any]) -> TranslationUnit:
    """A :class:`TranslationUnit` from a ``units`` row: ``id`` then :data:`UNIT_COLUMNS`.

    ``SELECT * FROM units`` has that order. Positional access and skipping
    JSON for the usual empty props and notes keep TMX export at 100k units/s.
    """
    props, notes = row[19], row[20]
    return TranslationUnit(
        id=row[0],
        source=row[1],
        target=row[2],
        source_lang=row[3],
        target_lang=row[4],
        source_markup=row[5],
        target_markup=row[6],
        created_at=row[7],
        created_by=row[8],
        changed_at=row[9],
        changed_by=row[10],
        origin=row[11],
        status=_STATUS[row[12]],
        usage_count=row[13],
        last_used_at=row[14],
        context_prev=row[15],
        context_next=row[16],
        document=row[17],
        tuid=row[18],
        props=tuple((k, v) for k, v in json.loads(props)) if props != "[]" else (),
        notes=tuple(json.loads(notes)) if notes != "[]" else (),
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
        draft_target=row["draft_target"],
        draft_origin=row["draft_origin"],
        origin_before=row["origin_before"],
        edit_distance=row["edit_distance"],
        accepted_unchanged=(
            None if row["accepted_unchanged"] is None else bool(row["accepted_unchanged"])
        ),
        review_state=row["review_state"],
        reviewed_by=row["reviewed_by"],
        reviewed_at=row["reviewed_at"],
        review_note=row["review_note"],
    )
