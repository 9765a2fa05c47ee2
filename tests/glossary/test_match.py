"""Recognition of place names in Indonesian sentences."""

from __future__ import annotations

import pytest

from glossary import Glossary, TermEntry, builtin_glossary


def found(text: str) -> list[tuple[str, str]]:
    return [(h.surface, h.entry.target) for h in builtin_glossary().find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the longest match first
        (
            "Banjir melanda Jakarta Selatan dan Jakarta.",
            [("Jakarta Selatan", "South Jakarta"), ("Jakarta", "Jakarta")],
        ),
        (
            "Konflik di Timur Tengah memanas, sementara Jawa Timur aman.",
            [("Timur Tengah", "Middle East"), ("Jawa Timur", "East Java")],
        ),
        (
            "Amerika Serikat dan Amerika Latin, juga Afrika Selatan.",
            [
                ("Amerika Serikat", "United States"),
                ("Amerika Latin", "Latin America"),
                ("Afrika Selatan", "South Africa"),
            ],
        ),
        ("Kota Meksiko dan Meksiko.", [("Kota Meksiko", "Mexico City"), ("Meksiko", "Mexico")]),
        (
            "Kapal melintas di Laut Cina Selatan dan Selat Malaka menuju Samudra Hindia.",
            [
                ("Laut Cina Selatan", "South China Sea"),
                ("Selat Malaka", "Strait of Malacca"),
                ("Samudra Hindia", "Indian Ocean"),
            ],
        ),
        # variants, hyphen and space
        (
            "Bentrokan di Nagorno Karabakh dan Nagorno-Karabakh berlanjut.",
            [("Nagorno Karabakh", "Nagorno-Karabakh"), ("Nagorno-Karabakh", "Nagorno-Karabakh")],
        ),
        ("Lavrov tiba di Moskwa, bukan Moskow.", [("Moskwa", "Moscow"), ("Moskow", "Moscow")]),
        (
            "Produk Tiongkok, Cina dan China membanjiri pasar.",
            [("Tiongkok", "China"), ("Cina", "China"), ("China", "China")],
        ),
        (
            "Dia tinggal di Den Haag, lalu ke Jenewa, Kairo, Wina dan Yerusalem.",
            [
                ("Den Haag", "The Hague"),
                ("Jenewa", "Geneva"),
                ("Kairo", "Cairo"),
                ("Wina", "Vienna"),
                ("Yerusalem", "Jerusalem"),
            ],
        ),
        (
            "Pasukan masuk ke Krimea dan Tepi Barat.",
            [("Krimea", "Crimea"), ("Tepi Barat", "West Bank")],
        ),
        ("Ketegangan di Korsel dan Korut.", [("Korsel", "South Korea"), ("Korut", "North Korea")]),
        ("Diplomat Côte d’Ivoire tiba.", [("Côte d’Ivoire", "Ivory Coast")]),
        # ambiguity: the language versus the country
        (
            "Ia belajar bahasa Inggris di Inggris.",
            [("bahasa Inggris", "English"), ("Inggris", "Britain")],
        ),
        ("Ia fasih berbahasa Inggris.", [("berbahasa Inggris", "English")]),
        ("Warga negara bagian Georgia memilih.", [("negara bagian Georgia", "state of Georgia")]),
        # case: ALL-CAPS headlines, abbreviations only in capitals
        ("PRESIDEN PRANCIS KUNJUNGI MOSKOW", [("PRANCIS", "France"), ("MOSKOW", "Moscow")]),
        (
            "Pejabat AS bertemu di Washington.",
            [("AS", "United States"), ("Washington", "Washington")],
        ),
        ("Ia memperbaiki as roda truk.", []),
        ("Harga emas naik menjadi US$5 per gram.", []),
        # never inside another word
        ("Jawaban itu jelas dan Parisnya indah.", []),
        ("Mereka berasal dari Jawa.", [("Jawa", "Java")]),
        # common words that are also cities
        ("Warga Palu mengungsi setelah gempa.", [("Palu", "Palu")]),
        ("Palu itu dipukulkan ke paku.", []),
        ("Israel Serang Gaza Lagi Pekan Ini", [("Israel", "Israel"), ("Gaza", "Gaza Strip")]),
        (
            "Turki Bela Azerbaijan di Medan Perang",
            [("Turki", "Turkey"), ("Azerbaijan", "Azerbaijan")],
        ),
        ("Sate Padang mudah ditemui di Jakarta.", [("Jakarta", "Jakarta")]),
    ],
)
def test_recognition(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_spans_are_character_offsets() -> None:
    text = "Kata “Prancis” muncul di Jakarta Selatan."
    hits = builtin_glossary().find(text)
    assert [(h.start, h.end) for h in hits] == [(6, 13), (25, 40)]
    assert [text[h.start : h.end] for h in hits] == ["Prancis", "Jakarta Selatan"]


def test_user_entry_wins_over_builtin() -> None:
    user = TermEntry("user:1", "country", ("Inggris",), "England", origin="user")
    glossary = builtin_glossary().with_entries([user])
    assert [h.entry.target for h in glossary.find("Tim Inggris menang.")] == ["England"]
    assert [h.entry.target for h in builtin_glossary().find("Tim Inggris menang.")] == ["Britain"]


def test_lowercase_form_matches_any_case() -> None:
    glossary = Glossary([TermEntry("u", "term", ("kota tua",), "old town", origin="user")])
    assert [h.surface for h in glossary.find("Kota Tua dan kota tua")] == ["Kota Tua", "kota tua"]
