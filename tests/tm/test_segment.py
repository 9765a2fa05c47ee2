"""Indonesian sentence segmentation: real tricky cases, losslessness, paragraphs.

The sentences come from ../shared/data/news-valid.id and the seed article;
where the news data writes an abbreviation without its full stop (``Jl``,
``Rp``, ``Dr``) the cases add it, as many publishers write it.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tm.segment import (
    ABBREVIATIONS,
    ABBREVIATIONS_FILE,
    is_hard_wrapped,
    load_abbreviations,
    segment_text,
    split_sentences,
)

REPO = Path(__file__).resolve().parents[2]

CASES: list[tuple[str, list[str]]] = [
    # Titles, addresses and units never end a sentence.
    (
        "Koleksi itu ditemukan oleh ahli palaeontologi Dr. Howard Falcon-Lang. "
        "Sampel itu tidak tersentuh selama lebih dari 150 tahun.",
        [
            "Koleksi itu ditemukan oleh ahli palaeontologi Dr. Howard Falcon-Lang.",
            "Sampel itu tidak tersentuh selama lebih dari 150 tahun.",
        ],
    ),
    (
        "Kali ini menimpa SMPN 278 yang terletak di Jl. Kamal Benda Raya No. 12, "
        "Kec. Kalideres, Kab. Tangerang, Prov. Banten. Gedung itu ambruk.",
        [
            "Kali ini menimpa SMPN 278 yang terletak di Jl. Kamal Benda Raya No. 12, "
            "Kec. Kalideres, Kab. Tangerang, Prov. Banten.",
            "Gedung itu ambruk.",
        ],
    ),
    (
        "UMP DKI Jakarta tahun 2013 sebesar Rp. 2.216.243. Rp. 5 ribu untuk Kopaja.",
        ["UMP DKI Jakarta tahun 2013 sebesar Rp. 2.216.243.", "Rp. 5 ribu untuk Kopaja."],
    ),
    (
        "Surat itu ditujukan kepada Bpk. Unu Nurdin dan Sdr. Heru a.n. Dinas Kebersihan, "
        "lihat hlm. 4 s.d. 7.",
        [
            "Surat itu ditujukan kepada Bpk. Unu Nurdin dan Sdr. Heru a.n. Dinas Kebersihan, "
            "lihat hlm. 4 s.d. 7."
        ],
    ),
    (
        "Hadir Prof. Dr. Ir. H. Basuki, S.H., M.Si. dan Hj. Ani, Drs. Edi, serta dr. Sri. "
        "Mereka meninjau taman.",
        [
            "Hadir Prof. Dr. Ir. H. Basuki, S.H., M.Si. dan Hj. Ani, Drs. Edi, serta dr. Sri.",
            "Mereka meninjau taman.",
        ],
    ),
    # Learned from news text with Punkt, then reviewed: Moch. (Mochammad), Bd. (Bidan).
    (
        "Ketua umum terpilih, Moch. Iriawan, didampingi Bd. Sari. Mereka tiba pagi.",
        ["Ketua umum terpilih, Moch. Iriawan, didampingi Bd. Sari.", "Mereka tiba pagi."],
    ),
    # A unit after a number is no abbreviation that goes on: dk. (daya kuda,
    # horsepower) ends the sentence.
    (
        "Mesin itu memiliki tenaga hingga 300 dk. Hadir dalam varian sedan.",
        ["Mesin itu memiliki tenaga hingga 300 dk.", "Hadir dalam varian sedan."],
    ),
    # Initials.
    (
        "Presiden B.J. Habibie berbicara di Jl. M.H. Thamrin. Pidatonya singkat.",
        ["Presiden B.J. Habibie berbicara di Jl. M.H. Thamrin.", "Pidatonya singkat."],
    ),
    # Phrase-final abbreviations: a boundary only before a capitalised word.
    (
        "Rusun dilengkapi fasos, fasum, dll. Warga menengah ke bawah bisa tinggal di sana.",
        [
            "Rusun dilengkapi fasos, fasum, dll.",
            "Warga menengah ke bawah bisa tinggal di sana.",
        ],
    ),
    (
        "Rusun dilengkapi fasos, fasum, dll. yang diperuntukan bagi warga.",
        ["Rusun dilengkapi fasos, fasum, dll. yang diperuntukan bagi warga."],
    ),
    (
        "Saham PT Bank Mandiri Tbk. naik. Saham PT Bank Mandiri Tbk. Direksi senang.",
        ["Saham PT Bank Mandiri Tbk. naik.", "Saham PT Bank Mandiri Tbk.", "Direksi senang."],
    ),
    (
        "Penelitian oleh Smith dkk. menunjukkan hal itu. Ia dan kawan-kawan, dsb. Benar.",
        ["Penelitian oleh Smith dkk. menunjukkan hal itu.", "Ia dan kawan-kawan, dsb.", "Benar."],
    ),
    (
        "Ketua RT. Begitu juga dengan forum RW. Alamatnya RT. 05/RW. 03.",
        ["Ketua RT.", "Begitu juga dengan forum RW.", "Alamatnya RT. 05/RW. 03."],
    ),
    (
        "Sidang digelar 5 Jan. 2013 di St. Petersburg, Rusia vs. Inggris. Hasilnya 5 Jan. "
        "Turki menang.",
        [
            "Sidang digelar 5 Jan. 2013 di St. Petersburg, Rusia vs. Inggris.",
            "Hasilnya 5 Jan.",
            "Turki menang.",
        ],
    ),
    # Numbers: decimals, thousands, times, dates.
    (
        "Australia mencakup 1,7 juta km2 dan 13.924 PKL. Angka naik 2,3 juta.",
        ["Australia mencakup 1,7 juta km2 dan 13.924 PKL.", "Angka naik 2,3 juta."],
    ),
    (
        "Sate Padang Talago Biru buka dari pukul 16.00-habis. Biasanya jam 21.00 tinggal "
        "porsi terakhir.",
        [
            "Sate Padang Talago Biru buka dari pukul 16.00-habis.",
            "Biasanya jam 21.00 tinggal porsi terakhir.",
        ],
    ),
    (
        "Sidang dimulai pukul 10.30 WIB. Hakim membacakan putusan, Selasa (4/12). "
        "3.282 personel disiagakan.",
        [
            "Sidang dimulai pukul 10.30 WIB.",
            "Hakim membacakan putusan, Selasa (4/12).",
            "3.282 personel disiagakan.",
        ],
    ),
    # Quotes and brackets that close after the full stop.
    (
        '“Dan itu tidak akan kami terima,” katanya. "Kami pasti bantu." Dia pergi.',
        ["“Dan itu tidak akan kami terima,” katanya.", '"Kami pasti bantu."', "Dia pergi."],
    ),
    (
        "Sarah Murdoch berusaha menjelaskan kekeliruan itu. "
        '"Yang memimpin terus menerus berganti. Maju mundur," jelasnya.',
        [
            "Sarah Murdoch berusaha menjelaskan kekeliruan itu.",
            '"Yang memimpin terus menerus berganti.',
            'Maju mundur," jelasnya.',
        ],
    ),
    (
        '"Kami pasti bantu." kata Cavusoglu.',
        ['"Kami pasti bantu." kata Cavusoglu.'],
    ),
    (
        "Jika anda tidak bisa melihat maka anda tidak bisa menyerang.'' Sistem itu baru.",
        ["Jika anda tidak bisa melihat maka anda tidak bisa menyerang.''", "Sistem itu baru."],
    ),
    (
        "Pembatasan itu dicabut. (Pemimpin Burma ini akan berada di Amerika Serikat.) Ia disambut.",
        [
            "Pembatasan itu dicabut.",
            "(Pemimpin Burma ini akan berada di Amerika Serikat.)",
            "Ia disambut.",
        ],
    ),
    # Questions, exclamations, ellipses.
    (
        'Dia menggunakan slogan "Apa yang dilakukan wakil anda? Sungguh saya tidak tahu."',
        [
            'Dia menggunakan slogan "Apa yang dilakukan wakil anda?',
            'Sungguh saya tidak tahu."',
        ],
    ),
    (
        'Siapa yang tidak mengenal singkong? "Hebat!" seru mereka. Luar biasa!',
        ["Siapa yang tidak mengenal singkong?", '"Hebat!" seru mereka.', "Luar biasa!"],
    ),
    (
        "Ya memang... tidak terlalu signifikan. Kami menunggu… Besok diumumkan.",
        ["Ya memang... tidak terlalu signifikan.", "Kami menunggu…", "Besok diumumkan."],
    ),
    (
        '"Mengapa kalian diam?" tanya Lavrov. Apa? ya, benar.',
        ['"Mengapa kalian diam?" tanya Lavrov.', "Apa? ya, benar."],
    ),
    # A stop after a space, and list markers.
    (
        "Rambut pendek dan keriting (coklat) . Kaki tertutup bulu coklat.",
        ["Rambut pendek dan keriting (coklat) .", "Kaki tertutup bulu coklat."],
    ),
    (
        "1. Warga menolak.\n2. Pemkot menunda.\nb. Dinas setuju.\nIV. Penutup",
        ["1. Warga menolak.", "2. Pemkot menunda.", "b. Dinas setuju.", "IV. Penutup"],
    ),
    # Headlines and one-sentence lines.
    (
        "Peran Moskow\nSementara itu, Menteri Luar Negeri Rusia Sergei Lavrov bersedia "
        "menjadi tuan rumah.\n“Dan itu tidak akan kami terima,” katanya.\n",
        [
            "Peran Moskow",
            "Sementara itu, Menteri Luar Negeri Rusia Sergei Lavrov bersedia menjadi tuan rumah.",
            "“Dan itu tidak akan kami terima,” katanya.",
        ],
    ),
    (
        "3.282 Personil Disiagakan Antisipasi Banjir\r\n62 Sopir Angkot Terjaring Razia\r\n",
        ["3.282 Personil Disiagakan Antisipasi Banjir", "62 Sopir Angkot Terjaring Razia"],
    ),
    # A line ending with a full stop ends the sentence even before lower case.
    (
        "Anggaran dilaksanakan sebelum 2013 dimulai.\nkembali menggenangi pemukiman warga.",
        [
            "Anggaran dilaksanakan sebelum 2013 dimulai.",
            "kembali menggenangi pemukiman warga.",
        ],
    ),
    # Hard-wrapped text: a single line break is a space, a blank line ends a
    # paragraph (and a headline).
    (
        "Situasi di Nagorno-Karabakh mulai membara pada\n27 September, dengan bentrokan "
        "bersenjata\nyang memasuki hari keempat. Presiden\nAzerbaijan, Ilham Aliyev, "
        "kemudian\nberterima kasih kepada\nTurki atas dukungannya tetapi\nmengatakan "
        "negaranya tidak\nmembutuhkan bantuan militer.\n\nPeran Moskow\n\nSementara itu, "
        "Lavrov bersedia.\n",
        [
            "Situasi di Nagorno-Karabakh mulai membara pada\n27 September, dengan bentrokan "
            "bersenjata\nyang memasuki hari keempat.",
            "Presiden\nAzerbaijan, Ilham Aliyev, kemudian\nberterima kasih kepada\nTurki atas "
            "dukungannya tetapi\nmengatakan negaranya tidak\nmembutuhkan bantuan militer.",
            "Peran Moskow",
            "Sementara itu, Lavrov bersedia.",
        ],
    ),
    # A title at the end of a line never ends the sentence, in any text.
    (
        "Rumah di Jl.\nSudirman rusak.\nSemua warga mengungsi.",
        ["Rumah di Jl.\nSudirman rusak.", "Semua warga mengungsi."],
    ),
    # A date at the start of a segment is no list marker.
    (
        "Banjir surut. (4/12). Warga kembali.",
        ["Banjir surut.", "(4/12).", "Warga kembali."],
    ),
    # A line-based text with one broken line keeps its headline apart.
    (
        "Peran Moskow\nLavrov bersedia menjadi tuan rumah bagi para\nmenteri luar negeri.",
        [
            "Peran Moskow",
            "Lavrov bersedia menjadi tuan rumah bagi para\nmenteri luar negeri.",
        ],
    ),
    # Domains and decimals inside words are no boundary.
    (
        "Pantauan beritajakarta.com, keberadaan PKL membuat jalan sempit. Kompas.com. Lalu.",
        [
            "Pantauan beritajakarta.com, keberadaan PKL membuat jalan sempit.",
            "Kompas.com.",
            "Lalu.",
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_tricky_indonesian_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
    assert segment_text(text).join() == text


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("Satu. Dua.\nTiga.", [0, 0, 1]),
        ("Satu.\n\nDua. Tiga.\r\n\r\n\r\nEmpat.", [0, 1, 1, 2]),
        ("Judul\nSatu. Dua.\n", [0, 1, 1]),
        ("Baris yang\ndibungkus. Lalu.\n\nBaru.", [0, 0, 1]),
        # Hard-wrapped: single line breaks are spaces, blank lines end paragraphs.
        (
            "Ini baris yang\ndibungkus. Lalu\nkalimat lain.\nDia\npergi. Judul\nDi sini.\n\nBaru.",
            [0, 0, 0, 0, 1],
        ),
        ("\n\n  Awal.\tLagi.", [0, 0]),
    ],
)
def test_paragraph_counter(text: str, paragraphs: list[int]) -> None:
    assert [span.paragraph for span in segment_text(text).spans] == paragraphs


def test_whitespace_goes_to_prefix_and_trailing() -> None:
    result = segment_text(" \t\r\nSatu.  Dua.\t\r\n\r\n")
    assert result.prefix == " \t\r\n"
    assert [(s.source, s.trailing) for s in result.spans] == [
        ("Satu.", "  "),
        ("Dua.", "\t\r\n\r\n"),
    ]


@pytest.mark.parametrize("text", ["", " ", "\r\n\r\n", "\t \n"])
def test_blank_text_has_no_segments(text: str) -> None:
    result = segment_text(text)
    assert result.spans == ()
    assert result.prefix == text


def test_seed_article_lines_are_segments(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    result = segment_text(text)
    assert result.join() == text
    lines = text.splitlines()
    # Every line is at least one segment; two lines hold two sentences each.
    assert len(result.spans) == len(lines) + 2
    assert result.spans[0].source == lines[0]
    assert result.spans[-1].paragraph == len(lines) - 1


_ALPHABET = st.sampled_from(
    [
        *"aAbBzZ019 .?!…,;:\"'“”‘’()[]«»-/\t\r\n\u00a0\u2028\u3000é漢",
        "Jl.",
        "dll.",
        "B.J.",
        "Rp.",
        "...",
        " Dia",
        "\r\n",
        "\n\n",
        "S.H.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_segmentation_is_lossless(text: str) -> None:
    result = segment_text(text)
    assert result.join() == text
    assert not result.prefix.strip()
    for span in result.spans:
        assert span.source
        assert span.source == span.source.strip()
        assert not span.trailing.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_segmentation_is_lossless_on_any_unicode(text: str) -> None:
    result = segment_text(text)
    assert result.join() == text
    assert all(s.source and s.source == s.source.strip() for s in result.spans)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_paragraph_grows_by_at_most_one_and_always_at_a_blank_line(text: str) -> None:
    # Rules that hold whether or not the text is hard-wrapped: the counter
    # starts at 0, grows by 0 or 1 between segments, only where the
    # whitespace between them holds a line break, and always at a blank line.
    spans = segment_text(text).spans
    if spans:
        assert spans[0].paragraph == 0
    for before, after in itertools.pairwise(spans):
        breaks = len(re.findall(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", before.trailing))
        step = after.paragraph - before.paragraph
        assert step in (0, 1)
        if breaks == 0:
            assert step == 0
        if breaks >= 2:
            assert step == 1


# The hard-wrap rule: a text is hard-wrapped when at least three lines without
# final punctuation go on in lower case on the next line (soft wraps) and
# they are at least half of all such lines. Hard-wrapped, a single line break
# is a space; otherwise a line without final punctuation before a capital is
# a headline. Expected values written by hand, counted in the comments.
HARD_WRAP_CASES: list[tuple[str, bool, list[str], list[int]]] = [
    # 3 soft wraps (sejak/subuh, sungai/meluap, merendam/rumah), 1 line
    # before a capital (desa/Sutarno): 3 >= 3 and 3 of 4 → hard-wrapped.
    (
        "Hujan deras sejak\nsubuh membuat sungai\nmeluap dan merendam\nrumah. Kepala desa\n"
        "Sutarno meminta warga mengungsi.",
        True,
        [
            "Hujan deras sejak\nsubuh membuat sungai\nmeluap dan merendam\nrumah.",
            "Kepala desa\nSutarno meminta warga mengungsi.",
        ],
        [0, 0],
    ),
    # 2 soft wraps, 1 before a capital: fewer than 3 → line-based, the
    # line before the capital is a segment of its own.
    (
        "Hujan deras sejak\nsubuh membuat sungai\nmeluap. Kepala desa\n"
        "Sutarno meminta warga mengungsi.",
        False,
        [
            "Hujan deras sejak\nsubuh membuat sungai\nmeluap.",
            "Kepala desa",
            "Sutarno meminta warga mengungsi.",
        ],
        [0, 0, 1],
    ),
    # 3 soft wraps, 3 before a capital: exactly half → hard-wrapped.
    (
        "Hujan deras sejak\nsubuh membuat sungai\nmeluap dan merendam\nrumah. Kepala desa\n"
        "Sutarno meminta warga\nDusun Krajan dan\nDusun Sawahan mengungsi.",
        True,
        [
            "Hujan deras sejak\nsubuh membuat sungai\nmeluap dan merendam\nrumah.",
            "Kepala desa\nSutarno meminta warga\nDusun Krajan dan\nDusun Sawahan mengungsi.",
        ],
        [0, 0],
    ),
    # 3 soft wraps, 4 before a capital: less than half → line-based.
    (
        "Hujan deras sejak\nsubuh membuat sungai\nmeluap dan merendam\nrumah. Kepala desa\n"
        "Sutarno meminta warga\nDusun Krajan dan\nDusun Sawahan serta\nDusun Ngasem mengungsi.",
        False,
        [
            "Hujan deras sejak\nsubuh membuat sungai\nmeluap dan merendam\nrumah.",
            "Kepala desa",
            "Sutarno meminta warga",
            "Dusun Krajan dan",
            "Dusun Sawahan serta",
            "Dusun Ngasem mengungsi.",
        ],
        [0, 0, 1, 2, 3, 4],
    ),
    # Lines ending in a full stop are no open ends: 4 soft wraps among them
    # still make the text hard-wrapped, and a line-final stop before a
    # lower-case line is then no boundary.
    (
        "Ia tiba pukul\ndelapan. Rapat dimulai\nsetelah sambutan dari\nbupati dan\n"
        "ditutup pukul 12.00 WIB.\nwarga pulang.",
        True,
        [
            "Ia tiba pukul\ndelapan.",
            "Rapat dimulai\nsetelah sambutan dari\nbupati dan\nditutup pukul 12.00 WIB.\n"
            "warga pulang.",
        ],
        [0, 0],
    ),
]


@pytest.mark.parametrize(("text", "wrapped", "sentences", "paragraphs"), HARD_WRAP_CASES)
def test_hard_wrap_rule(
    text: str, wrapped: bool, sentences: list[str], paragraphs: list[int]
) -> None:
    assert is_hard_wrapped(text) is wrapped
    result = segment_text(text)
    assert [span.source for span in result.spans] == sentences
    assert [span.paragraph for span in result.spans] == paragraphs
    assert result.join() == text


def test_abbreviation_file_keeps_provenance() -> None:
    # Every row says where it comes from, and the learned ones are exactly
    # those the hand review of the Punkt candidates accepted.
    assert {a.source for a in ABBREVIATIONS} <= {"curated", "learned", "curated+learned"}
    assert {a.kind for a in ABBREVIATIONS} == {"never-final", "phrase-final", "before-number"}
    spec = importlib.util.spec_from_file_location(
        "train_abbreviations", REPO / "bench" / "train_abbreviations.py"
    )
    assert spec is not None and spec.loader is not None
    trainer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trainer)
    accepted = {word for word, (verdict, _) in trainer.REVIEW.items() if verdict == "accept"}
    learned = {a.text.lower() for a in ABBREVIATIONS if "learned" in a.source}
    assert learned == accepted
    assert {a.text for a in ABBREVIATIONS if a.source == "learned"} == {"moch", "bd"}
    assert {"jl", "no", "dkk", "tj"} <= {
        a.text for a in ABBREVIATIONS if a.source == "curated+learned"
    }
    texts = [a.text.lower() for a in ABBREVIATIONS]
    assert len(texts) == len(set(texts))
    assert ABBREVIATIONS_FILE.parent.name == "data"


def test_a_malformed_abbreviation_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "abbreviations.tsv"
    path.write_text(
        "# comment\nabbreviation\tkind\tcase\tsource\tnote\n"
        "gbr\tnever-final\tany\tcurated\tgambar\n"
        "tbl\tsometimes\tany\tcurated\ttabel\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"abbreviations.tsv:4: .*tbl"):
        load_abbreviations(path)
    path.write_text("gbr\tnever-final\texact\tcurated\tgambar\n", encoding="utf-8")
    [row] = load_abbreviations(path)
    assert (row.text, row.kind, row.exact, row.source) == ("gbr", "never-final", True, "curated")
