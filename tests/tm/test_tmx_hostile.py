"""Hostile and broken TMX files: each is a clear TmxError, nothing is fetched,
nothing is expanded, and the memory is left exactly as it was."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tm.errors import TmxError
from tm.models import TranslationUnit
from tm.store import Store
from tm.tmx import import_tmx, read_tmx

HEADER = (
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en" srclang="id" datatype="plaintext"/>'
)
UNIT = '<tu><tuv xml:lang="id"><seg>{src}</seg></tuv><tuv xml:lang="en"><seg>Text</seg></tuv></tu>'


def tmx(body: str, doctype: str = "", header: str = HEADER) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<tmx version="1.4">\n{header}\n'
        f"<body>\n{body}\n</body>\n</tmx>\n"
    )


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "FROM-THE-NETWORK">')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def assert_refused(store: Store, path: Path, *needles: str) -> str:
    before = list(store.iter_units())
    with pytest.raises(TmxError) as caught:
        import_tmx(store, path)
    message = str(caught.value)
    for needle in needles:
        assert needle in message
    assert "\n" not in message
    assert list(store.iter_units()) == before
    return message


@pytest.fixture
def seeded(store: Store) -> Store:
    store.add_units([TranslationUnit(source="Rumah", target="House")])
    return store


def test_external_entity_to_a_local_file_is_never_read(tmp_path: Path, seeded: Store) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.tmx"
    doctype = f'<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    path.write_text(tmx(UNIT.format(src="Bocor &xxe;"), doctype))
    message = assert_refused(seeded, path, "declares XML entities")
    assert "TOP-SECRET" not in message
    assert all("TOP-SECRET" not in u.source for u in seeded.iter_units())


def test_nothing_is_fetched_from_the_network(
    tmp_path: Path, seeded: Store, http_server: tuple[str, list[str]]
) -> None:
    url, requests = http_server
    # An external DTD and a parameter entity pointing at the network.
    path = tmp_path / "net.tmx"
    doctype = (
        f'<!DOCTYPE tmx SYSTEM "{url}/tmx14.dtd" [<!ENTITY % remote SYSTEM "{url}/x">%remote;]>'
    )
    path.write_text(tmx(UNIT.format(src="Rumah baru"), doctype))
    assert_refused(seeded, path, "declares XML entities")
    # A plain external DTD reference is allowed but never loaded.
    plain = tmp_path / "dtd.tmx"
    plain.write_text(tmx(UNIT.format(src="Rumah baru"), f'<!DOCTYPE tmx SYSTEM "{url}/tmx14.dtd">'))
    assert [u.source for u in read_tmx(plain)] == ["Rumah baru"]
    assert requests == []


def test_billion_laughs_is_refused_quickly(tmp_path: Path, seeded: Store) -> None:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE tmx [" + "".join(entities) + "]>"
    for where in ("&lol9;", "x"):
        path = tmp_path / "bomb.tmx"
        tu = (
            f'<tu tuid="{where}"><tuv xml:lang="id"><seg>&lol9;</seg></tuv>'
            '<tuv xml:lang="en"><seg>x</seg></tuv></tu>'
        )
        path.write_text(tmx(tu, doctype))
        message = assert_refused(seeded, path)
        assert "entit" in message


BROKEN = [
    ("truncated", tmx(UNIT.format(src="Satu") * 50)[:-40], ["truncated", "line 6"]),
    ("missing header", tmx(UNIT.format(src="Satu"), header=""), ["no <header>", "line 6"]),
    (
        "unknown element in body",
        tmx(UNIT.format(src="Satu") + "<unit><x/></unit>" + UNIT.format(src="Dua")),
        ["unknown element <unit>", "line 6"],
    ),
    (
        "unknown element in tu",
        tmx(UNIT.format(src="Satu").replace("<tu>", "<tu><extra/>")),
        ["unknown element <extra>", "line 6"],
    ),
    ("not tmx", '<?xml version="1.0"?><xliff version="1.2"><file/></xliff>', ["<xliff>"]),
    ("empty", "", ["empty or not XML"]),
    ("not xml", "source\ttarget\nRumah\tHouse\n", ["line 1"]),
]


@pytest.mark.parametrize(("case", "text", "needles"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_files_get_a_clear_error_with_the_line(
    tmp_path: Path, seeded: Store, case: str, text: str, needles: list[str]
) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text(text, encoding="utf-8")
    assert_refused(seeded, path, *needles)


@pytest.mark.parametrize(
    ("declared", "data", "needle"),
    [
        # Latin-1 bytes in a file that says UTF-8.
        ("UTF-8", "Rumah Bápak".encode("latin-1"), "encoding it declares"),
        # UTF-8 bytes (no byte-order mark) in a file that says UTF-16.
        ("UTF-16", b"Rumah", "line 1"),
        ("x-no-such-encoding", b"Rumah", "line 1"),
    ],
)
def test_a_wrong_encoding_declaration_is_a_clear_error(
    tmp_path: Path, seeded: Store, declared: str, data: bytes, needle: str
) -> None:
    text = tmx(UNIT.format(src="@@SEG@@")).replace('encoding="UTF-8"', f'encoding="{declared}"')
    before, after = text.split("@@SEG@@")
    path = tmp_path / "enc.tmx"
    path.write_bytes(before.encode() + data + after.encode())
    assert_refused(seeded, path, needle)


def test_a_missing_file_is_a_clear_error(tmp_path: Path, seeded: Store) -> None:
    assert_refused(seeded, tmp_path / "nope.tmx", "no such file")
