"""Trap sentences for the segmenter's abbreviations (issue 15), written by hand.

Three kinds of abbreviation that a hand list misses and that end a sentence
too early when missed: military and police ranks before a name, abbreviated
geographic words inside place names, and bibliographic references. Each
category also holds controls: a sentence that really ends on a word that
looks like one of these (a rank written out in lower case, ``hal.`` before a
capital, a place word written out in full).

``bench/segmentation_eval.py`` reports these traps before and after the
learned and reviewed abbreviation list (bench/results/segmentation.md).
"""

from __future__ import annotations

import pytest

from tm.segment import segment_text, split_sentences

# (category, text, expected sentences)
TRAPS: list[tuple[str, str, list[str]]] = [
    # Military and police ranks before a name.
    (
        "rank",
        "Upacara dipimpin Letda. Arif Budiman di lapangan Kodim.",
        ["Upacara dipimpin Letda. Arif Budiman di lapangan Kodim."],
    ),
    (
        "rank",
        "Korban dievakuasi oleh Serda. Yohanes dan Pratu. Made Sudarsana. "
        "Keduanya anggota Yonif 741.",
        [
            "Korban dievakuasi oleh Serda. Yohanes dan Pratu. Made Sudarsana.",
            "Keduanya anggota Yonif 741.",
        ],
    ),
    (
        "rank",
        "Kapolsek Kompol. Hendra Gunawan membenarkan kejadian itu.",
        ["Kapolsek Kompol. Hendra Gunawan membenarkan kejadian itu."],
    ),
    (
        "rank",
        "Pemeriksaan dilakukan Iptu. Rina Marlina, S.H. di ruang penyidik.",
        ["Pemeriksaan dilakukan Iptu. Rina Marlina, S.H. di ruang penyidik."],
    ),
    (
        "rank",
        "Jenazah Bripda. Agus Salim dimakamkan di Sleman. Ratusan pelayat hadir.",
        ["Jenazah Bripda. Agus Salim dimakamkan di Sleman.", "Ratusan pelayat hadir."],
    ),
    (
        "rank",
        "Pangdam dijabat Mayjen. TNI Andika Perkasa sejak tahun lalu.",
        ["Pangdam dijabat Mayjen. TNI Andika Perkasa sejak tahun lalu."],
    ),
    (
        "rank",
        "Kasus itu ditangani AKBP. Yusri Yunus bersama Aiptu. Darmawan.",
        ["Kasus itu ditangani AKBP. Yusri Yunus bersama Aiptu. Darmawan."],
    ),
    (
        "rank",
        "Ia digantikan oleh Brigjen. Pol. Drs. Ahmad Dofiri. Serah terima berlangsung singkat.",
        [
            "Ia digantikan oleh Brigjen. Pol. Drs. Ahmad Dofiri.",
            "Serah terima berlangsung singkat.",
        ],
    ),
    (
        "rank",
        "Mantan Pangkostrad, Letjen. TNI (Purn.) Sutiyoso, ikut hadir.",
        ["Mantan Pangkostrad, Letjen. TNI (Purn.) Sutiyoso, ikut hadir."],
    ),
    (
        "rank",
        "Laksma. TNI Yudo Margono dan Marsma. TNI Fadjar Prasetyo meninjau lokasi.",
        ["Laksma. TNI Yudo Margono dan Marsma. TNI Fadjar Prasetyo meninjau lokasi."],
    ),
    (
        "rank",
        "Bharada. Richard Eliezer memberikan kesaksian. Sidang ditunda hingga pekan depan.",
        ["Bharada. Richard Eliezer memberikan kesaksian.", "Sidang ditunda hingga pekan depan."],
    ),
    (
        "rank",
        "Praka. Dedi dan Kopda. Suryanto terluka ringan dalam insiden itu.",
        ["Praka. Dedi dan Kopda. Suryanto terluka ringan dalam insiden itu."],
    ),
    (
        "rank",
        "Pasukan itu dikawal Sertu. Yosef, Serka. Made dan Peltu. Kadek ke perbatasan.",
        ["Pasukan itu dikawal Sertu. Yosef, Serka. Made dan Peltu. Kadek ke perbatasan."],
    ),
    # Controls: a rank written out in lower case ends the sentence.
    (
        "rank",
        "Ayahnya pensiun sebagai kolonel. Kini ia bertani di Garut.",
        ["Ayahnya pensiun sebagai kolonel.", "Kini ia bertani di Garut."],
    ),
    (
        "rank",
        "Ia baru naik pangkat menjadi mayor. Anak buahnya memberi selamat.",
        ["Ia baru naik pangkat menjadi mayor.", "Anak buahnya memberi selamat."],
    ),
    # Abbreviated geographic words inside place names.
    (
        "place",
        "Longsor terjadi di Kp. Cibuntu, Ds. Sukamaju, Kec. Cigudeg, Kab. Bogor. "
        "Tiga rumah tertimbun.",
        [
            "Longsor terjadi di Kp. Cibuntu, Ds. Sukamaju, Kec. Cigudeg, Kab. Bogor.",
            "Tiga rumah tertimbun.",
        ],
    ),
    (
        "place",
        "Pendaki tersesat di Gn. Salak sejak Sabtu. Tim SAR masih mencari.",
        ["Pendaki tersesat di Gn. Salak sejak Sabtu.", "Tim SAR masih mencari."],
    ),
    (
        "place",
        "Kapal bersandar di Pelabuhan Tj. Priok pagi ini.",
        ["Kapal bersandar di Pelabuhan Tj. Priok pagi ini."],
    ),
    (
        "place",
        "Wisatawan menyeberang ke Kep. Seribu dari Marina Ancol.",
        ["Wisatawan menyeberang ke Kep. Seribu dari Marina Ancol."],
    ),
    (
        "place",
        "Perahu terbalik di Sei. Musi dekat Jembatan Ampera. Dua penumpang hilang.",
        ["Perahu terbalik di Sei. Musi dekat Jembatan Ampera.", "Dua penumpang hilang."],
    ),
    (
        "place",
        "Kota Adm. Jakarta Utara menyiapkan pompa air tambahan.",
        ["Kota Adm. Jakarta Utara menyiapkan pompa air tambahan."],
    ),
    (
        "place",
        "Warga Dsn. Krajan, Ds. Sumberejo mengungsi ke balai desa.",
        ["Warga Dsn. Krajan, Ds. Sumberejo mengungsi ke balai desa."],
    ),
    (
        "place",
        "Kantor camat pindah ke Perum. Griya Asri nomor 4. Pelayanan dimulai Senin.",
        ["Kantor camat pindah ke Perum. Griya Asri nomor 4.", "Pelayanan dimulai Senin."],
    ),
    (
        "place",
        "Pemerintah Kodya. Surabaya menutup jalan itu.",
        ["Pemerintah Kodya. Surabaya menutup jalan itu."],
    ),
    (
        "place",
        "Nelayan dari Tlk. Bayur melaporkan gelombang tinggi.",
        ["Nelayan dari Tlk. Bayur melaporkan gelombang tinggi."],
    ),
    (
        "place",
        "Mereka tinggal di Jln. Gn. Sahari No. 12, Jakarta Pusat. Rumahnya kecil.",
        ["Mereka tinggal di Jln. Gn. Sahari No. 12, Jakarta Pusat.", "Rumahnya kecil."],
    ),
    (
        "place",
        "Letusan Gn. Merapi terdengar hingga Kab. Magelang. Abu vulkanik turun di Muntilan.",
        ["Letusan Gn. Merapi terdengar hingga Kab. Magelang.", "Abu vulkanik turun di Muntilan."],
    ),
    # Control: the place word written out in full ends the sentence.
    (
        "place",
        "Rumahnya ada di ujung kampung. Kp. Melayu tergenang sejak pagi.",
        ["Rumahnya ada di ujung kampung.", "Kp. Melayu tergenang sejak pagi."],
    ),
    # Bibliographic references.
    (
        "reference",
        "Data itu dikutip dari Laporan Tahunan, hlm. 12 dan gbr. 3, yang terbit tahun lalu.",
        ["Data itu dikutip dari Laporan Tahunan, hlm. 12 dan gbr. 3, yang terbit tahun lalu."],
    ),
    (
        "reference",
        "Lihat hlm. 12 dan gbr. 3. Keduanya memuat peta lama.",
        ["Lihat hlm. 12 dan gbr. 3.", "Keduanya memuat peta lama."],
    ),
    (
        "reference",
        "Rinciannya ada pada tbl. 4 dalam lampiran. Angka itu belum final.",
        ["Rinciannya ada pada tbl. 4 dalam lampiran.", "Angka itu belum final."],
    ),
    (
        "reference",
        "Ketentuan itu diatur dalam UU No. 23 Tahun 2014, Ps. 12 ay. 3. Pemda wajib mematuhinya.",
        [
            "Ketentuan itu diatur dalam UU No. 23 Tahun 2014, Ps. 12 ay. 3.",
            "Pemda wajib mematuhinya.",
        ],
    ),
    (
        "reference",
        "Penjelasan lengkap ada di hal. 45 buku itu.",
        ["Penjelasan lengkap ada di hal. 45 buku itu."],
    ),
    (
        "reference",
        "Kutipan itu diambil dari Sejarah Indonesia Modern, terj. Dharmono Hardjowidjono, "
        "cet. 2. Bukunya laris.",
        [
            "Kutipan itu diambil dari Sejarah Indonesia Modern, terj. Dharmono Hardjowidjono, "
            "cet. 2.",
            "Bukunya laris.",
        ],
    ),
    (
        "reference",
        "Rujukan: Ricklefs, M.C. (2008), jil. 2, hlm. 110-115.",
        ["Rujukan: Ricklefs, M.C. (2008), jil. 2, hlm. 110-115."],
    ),
    (
        "reference",
        "Angka itu tercantum dalam Statistik Indonesia th. 2012 terbitan BPS.",
        ["Angka itu tercantum dalam Statistik Indonesia th. 2012 terbitan BPS."],
    ),
    (
        "reference",
        "Hasilnya sejalan dengan temuan sebelumnya (lih. Gbr. 5). Perbedaannya kecil.",
        ["Hasilnya sejalan dengan temuan sebelumnya (lih. Gbr. 5).", "Perbedaannya kecil."],
    ),
    (
        "reference",
        "Tabelnya ada di hal. 7. Grafiknya ada di hal. 9.",
        ["Tabelnya ada di hal. 7.", "Grafiknya ada di hal. 9."],
    ),
    (
        "reference",
        "Lampiran II memuat gbr. 1 s.d. gbr. 6. Semua gambar berwarna.",
        ["Lampiran II memuat gbr. 1 s.d. gbr. 6.", "Semua gambar berwarna."],
    ),
    # Control: "hal" is also a word (a matter); before a capital it ends the sentence.
    (
        "reference",
        "Kami tidak membahas satu hal. Semua sudah jelas.",
        ["Kami tidak membahas satu hal.", "Semua sudah jelas."],
    ),
]


def test_there_are_forty_traps() -> None:
    assert len(TRAPS) == 40
    assert {category for category, _, _ in TRAPS} == {"rank", "place", "reference"}


@pytest.mark.parametrize(
    ("category", "text", "expected"), TRAPS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(TRAPS)]
)
def test_trap(category: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
    assert segment_text(text).join() == text
