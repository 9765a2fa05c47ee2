"""The aligner core: anchors across the two languages, beads, the band."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tm.align import Alignment, AlignSettings, align, anchors, split_english, split_lines

DATA = Path(__file__).parent / "data" / "align"


def _pairs(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.source, b.target) for b in alignment.beads]


def test_numbers_dates_and_months_normalise_across_the_languages() -> None:
    indonesian = anchors(
        "Rp 1.500,75 juta pada Senin (8/1) Januari, naik 3,5 persen", indonesian=True
    )
    english = anchors(
        "1,500.75 million rupiah on Monday (1/8) January, up 3.5 percent", indonesian=False
    )
    for key in ("num:1500.75", "date:1/8", "month:1", "day:1", "num:3.5", "word:percent"):
        assert key in indonesian, key
        assert key in english, key
    # A thousands separator is not a decimal point: 1.500 (id) is 1,500 (en), not 1.5.
    assert "num:1500" in anchors("1.500 orang", indonesian=True)
    assert "num:1.5" in anchors("1.5 people", indonesian=False)
    assert "num:1500" not in anchors("1.5 people", indonesian=False)


def test_drops_inserts_and_merges_are_found() -> None:
    sources = split_lines((DATA / "berita.id").read_text(encoding="utf-8"))
    targets = split_lines((DATA / "berita.en").read_text(encoding="utf-8"))
    result = align(sources, targets)
    assert _pairs(result) == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((), (2,)),  # the photo caption
        ((2,), (3,)),
        ((3,), ()),  # "Warga menyambut baik..." has no translation
        ((4,), (4,)),
        ((5, 6), (5,)),  # two Indonesian sentences, one English line
        ((7,), (6,)),
        ((8,), (7,)),
        ((9,), (8,)),
    ]
    assert all(0.0 <= b.confidence <= 1.0 for b in result.beads)
    assert result.counts()["2-1"] == 1


def test_the_band_finds_the_same_path_as_the_whole_grid() -> None:
    sources = split_lines((DATA / "berita.id").read_text(encoding="utf-8"))
    targets = split_lines((DATA / "berita.en").read_text(encoding="utf-8"))
    # A long document: the fixture twelve times, with forty English lines
    # with no Indonesian counterpart in the middle and forty untranslated
    # Indonesian lines at the end: the path runs far off the diagonal.
    untranslated = [f"Lampiran: daftar isi, halaman {k + 3000}." for k in range(40)]
    src = sources * 12 + untranslated
    appendix = [f"Appendix: the table of contents, page {k + 1000}." for k in range(40)]
    tgt = targets * 6 + appendix + targets * 6
    banded = align(src, tgt, settings=AlignSettings(band=8))
    whole = align(src, tgt, settings=AlignSettings(band=len(tgt) + 1))
    assert [(b.source, b.target) for b in banded.beads] == [
        (b.source, b.target) for b in whole.beads
    ]
    linked = {(b.source, b.target) for b in banded.beads}
    assert ((60,), (54 + 40,)) in linked  # the first sentence after the appendix


def test_every_sentence_is_in_exactly_one_bead() -> None:
    sources = [f"Kalimat nomor {k} tentang hal {k * 7}." for k in range(40)]
    targets = [f"Sentence number {k} about item {k * 7}." for k in range(0, 40, 2)]
    result = align(sources, targets)
    assert sorted(i for b in result.beads for i in b.source) == list(range(40))
    assert sorted(j for b in result.beads for j in b.target) == list(range(20))


def test_empty_side_gives_only_skips() -> None:
    result = align(["Satu."], [])
    assert _pairs(result) == [((0,), ())]


def test_english_titles_do_not_end_a_sentence() -> None:
    text = "The bill was signed by Gov. Andrew Cuomo on Monday. It takes effect in May."
    assert split_english(text) == [
        "The bill was signed by Gov. Andrew Cuomo on Monday.",
        "It takes effect in May.",
    ]


class _Dictionary:
    """A Translator that knows the translation of each source (a translation memory)."""

    model_id = "dictionary"

    def __init__(self, pairs: dict[str, str]):
        self.pairs = pairs
        self.calls = 0

    def translate(self, sources: Sequence[str]) -> list[str]:
        self.calls += 1
        return [self.pairs.get(s, "") for s in sources]


def test_machine_translation_of_the_source_decides_what_lengths_cannot() -> None:
    # No numbers or names to anchor on, and a dropped sentence whose
    # neighbours have the same length: lengths alone pair the wrong ones.
    pairs = {
        "Hujan turun sejak pagi tadi.": "It has rained since this morning.",
        "Anak-anak bermain di halaman.": "The children played in the yard.",
        "Ibu memasak nasi goreng.": "Mother cooked fried rice.",
        "Ayah membaca koran pagi.": "Father read the morning paper.",
        "Kucing tidur di atas kursi.": "The cat slept on the chair.",
        "Tetangga datang berkunjung.": "The neighbours came to visit.",
    }
    sources = list(pairs)
    # The third sentence is missing from the English.
    targets = [pairs[s] for k, s in enumerate(sources) if k != 2]
    engine = _Dictionary(pairs)
    result = align(sources, targets, translator=engine)
    assert engine.calls == 1
    assert [(b.source, b.target) for b in result.beads] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((2,), ()),
        ((3,), (2,)),
        ((4,), (3,)),
        ((5,), (4,)),
    ]
