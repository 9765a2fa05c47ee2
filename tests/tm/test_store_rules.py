"""Store rules that mutation testing (TESTING.md) found unchecked.

What a translator reads when the store setting points at the wrong file, and
that an empty file counts as a new store.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tm.errors import NotAStoreError
from tm.models import TranslationUnit
from tm.store import Store


def test_a_text_file_is_refused_with_the_reason_and_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Harga beras naik.\n", encoding="utf-8")
    with pytest.raises(NotAStoreError) as caught:
        Store(path)
    error = caught.value
    assert error.option == "db"
    assert (error.what, error.why, error.action) == (
        f"{path} is not a tm store",
        "it is not a SQLite database",
        "Point {db} at a tm store, or at a new file to start a new one.",
    )
    # The setting is named for the front end: here the plain wording.
    assert error.message() == (
        f"{path} is not a tm store: it is not a SQLite database. Point the store "
        "path (TM_DB) at a tm store, or at a new file to start a new one."
    )
    assert path.read_text(encoding="utf-8") == "Harga beras naik.\n"


def test_an_empty_file_becomes_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    path.touch()
    with Store(path) as store:
        uid = store.add_unit(TranslationUnit("Harga naik.", "Prices rose."))
        assert store.get_unit(uid).target == "Prices rose."
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
