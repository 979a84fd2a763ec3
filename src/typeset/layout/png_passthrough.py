"""PNG file → its compressed image data, handed to the PDF as it is instead of decoded and re-compressed.

WeasyPrint decodes every PNG and compresses the pixels again to get a PDF image stream: for the
sample issue's 24 photographs that is a third of the whole render. For an 8-bit, non-interlaced
grey or RGB PNG the file's own IDAT data already is that stream (zlib with PNG predictors,
which the PDF image dictionary WeasyPrint writes declares), so we pass it through. Other PNGs
(palette, 16-bit, interlaced, alpha) keep WeasyPrint's path. The pixels are the same either way.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from typing import Any

from weasyprint.images import RasterImage

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_original: Callable[[Any], bytes] = RasterImage._get_png_data


def idat_stream(data: bytes) -> bytes | None:
    """The concatenated IDAT chunks of a PNG usable as a PDF Flate stream as they are, else None."""
    if not data.startswith(_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    bit_depth, colour_type, interlace = data[24], data[25], data[28]
    if bit_depth != 8 or colour_type not in (0, 2) or interlace != 0:
        return None
    chunks, pos = [], 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        elif kind == b"tRNS":  # WeasyPrint turns such images into RGBA: not ours to pass
            return None
        pos += 12 + length
    return b"".join(chunks) or None


def _get_png_data(pillow_image: Any) -> bytes:
    source = getattr(pillow_image, "fp", None)
    if getattr(pillow_image, "format", None) == "PNG" and isinstance(source, io.BytesIO):
        stream = idat_stream(source.getvalue())
        if stream is not None:
            return stream
    return _original(pillow_image)


def install() -> None:
    """Route WeasyPrint's PNG encoding through `idat_stream` (idempotent)."""
    RasterImage._get_png_data = staticmethod(_get_png_data)
