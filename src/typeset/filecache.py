"""Results computed from a file, kept while the file is unchanged.

The live preview rebuilds after every save, in one long-lived process: with these, it parses
and decodes again only the files that were saved. A file counts as unchanged while its size,
modification time and inode are (an editor that saves by renaming gets a new inode).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def while_unchanged(compute: Callable[Concatenate[Path, P], T]) -> Callable[Concatenate[Path, P], T]:
    """`compute(path, *args)`, remembered per (path, args) until the file changes; one entry per
    (path, args), so memory grows with the files read, not with the edits made to them.
    Exceptions are not remembered: a file that failed is read again next time."""
    kept: dict[tuple[object, ...], tuple[tuple[int, int, int], T]] = {}

    def cached(path: Path, /, *args: P.args, **kwargs: P.kwargs) -> T:
        stamp = _stamp(path)
        if stamp is None:
            return compute(path, *args, **kwargs)
        key = (str(path), *args, *sorted(kwargs.items()))
        hit = kept.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = compute(path, *args, **kwargs)
        kept[key] = (stamp, value)
        return value

    functools.update_wrapper(cached, compute)
    return cached
