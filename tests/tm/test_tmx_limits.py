"""Memory bombs and parser limits (issue 12, items 12 and 14).

What would pile up in memory is refused as soon as it shows. Each hostile
file below ends in broken XML: a reader that only complained at the end of
the file would report that instead, so the message proves the refusal came
early. Parser limits and odd characters get a message that says what is
wrong and where.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tm import tmx_read
from tm.errors import TmxError
from tm.store import Store
from tm.tmx import import_tmx, read_tmx

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en" srclang="id" datatype="plaintext"/>\n<body>\n'
)
UNIT = '<tu><tuv xml:lang="id"><seg>Satu</seg></tuv><tuv xml:lang="en"><seg>One</seg></tuv></tu>\n'
# A file cut short: what a reader that waits for the end would report.
CUT = "<tu><tuv"


def refused(store: Store, path: Path) -> str:
    with pytest.raises(TmxError) as caught:
        import_tmx(store, path)
    assert store.unit_count() == 0
    message = str(caught.value)
    assert "truncated" not in message
    assert "XML_PARSE" not in message and "xmlCtxt" not in message
    return message


def test_unknown_elements_in_body_are_refused_at_the_first(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "x.tmx"
    path.write_text(HEAD + UNIT + "<x/>\n" * 600_000 + CUT, encoding="utf-8")
    message = refused(store, path)
    assert "an unknown element <x> in <body> at line 6" in message


def test_a_tu_with_too_many_variants_is_refused_while_it_grows(
    tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "tuvs.tmx"
    tuvs = '<tuv xml:lang="de"><seg>a</seg></tuv>\n' * 20_000
    path.write_text(HEAD + UNIT + "<tu>\n" + tuvs + CUT, encoding="utf-8")
    message = refused(store, path)
    assert "a <tu> with more than 10,000 elements inside" in message
    assert "line 6" in message


def test_a_header_with_too_many_children_is_refused(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "header.tmx"
    head = HEAD.replace('datatype="plaintext"/>', 'datatype="plaintext">' + "<note/>" * 150_000)
    path.write_text(head + CUT, encoding="utf-8")
    assert "a <header> with more than 100,000 elements" in refused(store, path)


def test_a_seg_with_too_many_codes_is_refused(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "codes.tmx"
    seg = '<tu><tuv xml:lang="id"><seg>' + "<ph/>" * 150_000
    path.write_text(HEAD + seg + CUT, encoding="utf-8")
    assert "a <seg> with more than 100,000 elements" in refused(store, path)


def test_one_huge_unit_is_refused_however_well_it_compresses(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tmx_read, "MAX_UNIT_BYTES", 1 << 20)
    path = tmp_path / "bomb.tmx.gz"
    huge = '<tu><tuv xml:lang="id"><seg>' + "a" * (3 << 20)
    path.write_bytes(gzip.compress((HEAD + UNIT + huge + CUT).encode()))
    message = refused(store, path)
    assert "a single <tu> starting at line 6 is larger than 1 MB" in message


def test_a_file_that_is_not_tmx_is_refused_in_its_first_mib(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "big.xliff.tmx"
    path.write_text(
        '<?xml version="1.0"?><xliff version="1.2"><file>'
        + "<trans-unit><source>a</source></trans-unit>\n" * 100_000
        + CUT,
        encoding="utf-8",
    )
    assert "holds no <tmx> element" in refused(store, path)


def test_nesting_beyond_the_parser_limit_is_not_called_truncated(
    tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "deep.tmx"
    deep = '<tu><tuv xml:lang="id"><seg>' + "<hi>" * 3000 + "x" + "</hi>" * 3000
    path.write_text(
        HEAD + deep + '</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu>\n</body></tmx>\n',
        encoding="utf-8",
    )
    message = refused(store, path)
    assert "at line 5" in message
    assert "goes beyond what the XML parser accepts" in message
    assert "nested more than 2,048 deep" in message


def test_an_xml_1_1_character_reference_is_named(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "xml11.tmx"
    text = HEAD + UNIT + UNIT.replace("Satu", "Sa&#1;tu") + "</body></tmx>\n"
    path.write_text(text.replace('version="1.0"', 'version="1.1"'), encoding="utf-8")
    message = refused(store, path)
    assert "at line 6" in message
    assert "&#1;" in message and "XML 1.0 forbids" in message


def test_an_undeclared_html_entity_deep_in_the_file_is_named_with_its_line(
    tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "nbsp.tmx"
    units = UNIT * 25_000 + UNIT.replace("Satu", "Satu&nbsp;dua")
    path.write_text(HEAD + units + "</body></tmx>\n", encoding="utf-8")
    message = refused(store, path)
    assert "at line 25005" in message
    assert "&nbsp;" in message and "&#160;" in message
    assert "empty or not XML" not in message


def test_a_truncated_file_is_still_called_truncated(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "cut.tmx"
    path.write_text(HEAD + UNIT * 3 + CUT, encoding="utf-8")
    with pytest.raises(TmxError, match="probably truncated"):
        import_tmx(store, path)


def test_many_units_in_small_chunks_read_in_full(tmp_path: Path) -> None:
    """The per-chunk checks never trip on an ordinary big file."""
    path = tmp_path / "many.tmx"
    units = "".join(UNIT.replace("Satu", f"Satu {i}") for i in range(30_000))
    path.write_text(HEAD + units + "</body></tmx>\n", encoding="utf-8")
    read = read_tmx(path)
    assert len(read) == 30_000 and read[-1].source == "Satu 29999"


@pytest.mark.parametrize(
    "text",
    [
        # U+009B is CSI, a terminal control that XML 1.0 allows in text.
        '<?xml version="1.0"?>\n<!--\u009b2J <?xml encoding="UTF-8"?>\n<!-',
        # The first input found by fuzzing.
        '<?xml version="1.0"?>\n<!--<?xml encoding="UTF-8"?>\n<!-- x -->\n<tmx/>',
    ],
)
def test_file_text_quoted_by_the_parser_stays_one_safe_line(
    tmp_path: Path, store: Store, text: str
) -> None:
    """libxml2 quotes the file in some messages, newlines and controls included."""
    path = tmp_path / "comment.tmx"
    path.write_bytes(text.encode())
    with pytest.raises(TmxError) as caught:
        import_tmx(store, path)
    message = str(caught.value)
    assert "\n" not in message and "\u009b" not in message
    # The quoted "UTF-8" is no reason to blame the encoding.
    assert "encoding it declares" not in message
    if "\u009b" in text:
        assert "\\x9b2J" in message
