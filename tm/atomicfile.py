"""Writing output files so that a crash or a full disk never leaves half a file.

Everything goes to a temporary file beside the target, which is renamed over
the target only once it is complete and synced.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tm.errors import OutputError


def output_error(target: Path | str, exc: OSError) -> OutputError:
    """The one-paragraph error for a failed write."""
    return OutputError(
        f"Cannot write {target}: {exc.strerror or exc}. Nothing was written; any earlier "
        "file there is unchanged. Free some space or choose another path."
    )


def temp_beside(target: Path) -> tuple[int, Path]:
    """Open a new temporary file in the target's folder: (fd, path).

    Checks first that the folder exists and that the target is not a folder.
    """
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(
            f"Cannot write {target}: the folder {folder} does not exist. Create it or "
            "choose another --out path."
        )
    if target.is_dir():
        raise OutputError(f"Cannot write {target}: it is a directory. Give a file name.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise output_error(target, exc) from exc
    return fd, Path(tmp)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` atomically (temp file, fsync, rename)."""
    fd, tmp = temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise output_error(target, exc) from exc
