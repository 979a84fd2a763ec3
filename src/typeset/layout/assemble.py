"""Laid-out parts (PDFs in page order) → one PDF, as if the whole issue had been one document.

Pages keep their content and link annotations. Internal links name their target
(`/Dest (id)`), so one merged name tree makes links between parts work, the contents page's
included; the stub pages a part carries for such targets are left out. The outline is rebuilt
from every page's bookmarks by level, so levels nest across parts exactly as in one document.
Document information and catalogue entries come from the first part. pikepdf (qpdf) copies the
objects: for a 50-page issue it takes a tenth of pypdf's time. WeasyPrint is not imported here:
the process that assembles never lays out, and starts faster without it.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from typeset.layout.cache import Bookmark, PartResult


@dataclass
class _Entry:
    """A bookmark in the outline: its label, where it points, and the entries nested under it."""

    label: str
    page: int
    x: float
    y: float
    closed: bool
    children: list[_Entry] = field(default_factory=list)


def assemble(parts: Sequence[PartResult]) -> pikepdf.Pdf:
    """One document of the parts' pages, unsaved (the output profile saves it once): the first
    part's document, its stub pages dropped, with the other parts' pages appended. It keeps
    reading the parts' files until it is saved."""
    out = _open(parts[0])
    del out.pages[parts[0].pages :]
    if "/Outlines" in out.Root:
        del out.Root.Outlines  # rebuilt below across all parts
    dests: dict[str, pikepdf.Array] = {}
    bookmarks: list[list[Bookmark]] = []
    version = out.pdf_version
    for number, part in enumerate(parts):
        src = out if number == 0 else _open(part)
        version = max(version, src.pdf_version)
        first = len(out.pages) if number else 0
        if number:
            with warnings.catch_warnings():  # pikepdf warns that named destinations stay behind: we carry them
                warnings.filterwarnings("ignore", message=".*named destinations")
                out.pages.extend(src.pages[: part.pages])
        index = {page.obj.objgen: i for i, page in enumerate(src.pages[: part.pages])}
        for name, dest in _named_destinations(src):
            page = index.get(dest[0].objgen)
            if page is not None:
                dests[name] = pikepdf.Array([out.pages[first + page].obj, *dest[1:]])
        bookmarks += part.bookmarks
    _retag_font_subsets(out)
    tree = pikepdf.NameTree.new(out)
    for name in sorted(dests):
        tree[name] = dests[name]
    out.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
    _write_outline(out, outline_tree(bookmarks))
    if version > out.pdf_version:
        out.Root.Version = pikepdf.Name("/" + version)  # the catalogue's version overrides the header's
    return out


def _open(part: PartResult) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(part.pdf) if isinstance(part.pdf, bytes) else part.pdf)


_SUBSET = re.compile(r"^/?[A-Z]{6}\+")


def _retag_font_subsets(pdf: pikepdf.Pdf) -> None:
    """Give each font subset a tag derived from its glyphs.

    Every part embeds its own subset of PT Serif under WeasyPrint's tag, so one PDF would
    hold several different programs all named `DROIWJ+PT-Serif`, which some RIPs merge with
    missing glyphs as the result. A tag from the program's bytes keeps identical subsets
    identical and different ones apart, and stays reproducible.
    """
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts: Any = page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())
        for font in fonts.values():
            for item in [font, *font.get("/DescendantFonts", [])]:
                descriptor = item.get("/FontDescriptor")
                if descriptor is None or descriptor.objgen in seen:
                    continue
                seen.add(descriptor.objgen)
                program = next((descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor), None)
                name = str(descriptor.get("/FontName", ""))
                if program is None or not _SUBSET.match(name):
                    continue
                digest = hashlib.sha1(program.read_raw_bytes()).digest()
                tag = "".join(chr(65 + b % 26) for b in digest[:6])
                new = pikepdf.Name("/" + tag + "+" + _SUBSET.sub("", name))
                descriptor.FontName = new
                item.BaseFont = new
                if item is not font and "/BaseFont" in font:
                    font.BaseFont = pikepdf.Name("/" + tag + "+" + _SUBSET.sub("", str(font.BaseFont)))


def _named_destinations(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if isinstance(names, pikepdf.Dictionary) else None
    return [(str(k), v) for k, v in pikepdf.NameTree(dests).items()] if dests is not None else []


def outline_tree(pages: list[list[Bookmark]]) -> list[_Entry]:
    """Bookmarks of each page, by level → nested entries: each under the nearest earlier bookmark
    of a lower level, as WeasyPrint nests them (h1 then h3 puts the h3 under the h1)."""
    root: list[_Entry] = []
    open_levels: list[tuple[int, list[_Entry]]] = [(0, root)]
    for number, page in enumerate(pages):
        for level, label, x, y, state in page:
            while open_levels[-1][0] >= level:
                open_levels.pop()
            entry = _Entry(label, number, x, y, state == "closed")
            open_levels[-1][1].append(entry)
            open_levels.append((level, entry.children))
    return root


def _write_outline(out: pikepdf.Pdf, entries: list[_Entry]) -> None:
    def items(level: list[_Entry]) -> list[pikepdf.OutlineItem]:
        made = []
        for entry in level:
            item = pikepdf.OutlineItem(entry.label, entry.page, "XYZ", left=entry.x, top=entry.y, zoom=0)
            item.children.extend(items(entry.children))
            item.is_closed = entry.closed
            made.append(item)
        return made

    with out.open_outline() as outline:
        outline.root.extend(items(entries))
