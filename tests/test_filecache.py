"""A long-lived process (the live preview) checks again after every save: what it kept from the
files must never hide a change, even one that keeps the file's size."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from typeset.pipeline import prepare


def _touch_later(path: Path) -> None:
    """Some file systems stamp times coarsely: make sure the edit is a new modification time."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_an_edit_of_the_same_size_is_seen(minimal: Path) -> None:
    first = prepare(minimal)
    article = minimal / "articles" / "one.yaml"
    text = article.read_text()
    article.write_text(text.replace("A Test Article", "A Best Article"))
    _touch_later(article)
    second = prepare(minimal)
    assert first.issue.articles[0].title.startswith("A Test Article")
    assert second.issue.articles[0].title.startswith("A Best Article")


def test_an_image_replaced_by_a_worse_one_is_reported(minimal: Path) -> None:
    assert not [d for d in prepare(minimal).diagnostics if d.code == "image.low-resolution"]
    Image.new("RGB", (120, 80), "grey").save(minimal / "images" / "fig.png")
    _touch_later(minimal / "images" / "fig.png")
    found = [d for d in prepare(minimal).diagnostics if d.code == "image.low-resolution"]
    assert found and "120 px wide" in found[0].message


def test_a_yaml_error_saved_then_fixed(minimal: Path) -> None:
    article = minimal / "articles" / "one.yaml"
    good = article.read_text()
    article.write_text(good.replace("authors: [Bea Author]", "authors: [Bea Author"))
    broken = prepare(minimal)
    assert any(d.code == "yaml.syntax" for d in broken.diagnostics)
    article.write_text(good)
    _touch_later(article)
    assert not prepare(minimal).errors
