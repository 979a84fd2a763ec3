"""HTML + theme → PDF bytes, laid out by WeasyPrint with our safe fetcher.

Pagination, page numbers in the contents (`target-counter`), running heads and bookmarks are
all CSS; this module only drives WeasyPrint (with our patches, `layout.compat`) and collects
what it warns about.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from typeset.layout import compat
from typeset.layout.fetch import SafeFetcher
from typeset.layout.worker import OVERFLOW
from typeset.theme import Theme


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """WeasyPrint reports bad CSS and unreadable resources through logging; keep them as data."""
    messages: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    propagate = logger.propagate
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def write_pdf(html: str, base_dir: Path, theme: Theme, *, allow_network: bool = False, tags: bool = False) -> tuple[bytes, int, list[str]]:
    """Lay out `html` (resources relative to `base_dir`); return PDF bytes, page count and warnings.

    `tags`: a tagged PDF (structure tree), for the archive profile.
    """
    compat.install()
    fetcher = SafeFetcher([base_dir, theme.folder], allow_network=allow_network)
    fonts = FontConfiguration()
    with captured_warnings() as warnings:
        stylesheets = [CSS(filename=str(p), url_fetcher=fetcher, font_config=fonts) for p in theme.stylesheets]
        document = HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher).render(stylesheets=stylesheets, font_config=fonts)
        pdf = document.write_pdf(pdf_tags=tags)
    return pdf, len(document.pages), warnings + overflow_warnings(document.pages, 1)


def overflow_warnings(pages: list[Any], first_page: int) -> list[str]:
    """A warning for each piece of text that runs past the page's right margin (a word too long to
    break, a table too wide), naming the page it is on (`first_page` is the number of `pages[0]`).

    WeasyPrint lays such text over the margin without a word; the layout is the one place that
    knows, so it is looked for here, in the laid-out boxes of each page: a box whose right edge
    passes the right edge of the page's area (within it, a theme may move things into paddings,
    as the contents' leaders; absolutely positioned boxes and the margin boxes, the running
    heads, are placed where they are on purpose).
    """
    found: list[str] = []
    for number, page in enumerate(pages, start=first_page):
        area = page._page_box
        right = area.content_box_x() + area.width + _SLACK
        stack = [child for child in area.children if not isinstance(child, boxes.MarginBox)]
        while stack:
            box = stack.pop()
            if box.is_absolutely_positioned():
                continue
            if box.position_x + box.margin_width() > right:
                text = " ".join(" ".join(d.text for d in box.descendants() if isinstance(d, boxes.TextBox)).split())
                found.append(OVERFLOW.format(page=number, text=text[:80]))
                continue
            stack += getattr(box, "children", ())
    return list(dict.fromkeys(found))


_SLACK = 2  # CSS px (0.5 mm): what justified lines and rounding may pass the edge by
