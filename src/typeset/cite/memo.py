"""Rendered notes by their complete input: kept for the process and, in a build, on disk.

citeproc-py renders one note in a few milliseconds, an issue's 264 in most of a second. Each
result of the cite stage is keyed by everything it depends on (the style file's content and
locale, every cited item's normalised CSL, locators, affixes, positions), so a key rendered once,
in this process or by an earlier build, never goes to citeproc again. A build keeps the entries it
used in `OUTPUT/.typeset-cache/cite.json` (JSON, never pickle: the file is read back as data).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from typeset.atomic import OutputError, atomic_write, real_folder

T = TypeVar("T")
OUTPUT_VERSION = 2
"""Part of every key: raise it when the cite stage writes something else for the same input (2: web
addresses in notes carry their break points), so entries kept by an earlier version are not used."""
_KEPT = 100_000
"""Entries held in memory before the oldest go (a watch loop left running for days)."""


class Memo:
    """Results by the digest of their key; `used` lists what this run asked for, to save."""

    def __init__(self) -> None:
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()

    def get(self, key: tuple[Any, ...], compute: Callable[[], T], decode: Callable[[Any], T]) -> T:
        """The result for `key`: remembered (as JSON data, turned back by `decode`) or computed now."""
        digest = hashlib.sha256(json.dumps([OUTPUT_VERSION, *key], default=str).encode("utf-8")).hexdigest()
        self.used.add(digest)
        if digest in self.entries:
            return decode(self.entries[digest])
        value = compute()
        if len(self.entries) >= _KEPT:
            del self.entries[next(iter(self.entries))]
        self.entries[digest] = json.loads(json.dumps(value))
        return value

    def load(self, path: Path) -> None:
        """Add what a previous build kept; a missing or damaged file is an empty one."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict):
            for digest, value in data.items():
                self.entries.setdefault(digest, value)

    def save(self, path: Path) -> None:
        """Keep the entries this run used (and only those), then start counting anew."""
        kept = {d: self.entries[d] for d in sorted(self.used) if d in self.entries}
        self.used.clear()
        try:
            path.parent.parent.mkdir(parents=True, exist_ok=True)
            real_folder(path.parent)  # a link where the cache goes is replaced, never written through
            atomic_write(path, json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        except (OSError, OutputError):
            pass  # a cache, not an output: the build says what it could not write when it writes its files


MEMO = Memo()
"""The process's one cite memo: `cite_issue` is its only user."""
