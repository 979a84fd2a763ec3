"""The pipeline in one visible chain: load → check → cite → render HTML → lay out → output.

`check` is the same chain stopped before the PDF. Outputs are written to a temporary file and
renamed into place, so a failed build never destroys the previous good PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pikepdf

from typeset.check.accept import apply_acceptances
from typeset.atomic import atomic_write
from typeset.layout.cache import PartCache
from typeset.cite.items import normalise_items
from typeset.cite.notes import cite_issue
from typeset.diagnostics import Diagnostic, TypesetError, warning
from typeset.layout.schedule import write_pdf_parts
from typeset.load.reader import load_issue
from typeset.model import Issue
from typeset.output.make import Output, make_outputs, wanted
from typeset.render.html import render_html
from typeset.theme import Theme, find_theme, local_stylesheet
from typeset.check.issue import check_issue
from typeset.web.pages import issue_images, web_edition
from typeset.web.store import Store
from typeset.layout.pool import Workers

Progress = Callable[[str], None]
CACHE_FOLDER = ".typeset-cache"
CITE_CACHE = "cite.json"
"""Under the output folder: laid-out parts by content, so a rebuild lays out only what changed."""


@dataclass(frozen=True)
class Prepared:
    """What `check` (and the first half of `pipeline`) produces."""

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
    laid_out: tuple[str, ...] = ()
    """Parts (front matter, article slugs) laid out by this build; the others came from the cache."""
    outputs: tuple[Output, ...] = ()
    """One per output profile, the first being `pdf`."""
    web: Path | None = None
    """The web edition's issue page, when one was written."""


def prepare(
    issue_dir: Path, *, theme: str | None = None, css: tuple[Path, ...] = (), progress: Progress = lambda _: None, cache: Path | None = None
) -> Prepared:
    """Load, check and cite the issue; collect every diagnostic. `theme` and `css` override issue.yaml's;
    `cache` is a build's cache folder, where rendered notes are kept for the next build."""
    progress("load")
    issue, diags = load_issue(issue_dir)
    if theme:
        issue = replace(issue, settings=replace(issue.settings, theme=theme))
    if css:
        local = tuple(local_stylesheet(issue.root, path) for path in css)
        issue = replace(issue, settings=replace(issue.settings, css=issue.settings.css + local))
    try:
        found = find_theme(issue.settings.theme, issue.root, tuple(issue.root / c for c in issue.settings.css))
    except TypesetError as exc:  # the theme-dependent rules cannot run: report what was found so far
        raise TypesetError([*diags, *exc.diagnostics]) from None
    csl, item_diags = normalise_items(issue.references)
    diags += item_diags
    diags += check_issue(issue, found, csl)
    progress("cite")
    issue, cite_diags = cite_issue(issue, csl, cache / CITE_CACHE if cache else None)
    diags += cite_diags
    kept, accepted = apply_acceptances(diags, issue.accepted, issue.root)
    return Prepared(issue, found, tuple(kept), tuple(accepted))


def build_date(issue: Issue) -> dt.datetime | None:
    """The fixed creation date, so builds repeat: SOURCE_DATE_EPOCH if set, else the first day of the
    publication's date ("June 2024": 1 June); None for an undated report or article, whose files
    then carry no creation date rather than an invented one."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    if issue.date is None:
        return None
    return dt.datetime.combine(issue.date.first, dt.time(), dt.timezone.utc)


def build(
    issue_dir: Path,
    out_dir: Path,
    *,
    theme: str | None = None,
    css: tuple[Path, ...] = (),
    allow_network: bool = False,
    progress: Progress = lambda _: None,
    workers: Workers | None = None,
    profiles: tuple[str, ...] = (),
    pad_to: int | None = None,
    offprints: bool | None = None,
    web: bool | None = None,
) -> Built:
    """The whole chain; raises TypesetError (with every diagnostic) if the content has errors.

    `profiles`, `pad_to`, `offprints` and `web` override the issue's settings (see `output.make.wanted`).
    """
    start = time.perf_counter()
    checked = prepare(issue_dir, theme=theme, css=css, progress=progress, cache=out_dir / CACHE_FOLDER)
    if checked.errors:
        raise TypesetError(checked.diagnostics)
    issue = checked.issue
    progress("html")
    html = render_html(issue, checked.theme, created=build_date(issue))
    progress("pdf")
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = PartCache(out_dir / CACHE_FOLDER)
    laid_out: list[str] = []

    def lay_out(document: str, styled: Theme, tags: bool) -> tuple[pikepdf.Pdf, int, list[str]]:
        if tags:  # a structure tree spans the whole document: parts cannot carry it
            # WeasyPrint is imported in this process only when it lays out a whole document.
            from typeset.layout.document import write_pdf

            pdf, pages, messages = write_pdf(document, issue.root, styled, allow_network=allow_network, tags=True)
            return pikepdf.open(io.BytesIO(pdf)), pages, messages
        layout = write_pdf_parts(document, issue.root, styled, cache, workers=workers, allow_network=allow_network)
        laid_out.extend(layout.laid_out)
        return layout.pdf, layout.pages, list(layout.warnings)

    want = wanted(issue, profiles, pad_to, offprints, web)
    store = Store(out_dir / CACHE_FOLDER / "web")
    web_page = None
    with ThreadPoolExecutor(1, thread_name_prefix="web-images") as background:
        # The web edition's images are scaled and encoded while the workers lay out the pages.
        images = background.submit(issue_images, issue, store) if want.web else None
        files, outputs, warnings = make_outputs(html, issue, checked.theme, want, lay_out, build_date(issue))
        if images is not None:
            progress("web")
            linked = next(o for o in outputs if o.profile.name == want.web_profile)
            files.update(web_edition(issue, checked.theme, build_date(issue), (linked.path.name, files[linked.path]), linked.cuts, images.result(), store))
            web_page = out_dir / "web" / issue.slug / "index.html"
    preflight = tuple(replace(d, severity="warning") for o in outputs if o.preflight for d in o.preflight.findings)
    diags = checked.diagnostics + tuple(render_diagnostic(issue, w) for w in dict.fromkeys(warnings)) + preflight
    html_path = out_dir / f"{issue.slug}.html"
    _copy_images(issue, out_dir)
    for name, data in files.items():
        (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out_dir / name, data)
    atomic_write(html_path, render_html(issue, checked.theme, created=build_date(issue), inline_css=True).encode("utf-8"))
    first = outputs[0]
    return Built(out_dir / first.path, html_path, first.pages, time.perf_counter() - start, issue, diags, tuple(laid_out), tuple(outputs), web_page)


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


def _copy_images(issue: Issue, out_dir: Path) -> None:
    """The HTML edition refers to images by their issue-relative paths; put copies beside it."""
    images = ([issue.cover.image] if issue.cover else []) + [f.image for a in issue.articles for f in a.figures if f.image]
    for rel in images:
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(issue.root / rel, target)
