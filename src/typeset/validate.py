"""`Issue` → diagnostics about what the schema can't see: files, images, identifiers.

Runs after `load` and before `cite`; returns problems, never raises, so `check` reports all.
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic, error
from .load import resolve_inside
from .model import Issue, SourcePos

IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}


def validate_issue(issue: Issue) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    diags += check_issn(issue.publication.issn, issue.pos)
    diags += check_image(issue.root, issue.cover.image, issue.cover.pos, "cover image")
    for article in issue.articles:
        for fig in article.figures:
            diags += check_image(issue.root, fig.image, fig.pos, f"figure {fig.number}")
    return diags


def check_issn(issn: str, pos: SourcePos) -> list[Diagnostic]:
    """ISSN NNNN-NNNC with its mod-11 check digit (ISO 3297)."""
    digits = issn.replace("-", "").upper()
    if len(digits) != 8 or not digits[:7].isdigit() or not (digits[7].isdigit() or digits[7] == "X"):
        return [error("issn.format", pos, f"ISSN '{issn}' is not of the form NNNN-NNNC", "write it as on the ISSN certificate, e.g. 2989-3038")]
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1)))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[7] != expected:
        return [error("issn.check-digit", pos, f"ISSN '{issn}' has check digit {digits[7]}, expected {expected}", "check the ISSN for a typing error")]
    return []


def check_image(root: Path, name: str, pos: SourcePos, what: str) -> list[Diagnostic]:
    target = resolve_inside(root, name)
    if target is None:
        return [error("path.outside-issue", pos, f"{what} '{name}' is outside the issue folder", "put the image under images/ and use a relative path such as images/photo.png")]
    if not target.is_file():
        return [error("image.missing", pos, f"{what} '{name}' not found", f"add the file at {target} or correct the path (relative to the issue folder)")]
    if target.suffix.lower() not in IMAGE_TYPES:
        return [error("image.format", pos, f"{what} '{name}' is not a supported image format", "use PNG, JPEG or SVG")]
    return []
