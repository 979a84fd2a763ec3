"""pikepdf objects → typed values, for the modules that read PDFs (cmyk, preflight, offprints).

pikepdf's lookups return `Object | None` and content-stream instructions are objects, not
tuples; these two helpers say once what every reader of a PDF here needs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf


def entry(obj: pikepdf.Object | None, key: str) -> pikepdf.Object:
    """`obj[key]`, or an empty dictionary when `obj` or the entry is missing, so lookups chain."""
    value = obj.get(key) if obj is not None else None
    return value if value is not None else pikepdf.Dictionary()


def instructions(owner: pikepdf.Object) -> Iterator[tuple[list[pikepdf.Object], str]]:
    """(operands, operator name) of each instruction of a page's or form's content."""
    for instruction in pikepdf.parse_content_stream(owner):
        yield list(instruction.operands), str(instruction.operator)
