"""The issue's images for screens: each raster image in a few widths as WebP, for `srcset`, so a
phone loads a 480-pixel picture and a wide screen a sharp one; SVG as it is.

Made from the same files the PDF embeds (checked to lie inside the issue folder by `check`).
File names carry a digest of their content, so they can be cached for ever.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from typeset.layout.cache import digest
from typeset.store import Store

WIDTHS = (480, 960, 1600)
"""Widths made of a raster image (and its own width if narrower): a phone, a column at 2x, a wide cover."""
QUALITY = 80


@dataclass(frozen=True)
class WebImage:
    """One source image for the web: its renditions (name → bytes) and what <img> needs."""

    src: str  # the rendition a browser without srcset loads
    srcset: str  # "name 480w, name 960w", empty for SVG
    width: int
    height: int
    files: dict[str, bytes]


def web_image(path: Path, store: Store) -> WebImage:
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "image"
    data = path.read_bytes()
    if path.suffix.lower() == ".svg":
        width, height = _svg_size(data)
        name = f"{stem}.{_digest(data)}.svg"
        return WebImage(name, "", width, height, {name: data})
    with Image.open(io.BytesIO(data)) as image:
        size = image.size
    widths = sorted({w for w in WIDTHS if w < size[0]} | {min(size[0], WIDTHS[-1])}, reverse=True)
    original: list[Image.Image] = []  # decoded once, when a width is not in the store
    files: dict[str, bytes] = {}
    names = []
    for width in widths:

        def make(width: int = width) -> bytes:
            # Every width from the original, never from a width made before it: which widths the
            # store already holds must not change the pixels (and so the file names) of the others.
            if not original:
                original.append(_decode(data))
            scaled = original[0].resize((width, round(size[1] * width / size[0])), Image.Resampling.LANCZOS, reducing_gap=2.0)
            buffer = io.BytesIO()
            scaled.save(buffer, "WEBP", quality=QUALITY, method=2)  # method 2: a third of the default's time, the same size
            return buffer.getvalue()

        webp = store.get(f"images/{digest(data)}-{width}-q{QUALITY}-from-original.webp", make)
        name = f"{stem}-{width}.{_digest(webp)}.webp"
        files[name] = webp
        names.append((name, width))
    names.reverse()
    fallback = next((n for n, w in names if w >= WIDTHS[1]), names[-1][0])
    return WebImage(fallback, ", ".join(f"{n} {w}w" for n, w in names), size[0], size[1], files)


def _decode(data: bytes) -> Image.Image:
    """The image in RGB, or RGBA if it has an alpha channel (WebP keeps it)."""
    with Image.open(io.BytesIO(data)) as image:
        alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
        return image.convert("RGBA" if alpha else "RGB")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def _svg_size(data: bytes) -> tuple[int, int]:
    """The drawing's width and height from its viewBox (else width/height attributes), for the aspect ratio."""
    head = data[:4000].decode("utf-8", "replace")
    box = re.search(r"""viewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)""", head)
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    w = re.search(r"""\swidth\s*=\s*["']([\d.]+)""", head)
    h = re.search(r"""\sheight\s*=\s*["']([\d.]+)""", head)
    return (round(float(w.group(1))), round(float(h.group(1)))) if w and h else (800, 600)
