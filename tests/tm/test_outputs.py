"""Output files: what `--out PATH` may replace, the modes it leaves, the temp files it cleans.

Regular files (and new paths) are written to a temporary file beside them and
renamed over them; anything else (a device, a FIFO, a link to a descriptor)
is written in place, as `sort -o` does. Every test works inside tmp_path: a
symlink there stands in for /dev/null or /dev/stdout, so that a regression
replaces the link, never the machine's device.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tm.atomicfile import OutputFile, temp_prefix
from tm.commands.common import write_output
from tm.models import SOURCE_LANG, TARGET_LANG, TranslationUnit
from tm.tmx_write import TmxWriter

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _unit(source: str = "Halo dunia.") -> TranslationUnit:
    return TranslationUnit(
        id=1, source=source, target="Hello world.", source_lang=SOURCE_LANG, target_lang=TARGET_LANG
    )


def _fifo_reader(path: Path) -> int:
    """An open read end of a new FIFO at ``path`` (O_RDWR never blocks on Linux)."""
    os.mkfifo(path)
    return os.open(path, os.O_RDWR | os.O_NONBLOCK)


def _drain(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError as exc:
            if exc.errno == errno.EAGAIN:
                break
            raise
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


# -- what is replaced and what is written in place -----------------------------------


def test_a_link_to_dev_null_stays_a_link_and_dev_null_a_device(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    write_output(str(link), "Hello world.\n")
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    reader = _fifo_reader(fifo)
    try:
        write_output(str(fifo), "Hello world.\n")
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"
        assert _drain(reader) == b"Hello world.\n"
    finally:
        os.close(reader)


def test_a_tmx_export_to_a_fifo_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.tmx"
    reader = _fifo_reader(fifo)
    try:
        with TmxWriter(fifo) as writer:
            writer.write(_unit())
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"
        data = _drain(reader)
    finally:
        os.close(reader)
    assert data.startswith(b"<?xml") and b"Hello world." in data and data.endswith(b"</tmx>")


def test_out_through_a_link_to_dev_stdout_reaches_stdout(tmp_path: Path) -> None:
    # `--out /dev/stdout` in a pipeline: the bytes go down the pipe.
    link = tmp_path / "stdout-link"
    link.symlink_to("/dev/stdout")
    script = (
        "import sys\nfrom tm.commands.common import write_output\n"
        "write_output(sys.argv[1], 'Hello world.\\n')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(link)], capture_output=True, cwd=REPO, check=True
    )
    assert result.stdout == b"Hello world.\n"
    assert link.is_symlink()


def test_a_link_to_a_regular_file_is_kept_and_the_file_replaced(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "memory.txt"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "memory.txt"
    link.symlink_to(real)
    write_output(str(link), "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"
    assert sorted(p.name for p in real.parent.iterdir()) == ["memory.txt"]


def test_a_regular_file_is_replaced_atomically_and_a_failure_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    before = os.stat(target).st_ino
    write_output(str(target), "new\n")
    assert target.read_text() == "new\n"
    assert os.stat(target).st_ino != before, "a regular file is replaced by rename"
    with pytest.raises(RuntimeError), OutputFile(target) as fh:
        fh.write(b"half")
        raise RuntimeError("crash halfway")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


# -- modes ------------------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_files_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_output(str(tmp_path / "new.txt"), "x\n")
        with TmxWriter(tmp_path / "new.tmx") as writer:
            writer.write(_unit())
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == mode
    assert stat.S_IMODE(os.stat(tmp_path / "new.tmx").st_mode) == mode


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o664, 0o600])
def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_022: None, mode: int) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    target.chmod(mode)
    write_output(str(target), "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == mode


# -- temp files left by a killed export ---------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _age(path: Path, seconds: int) -> None:
    stamp = path.stat().st_mtime - seconds
    os.utime(path, (stamp, stamp))


def test_a_killed_writer_leaves_a_temp_file_the_next_write_removes(tmp_path: Path) -> None:
    target = tmp_path / "memory.tmx"
    # A writer that dies halfway (kill -9 gives no chance to clean up either).
    script = (
        "import os, sys\nfrom pathlib import Path\nfrom tm.atomicfile import OutputFile\n"
        "out = OutputFile(Path(sys.argv[1]))\nfh = out.open()\nfh.write(b'x' * 100000)\n"
        "fh.flush()\nos._exit(9)"
    )
    subprocess.run([sys.executable, "-c", script, str(target)], cwd=REPO)
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".memory.tmx.") and left[0].endswith(".tmp")
    write_output(str(target), "complete\n")
    assert [p.name for p in tmp_path.iterdir()] == ["memory.tmx"]
    assert target.read_text() == "complete\n"


def test_only_our_own_stale_temp_files_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    ours = temp_prefix(target)  # ".out.txt.<host>-<pid>."
    host = ours.removeprefix(".out.txt.").split("-")[0]
    dead = tmp_path / f".out.txt.{host}-{_dead_pid()}.abc12345.tmp"
    alive = tmp_path / f"{ours}abc12345.tmp"  # a writer still running (this process)
    other_host = tmp_path / ".out.txt.ffffff-123.abc12345.tmp"
    other_host_old = tmp_path / ".out.txt.eeeeee-123.abc12345.tmp"
    legacy_old = tmp_path / ".out.txt.k3j4h5l2.tmp"  # the naming before the writer's pid
    legacy_new = tmp_path / ".out.txt.q9w8e7r6.tmp"
    another_target = tmp_path / ".other.txt.k3j4h5l2.tmp"
    not_ours = tmp_path / ".out.txt.notes.tmp"
    for path in (dead, alive, other_host, other_host_old, legacy_old, legacy_new):
        path.write_bytes(b"partial")
    for path in (another_target, not_ours):
        path.write_bytes(b"keep")
        _age(path, 3 * 86400)
    for path in (other_host_old, legacy_old):
        _age(path, 2 * 86400)
    write_output(str(target), "x\n")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(
        p.name for p in (target, alive, other_host, legacy_new, another_target, not_ours)
    )
