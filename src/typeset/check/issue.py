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
from typeset.cite.style import known_locale
from typeset.diagnostics import Diagnostic, TypesetError, error, warning
from typeset.identifiers import mod11_check_digit
from typeset.load.reader import resolve_inside
from typeset.load.source import shown
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
        *_check_locale(issue, field_pos.get(("issue", "language"), issue.pos)),
        *_check_press_profile(issue),
        *_check_publication_links(issue, field_pos),
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
    return [
        warning(
            "web.url",
            field_pos.get(key, issue.pos),
            f"'{url}' is not an absolute http(s) address for the web edition",
            "write it as https://example.org/monitor",
        )
    ]


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


def _check_locale(issue: Issue, language_pos: SourcePos) -> list[Diagnostic]:
    """The locale of the notes' terms must be one CSL has: an error when written in settings.locale,
    a warning when it is only the issue's language (its hyphenation and quotes still follow it)."""
    locale = issue.settings.locale
    if known_locale(locale):
        return []
    hint = "use a CSL locale such as en-GB, en-US, ru-RU or de-DE, or a language such as ru"
    if "locale" in issue.settings.at:
        return [error("cite.unknown-locale", issue.settings.at["locale"], f"'{locale}' is not a CSL locale", hint)]
    message = f"the issue's language '{locale}' has no CSL locale: the notes' terms (ibid, p, and) follow the style's default locale"
    return [warning("cite.unknown-locale", language_pos, message, "set settings.locale to the CSL locale the notes should use, e.g. ru-RU or en-GB")]


def _check_press_profile(issue: Issue) -> list[Diagnostic]:
    """What the print profile needs from the issue, found by `check` before a build lays out anything."""
    if "print" not in issue.settings.profiles and not issue.settings.print_profile:
        return []
    from typeset.output.profiles import press_profile  # LittleCMS and pikepdf: only for issues that print

    try:
        press_profile(issue)
    except TypesetError as exc:
        return list(exc.diagnostics)
    return []


_LINK_SCHEMES = ("https", "http", "mailto")


def _check_publication_links(issue: Issue, field_pos: dict[tuple[str, ...], SourcePos]) -> list[Diagnostic]:
    """The website and contact become links on the back cover and in the PDF: only web and mail addresses."""
    diags = []
    for name in ("website", "contact"):
        value = getattr(issue.publication, name)
        scheme = value.partition(":")[0].strip().lower() if ":" in value else ""
        if scheme and scheme not in _LINK_SCHEMES and not scheme.isdigit():
            pos = field_pos.get(("publication", name), issue.pos)
            hint = "write the website as https://… and the contact as an e-mail address"
            diags.append(
                error("link.unsafe", pos, f"the {name} '{shown(value)}' is a '{scheme}:' link; only https:, http: and mailto: links are printed", hint)
            )
    return diags


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
        return [
            error(
                "path.outside-issue",
                pos,
                f"style file '{style}' is outside the issue folder",
                "copy the .csl file into the issue folder, or use a style id such as 'oscola'",
            )
        ]
    return []
