"""The store under faults: foreign files, typos, read-only files, full disks,
damaged pages, racing connections (issue 12, items 4-9).

Everything runs on real SQLite files; the faults are real too (a page
overwritten with garbage, ``PRAGMA max_page_count`` as a full disk, a
read-only bind mount or read-only permissions).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tm.cli import main
from tm.errors import NotAStoreError, NotFoundError, StoreError, StoreFullError
from tm.models import SegmentedText, SourceSpan, Status, TranslationUnit
from tm.store import APPLICATION_ID, Store


def tm(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the `tm` entry point in this process: (exit code, stdout, stderr)."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_paragraph(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.startswith("Error: ")
    assert err.strip().count("\n") == 0, err
    for needle in needles:
        assert needle in err, err


def _text(*sentences: str) -> SegmentedText:
    return SegmentedText("", tuple(SourceSpan(s, " ", 0) for s in sentences))


def _units(n: int, start: int = 0) -> list[TranslationUnit]:
    return [
        TranslationUnit(f"Kalimat nomor {i} tentang banjir.", f"Sentence number {i} on floods.")
        for i in range(start, start + n)
    ]


def _snapshot(path: Path) -> bytes:
    return path.read_bytes()


# -- item 4: foreign files and typos ----------------------------------------------


@pytest.fixture
def foreign_db(tmp_path: Path) -> Path:
    """Another application's SQLite file, with no table names that clash with ours."""
    path = tmp_path / "other-app.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO contacts (name) VALUES ('Ana')")
    conn.commit()
    conn.close()
    return path


def test_new_store_is_marked_as_a_tm_store(store: Store) -> None:
    assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_foreign_sqlite_file_is_refused_and_left_unchanged(foreign_db: Path) -> None:
    before = _snapshot(foreign_db)
    with pytest.raises(NotAStoreError, match="not a tm store"):
        Store(foreign_db)
    assert _snapshot(foreign_db) == before
    assert not Path(f"{foreign_db}-wal").exists()


@pytest.mark.parametrize(
    "args",
    [("docs",), ("concordance", "banjir"), ("glossary", "list"), ("import", "x.txt")],
    ids=["docs", "concordance", "glossary-list", "import"],
)
def test_commands_refuse_another_apps_database(
    capsys: pytest.CaptureFixture[str], foreign_db: Path, args: tuple[str, ...]
) -> None:
    doc = foreign_db.parent / "x.txt"
    doc.write_text("Banjir di Jakarta.\n")
    before = _snapshot(foreign_db)
    code, _, err = tm(
        capsys, "--db", str(foreign_db), *(str(doc) if a == "x.txt" else a for a in args)
    )
    assert_one_paragraph(code, err, "not a tm store")
    assert _snapshot(foreign_db) == before
    tables = sqlite3.connect(foreign_db).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("contacts",)]


def test_a_text_file_is_not_a_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    code, _, err = tm(capsys, "--db", str(notes), "docs")
    assert_one_paragraph(code, err, "not a tm store")
    assert notes.read_text() == "my notes\n"


@pytest.mark.parametrize(
    "args",
    [
        ("concordance", "banjir"),
        ("analyze", "doc.txt"),
        ("glossary", "list"),
        ("export", "1", "--out", "o.txt"),
    ],
    ids=["concordance", "analyze", "glossary-list", "export"],
)
def test_read_only_commands_never_create_a_store(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("doc.txt").write_text("Banjir di Jakarta.\n")
    typo = tmp_path / "projcet.sqlite"
    code, _, err = tm(capsys, "--db", str(typo), *args)
    assert_one_paragraph(code, err, "no store at", str(typo))
    assert not typo.exists()


def test_store_from_before_the_application_id_is_marked_on_first_write_open(
    store_path: Path,
) -> None:
    with Store(store_path) as s:
        s.add_unit(TranslationUnit("Halo.", "Hello."))
        s.conn.execute("PRAGMA application_id = 0")
    with Store(store_path, read_only=True) as s:  # reading leaves it as it is
        assert s.unit_count() == 1
    assert sqlite3.connect(store_path).execute("PRAGMA application_id").fetchone()[0] == 0
    with Store(store_path) as s:
        assert s.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert s.unit_count() == 1


def test_missing_store_is_not_created_without_create(store_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no store at"):
        Store(store_path, create=False)
    assert not store_path.exists()


# -- item 5: read-only stores -----------------------------------------------------


def test_read_only_open_writes_nothing(store_path: Path) -> None:
    with Store(store_path) as s:
        doc = s.add_document("a.txt", _text("Banjir di Jakarta."), sha256="x")
        s.add_units(_units(3))
    before = _snapshot(store_path)
    with Store(store_path, read_only=True) as s:
        assert [d.name for d in s.documents()] == ["a.txt"]
        assert s.rebuild_text(doc.id) == "Banjir di Jakarta. "
        with pytest.raises(StoreError, match="read-only"):
            s.add_unit(TranslationUnit("Halo.", "Hello."))
    assert _snapshot(store_path) == before


@contextlib.contextmanager
def _read_only_folder(folder: Path) -> Iterator[Path]:
    """The folder made read-only: a read-only bind mount as root, permissions otherwise."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield folder
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    mount = folder.parent / (folder.name + "-ro")
    mount.mkdir()
    steps = [
        ["mount", "--bind", str(folder), str(mount)],
        ["mount", "-o", "remount,ro,bind", str(mount)],
    ]
    if shutil.which("mount") is None:
        pytest.skip("no way to make a read-only folder here (root without mount)")
    done = 0
    try:
        for step in steps:
            if subprocess.run(step, capture_output=True).returncode != 0:
                pytest.skip("no way to make a read-only folder here (root without mount)")
            done += 1
        yield mount
    finally:
        if done:
            # Lazy: a connection a failing test left open must not keep it mounted.
            subprocess.run(["umount", "-l", str(mount)], check=True)


def test_read_commands_work_on_a_read_only_mount(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    with Store(folder / "tm.sqlite") as s:
        doc = s.add_document("a.txt", _text("Banjir di Jakarta."), sha256="x")
        s.add_unit(TranslationUnit("Banjir besar di Jakarta.", "Big floods in Jakarta."))
        segment = s.segments(doc.id)[0]
        s.update_segment(segment.id, target="Floods in Jakarta.", status=Status.DRAFT, origin="mt")
    assert sorted(p.name for p in folder.iterdir()) == ["tm.sqlite"]  # WAL cleaned up on close
    out_txt = tmp_path / "out.txt"
    with _read_only_folder(folder) as ro:
        db = str(ro / "tm.sqlite")
        code, out, err = tm(capsys, "--db", db, "docs", "--format", "json")
        assert code == 0, err
        assert '"a.txt"' in out
        code, out, err = tm(capsys, "--db", db, "concordance", "banjir", "--format", "json")
        assert code == 0, err
        assert "Big floods in Jakarta." in out
        code, _, err = tm(
            capsys, "--db", db, "export", "a.txt", "--out", str(out_txt), "--allow-unconfirmed"
        )
        assert code == 0, err
        assert out_txt.read_text() == "Floods in Jakarta. "
        code, _, err = tm(capsys, "--db", db, "import", str(out_txt))
        assert_one_paragraph(code, err, "read-only")


# -- item 6: a full disk ------------------------------------------------------------


def test_full_disk_is_reported_as_such_and_the_store_is_unchanged(store: Store) -> None:
    store.add_units(_units(10))
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StoreFullError, match="the disk is full") as caught:
        store.add_units(_units(5000, start=10))
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert "full" in str(caught.value.__cause__)
    assert not store.conn.in_transaction
    assert store.unit_count() == 10
    # The store goes on working once there is room again.
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    store.add_units(_units(5, start=10))
    assert store.unit_count() == 15


def test_full_disk_inside_nested_transactions(store: Store) -> None:
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StoreFullError, match="the disk is full"), store.atomic():
        store.add_unit(TranslationUnit("Halo.", "Hello."))
        with store.atomic() as conn:
            conn.executemany(
                "INSERT INTO units (source, target, created_at) VALUES (?, ?, 'x')",
                ((f"kalimat {i} " * 20, "t") for i in range(3000)),
            )
    assert store.unit_count() == 0
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    store.add_unit(TranslationUnit("Halo.", "Hello."))
    assert store.unit_count() == 1


# -- item 7: a damaged store, and tm check -----------------------------------------


def _damage_table(path: Path, table: str) -> None:
    """Overwrite the root page of a table with garbage, as a bad disk sector would."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    assert not Path(f"{path}-wal").exists()  # everything is in the main file
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A store with a document and a memory of 3000 units (many pages)."""
    path = tmp_path / "tm.sqlite"
    with Store(path) as s:
        s.add_document("a.txt", _text("Banjir di Jakarta.", "Hujan deras."), sha256="x")
        s.add_units(_units(3000))
    return path


def test_check_says_an_intact_store_is_intact(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    code, out, err = tm(capsys, "--db", str(project), "check")
    assert code == 0, out + err
    assert "File (SQLite integrity_check): ok" in out
    assert "Indexes: ok" in out


@pytest.mark.parametrize(
    "args",
    [
        ("concordance", "banjir"),
        ("export", "--all", "--format", "tmx", "--out", "all.tmx"),
        ("import", "mem.tmx"),
        ("analyze", "a.txt"),
    ],
    ids=["concordance", "export", "import-tmx", "analyze"],
)
def test_a_damaged_store_gives_one_paragraph_naming_tm_check(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    project: Path,
    args: tuple[str, ...],
) -> None:
    monkeypatch.chdir(project.parent)
    Path("mem.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="id" '
        'datatype="plaintext"/><body><tu><tuv xml:lang="id"><seg>Banjir di Bogor.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Floods in Bogor.</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    _damage_table(project, "units")
    code, _, err = tm(capsys, "--db", str(project), *args)
    assert_one_paragraph(code, err, "damaged", "tm check", str(project))


def test_check_reports_a_damaged_page_and_how_to_recover(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    _damage_table(project, "units")
    code, out, err = tm(capsys, "--db", str(project), "check")
    assert code == 1, out + err
    assert "File (SQLite integrity_check): DAMAGED" in out
    assert "How to recover" in out and ".recover" in out and "tm export --all" in out
    # --rebuild-index refuses: the units themselves are damaged.
    code, out, _ = tm(capsys, "--db", str(project), "check", "--rebuild-index")
    assert code == 1
    assert "was not rebuilt" in out


def test_check_finds_an_index_out_of_step_and_rebuilds_it(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    from tm import leverage

    with Store(project) as s:
        leverage.rebuild_snapshot(s)
        with s.atomic() as conn:
            conn.execute("DROP TRIGGER units_fts_delete")
            conn.execute("DELETE FROM units WHERE id <= 10")
    code, out, _ = tm(capsys, "--db", str(project), "check")
    assert code == 1
    assert "Indexes: OUT OF STEP" in out and "--rebuild-index" in out
    code, out, _ = tm(capsys, "--db", str(project), "check", "--rebuild-index")
    assert code == 0, out
    assert "Indexes: ok" in out
    code, out, _ = tm(capsys, "--db", str(project), "check")
    assert code == 0, out


# -- item 9: what is safe while an import writes -------------------------------------


def _tmx(path: Path, n: int) -> Path:
    units = "".join(
        f'<tu><tuv xml:lang="id"><seg>Banjir melanda desa nomor {i} di Bogor.</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Floods hit village number {i} in Bogor.</seg></tuv></tu>'
        for i in range(n)
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="id" '
        f'datatype="plaintext"/><body>{units}</body></tmx>\n',
        encoding="utf-8",
    )
    return path


def test_while_an_import_writes_reads_go_on_and_writes_wait_for_its_commit(
    store_path: Path, tmp_path: Path
) -> None:
    """What the README promises for a review window beside `tm import`.

    The checks run from the import's own progress callback, that is inside
    its one write transaction, on a second connection: no sleeps.
    """
    from tm import leverage
    from tm.errors import StoreBusyError
    from tm.tmx import import_tmx

    with Store(store_path) as s:
        doc = s.add_document("a.txt", _text("Banjir di Bogor.", "Banjir di Bogor."), sha256="x")
        first, repeat = s.segments(doc.id)
        s.add_unit(TranslationUnit("Banjir besar di Bogor.", "Big floods in Bogor."))
    importer = Store(store_path)
    reviewer = Store(store_path, busy_timeout=0)
    seen: list[tuple[int, list[str], str]] = []

    def during_import(units_read: int) -> None:
        # Reads go on and see the memory as it was before the import.
        count = reviewer.unit_count()
        found = [m.unit.target for m in leverage.lookup(reviewer, "Banjir di Bogor.")]
        # A write (a confirmation) waits for the import: with no time to wait
        # it says the store is busy, and nothing of it is kept.
        try:
            reviewer.confirm_segment(first.id, "Floods in Bogor.", author="ana")
            outcome = "written"
        except StoreBusyError as exc:
            outcome = str(exc)
        seen.append((count, found, outcome))

    try:
        report = import_tmx(importer, _tmx(tmp_path / "mem.tmx", 50), progress=during_import)
        assert report.added == 50
        assert len(seen) == 1
        count, found, outcome = seen[0]
        assert count == 1
        assert found == ["Big floods in Bogor."]
        assert "is busy" in outcome and "TM_BUSY_TIMEOUT" in outcome
        assert reviewer.get_segment(first.id).status == Status.NEW
        # Once the import has committed, the same confirmation goes through.
        assert reviewer.confirm_segment(first.id, "Floods in Bogor.", author="ana") == [repeat.id]
        assert reviewer.unit_count() == 52
    finally:
        importer.close()
        reviewer.close()
