"""Image renditions are the same whatever the store already holds."""

from __future__ import annotations

from pathlib import Path

from typeset.store import Store
from typeset.web.images import web_image

REPO = Path(__file__).resolve().parents[2]


def test_a_rendition_does_not_depend_on_which_others_the_store_held(tmp_path: Path) -> None:
    image = REPO / "issue" / "images" / "01-children.png"
    fresh = web_image(image, Store(tmp_path / "fresh"))
    store = tmp_path / "partial"
    web_image(image, Store(store))
    for kept in sorted((store / "images").iterdir())[1:]:  # keep one width: the others are made again
        kept.unlink()
    assert web_image(image, Store(store)).files == fresh.files
