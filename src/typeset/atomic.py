"""Writing output: each file written beside its final name and renamed, never through a link.

Readers see the old file or the new one, never half; a build's files are all written before any
is renamed into place, so a build that fails to write (a full disk, a read-only folder) leaves the
previous output as it was. The output folder may be anywhere, but what is under it is the
build's: a symlink there (where an image copy, the PDF or the cache goes) is replaced, never
written through, so a build writes nothing outside its output folder.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from typeset.diagnostics import CannotRun
from typeset.load.source import os_reason


class OutputError(CannotRun):
    """A file of the output could not be written."""

    def __init__(self, path: Path, exc: OSError) -> None:
        super().__init__(f"cannot write {path}: {os_reason(exc)}; the previous output is intact")


def real_folder(path: Path) -> Path:
    """`path` as a folder of its own: a symlink there is removed (its target untouched) and a folder made."""
    try:
        if path.is_symlink():
            path.unlink()
        path.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(path, exc) from None
    return path


def real_folders(root: Path, relative: Path) -> Path:
    """`root/relative`, each folder on the way made a folder of its own by `real_folder` (`root` must exist)."""
    folder = root
    for part in relative.parts:
        folder = real_folder(folder / part)
    return folder


def write_files(root: Path, files: dict[Path, bytes]) -> None:
    """Write `files` (paths relative to `root`) as one step: every one to a temporary file first, then
    all renamed into place; if any cannot be written, none is, and the temporary files go. A file
    that already holds the same bytes is left alone: a rebuild rewrites only what changed."""
    staged: list[tuple[str, Path]] = []
    try:
        for relative, data in files.items():
            folder = real_folders(root, relative.parent)
            if not _holds(folder / relative.name, data):
                staged.append((_stage(folder / relative.name, data), folder / relative.name))
        for tmp, path in staged:
            _rename(tmp, path)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a file of our own (not a link) with exactly `data` in it."""
    try:
        info = path.lstat()
        return stat.S_ISREG(info.st_mode) and info.st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def atomic_write(path: Path, data: bytes) -> None:
    """One file written beside `path` and renamed onto it (a link at `path` is replaced, not followed)."""
    tmp = _stage(path, data)
    try:
        _rename(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _stage(path: Path, data: bytes) -> str:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:100]}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _rename(tmp: str, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(path, exc) from None
