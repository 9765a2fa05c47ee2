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


@pytest.mark.parametrize(
    ("source", "target", "verdicts"),
    [
        # An Indonesian name left in the English is a finding, even when a
        # fragment of it is an English form ("Saudi") ...
        (
            "Pejabat Arab Saudi hadir.",
            "Arab Saudi officials attended.",
            [("Arab Saudi", False, None, "Arab Saudi")],
        ),
        # ... or when the English form stands elsewhere in the line.
        (
            "Korea Selatan memprotes.",
            "Korea Selatan protested, the South Korean envoy said.",
            [("Korea Selatan", False, None, "Korea Selatan")],
        ),
        (
            "Ia tiba di Moskow.",
            "He arrived in Moskow, not Moscow.",
            [("Moskow", False, None, "Moskow")],
        ),
        # An English form inside a longer name of another place is no match.
        (
            "Kapal Cina berlayar.",
            "Ships sailed in the South China Sea.",
            [("Cina", False, None, None)],
        ),
        ("Sudan menolak.", "South Sudan refused.", [("Sudan", False, None, None)]),
        # Both names there: each hit takes its own, the shorter one standing alone.
        (
            "Afrika Selatan dan Afrika",
            "South Africa and Africa",
            [("Afrika Selatan", True, "South Africa", None), ("Afrika", True, "Africa", None)],
        ),
        (
            "Kapal Cina berlayar di Laut China Selatan.",
            "Chinese ships sailed in the South China Sea.",
            [
                ("Cina", True, "Chinese", None),
                ("Laut China Selatan", True, "South China Sea", None),
            ],
        ),
        # An institution named after the place names the place.
        (
            "Warga Jakarta mengeluh.",
            "Jakarta Provincial Government said residents complained.",
            [("Jakarta", True, "Jakarta", None)],
        ),
        # The Indonesian form is also correct English: nothing is left untranslated.
        ("Ia tiba di Iran.", "He arrived in Iran.", [("Iran", True, "Iran", None)]),
    ],
)
def test_a_fragment_of_the_name_does_not_satisfy_the_check(
    source: str, target: str, verdicts: list[tuple[str, bool, str | None, str | None]]
) -> None:
    checks = builtin_glossary().check(source, target)
    assert [(c.hit.surface, c.agreed, c.found, c.untranslated) for c in checks] == verdicts


def test_the_shorter_name_found_is_the_one_standing_alone() -> None:
    target = "South Africa and Africa"
    checks = builtin_glossary().check("Afrika Selatan dan Afrika", target)
    assert [(c.found_start, c.found_end) for c in checks] == [(0, 12), (17, 23)]


def test_an_untranslated_name_is_repaired_even_with_the_english_form_elsewhere() -> None:
    draft = "He arrived in Moskow, near Moscow."
    new_draft, repairs = builtin_glossary().repair("Ia tiba di Moskow.", draft)
    assert new_draft == "He arrived in Moscow, near Moscow."
    assert [r.describe() for r in repairs] == ["glossary: Moskow → Moscow"]


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
