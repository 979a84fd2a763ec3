"""The pipeline in one visible chain: load → check → cite → render HTML → lay out → output.

`check` is the same chain stopped before the PDF. Outputs are written to a temporary file and
renamed into place, so a failed build never destroys the previous good PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pikepdf

from typeset.atomic import real_folder, write_files
from typeset.check.accept import apply_acceptances
from typeset.check.css import check_stylesheets
from typeset.check.issue import check_issue
from typeset.check.text import read_sources
from typeset.chores import Chores
from typeset.cite.items import normalise_items
from typeset.cite.notes import cite_issue
from typeset.diagnostics import CannotRun, Diagnostic, TypesetError, warning
from typeset.layout.cache import CACHE_FOLDER, PartCache
from typeset.layout.pool import Workers
from typeset.layout.schedule import Layout, write_pdf_parts
from typeset.layout.worker import OVERFLOW
from typeset.load.reader import load_issue
from typeset.load.source import os_reason, shown
from typeset.model import Issue, SourcePos
from typeset.output.make import Output, make_outputs, wanted
from typeset.render.html import render_html
from typeset.store import Store
from typeset.theme import Theme, find_theme, local_stylesheet

Progress = Callable[[str], None]
CITE_CACHE = "cite.json"
"""Under the cache folder (`layout.cache.CACHE_FOLDER`): the rendered notes by content (`cite.memo`)."""
STORE = "store"
"""Under the cache folder: offprints, image renditions and font subsets by content (`typeset.store`)."""


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
    settings = issue.settings
    if theme:  # named on the command line: no line of issue.yaml names it
        settings = replace(settings, theme=theme, at={k: v for k, v in settings.at.items() if k != "theme"})
    if css:
        settings = replace(settings, css=settings.css + tuple(local_stylesheet(issue.root, path) for path in css))
    issue = replace(issue, settings=settings)
    try:
        found = find_theme(settings.theme, issue.root, tuple(issue.root / c for c in settings.css), settings.at.get("theme"))
        css_errors = check_stylesheets(found, issue.root, settings.page_size)
    except TypesetError as exc:  # the theme-dependent rules cannot run: report what was found so far
        raise TypesetError([*diags, *exc.diagnostics]) from None
    if css_errors:  # a stylesheet the rules below would misread (fonts, ranges, margins)
        raise TypesetError([*diags, *css_errors])
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
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    if issue.date is None:
        return None
    return dt.datetime.combine(issue.date.first, dt.time(), dt.UTC)


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a date (None when unset); one that is no date stops the build, rather than being ignored."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch:
        return None
    try:
        date = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        date = None
    if date is None or int(epoch) < 0:
        raise CannotRun(f"SOURCE_DATE_EPOCH={shown(epoch)!r} is not a date: it must be the seconds since 1970-01-01 UTC, as `date +%s` prints them")
    return date


def usable_output(out_dir: Path, issue_dir: Path) -> None:
    """Refuse an output folder the build must not write into: the issue folder or one inside it (the
    output would become part of the issue), or one whose cache folder is a file of someone else's."""
    try:
        out, issue = out_dir.resolve(), issue_dir.resolve()
        cache = out_dir / CACHE_FOLDER
        cache_is_a_file = cache.exists() and not cache.is_symlink() and not cache.is_dir()
    except (OSError, RuntimeError) as exc:  # a name too long, a symlink loop
        raise CannotRun(f"cannot use the output folder {shown(str(out_dir))}: {os_reason(exc)}") from None
    if out == issue or out.is_relative_to(issue):
        raise CannotRun(f"the output folder {out_dir} is {'the issue folder' if out == issue else 'inside the issue folder'}: give another, such as -o output")
    if cache_is_a_file:
        raise CannotRun(f"{cache} is a file, where the build keeps its cache: move it away")


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
    usable_output(out_dir, issue_dir)
    source_date_epoch()  # one that is no date stops the build before any work
    checked = prepare(issue_dir, theme=theme, css=css, progress=progress, cache=out_dir / CACHE_FOLDER)
    if checked.errors:
        raise TypesetError(checked.diagnostics)
    issue = checked.issue
    created = build_date(issue)
    progress("html")
    html = render_html(issue, checked.theme, created=created)
    progress("pdf")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CannotRun(f"cannot make the output folder {shown(str(out_dir))}: {os_reason(exc)}") from None
    cache = PartCache(real_folder(out_dir / CACHE_FOLDER))  # a link there is replaced before any cache is written
    laid_out: list[str] = []

    def lay_out(document: str, styled: Theme, tags: bool) -> Layout:
        if tags:  # a structure tree spans the whole document: parts cannot carry it
            # WeasyPrint is imported in this process only when it lays out a whole document.
            from typeset.layout.document import write_pdf

            pdf, pages, messages = write_pdf(document, issue.root, styled, allow_network=allow_network, tags=True)
            return Layout(pikepdf.open(io.BytesIO(pdf)), pages, tuple(messages))
        layout = write_pdf_parts(document, issue.root, styled, cache, workers=workers, allow_network=allow_network)
        laid_out.extend(layout.laid_out)
        return layout

    want = wanted(issue, profiles, pad_to, offprints, web)
    store = Store(out_dir / CACHE_FOLDER / STORE)
    web_page = None
    if want.web:  # fontTools and Pillow are imported only by a build that writes the web edition
        from typeset.web.pages import Assets, asset_tasks, web_edition
    # The web edition's images are scaled and its fonts cut on cores the workers leave idle.
    assets = Chores(asset_tasks(issue, checked.theme, created, store) if want.web else [])
    try:
        files, outputs, warnings = make_outputs(html, issue, checked.theme, want, lay_out, created, store)
    except BaseException:
        assets.stop()
        raise
    if want.web:
        progress("web")
        linked = next(o for o in outputs if o.profile.name == want.web_profile)
        made = Assets.merged(assets.results())
        files.update(web_edition(issue, checked.theme, created, (linked.path.name, files[linked.path]), linked.cuts, made, store))
        web_page = out_dir / "web" / issue.slug / "index.html"
    preflight = tuple(replace(d, severity="warning") for o in outputs if o.preflight for d in o.preflight.findings)
    diags = checked.diagnostics + tuple(render_diagnostic(issue, w, checked.theme) for w in dict.fromkeys(warnings)) + preflight
    html_path = out_dir / f"{issue.slug}.html"
    files[Path(html_path.name)] = render_html(issue, checked.theme, created=created, inline_css=True).encode("utf-8")
    for image in dict.fromkeys(([issue.cover.image] if issue.cover else []) + [f.image for a in issue.articles for f in a.figures if f.image]):
        files[Path(image)] = (issue.root / image).read_bytes()  # the HTML edition names images by their paths in the issue
    write_files(out_dir, files)
    store.prune()
    first = outputs[0]
    return Built(out_dir / first.path, html_path, first.pages, time.perf_counter() - start, issue, diags, tuple(laid_out), tuple(outputs), web_page)


_LOST_NOTE = re.compile(r"No anchor #(a\d+)-n(\d+) ")


def render_diagnostic(issue: Issue, message: str, theme: Theme | None = None) -> Diagnostic:
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
    overflow = _OVERFLOW.match(message)
    if overflow:
        return _overflow(issue, int(overflow["page"]), overflow["text"])
    url = _URL.search(message)
    return warning("render.weasyprint", _naming(issue, theme, url.group(1)) if url else issue.pos, message)


_URL = re.compile(r"'((?:https?|file|data|fontpkg):[^']*)'")


def _naming(issue: Issue, theme: Theme | None, url: str) -> SourcePos:
    """Where a resource WeasyPrint could not load (a web image without --allow-network) is named: the
    line of the stylesheet, SVG or YAML file that holds its address, else issue.yaml's first line."""
    files = [*(theme.stylesheets if theme else ()), *(issue.root / f.image for a in issue.articles for f in a.figures if f.image.endswith(".svg"))]
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, start=1):
            if url in line:
                return SourcePos(path, number, line.index(url) + 1)
    scalar = next((s for s in read_sources(issue) if url in s.source), None)
    return scalar.pos(scalar.source.index(url)) if scalar else issue.pos


_OVERFLOW = re.compile(re.escape(OVERFLOW).replace(r"\{page\}", r"(?P<page>\d+)").replace(r"\{text\}", r"(?P<text>.*)"), re.DOTALL)


def _overflow(issue: Issue, page: int, text: str) -> Diagnostic:
    """Text wider than its column, on the line of the source that holds its longest word (a word too long to
    break is that word; a table too wide, its longest cell word), else on issue.yaml's first line."""
    word = max(re.sub(r"(\w)- (\w)", r"\1\2", text).split() or [""], key=len)[:40]  # words hyphenated across lines joined
    found = next((s for s in read_sources(issue) if s.printed and word and word in s.value), None)
    pos = found.pos(max(found.source.find(word), 0)) if found else issue.pos
    hint = "break the word with a soft hyphen (U+00AD) or shorten it; give a table fewer or narrower columns"
    return warning("layout.overflow", pos, f"'{shown(text, 60)}' runs past the right edge of its column on page {page}", hint)
