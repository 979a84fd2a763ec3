"""Reading built PDFs in tests: page texts, outline, links and fonts, with pypdf."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject


@cache
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


@cache
def page_texts(path: Path) -> tuple[str, ...]:
    return tuple(normalise(p.extract_text() or "") for p in reader(path).pages)


def normalise(text: str) -> str:
    """Join hyphenated line ends and fold white space, so titles can be searched whole."""
    text = re.sub(r"[\u00ad]", "", text)
    text = re.sub(r"-\n(?=[a-z])", "", text)
    return re.sub(r"\s+", " ", text)


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every bookmark, depth first."""
    r = reader(path)
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, str(item.title), r.get_destination_page_number(item) + 1))

    walk(r.outline, 1)
    return out


def embedded_fonts(path: Path) -> dict[str, bool]:
    """Font name → whether the PDF carries its program (FontFile, FontFile2 or FontFile3)."""
    fonts: dict[str, bool] = {}

    def visit(font: Any) -> None:
        font = font.get_object()
        for desc in [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]:
            fd = desc.get("/FontDescriptor")
            if fd is not None:
                fd = fd.get_object()
                fonts[str(desc.get("/BaseFont", font.get("/BaseFont")))] = any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            elif "/DescendantFonts" not in font:
                fonts[str(font.get("/BaseFont"))] = False

    for page in reader(path).pages:
        res = page.get("/Resources")
        res = res.get_object() if isinstance(res, IndirectObject) else res
        for font in (res or {}).get("/Font", {}).values():
            visit(font)
    return fonts


def internal_links(path: Path) -> list[tuple[int, str, int]]:
    """(page of the link, destination name, destination page) for each internal link annotation."""
    r = reader(path)
    dests = {name: r.get_destination_page_number(d) + 1 for name, d in r.named_destinations.items()}
    out = []
    for number, page in enumerate(r.pages, start=1):
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None:
                dest = action.get_object().get("/D")
            if dest is not None and not isinstance(dest, list) and str(dest) in dests:
                out.append((number, str(dest), dests[str(dest)]))
    return out
