"""How full every page of a built issue is: the lowest line of text or figure against the text area.

    python bench/page_fill.py PDF [--issue DIR]     # DIR: the issue it was built from (default issue/)

The text area is the theme's page box (its margins at the issue's page size, as WeasyPrint lays it
out); lines and images come from the PDF (pdfplumber), running heads and folios outside the area
left out. With page-foot notes the area ends where the notes begin (the first note's number), so a
gap above the notes counts as empty. Pages are grouped by the outline's top-level entries (contents,
foreword, each article); the last printed page of each group may be short (ruled notes pages after
it count as blank), and so may the pages before the first entry (cover, imprint) and the back cover.
Prints every page's fill, the pages below 90 %, and per group its page count, its length (the last
page counted by its fill) and the fill of its emptiest page that must be full.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTImage, LTItem
from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

FULL = 0.90
_SLACK = 2.0  # points: a glyph's bottom may sit a little below the line box


class Glyph(NamedTuple):
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str


class Box(NamedTuple):
    top: float
    bottom: float


class Link(NamedTuple):
    x0: float
    x1: float
    top: float
    bottom: float
    uri: str  # a web link's address, else ""
    dest: str  # an internal link's named destination, else ""


@dataclass(frozen=True)
class Marks:
    """What the page measures read off one page, in points from its top left (pdfplumber's way)."""

    width: float
    height: float
    glyphs: tuple[Glyph, ...]
    images: tuple[Box, ...]
    links: tuple[Link, ...]


def marks(pdf: Path) -> tuple[Marks, ...]:
    """Every page's glyphs, images and links, read once for each version of the file: pdfminer's
    parse of a 50-page issue takes seconds, and each measure here and in tests/pdfread.py reads them."""
    stat = pdf.stat()
    return _marks(pdf.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _marks(pdf: Path, mtime_ns: int, size: int) -> tuple[Marks, ...]:
    pages = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            # pdfminer's objects placed as pdfplumber places them (page.chars and page.images do the
            # same, and build a dict of some twenty keys for each glyph, which takes as long as the parse)
            height, (mb_left, mb_top) = page.height, page.mediabox[:2]
            glyphs, images = [], []
            for obj in _leaves(page.layout):
                upper, lower = float((height - obj.y1) + mb_top), float((height - obj.y0) + mb_top)
                if isinstance(obj, LTChar):
                    glyphs.append(Glyph(float(obj.x0 + mb_left), float(obj.x1 + mb_left), upper, lower, float(obj.size), obj.get_text()))
                elif isinstance(obj, LTImage):
                    images.append(Box(upper, lower))
            links = tuple(Link(float(a["x0"]), float(a["x1"]), float(a["top"]), float(a["bottom"]), a.get("uri") or "", _dest(a)) for a in page.annots)
            pages.append(Marks(float(page.width), float(height), tuple(glyphs), tuple(images), links))
            page.close()
    return tuple(pages)


def _leaves(container: LTContainer[Any]) -> Iterator[LTItem]:
    for obj in container:
        if isinstance(obj, LTContainer):
            yield from _leaves(obj)
        else:
            yield obj


def _dest(annot: dict[str, Any]) -> str:
    dest = (annot.get("data") or {}).get("Dest")
    return dest.decode() if isinstance(dest, bytes) else str(dest or "")


@dataclass(frozen=True)
class PageFill:
    number: int  # 1-based
    group: str  # the top-level outline entry the page belongs to ("" before the first)
    fill: float | None  # None: nothing in the text area (a blank or ruled page)
    must_be_full: bool


def text_area(issue_dir: Path, width: float, height: float) -> tuple[float, float]:
    """Top and bottom of the theme's text area, in PDF points from the page top, at this page size."""
    from weasyprint import CSS, HTML

    from typeset.layout.fetch import SafeFetcher
    from typeset.pipeline import prepare

    theme = prepare(issue_dir).theme
    fetcher = SafeFetcher([issue_dir, theme.folder])
    sheets = [CSS(filename=str(p), url_fetcher=fetcher) for p in theme.stylesheets]
    sheets.append(CSS(string=f"@page {{ size: {width}pt {height}pt }}"))
    box = HTML(string="<p>x</p>").render(stylesheets=sheets).pages[0]._page_box
    top = (box.margin_top + box.border_top_width + box.padding_top) * 0.75
    return top, top + box.height * 0.75


def _groups(reader: PdfReader) -> list[tuple[int, str]]:
    """(first page, 0-based; title) of every top-level outline entry."""
    return sorted((reader.get_destination_page_number(item), str(item.title)) for item in reader.outline if not isinstance(item, list))


def page_fills(pdf: Path, issue_dir: Path, *, footnotes: bool | None = None) -> list[PageFill]:
    """The fill of every page of `pdf`, built from `issue_dir`."""
    from typeset.pipeline import prepare

    if footnotes is None:
        footnotes = prepare(issue_dir).issue.settings.notes == "footnotes"
    groups = _groups(PdfReader(pdf))
    measured: list[tuple[str, float | None]] = []
    pages = marks(pdf)
    top, bottom = text_area(issue_dir, pages[0].width, pages[0].height)
    for index, page in enumerate(pages):
        owner = [title for start, title in groups if start <= index]
        end = bottom
        if footnotes:  # the links from page-foot notes back to their calls (`…-ncN`) mark where the notes begin
            end = min([bottom, *(link.top for link in page.links if "-nc" in link.dest and link.top > top)])
        lows = [c.bottom for c in page.glyphs if c.top >= top - _SLACK and c.bottom <= end + _SLACK]
        lows += [i.bottom for i in page.images if i.top >= top - _SLACK and i.bottom <= end + _SLACK]
        fill = min(1.0, (max(lows) - top) / (end - top)) if lows else None
        measured.append((owner[-1] if owner else "", fill))
    back_cover = len(measured) - 1
    last = {group: i for i, (group, fill) in enumerate(measured[:back_cover]) if fill is not None}  # each group's last printed page
    return [
        PageFill(i + 1, group, fill, bool(group) and fill is not None and i < back_cover and last.get(group) != i) for i, (group, fill) in enumerate(measured)
    ]


def below(fills: list[PageFill], full: float = FULL) -> list[PageFill]:
    """Pages that must be full and are not."""
    return [f for f in fills if f.must_be_full and f.fill is not None and f.fill < full]


@dataclass(frozen=True)
class Group:
    """A top-level outline entry's pages: how many, its length in pages (the last one counted by its
    fill, so 7.5 is seven pages and a half-full one), and the fill of its emptiest page that must be full."""

    title: str
    pages: int
    length: float
    worst: float | None


def summary(fills: list[PageFill]) -> list[Group]:
    out: dict[str, list[PageFill]] = {}
    for f in fills:
        if f.group:
            out.setdefault(f.group, []).append(f)
    groups = []
    for title, pages in out.items():
        printed = [p for p in pages if p.fill is not None and p.number < len(fills)]  # not the back cover
        length = len(printed) - 1 + (printed[-1].fill or 0.0) if printed else 0.0
        worst = min((p.fill for p in pages if p.must_be_full and p.fill is not None), default=None)
        groups.append(Group(title, len(printed), length, worst))
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--issue", type=Path, default=REPO / "issue", help="the issue folder it was built from")
    parser.add_argument("--quiet", action="store_true", help="only the pages below 90 %% and the summary")
    args = parser.parse_args()
    fills = page_fills(args.pdf, args.issue)
    if not args.quiet:
        for f in fills:
            shown = "blank" if f.fill is None else f"{f.fill:6.1%}"
            print(f"{f.number:4}  {shown:>6}  {'' if f.must_be_full else '(may be short)':14}  {f.group[:60]}")
    short = below(fills)
    print(f"\n{len(short)} page(s) below {FULL:.0%}: " + ", ".join(f"p{f.number} {f.fill:.0%}" for f in short if f.fill is not None))
    print(f"\n{'pages':>5}  {'length':>6}  {'worst':>6}  group")
    for g in summary(fills):
        print(f"{g.pages:5}  {g.length:6.2f}  {'-' if g.worst is None else f'{g.worst:6.1%}':>6}  {g.title[:70]}")
    print(f"{len(fills):5}  total")


if __name__ == "__main__":
    main()
