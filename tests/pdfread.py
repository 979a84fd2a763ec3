"""Reading built PDFs in tests: page texts, outline, links and fonts with pypdf; where glyphs and
links sit on the page from page_fill.marks (pdfplumber), which reads each file once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, overload

from page_fill import Glyph, Link, marks
from pypdf import PdfReader
from pypdf.generic import IndirectObject


@cache
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


@cache
def page_texts(path: Path) -> PageTexts:
    return PageTexts(reader(path))


class PageTexts(Sequence[str]):
    """The text of each page (normalised), extracted when first read: pypdf takes about 50 ms a page,
    and many tests read only the contents page or the first page of each article of a 48-page issue."""

    def __init__(self, pdf: PdfReader) -> None:
        self._pages = pdf.pages
        self._count = len(self._pages)  # pypdf counts the page tree again each time
        self._texts: dict[int, str] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...

    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(len(self))[index])
        number = range(len(self))[index]  # a negative index counts from the end; one past it raises IndexError
        if number not in self._texts:
            self._texts[number] = normalise(self._pages[number].extract_text() or "")
        return self._texts[number]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)


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


_NOTE_TARGET = re.compile(r"-n\d+$")


def note_calls_at_line_start(path: Path) -> list[tuple[int, str]]:
    """(page, note) for every note call that begins a line: no glyph touches it on its left.

    A call is found by its link to the note (a rectangle of no height: calls have no line height); the glyphs before it on its line are those whose
    middle lies between the call's top and a little below it (a call is raised), and one that
    touches it is a word or punctuation, or the comma between two calls, which must touch in turn.
    """
    found = []
    for number, page in enumerate(marks(path), start=1):
        chars = page.glyphs
        for annot in page.links:
            if not _NOTE_TARGET.search(annot.dest):
                continue
            inside = [c for c in chars if annot.x0 <= (c.x0 + c.x1) / 2 <= annot.x1 and annot.top - 8 <= (c.top + c.bottom) / 2 <= annot.bottom + 8]
            if not inside:
                continue
            glyph: Glyph | None = min(inside, key=lambda c: c.x0)
            while glyph is not None:
                low, high, x0, size = glyph.top - 3, glyph.bottom + 0.6 * glyph.size + 3, glyph.x0, glyph.size
                touching = [c for c in chars if low <= (c.top + c.bottom) / 2 <= high and c.x0 < x0 and x0 - 1.5 <= c.x1 <= x0 + 2]
                if not touching:
                    found.append((number, annot.dest))
                    break
                left = max(touching, key=lambda c: c.x1)
                glyph = left if left.text == "," and abs(left.size - size) < 0.1 else None
    return found


def link_lines(path: Path) -> list[tuple[int, str, list[str]]]:
    """(page, address, printed text of each line) of every web link, in reading order.

    WeasyPrint writes one link rectangle per box of the link (each `<wbr>` makes one), so the
    rectangles are grouped by line; a link's text on a line is the glyphs its rectangles cover.
    """
    out: list[tuple[int, str, list[str]]] = []
    for number, page in enumerate(marks(path), start=1):
        lines: dict[tuple[str, int], list[Link]] = {}
        for annot in page.links:
            if annot.uri:
                lines.setdefault((annot.uri, round(annot.top)), []).append(annot)
        texts: dict[str, list[tuple[float, str]]] = {}
        for (uri, top), annots in lines.items():
            x0, x1 = min(a.x0 for a in annots), max(a.x1 for a in annots)
            bottom = max(a.bottom for a in annots)
            chars = [c for c in page.glyphs if x0 - 0.5 <= (c.x0 + c.x1) / 2 <= x1 + 0.5 and top - 1 <= (c.top + c.bottom) / 2 <= bottom + 1]
            texts.setdefault(uri, []).append((top, "".join(c.text for c in sorted(chars, key=lambda c: c.x0))))
        out += [(number, uri, [t for _, t in sorted(parts)]) for uri, parts in texts.items()]
    return out


_BACK_LINK = re.compile(r"-nc\d+$")


def note_numbers_alone(path: Path) -> list[tuple[int, str]]:
    """(page, note) for every note whose number (its link back to the call) has no text after it on its line."""
    found = []
    for number, page in enumerate(marks(path), start=1):
        for annot in page.links:
            if not _BACK_LINK.search(annot.dest):
                continue
            digits = [c for c in page.glyphs if annot.x0 <= (c.x0 + c.x1) / 2 <= annot.x1 and annot.top - 1 <= (c.top + c.bottom) / 2 <= annot.bottom + 1]
            if not digits:
                continue
            top, bottom, end = min(c.top for c in digits), max(c.bottom for c in digits), max(c.x1 for c in digits)
            after = [c for c in page.glyphs if top <= (c.top + c.bottom) / 2 <= bottom and end < c.x0 < end + 40 and c.text.strip()]
            if not after:
                found.append((number, annot.dest))
    return found
