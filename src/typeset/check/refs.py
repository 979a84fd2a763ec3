"""CSL items and citations → diagnostics the normalising of items leaves out: URLs, DOIs, ISBNs, access dates, sources never cited.

`cite.items.normalise_items` checks types, names, dates and titles (and the cite stage which cited
ids and labels are unknown). This module reads the items it normalised, so a date it refused is
reported once, by it, and never again here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal
from urllib.parse import urlsplit

from typeset.cite.items import CslItems
from typeset.diagnostics import Diagnostic, error, warning
from typeset.identifiers import ean_check_digit, mod11_check_digit
from typeset.model import Issue, Period, Reference

WEB_TYPES = frozenset({"webpage", "post-weblog", "post"})

_HOST = re.compile(r"localhost|(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_][\w-]*[^\W_]\.?|\d{1,3}(?:\.\d{1,3}){3}")
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def validate_references(issue: Issue, items: CslItems, all_articles_read: bool) -> list[Diagnostic]:
    """`items`: the normalised references; `all_articles_read`: False when an article could not be loaded,
    so "never cited" would be a guess."""
    cited = {c.id for a in issue.articles for n in a.notes for cluster in n.clusters for c in cluster.cites}
    diags: list[Diagnostic] = []
    for ref in issue.references.values():
        if all_articles_read and ref.id not in cited:
            diags.append(
                warning(
                    "ref.unused", ref.pos, f"reference '{ref.id}' is never cited", "cite it as [@id] in a note, or delete it: only cited sources are printed"
                )
            )
        csl = items.get(ref.id)
        if csl is not None:
            diags += _identifiers(ref, csl) + _accessed(ref, csl, issue.date)
    return diags


def _identifiers(ref: Reference, csl: Mapping[str, Any]) -> list[Diagnostic]:
    diags = []
    for key, code, problem_of, hint in _IDENTIFIERS:
        value = csl.get(key, "")
        problem = problem_of(value) if value else None
        if problem is None:
            continue
        make = error
        if key == "URL" and "://" not in value and url_problem("https://" + value) is None:
            # Still legible in print; only the PDF's link is broken.
            make, problem = warning, f"'{value}' has no https:// in front, so its link in the PDF leads nowhere"
        diags.append(make(code, ref.fields.get(key, ref.pos), f"reference '{ref.id}': {key} {problem}", hint))
    return diags


def _accessed(ref: Reference, csl: Mapping[str, Any], date: Period | None) -> list[Diagnostic]:
    """Web sources need the day they were read (pages change), and it cannot come after the
    publication's date: its last day, for one dated by month, season or year."""
    if "accessed" not in ref.data:
        if csl["type"] in WEB_TYPES or ("URL" in csl and "container-title" not in csl):
            return [
                warning(
                    "ref.no-accessed",
                    ref.pos,
                    f"reference '{ref.id}' is a web source without an `accessed` date",
                    "add `accessed: YYYY-MM-DD`, the day the page was last read",
                )
            ]
        return []
    earliest = _earliest(csl.get("accessed", {}))
    if earliest and date is not None and earliest > date.last:
        until = date.last.isoformat() if date.precision == "day" else f"{date.last.isoformat()}, the last day of {date.label}"
        return [
            error(
                "ref.future-accessed",
                ref.fields.get("accessed", ref.pos),
                f"reference '{ref.id}' was accessed on {earliest.isoformat()}, after the publication's date ({until})",
                "correct the access date: the day the page was last read, before publication",
            )
        ]
    return []


def _earliest(date: Mapping[str, Any]) -> dt.date | None:
    """The first day a CSL date (`date-parts`, maybe partial or a range) can mean."""
    first = (date.get("date-parts") or [[]])[0]
    if not first:
        return None
    year, month, day = [*first, 1, 1][:3]
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def url_problem(url: str) -> str | None:
    """Why `url` is no address a reader can type or click, or None."""
    if re.search(r"\s", url):
        return f"'{url}' contains white space"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return f"'{url}' is not a valid address"
    if parts.scheme.lower() not in ("http", "https", "ftp"):
        return f"'{url}' does not start with https:// or http://"
    if not _HOST.fullmatch(parts.hostname or ""):
        return f"'{url}' has no valid host name"
    return None


def doi_problem(doi: str) -> str | None:
    if doi.lower().startswith(("http:", "https:", "doi:")):
        return f"'{doi}' starts with a prefix, not with '10.'"
    if not _DOI.fullmatch(doi):
        return f"'{doi}' is not of the form 10.NNNN/suffix"
    return None


def isbn_problem(isbn: str) -> str | None:
    """Each ISBN in the field (several may be separated by commas; `(pbk)` notes are ignored) must add up."""
    for written in re.split(r"[,;]", re.sub(r"\([^)]*\)", "", isbn)):
        fault = isbn_fault(written) if isbn_digits(written) else None
        if fault is not None:
            return fault[1]
    return None


def isbn_digits(written: str) -> str:
    """`ISBN 978-3-16-148410-0` → `9783161484100`."""
    return re.sub(r"[\s-]", "", written).upper().removeprefix("ISBN").lstrip(":")


def isbn_fault(written: str) -> tuple[Literal["format", "check-digit"], str] | None:
    """What is wrong with one ISBN as written (its form, or its check digit and why), or None."""
    digits = isbn_digits(written)
    if re.fullmatch(r"\d{9}[\dX]", digits):
        expected = mod11_check_digit(digits[:9])
    elif re.fullmatch(r"97[89]\d{10}", digits):
        expected = ean_check_digit(digits[:12])
    else:
        return "format", f"'{written.strip()}' is not an ISBN of 10 or 13 digits"
    if digits[-1] != expected:
        return "check-digit", f"'{written.strip()}' has check digit {digits[-1]}, expected {expected}"
    return None


_IDENTIFIERS: tuple[tuple[str, str, Callable[[str], str | None], str], ...] = (
    ("URL", "ref.bad-url", url_problem, "write the whole address, starting with https://"),
    ("DOI", "ref.bad-doi", doi_problem, "write the bare DOI, as in 10.1017/S0020860403000053: styles add https://doi.org/ themselves"),
    ("ISBN", "ref.bad-isbn", isbn_problem, "copy the ISBN from the book's imprint page or a library catalogue"),
)
