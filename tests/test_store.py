"""The content store keeps what a build used and drops the least recently used beyond its limit."""

from __future__ import annotations

import os
from pathlib import Path

from typeset.store import Store


def test_a_hit_is_not_made_again_and_prune_keeps_what_the_build_used(tmp_path: Path) -> None:
    made: list[str] = []

    def maker(key: str) -> bytes:
        made.append(key)
        return key.encode()

    old = Store(tmp_path / "store")
    for n in range(5):
        assert old.get(f"offprints/{n}.pdf", lambda n=n: maker(str(n))) == str(n).encode()
    for n, path in enumerate(sorted((tmp_path / "store" / "offprints").iterdir())):
        os.utime(path, (1_000_000 + n, 1_000_000 + n))  # 0 the oldest … 4 the newest
    store = Store(tmp_path / "store")  # the next build
    assert store.get("offprints/0.pdf", lambda: maker("again")) == b"0"
    assert made == ["0", "1", "2", "3", "4"], "a hit comes from the disk, not made again"
    store.prune(keep=2)
    assert sorted(p.name for p in (tmp_path / "store" / "offprints").iterdir()) == ["0.pdf", "3.pdf", "4.pdf"]


def test_no_folder_keeps_nothing(tmp_path: Path) -> None:
    store = Store(None)
    assert store.get("x", lambda: b"made") == b"made"
    store.prune()
    assert list(tmp_path.iterdir()) == []
