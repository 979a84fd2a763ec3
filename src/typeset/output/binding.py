"""Page count → ruled notes pages before the back cover: it falls on a left-hand (even) page, and the
issue binds (saddle stitch: a multiple of 4).

The count is known only after layout, so the pages are laid out on their own with the same
theme and profile stylesheets (same page size, bleed and marks) and put in with pikepdf: no
second layout of the issue. They carry ruled lines and nothing else, in any language, and no
folio, as blank pages in a periodical usually do.
"""

from __future__ import annotations

import math

import pikepdf

FILLER = """<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8"><style>
@page notes-page {{ @top-left {{ content: none; }} @top-right {{ content: none; }} @bottom-center {{ content: none; }} }}
.notes-page {{ page: notes-page; break-before: page; padding-top: 6mm; }}
.notes-page div {{ height: 9mm; border-bottom: 0.4pt solid var(--muted, #5a5f66); }}
</style></head><body>{pages}</body></html>"""
LINES = 26


def pages_to_add(pages: int, multiple: int) -> int:
    """How many pages make `pages` even (the last page, the back cover, a left-hand page) and a
    multiple of `multiple` (0 or 1: any even count)."""
    return -pages % math.lcm(2, max(multiple, 1))


def filler_html(count: int, language: str) -> str:
    page = '<section class="notes-page">' + "<div></div>" * LINES + "</section>"
    return FILLER.format(language=language, pages=page * count)


def pad(pdf: pikepdf.Pdf, filler: pikepdf.Pdf) -> None:
    """Insert every page of `filler` before the last page of `pdf` (the back cover)."""
    at = len(pdf.pages) - 1
    for page in filler.pages:
        pdf.pages.insert(at, page)
        at += 1
