"""TMX writing rules that mutation testing (TESTING.md) found unchecked.

The note a CAT tool shows on an unreviewed unit, and attribute values escaped
exactly as libxml2 escapes them (the streamed header must match the rest).
"""

from __future__ import annotations

import pytest
from lxml import etree

from tm.models import Status, TranslationUnit
from tm.tmx_write import _attr, draft_note


def _draft(origin: str | None) -> TranslationUnit:
    return TranslationUnit("Harga naik.", "Prices rose.", status=Status.DRAFT, origin=origin)


@pytest.mark.parametrize(
    ("origin", "note"),
    [
        (
            "mt:Helsinki-NLP/opus-mt-id-en",
            "Machine translation (Helsinki-NLP/opus-mt-id-en), not reviewed by a translator.",
        ),
        # Only the first colon separates the kind from the engine.
        (
            "mt:ct2:opus-mt-id-en",
            "Machine translation (ct2:opus-mt-id-en), not reviewed by a translator.",
        ),
        ("mt", "Machine translation, not reviewed by a translator."),
        ("tm-exact", "Draft from a translation-memory match, not reviewed by a translator."),
        ("tm-fuzzy:87", "Draft from a translation-memory match, not reviewed by a translator."),
        (None, "Draft, not reviewed by a translator."),
        ("import", "Draft, not reviewed by a translator."),
    ],
)
def test_draft_note_says_where_an_unreviewed_target_comes_from(
    origin: str | None, note: str
) -> None:
    assert draft_note(_draft(origin)) == note


@pytest.mark.parametrize("status", [Status.TRANSLATED, Status.APPROVED])
def test_confirmed_units_have_no_draft_note(status: Status) -> None:
    unit = TranslationUnit("Harga naik.", "Prices rose.", status=status, origin="mt:opus")
    assert draft_note(unit) is None


@pytest.mark.parametrize(
    "value",
    ["plain", 'a<b>c & "d"', "tab\there\nline\rend", "<x/>", "R&D > 5"],
)
def test_attribute_values_are_escaped_as_libxml2_does(value: str) -> None:
    element = etree.Element("tu", creationid=value)
    written = etree.tostring(element, encoding="unicode")
    assert written == f'<tu creationid="{_attr(value)}"/>'
