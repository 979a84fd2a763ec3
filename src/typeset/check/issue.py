"""`Issue` + theme → diagnostics about what the schema can't see: identifiers, files, images, text, sources.

Runs after `load` and before `cite`; returns problems, never raises, so `check` reports all.
The rules live by subject in `check.images`, `check.refs` and `check.text`; the CSL
rules of `cite.items` (types, names, dates) and of the cite stage (unknown ids and labels) are
not repeated here.
"""

from __future__ import annotations

from typeset.check.hyphenation import hyphenation_warnings
from typeset.check.images import validate_images
from typeset.check.refs import isbn_fault, validate_references
from typeset.check.text import read_sources, validate_text
from typeset.cite.items import CslItems
from typeset.diagnostics import Diagnostic, error, warning
from typeset.identifiers import mod11_check_digit
from typeset.load.reader import resolve_inside
from typeset.model import Issue, SourcePos
from typeset.theme import Theme
from typeset.web.meta import web_base


def check_issue(issue: Issue, theme: Theme, items: CslItems) -> list[Diagnostic]:
    """`items`: the issue's references as `cite.items.normalise_items` made them."""
    scalars = read_sources(issue)
    top = [s for s in scalars if s.path == issue.pos.path]
    field_pos = {s.keys: s.pos() for s in top}
    all_articles_read = sum(s.keys == ("articles",) for s in top) == len(issue.articles)
    return [
        *check_issn(issue.publication.issn, field_pos.get(("publication", "issn"), issue.pos)),
        *check_isbn(issue.report.isbn if issue.report else "", field_pos.get(("report", "isbn"), issue.pos)),
        *_check_style_path(issue, field_pos.get(("settings", "style"), issue.pos)),
        *validate_images(issue, theme),
        *validate_references(issue, items, all_articles_read),
        *validate_text(issue, theme, scalars),
        *hyphenation_warnings(issue, scalars),
        *_check_web_url(issue, field_pos),
    ]


def _check_web_url(issue: Issue, field_pos: dict[tuple[str, ...], SourcePos]) -> list[Diagnostic]:
    """The web edition's metadata and sitemap need an absolute address; a wrong one only loses them, so a warning."""
    base, key = web_base(issue)
    url = issue.settings.web_url or issue.publication.website
    if not issue.settings.web or not url or base:
        return []
    return [warning("web.url", field_pos.get(key, issue.pos), f"'{url}' is not an absolute http(s) address for the web edition", "write it as https://example.org/monitor")]


def check_issn(issn: str, pos: SourcePos) -> list[Diagnostic]:
    """ISSN NNNN-NNNC with its mod-11 check digit (ISO 3297); an absent one is the schema's to report."""
    if not issn:
        return []
    digits = issn.replace("-", "").upper()
    if len(digits) != 8 or not digits[:7].isdigit() or not (digits[7].isdigit() or digits[7] == "X"):
        return [error("issn.format", pos, f"ISSN '{issn}' is not of the form NNNN-NNNC", "write it as on the ISSN certificate, e.g. 2989-3038")]
    expected = mod11_check_digit(digits[:7])
    if digits[7] != expected:
        return [error("issn.check-digit", pos, f"ISSN '{issn}' has check digit {digits[7]}, expected {expected}", "check the ISSN for a typing error")]
    return []


def check_isbn(isbn: str, pos: SourcePos) -> list[Diagnostic]:
    """A report's own ISBN: 13 digits starting 978 or 979 (or an ISBN-10), with its check digit; it becomes the back cover's EAN-13."""
    fault = isbn_fault(isbn) if isbn else None
    if fault is None:
        return []
    kind, problem = fault
    if kind == "check-digit":
        return [error("isbn.check-digit", pos, f"ISBN {problem}", "copy it again from the ISBN agency's record")]
    return [error("isbn.format", pos, f"ISBN {problem}", "write the ISBN-13 (978… or 979…) or the ISBN-10, with or without hyphens")]


def _check_style_path(issue: Issue, pos: SourcePos) -> list[Diagnostic]:
    """A CSL style given as a file (not a style id) must lie inside the issue, like every other file."""
    style = issue.settings.style
    if (style.endswith(".csl") or "/" in style or "\\" in style) and resolve_inside(issue.root, style) is None:
        return [error("path.outside-issue", pos, f"style file '{style}' is outside the issue folder", "copy the .csl file into the issue folder, or use a style id such as 'oscola'")]
    return []
