"""Quality checks on targets."""

from __future__ import annotations

import pytest

from tm.qa import check_segment, numbers_of


@pytest.mark.parametrize(
    ("source", "target", "codes"),
    [
        ("Harga naik Rp 4,9 miliar.", "The price rose by Rp 4.9 billion.", []),
        ("Harga naik Rp 4,9 miliar.", "The price rose by Rp 5.1 billion.", ["numbers"]),
        ("Jumlahnya 13.924 orang.", "There were 13,924 people.", []),
        ("Rapat pukul 10.30 WIB.", "The meeting is at 10:30 WIB.", []),
        ("Selasa (8/1).", "Tuesday (1/8).", []),
        ("Dia datang.", "", ["empty"]),
        ("Dia datang.", "   ", ["empty"]),
        ("Dia datang.", "Dia datang.", ["untranslated"]),
        ("Jokowi (Presiden) datang.", "Jokowi (President came.", ["brackets"]),
        ('Dia berkata "tidak".', 'He said "no.', ["brackets"]),
        ("Dia datang.", " He came.", ["spaces"]),
        ("Dia datang.", "He  came.", ["spaces"]),
        ("BBC", "BBC", []),
    ],
)
def test_checks(source: str, target: str, codes: list[str]) -> None:
    assert [i.code for i in check_segment(source, target)] == codes


def test_number_message_names_what_is_missing_and_extra() -> None:
    (issue,) = check_segment("Ada 12 orang dan 3 mobil.", "There were 12 people and 4 cars.")
    assert "missing 3" in issue.message
    assert "extra 4" in issue.message


def test_numbers_ignore_locale_separators() -> None:
    assert numbers_of("2,3 juta dan 1.500") == numbers_of("2.3 million and 1,500")


@pytest.mark.parametrize(
    ("target", "flagged"),
    [
        ("French President Macron visited Moscow.", False),
        ("The President of France visited Moscow.", False),
        ("Prancis President Macron visited Moskow.", True),
    ],
)
def test_glossary_check_uses_the_place_names(target: str, flagged: bool) -> None:
    from glossary import builtin_glossary

    issues = check_segment(
        "Presiden Prancis Macron berkunjung ke Moskow.", target, builtin_glossary()
    )
    assert any(i.code == "glossary" for i in issues) is flagged
