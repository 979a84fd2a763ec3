"""The pipeline in one visible chain: load → validate → cite → render HTML → render PDF → write.

`check` is the same chain stopped before the PDF. Outputs are written to a temporary file and
renamed into place, so a failed build never destroys the previous good PDF.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .accept import apply_acceptances
from .cite import cite_issue
from .diagnostics import Diagnostic, TypesetError, warning
from .load import load_issue
from .model import Issue
from .render_html import render_html
from .render_pdf import write_pdf
from .theme import Theme, find_theme
from .validate import validate_issue

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Checked:
    """What `check` (and the first half of `build`) produces."""

    issue: Issue
    theme: Theme
    diagnostics: tuple[Diagnostic, ...]
    accepted: tuple[Diagnostic, ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")


@dataclass(frozen=True)
class Built:
    pdf: Path
    html: Path
    pages: int
    seconds: float
    issue: Issue
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def check(issue_dir: Path, *, theme: str | None = None, progress: Progress = lambda _: None) -> Checked:
    """Load, validate and cite the issue; collect every diagnostic."""
    progress("load")
    issue, diags = load_issue(issue_dir)
    if theme:
        issue = replace(issue, settings=replace(issue.settings, theme=theme))
    try:
        found = find_theme(issue.settings.theme, issue.root)
    except TypesetError as exc:  # the theme-dependent rules cannot run: report what was found so far
        raise TypesetError([*diags, *exc.diagnostics]) from None
    diags += validate_issue(issue, found)
    progress("cite")
    issue, cite_diags = cite_issue(issue)
    diags += cite_diags
    kept, accepted = apply_acceptances(diags, issue.accepted, issue.root)
    return Checked(issue, found, tuple(kept), tuple(accepted))


def build_date(issue: Issue) -> dt.datetime:
    """The fixed creation date: SOURCE_DATE_EPOCH if set, else the issue's date, so builds repeat."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.combine(issue.date, dt.time(), dt.timezone.utc)


def build(
    issue_dir: Path,
    out_dir: Path,
    *,
    theme: str | None = None,
    allow_network: bool = False,
    progress: Progress = lambda _: None,
) -> Built:
    """The whole chain; raises TypesetError (with every diagnostic) if the content has errors."""
    start = time.perf_counter()
    checked = check(issue_dir, theme=theme, progress=progress)
    if checked.errors:
        raise TypesetError(checked.diagnostics)
    issue = checked.issue
    progress("html")
    html = render_html(issue, checked.theme, created=build_date(issue))
    progress("pdf")
    pdf, pages, weasy_warnings = write_pdf(html, issue.root, checked.theme, allow_network=allow_network)
    diags = checked.diagnostics + tuple(render_diagnostic(issue, w) for w in weasy_warnings)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / f"{issue.slug}.pdf"
    html_path = out_dir / f"{issue.slug}.html"
    _copy_images(issue, out_dir)
    atomic_write(pdf_path, pdf)
    atomic_write(html_path, render_html(issue, checked.theme, created=build_date(issue), inline_css=True).encode("utf-8"))
    return Built(pdf_path, html_path, pages, time.perf_counter() - start, issue, diags)


_LOST_NOTE = re.compile(r"No anchor #(a\d+)-n(\d+) ")


def render_diagnostic(issue: Issue, message: str) -> Diagnostic:
    """A WeasyPrint warning as a diagnostic; a dropped footnote is named, with its place in the source.

    WeasyPrint 70 can drop a footnote that follows one it had to move to the next page; it
    then warns that the note's anchor is missing. The writer must hear of it.
    """
    lost = _LOST_NOTE.search(message + " ")
    if lost:
        article = next((a for a in issue.articles if a.slug == lost.group(1)), None)
        number = int(lost.group(2))
        if article is not None and 0 < number <= len(article.notes):
            return warning(
                "render.note-lost",
                article.notes[number - 1].pos,
                f"WeasyPrint dropped footnote {number} of '{article.title}' from the page foot",
                "a known WeasyPrint footnote limitation: rewording the paragraph, or notes: endnotes, avoids it",
            )
    return warning("render.weasyprint", issue.pos, message)


def atomic_write(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: readers see the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_images(issue: Issue, out_dir: Path) -> None:
    """The HTML edition refers to images by their issue-relative paths; put copies beside it."""
    images = [issue.cover.image] + [f.image for a in issue.articles for f in a.figures]
    for rel in images:
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(issue.root / rel, target)
