"""Content key → bytes on disk, so a rebuild of the web edition does not encode its images and cut
its fonts again (about 10 s for the sample) unless their sources or the text changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typeset.atomic import atomic_write


class Store:
    """Bytes by key under `folder` (OUTPUT/.typeset-cache/web); `None` keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str, make: Callable[[], bytes]) -> bytes:
        path = self.folder / key if self.folder else None
        if path is not None and path.is_file():
            return path.read_bytes()
        data = make()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data)
        return data
