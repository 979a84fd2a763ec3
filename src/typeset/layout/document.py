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

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from typeset.layout import compat
from typeset.layout.fetch import SafeFetcher
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
        document = HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=fonts
        )
        pdf = document.write_pdf(pdf_tags=tags)
    return pdf, len(document.pages), warnings
