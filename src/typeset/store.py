"""Content key → bytes on disk (OUTPUT/.typeset-cache/store), so a rebuild does not make again what its
inputs have not changed: the web edition's image renditions and font subsets (about 10 s for the
sample), and the offprints of articles whose pages are the same.

Entries used by a build are touched; `prune` then drops the least recently used beyond a limit,
so a watch session that saves a hundred times does not keep a hundred offprints of one article.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from typeset.atomic import OutputError, atomic_write, real_folders

KEEP = 400
"""Entries kept besides those the last build used: a few builds' worth of renditions, subsets and offprints."""


class Store:
    """Bytes by key under `folder`; `None` keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[Path] = set()

    def get(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The bytes kept under `key`, else `make()`'s, kept for next time. A key names a file (`fonts/….woff2`)."""
        path = self.folder / key if self.folder else None
        if path is None:
            return make()
        self.used.add(path)
        if path.is_file():
            try:
                os.utime(path)  # most recently used entries survive `prune`
                return path.read_bytes()
            except OSError:
                pass  # unreadable: made again and replaced
        data = make()
        assert self.folder is not None
        real_folders(self.folder.parent, Path(self.folder.name) / Path(key).parent)  # no link followed: see atomic
        atomic_write(path, data)
        return data

    def prune(self, keep: int = KEEP) -> None:
        """Drop the least recently used entries beyond `keep`, never one this build used."""
        if self.folder is None or not self.folder.is_dir():
            return
        try:
            entries = sorted((p for p in self.folder.rglob("*") if p.is_file() and p not in self.used), key=lambda p: p.stat().st_mtime, reverse=True)
            for path in entries[keep:]:
                path.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(self.folder, exc) from None
