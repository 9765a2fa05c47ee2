"""Writing output files so that a crash or a full disk never leaves half a file.

A regular file (or a path that does not exist yet) is written to a temporary
file beside it, which is synced and renamed over it only once complete: the
old file stays whole until the new one is. Anything else is written in place,
as ``sort -o`` does: a device (``/dev/null``), a FIFO, a link to a descriptor
(``/dev/stdout``, ``/proc/self/fd/1``) must stay what it is, and renaming over
it would replace it with a regular file. A symlink to a regular file stays a
symlink; the file it points to is replaced.

A new file gets the mode the umask allows (0644 under umask 022), as a shell
redirection would; a replaced file keeps its mode (and, where we may, its
owner).

The temporary file is named ``.NAME.HOST-PID.RANDOM.tmp``: a writer that is
killed leaves it behind, and the next write to the same target removes it
when the writer is known dead (same host, no such process), or when it is a
day old (another host's, or from before this naming). Nothing else is ever
removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import stat
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from tm.errors import OutputError

# After this long a temporary file of ours is stale whoever wrote it.
STALE_AFTER = 24 * 3600
# Links under these folders lead to descriptors (/dev/stdout, /proc/self/fd/1).
_DEVICE_ROOTS = (("dev",), ("proc",))
# mkstemp's random part: 8 characters of this alphabet.
_RANDOM = r"[a-z0-9_]{8}"
_umask_lock = threading.Lock()


def output_error(target: Path | str, exc: OSError) -> OutputError:
    """The one-paragraph error for a failed write."""
    return OutputError(
        f"Cannot write {target}",
        f"{exc.strerror or exc}. Nothing was written; any earlier file there is unchanged",
        "Free some space or choose another path.",
        option="out",
    )


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


def temp_prefix(target: Path) -> str:
    """The start of this process's temporary files for ``target``."""
    return f".{target.name}.{_host_tag()}-{os.getpid()}."


def _umask() -> int:
    """The process umask (Linux reports it; elsewhere it is read by setting it)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, it is someone else's
        return True
    return True


def clean_stale_temps(target: Path) -> list[Path]:
    """Remove temporary files that dead writers left for ``target``; returns them."""
    folder = target.parent if str(target.parent) else Path(".")
    name = re.escape(target.name)
    ours = re.compile(rf"\.{name}\.([0-9a-f]{{6}})-(\d+)\.{_RANDOM}\.tmp")
    legacy = re.compile(rf"\.{name}\.{_RANDOM}\.tmp")
    host, me = _host_tag(), os.getpid()
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    now = time.time()
    for entry in entries:
        match = ours.fullmatch(entry.name)
        if match is None and legacy.fullmatch(entry.name) is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        old = now - info.st_mtime > STALE_AFTER
        if match is not None and match.group(1) == host:
            pid = int(match.group(2))
            stale = pid != me and (not _pid_alive(pid) or old)
        else:
            stale = old
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _rename_target(target: Path) -> tuple[Path | None, os.stat_result | None]:
    """Where to rename the finished temp file, and the file it replaces.

    (None, None) means: write ``target`` in place. Symlinks are followed
    by hand so that one into /dev or /proc is recognised as a descriptor.
    """
    path = Path(os.path.abspath(target))
    for _ in range(40):  # the kernel's own limit on a chain of links
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return path, None
        except OSError:
            return None, None
        if stat.S_ISREG(info.st_mode):
            return path, info
        if not stat.S_ISLNK(info.st_mode) or path.parts[1:2] in _DEVICE_ROOTS:
            return None, None
        path = Path(os.path.normpath(path.parent / os.readlink(path)))
    return None, None


class OutputFile:
    """One output file: ``with OutputFile(path) as fh: fh.write(...)``.

    The data appears at ``path`` when the block ends without an exception;
    on an exception a regular target is left as it was. Use :meth:`open`,
    :meth:`commit` and :meth:`abort` where a ``with`` block does not fit.
    Every failure is an :class:`OutputError`.
    """

    def __init__(self, target: Path, *, buffering: int = -1) -> None:
        self.target = target
        self._buffering = buffering
        self._fh: IO[bytes] | None = None
        self._tmp: Path | None = None
        self._final: Path | None = None
        self._replaced: os.stat_result | None = None

    @property
    def in_place(self) -> bool:
        """True when the target is written directly (a device, a FIFO, a descriptor)."""
        return self._fh is not None and self._tmp is None

    def open(self) -> IO[bytes]:
        """Open the temporary file (or the target itself) for writing."""
        target = self.target
        if target.is_dir():
            raise OutputError(f"Cannot write {target}: it is a directory. Give a file name.")
        final, replaced = _rename_target(target)
        if final is None:
            try:
                self._fh = open(target, "wb", buffering=self._buffering)  # noqa: SIM115
            except OSError as exc:
                raise output_error(target, exc) from exc
            return self._fh
        folder = final.parent
        if not folder.is_dir():
            raise OutputError(
                f"Cannot write {target}",
                f"the folder {folder} does not exist",
                "Create it first, or write elsewhere ({out}).",
                option="out",
            )
        clean_stale_temps(final)
        try:
            fd, tmp = tempfile.mkstemp(prefix=temp_prefix(final), suffix=".tmp", dir=folder)
        except OSError as exc:
            raise output_error(target, exc) from exc
        self._tmp, self._final, self._replaced = Path(tmp), final, replaced
        self._fh = os.fdopen(fd, "wb", buffering=self._buffering)
        return self._fh

    def commit(self) -> None:
        """Make the written data the target's content."""
        fh = self._fh
        assert fh is not None, "open() first"
        try:
            if self._tmp is None:
                fh.close()
                self._fh = None
                return
            fh.flush()
            self._set_mode(fh.fileno())
            os.fsync(fh.fileno())
            fh.close()
            assert self._final is not None
            os.replace(self._tmp, self._final)
            self._tmp = None
            self._fh = None
        except OSError as exc:
            self.abort()
            raise output_error(self.target, exc) from exc

    def _set_mode(self, fd: int) -> None:
        old = self._replaced
        if old is None:
            os.fchmod(fd, 0o666 & ~_umask())
            return
        with contextlib.suppress(OSError):  # only root may give a file away
            os.fchown(fd, old.st_uid, old.st_gid)
        os.fchmod(fd, stat.S_IMODE(old.st_mode))

    def abort(self) -> None:
        """Throw the partial temporary file away; a regular target stays as it was."""
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None

    def __enter__(self) -> IO[bytes]:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self.commit()


def temp_beside(target: Path) -> tuple[int, Path]:
    """Open a new temporary file in the target's folder: (fd, path).

    Kept for callers that rename by themselves; :class:`OutputFile` also
    handles devices, FIFOs and modes.
    """
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(
            f"Cannot write {target}",
            f"the folder {folder} does not exist",
            "Create it first, or write elsewhere ({out}).",
            option="out",
        )
    if target.is_dir():
        raise OutputError(f"Cannot write {target}: it is a directory. Give a file name.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise output_error(target, exc) from exc
    return fd, Path(tmp)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target``: atomically for a regular file, in place otherwise."""
    out = OutputFile(target)
    fh = out.open()
    try:
        fh.write(data)
    except OSError as exc:
        out.abort()
        raise output_error(target, exc) from exc
    out.commit()
