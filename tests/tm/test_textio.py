"""Reading input files: the encodings we accept and every error a user can meet."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest

from tm.commands.common import error_message
from tm.errors import InputError
from tm.textio import decode_bytes, read_text

REPO = Path(__file__).resolve().parents[2]
TEXT = "Turki Janji Bela Azerbaijan\r\n“Dan itu tidak akan kami terima,” katanya.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), None),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), None),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), None),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), None),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.replace("“", '"').replace("”", '"').encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-named", "bom-named", "cp1252"],
)
def test_good_encodings_are_read_without_bom(
    tmp_path: Path, data: bytes, encoding: str | None
) -> None:
    path = tmp_path / "artikel.txt"
    path.write_bytes(data)
    text = read_text(path, encoding)
    expected = TEXT if encoding != "cp1252" else TEXT.replace("“", '"').replace("”", '"')
    assert text == expected
    assert read_text(str(path), encoding) == expected


def _error(tmp_path: Path, data: bytes | None, encoding: str | None = None) -> str:
    path = tmp_path / "artikel.txt"
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_text(path, encoding)
    # As the CLI words it: settings named as its flags (--encoding).
    message = error_message(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return message


@pytest.mark.parametrize(
    ("data", "offset", "byte"),
    [
        (b"Harga naik " + "2,3 juta".encode("cp1252") + b" caf\xe9.", 23, "e9"),
        (codecs.BOM_UTF8 + b"abc\xffdef", 6, "ff"),
        (b"\x80 at the very start", 0, "80"),
        ("Kata “ini”.".encode("cp1252"), 5, "93"),
    ],
)
def test_undecodable_bytes_name_file_offset_and_hint(
    tmp_path: Path, data: bytes, offset: int, byte: str
) -> None:
    message = _error(tmp_path, data)
    assert f"offset {offset}" in message
    assert f"0x{byte}" in message
    assert "--encoding" in message and "cp1252" in message


def test_truncated_utf16_is_an_encoding_error(tmp_path: Path) -> None:
    message = _error(tmp_path, codecs.BOM_UTF16_LE + "halo".encode("utf-16-le") + b"!")
    assert "offset 10" in message
    assert "--encoding" in message


def test_missing_file(tmp_path: Path) -> None:
    message = _error(tmp_path, None)
    assert "no such file" in message
    assert "artikel.txt" in message


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "is empty"),
        (b" \r\n\t\n", "only whitespace"),
        (codecs.BOM_UTF8 + b"\n\n", "only whitespace"),
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "only whitespace"),
    ],
)
def test_empty_files(tmp_path: Path, data: bytes, words: str) -> None:
    assert words in _error(tmp_path, data)


@pytest.mark.parametrize(
    ("data", "encoding", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "NUL bytes"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", None, "NUL bytes"),
        ("Halo dunia".encode("utf-16-le"), None, "--encoding utf-16-le"),
        (bytes(range(1, 32)) * 20 + b"abc", None, "control characters"),
        (b"\x00\x01\x02\x03\xff\xfe" * 50, "latin-1", "NUL bytes"),
    ],
)
def test_binary_files(tmp_path: Path, data: bytes, encoding: str | None, words: str) -> None:
    message = _error(tmp_path, data, encoding)
    assert "binary" in message
    assert words in message


def test_unknown_encoding_name(tmp_path: Path) -> None:
    message = _error(tmp_path, b"halo", "klingon")
    assert "'klingon'" in message and "cp1252" in message


def test_decode_bytes_names_what_it_was_given() -> None:
    with pytest.raises(InputError, match=r"^standard input is not valid UTF-8"):
        decode_bytes(b"caf\xe9", "standard input")
    assert decode_bytes("Halo.\n".encode("utf-16"), "x") == "Halo.\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + b"Halo dunia.\r\n", "Halo dunia.\r\n"),
        ("Halo dunia.".encode("utf-16"), "Halo dunia."),
    ],
)
def test_dash_reads_standard_input(data: bytes, expected: str) -> None:
    script = "import sys; from tm.textio import read_text; sys.stdout.write(ascii(read_text('-')))"
    result = subprocess.run(
        [sys.executable, "-c", script], input=data, capture_output=True, check=True, cwd=REPO
    )
    assert result.stdout.decode() == ascii(expected)


def test_empty_standard_input_is_an_error() -> None:
    script = (
        "from tm.errors import InputError\nfrom tm.textio import read_text\n"
        "try:\n    read_text('-')\nexcept InputError as e:\n    print(e)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], input=b"", capture_output=True, check=True, cwd=REPO
    )
    assert result.stdout.decode().strip() == "standard input is empty: there is no text to segment."


# Codecs Python knows that do not turn a document's bytes into its text:
# bytes-to-bytes transforms, the codec that refuses everything, and the ones
# for domain names. Each must be refused like an unknown name, never crash.
NOT_TEXT_ENCODINGS = ["hex", "base64", "rot13", "zlib", "uu", "bz2", "quopri"]
NOT_DOCUMENT_ENCODINGS = ["punycode", "undefined", "idna"]


@pytest.mark.parametrize("encoding", NOT_TEXT_ENCODINGS + NOT_DOCUMENT_ENCODINGS)
def test_codecs_that_are_not_text_encodings_are_refused_like_unknown_names(
    tmp_path: Path, encoding: str
) -> None:
    message = _error(tmp_path, b"Halo dunia.\n", encoding)
    assert f"{encoding!r} is not" in message and "cp1252" in message


@pytest.mark.parametrize("encoding", NOT_TEXT_ENCODINGS + NOT_DOCUMENT_ENCODINGS)
def test_cli_refuses_them_with_one_paragraph_and_exit_2(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "artikel.txt"
    source.write_bytes(b"Halo dunia. Apa kabar?\n")
    result = subprocess.run(
        [sys.executable, "-m", "tm.cli", "segment", str(source), "--encoding", encoding],
        capture_output=True,
        cwd=tmp_path,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("Error: ") and stderr.count("\n") == 1
    assert f"{encoding!r}" in stderr
