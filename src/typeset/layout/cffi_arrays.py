"""Sized C arrays → open ones, so font subsetting stops paying cffi's C parser for every glyph count.

WeasyPrint 70's HarfBuzz subsetter allocates glyph-id arrays as `ffi.new(f"hb_codepoint_t[{n}]",
values)`. cffi parses each distinct type string with pycparser once (about 7 ms), and `n`
differs for every font of every document. One document pays that a dozen times; an issue laid
out as parts pays it per font per part, about 0.4 s of a cold build. `ffi.new("T[]", values)`
makes the same array (its length is the initialiser's) from one parsed type.
"""

from __future__ import annotations

import re
from typing import Any

from weasyprint.pdf import fonts

_SIZED = re.compile(r"(\w+)\[(\d+)\]")


class _OpenArrays:
    """WeasyPrint's `ffi`, except that `new("T[n]", n values)` is `new("T[]", values)`."""

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def new(self, cdecl: str, init: Any = None) -> Any:
        sized = _SIZED.fullmatch(cdecl)
        if sized and init is not None and len(init) == int(sized.group(2)):
            cdecl = f"{sized.group(1)}[]"
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)


def install() -> None:
    if not isinstance(fonts.ffi, _OpenArrays):
        fonts.ffi = _OpenArrays(fonts.ffi)
