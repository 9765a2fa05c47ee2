"""Segmentation rules that mutation testing (TESTING.md) found unchecked.

Each test states a rule a translator would notice when it broke: a list marker
split from its item, a question split wrongly, a sentence glued to the next.
"""

from __future__ import annotations

from tm.segment import (
    ABBREVIATIONS,
    NEVER_FINAL,
    NEVER_FINAL_EXACT,
    PHRASE_FINAL,
    _table,
    is_hard_wrapped,
    iter_boundaries,
    load_abbreviations,
    segment_text,
    split_sentences,
)


def test_abbreviation_rows_keep_every_field() -> None:
    rows = {row.text: row for row in load_abbreviations()}
    # A note with spaces stays one field: the file is tab-separated.
    kol = rows["Kol"]
    assert (kol.kind, kol.exact, kol.source) == ("never-final", True, "curated")
    assert kol.note.startswith("rank; also a word in lower case")
    assert rows["dll"].kind == "phrase-final"
    assert rows["dll"].exact is False
    assert rows == {row.text: row for row in ABBREVIATIONS}


def test_tables_hold_their_kind_and_case_only() -> None:
    assert _table("never-final", exact=False) == NEVER_FINAL
    assert _table("never-final", exact=True) == NEVER_FINAL_EXACT
    assert _table("phrase-final", exact=False) == PHRASE_FINAL
    # Compared in lower case, exact ones keep their spelling, kinds stay apart.
    assert "bpk" in NEVER_FINAL and "Bpk" not in NEVER_FINAL
    assert "Kol" in NEVER_FINAL_EXACT and "kol" not in NEVER_FINAL
    assert "dll" in PHRASE_FINAL and "dll" not in NEVER_FINAL
    assert "kol" not in PHRASE_FINAL and "Kol" not in PHRASE_FINAL


def test_list_marker_with_bracket_stays_with_its_item() -> None:
    assert split_sentences("1). Latar belakang masalah ini.") == ["1). Latar belakang masalah ini."]
    assert split_sentences("a). Tujuan penelitian.") == ["a). Tujuan penelitian."]


def test_dotted_phrase_final_abbreviation_ends_a_sentence_before_a_capital() -> None:
    assert split_sentences("Buah, sayur, d.l.l. Kemudian kami pulang.") == [
        "Buah, sayur, d.l.l.",
        "Kemudian kami pulang.",
    ]


def test_abbreviation_after_the_last_slash_counts() -> None:
    # "Desa/Kel./Kec. Sukamaju": the word before the stop is Kec., a title.
    assert split_sentences("Alamat RT 3/Desa/Kec. Sukamaju ada di sana.") == [
        "Alamat RT 3/Desa/Kec. Sukamaju ada di sana."
    ]


def test_question_mark_after_an_initial_ends_the_sentence() -> None:
    # Abbreviation rules apply to full stops only, not to ? and !.
    assert split_sentences("Siapa pelakunya, A atau B? Polisi belum tahu.") == [
        "Siapa pelakunya, A atau B?",
        "Polisi belum tahu.",
    ]
    assert split_sentences("Benarkah dia Kol! Semua terkejut.") == [
        "Benarkah dia Kol!",
        "Semua terkejut.",
    ]


def test_sentence_starting_with_x_is_a_sentence() -> None:
    assert split_sentences("Dia pergi. Xanana datang.") == ["Dia pergi.", "Xanana datang."]


def test_lines_ending_a_sentence_do_not_count_against_hard_wrap() -> None:
    # Three soft wraps (lower-case next line) and four lines ending in a full
    # stop: the full stops are not open line ends, so the text is wrapped.
    lines = [
        "Pagi itu hujan turun di kota dan",
        "orang-orang berlari ke rumah.",
        "Jalan basah.",
        "Toko tutup dan",
        "pasar sepi.",
        "Anak-anak pulang.",
        "Guru menunggu di",
        "sekolah.",
        "Semua diam.",
    ]
    assert is_hard_wrapped("\n".join(lines))


def test_leading_line_break_is_not_an_open_line_end() -> None:
    # Three soft wraps of six open line ends: exactly half, so wrapped; a
    # line break at the very start of the text is no seventh open end.
    lines = [
        "Judul pertama",
        "Kalimat satu.",
        "Judul kedua",
        "Kalimat dua.",
        "Judul ketiga",
        "Kalimat tiga.",
        "Hujan turun di",
        "kota itu.",
        "Orang berlari ke",
        "rumah.",
        "Toko tutup dan",
        "pasar sepi",
    ]
    text = "\n".join(lines)
    assert is_hard_wrapped(text)
    assert is_hard_wrapped("\n" + text)


def test_boundaries_decide_hard_wrap_themselves_by_default() -> None:
    # "di\nBandung": a wrapped line before a name, soft only in a wrapped text.
    text = (
        "Hujan turun di\nkota itu dan\norang berlari ke\nrumah di\nBandung.\n"
        "Toko tutup.\n\nPasar sepi."
    )
    assert is_hard_wrapped(text)
    expected = list(iter_boundaries(text, wrapped=True))
    assert list(iter_boundaries(text)) == expected
    assert expected != list(iter_boundaries(text, wrapped=False))
    spans = segment_text(text).spans
    assert [s.source for s in spans] == [
        "Hujan turun di\nkota itu dan\norang berlari ke\nrumah di\nBandung.",
        "Toko tutup.",
        "Pasar sepi.",
    ]
    assert [s.paragraph for s in spans] == [0, 0, 1]
