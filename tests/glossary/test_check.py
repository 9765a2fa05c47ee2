"""Target checks in English, and repair of MT drafts."""

from __future__ import annotations

import pytest

from glossary import Glossary, TermEntry, builtin_glossary


@pytest.mark.parametrize(
    ("source", "target", "verdicts"),
    [
        # names
        ("Ia tiba di Moskow.", "He arrived in Moscow.", [("Moskow", True, "Moscow")]),
        ("Ia tiba di Moskow.", "He arrived in Moskow.", [("Moskow", False, None)]),
        (
            "Banjir di Jakarta Selatan.",
            "Floods in south jakarta.",
            [("Jakarta Selatan", True, "south jakarta")],
        ),
        ("Presiden Turki berbicara.", "The Türkiye president spoke.", [("Turki", True, "Türkiye")]),
        ("Presiden Turki berbicara.", "Turkiye's president spoke.", [("Turki", True, "Turkiye's")]),
        ("Pejabat AS hadir.", "U.S. officials attended.", [("AS", True, "U.S.")]),
        ("Pejabat AS hadir.", "They told us nothing.", [("AS", False, None)]),
        (
            "Bentrokan di Nagorno-Karabakh.",
            "Clashes in Nagorno Karabakh.",
            [("Nagorno-Karabakh", True, "Nagorno Karabakh")],
        ),
        # adjectives and demonyms
        (
            "Presiden Prancis Emmanuel Macron",
            "French President Emmanuel Macron",
            [("Prancis", True, "French")],
        ),
        ("pasukan Armenia", "Armenian forces", [("Armenia", True, "Armenian")]),
        ("menteri Azerbaijan", "the Azerbaijani minister", [("Azerbaijan", True, "Azerbaijani")]),
        ("warga Jakarta", "Jakartans", [("Jakarta", True, "Jakartans")]),
        ("pejabat Saudi", "Saudi officials", [("Saudi", True, "Saudi")]),
        ("orang Inggris", "the English", [("Inggris", True, "English")]),
        # not on a word boundary
        ("Ia tiba di Prancis.", "He arrived in Frances.", [("Prancis", False, None)]),
        ("Ia pergi ke Oman.", "He is a woman.", [("Oman", False, None)]),
    ],
)
def test_check(source: str, target: str, verdicts: list[tuple[str, bool, str | None]]) -> None:
    checks = builtin_glossary().check(source, target)
    assert [(c.hit.surface, c.agreed, c.found) for c in checks] == verdicts


@pytest.mark.parametrize(
    ("source", "draft", "repaired", "notes"),
    [
        (
            "Menlu Rusia Sergei Lavrov mengatakan Moskow bersedia menjadi tuan rumah.",
            "Russian Foreign Minister Sergei Lavrov said Moskow was willing to host.",
            "Russian Foreign Minister Sergei Lavrov said Moscow was willing to host.",
            ["glossary: Moskow → Moscow"],
        ),
        (
            "Presiden Prancis tiba di Den Haag.",
            "Prancis President arrives in Den Haag.",
            "French President arrives in The Hague.",
            ["glossary: Prancis → French", "glossary: Den Haag → The Hague"],
        ),
        (
            "Kapal di Laut China Selatan.",
            "Ships in the Laut China Selatan.",
            "Ships in the South China Sea.",
            ["glossary: Laut China Selatan → South China Sea"],
        ),
        (
            "Banjir di Jakarta Utara.",
            "Floods in Jakarta Utara.",
            "Floods in North Jakarta.",
            ["glossary: Jakarta Utara → North Jakarta"],
        ),
        # already right: nothing to do
        ("Ia tiba di Moskow.", "He arrived in Moscow.", "He arrived in Moscow.", []),
        # check-only entries are flagged but never replaced
        ("Ia ke Korea.", "He went to Korea.", "He went to Korea.", []),
    ],
)
def test_repair_mt_draft(source: str, draft: str, repaired: str, notes: list[str]) -> None:
    new_draft, repairs = builtin_glossary().repair(source, draft)
    assert new_draft == repaired
    assert [r.describe() for r in repairs] == notes


def test_check_only_entry_is_never_replaced() -> None:
    entry = TermEntry("u", "city", ("Bumi Serpong",), "BSD City", check_only=True, origin="user")
    glossary = Glossary([entry])
    checks = glossary.check("Rumah di Bumi Serpong.", "A house in Bumi Serpong.")
    assert [c.agreed for c in checks] == [False]
    assert glossary.repair("Rumah di Bumi Serpong.", "A house in Bumi Serpong.") == (
        "A house in Bumi Serpong.",
        [],
    )


def test_repair_offsets_point_into_the_old_draft() -> None:
    draft = "Talks in Jenewa and Wina."
    _, repairs = builtin_glossary().repair("Perundingan di Jenewa dan Wina.", draft)
    assert [draft[r.start : r.end] for r in repairs] == ["Jenewa", "Wina"]
