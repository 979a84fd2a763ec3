"""Every change typeset makes to WeasyPrint's internals, in one place: fixes, speed-ups and the page layout it lacks.

`install()` applies them; the layout code calls it wherever a document is laid out (a whole
document in `layout.document`, a part or the warm-up in `layout.worker`), so importing a module
changes nothing. Each `Patch` names the internal it replaces, the WeasyPrint versions it was
checked on, and `fits`, the shape that internal must still have (signature, attributes, what it
returns); a patch that no longer fits is left out, and tests/layout/test_compat.py fails on that
WeasyPrint. pyproject.toml allows only the versions checked here.

- `notes-with-their-calls` (a fix): WeasyPrint sends page-foot notes to the next page (or drops
  them) to keep a line that orphans require; the paragraph moves instead.
- `png-passthrough` (speed): 8-bit grey or RGB PNGs go into the PDF as they are compressed,
  not decoded and compressed again.
- `open-cffi-arrays` (speed): font subsetting stops paying cffi's C parser for every glyph count.
- `image-ids-by-content` (reproducibility): images are named in the PDF by their bytes, not by
  their absolute path, so the same issue gives the same PDF wherever it is built.
- `figure-floats` (layout, `layout.floats`): a figure that does not fit the rest of a page waits
  for the top of the next one while the text fills the page.
- `flush-bottom` (layout, `layout.flush`): a page that continues overleaf ends at its foot.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import io
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CHECKED_ON = ("68.1", "69.0", "70.0")
"""The WeasyPrint versions every patch was checked on (the whole test suite passes on each): the range
pyproject.toml allows, from the first to below the next major version after the last."""


@dataclass(frozen=True)
class Patch:
    name: str
    target: str
    """The internal replaced, as module:attribute."""
    checked_on: tuple[str, ...]
    fits: Callable[[], bool]
    apply: Callable[[], None]


# ---- footnotes-of-kept-lines ------------------------------------------------------------------

_LINEBOX_PARAMETERS = [
    "context", "box", "index", "child", "new_children", "page_is_empty", "absolute_boxes", "fixed_boxes",
    "adjoining_margins", "bottom_space", "position_y", "skip_stack", "first_letter_style", "first_line_style",
    "draw_bottom_decoration", "max_lines",
]  # fmt: skip
_LINEBOX_RETURNS = "return abort, stop, resume_at, position_y, new_footnotes, max_lines"


def _linebox_fits() -> bool:
    from weasyprint.layout import LayoutContext, block

    function = inspect.unwrap(block._linebox_layout)  # ours wraps it, once installed
    returns = {line.strip() for line in inspect.getsource(function).splitlines() if line.strip().startswith("return ")}
    context = inspect.getsource(LayoutContext.__init__)
    return (
        list(inspect.signature(function).parameters) == _LINEBOX_PARAMETERS
        and returns == {_LINEBOX_RETURNS}
        and "self.footnotes" in context
        and "self.reported_footnotes" in context
    )


def _keep_notes_with_their_calls() -> None:
    """When the line that completes a paragraph's `orphans` overflows, `_linebox_layout` moves the notes
    of earlier lines to the next page to make room, keeps the line, and returns before handling that
    line's own notes (the call is printed and the note never is). A note belongs on the page of its
    call: here the paragraph goes to the next page instead, with its notes, as it would had orphans
    not applied, and the notes moved come back. Only the first paragraph of a page must stay
    whatever happens; its kept line's notes then go to the next page, where the page maker sets
    reported notes first, so none is lost. Found in WeasyPrint 70."""
    from weasyprint.layout import block

    original = block._linebox_layout

    @functools.wraps(original)
    def linebox_layout(context: Any, box: Any, index: Any, child: Any, new_children: list[Any], page_is_empty: bool, *args: Any) -> Any:
        before = list(context.footnotes), list(context.current_page_footnotes), list(context.reported_footnotes)
        kept = len(new_children)
        result = original(context, box, index, child, new_children, page_is_empty, *args)
        abort, stop, _, position_y, new_footnotes, max_lines = result
        if not stop or abort or not new_children:
            return result
        if not page_is_empty and any(note not in before[2] for note in context.reported_footnotes):
            absolute_boxes, fixed_boxes = args[0], args[1]
            block.remove_placeholders(context, new_children[kept:], absolute_boxes, fixed_boxes)
            del new_children[kept:]
            context.footnotes[:], context.current_page_footnotes[:], context.reported_footnotes[:] = before
            context._update_footnote_area()
            return True, False, None, position_y, [], max_lines
        for descendant in new_children[-1].descendants():
            note = descendant.footnote
            if note is not None and note in context.footnotes:
                context.footnotes.remove(note)
                context.reported_footnotes.append(note)
                new_footnotes.append(note)
        return result

    block._linebox_layout = linebox_layout


# ---- figure-floats and flush-bottom -----------------------------------------------------------

_IN_FLOW_PARAMETERS = [
    "context", "box", "index", "child", "new_children", "page_is_empty", "absolute_boxes", "fixed_boxes",
    "adjoining_margins", "bottom_space", "position_y", "skip_stack", "first_letter_style", "first_line_style",
    "discard", "next_page", "max_lines",
]  # fmt: skip
_MAKE_PAGE_PARAMETERS = ["context", "root_box", "page_type", "resume_at", "page_number", "page_state"]


def _page_maker_fits() -> bool:
    """`make_page` lays out the root box with the page module's `block_level_layout` and returns
    (page, resume_at, next_page); the layout context keeps its page's notes and foot where we look."""
    from weasyprint.layout import LayoutContext, page

    function = inspect.unwrap(page.make_page)
    source = inspect.getsource(function)
    context = inspect.getsource(LayoutContext)
    return (
        list(inspect.signature(function).parameters) == _MAKE_PAGE_PARAMETERS
        and "block_level_layout(\n        context, root_box, 0, resume_at" in source
        and "return page, resume_at, next_page" in source
        and all(f"self.{name}" in context for name in ("page_bottom", "current_footnote_area", "current_page_footnotes", "reported_footnotes"))
        and "def _update_footnote_area" in context
    )


def _floats_fit() -> bool:
    from weasyprint.layout import block

    function = inspect.unwrap(block._in_flow_layout)
    returns = {line.strip() for line in inspect.getsource(function).splitlines() if line.strip().startswith("abort, stop, resume_at, position_y")}
    return list(inspect.signature(function).parameters) == _IN_FLOW_PARAMETERS and _page_maker_fits() and bool(returns)


def _float_figures() -> None:
    from typeset.layout import floats

    floats.install()


def _flush_bottom() -> None:
    from typeset.layout import flush

    flush.install()


# ---- png-passthrough --------------------------------------------------------------------------

_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def idat_stream(data: bytes) -> bytes | None:
    """The concatenated IDAT chunks of a PNG usable as a PDF Flate stream as they are, else None.

    WeasyPrint decodes every PNG and compresses the pixels again (a third of the sample's render,
    for its 24 photographs). For an 8-bit, non-interlaced grey or RGB PNG the file's own IDAT data
    already is that stream (zlib with PNG predictors, which the image dictionary WeasyPrint writes
    declares). Other PNGs (palette, 16-bit, interlaced, alpha) keep WeasyPrint's path.
    """
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


def _png_data_fits() -> bool:
    from weasyprint.images import RasterImage

    method = inspect.getattr_static(RasterImage, "_get_png_data")
    return isinstance(method, staticmethod) and list(inspect.signature(inspect.unwrap(method.__func__)).parameters) == ["pillow_image"]


def _pass_png_through() -> None:
    from weasyprint.images import RasterImage

    original: Callable[[Any], bytes] = RasterImage._get_png_data

    @functools.wraps(original)
    def get_png_data(pillow_image: Any) -> bytes:
        source = getattr(pillow_image, "fp", None)
        if getattr(pillow_image, "format", None) == "PNG" and isinstance(source, io.BytesIO):
            stream = idat_stream(source.getvalue())
            if stream is not None:
                return stream
        return original(pillow_image)

    RasterImage._get_png_data = staticmethod(get_png_data)


# ---- image-ids-by-content --------------------------------------------------------------------


def _raster_image_fits() -> bool:
    from weasyprint.images import RasterImage

    parameters = list(inspect.signature(inspect.unwrap(RasterImage.__init__)).parameters)
    return parameters[:4] == ["self", "pillow_image", "image_id", "image_data"] and "self.id = image_id" in inspect.getsource(RasterImage.__init__)


def _name_images_by_content() -> None:
    """WeasyPrint names a raster image's PDF object after the md5 of its URL, an absolute `file:`
    URL: one issue built from two checkouts gave two different PDFs. Named after the image's bytes,
    the PDF depends on what the issue holds, not on where it lies. Found in WeasyPrint 70."""
    from weasyprint.images import RasterImage

    original = RasterImage.__init__

    @functools.wraps(original)
    def init(self: Any, pillow_image: Any, image_id: str, image_data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(image_data, bytes):
            image_id = hashlib.md5(image_data, usedforsecurity=False).hexdigest()
        original(self, pillow_image, image_id, image_data, *args, **kwargs)

    RasterImage.__init__ = init


# ---- open-cffi-arrays -------------------------------------------------------------------------

_SIZED = re.compile(r"(\w+)\[(\d+)\]")


class _OpenArrays:
    """WeasyPrint's `ffi`, except that `new("T[n]", n values)` is `new("T[]", values)`.

    WeasyPrint's HarfBuzz subsetter allocates glyph-id arrays as `ffi.new(f"hb_codepoint_t[{n}]",
    values)`. cffi parses each distinct type string with pycparser once (about 7 ms), and `n`
    differs for every font of every document: an issue laid out as parts paid about 0.4 s of a
    cold build for it. `ffi.new("T[]", values)` makes the same array from one parsed type.
    """

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def new(self, cdecl: str, init: Any = None) -> Any:
        sized = _SIZED.fullmatch(cdecl)
        if sized and init is not None and len(init) == int(sized.group(2)):
            cdecl = f"{sized.group(1)}[]"
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)


def _ffi_fits() -> bool:
    from weasyprint.pdf import fonts

    return callable(getattr(getattr(fonts, "ffi", None), "new", None)) and "ffi.new(f'hb_codepoint_t[{" in inspect.getsource(fonts)


def _open_cffi_arrays() -> None:
    from weasyprint.pdf import fonts

    fonts.ffi = _OpenArrays(fonts.ffi)


PATCHES = (
    Patch("notes-with-their-calls", "weasyprint.layout.block:_linebox_layout", CHECKED_ON, _linebox_fits, _keep_notes_with_their_calls),
    Patch("png-passthrough", "weasyprint.images:RasterImage._get_png_data", CHECKED_ON, _png_data_fits, _pass_png_through),
    Patch("open-cffi-arrays", "weasyprint.pdf.fonts:ffi", CHECKED_ON, _ffi_fits, _open_cffi_arrays),
    Patch("image-ids-by-content", "weasyprint.images:RasterImage.__init__", CHECKED_ON, _raster_image_fits, _name_images_by_content),
    Patch("figure-floats", "weasyprint.layout.block:_in_flow_layout, weasyprint.layout.page:make_page", CHECKED_ON, _floats_fit, _float_figures),
    Patch("flush-bottom", "weasyprint.layout.page:make_page", CHECKED_ON, _page_maker_fits, _flush_bottom),
)
_applied: tuple[str, ...] | None = None


def install() -> tuple[str, ...]:
    """Apply every patch that fits the installed WeasyPrint, once per process; the names of those applied."""
    global _applied
    if _applied is None:
        fitting = [patch for patch in PATCHES if patch.fits()]  # every shape is checked before anything changes
        for patch in fitting:
            patch.apply()
        _applied = tuple(patch.name for patch in fitting)
    return _applied
