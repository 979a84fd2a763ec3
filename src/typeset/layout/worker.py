"""A part's HTML → its PDF, page count, anchors and bookmarks: the work done in `layout.schedule`'s processes.

Workers are forked from a server that imported and warmed up WeasyPrint once (`warm_up`, run by
`layout.preload`). Each keeps the theme's parsed CSS and fonts while the theme is unchanged,
reports a part's page count as soon as its layout is done (before drawing its PDF, so the next
part can start at its true page), can be told to stop a part the scheduler knows was started at
the wrong page, and gives memory back between parts. Python's cycle collector is kept out of a
part's layout (WeasyPrint's boxes are a large, young, cyclic heap: collecting while laying out
cost 15-20% of the time) and run once after it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.queues import SimpleQueue
from multiprocessing.util import Finalize
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typeset.layout.cache import PartResult

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from typeset.layout.fetch import SafeFetcher

STUB = "typeset-stub-"
"""Prefix of the ids of stub pages: pages that only carry a linked id at its page number."""
CANCELLED_KEPT = 64
OVERFLOW = "text runs past the right edge of its column on page {page}: {text}"
"""A layout warning `pipeline.render_diagnostic` turns into a positioned `layout.overflow`."""
# What workers tell the scheduler ahead of a job's result: ("started", token, pid), then
# ("counted", token, pages, anchors) once the part is laid out, before its PDF is drawn.
WorkerMessage = tuple[Any, ...]


@dataclass(frozen=True)
class Job:
    """One part to lay out: its document (stubs included), its page CSS, and the theme to use."""

    document: str
    part_css: str
    base_url: str
    stylesheets: tuple[str, ...]
    theme_key: str
    allowed: tuple[str, ...]
    allow_network: bool
    first_page: int  # the number its first page has in the issue, for the warnings that name pages


class Cancelled(Exception):
    """A worker's job was stopped by the scheduler (see `Workers.cancel`)."""


_theme_cache: dict[str, tuple[FontConfiguration, list[CSS], list[str]]] = {}
_libc = ctypes.CDLL(ctypes.util.find_library("c")) if sys.platform == "linux" else None
_reports: SimpleQueue[WorkerMessage] | None = None
_cancelled: Any = ()
_running = -1  # the token of the job that a cancel may stop now; -1 while none may be


def init_worker(reports: SimpleQueue[WorkerMessage], cancelled: Any, owner: int) -> None:
    """Send messages to `reports`, stop a job when told (SIGUSR1 and its token in `cancelled`), leave
    Ctrl-C to the process that owns the pool, and exit as soon as that process is gone (killed)
    rather than linger: our parent is the fork server, so the owner's pid is watched instead."""
    global _reports, _cancelled
    _reports, _cancelled = reports, cancelled
    # WeasyPrint writes the theme's fonts into a temporary folder it removes only when its
    # FontConfiguration is collected, which a worker's exit never does: each worker's go into a
    # folder of its own, removed however the worker ends (shut down, terminated, owner gone).
    folder = tempfile.mkdtemp(prefix="folio-worker-")
    tempfile.tempdir = folder
    remove = functools.partial(shutil.rmtree, folder, ignore_errors=True)
    Finalize(None, remove, exitpriority=10)

    def terminated(*_: object) -> None:
        remove()
        os._exit(0)

    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGUSR1, _on_cancel)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch_owner() -> None:
        while _alive(owner):
            time.sleep(0.5)
        terminated()

    threading.Thread(target=watch_owner, daemon=True).start()
    warm_up()  # already done by the fork server, unless workers were forked otherwise


def _alive(pid: int) -> bool:
    """Whether process `pid` runs. A killed owner stays a zombie until whoever started it reaps it, which
    a caller reading the build's output does only after end-of-file: that we hold until we exit."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # the pid was reused by another user's process: ours is gone
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):  # no /proc (macOS): the signal said it exists
        return True


_WARM = """<html lang="en"><body style="hyphens: auto"><p>Warm up: <em>fonts</em>, <b>shaping</b>,
hyphenation dictionaries and the font subsetter, all loaded on first use.</p></body></html>"""
_warmed = False


def warm_up() -> None:
    """Import WeasyPrint and do once what its first document does (Pango and fontconfig set-up, the
    hyphenation dictionary, HarfBuzz's subsetter bindings): 0.6 s a worker would pay on its first part.
    The objects made so far are frozen out of the cycle collector's sight: they live as long as we do."""
    global _warmed
    if _warmed:
        return
    from weasyprint import HTML

    from typeset.layout import compat

    compat.install()
    HTML(string=_WARM).write_pdf()
    give_back_memory()
    gc.freeze()
    _warmed = True


def _on_cancel(*_: object) -> None:
    if _running >= 0 and _running in _cancelled:
        raise Cancelled


def _report(*report: Any) -> None:
    """Send a report; a cancel must not cut a message in half."""
    global _running
    running, _running = _running, -1
    if _reports is not None:
        _reports.put(report)
    _running = running


def _theme_sheets(job: Job, fetcher: SafeFetcher) -> tuple[FontConfiguration, list[CSS], list[str]]:
    """The theme's parsed stylesheets and fonts, kept by the worker while the theme is unchanged."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from typeset.layout.document import captured_warnings

    if job.theme_key not in _theme_cache:
        _theme_cache.clear()
        fonts = FontConfiguration()
        with captured_warnings() as warnings:
            sheets = [CSS(filename=p, url_fetcher=fetcher, font_config=fonts) for p in job.stylesheets]
        _theme_cache[job.theme_key] = (fonts, sheets, warnings)
    return _theme_cache[job.theme_key]


def lay_out_part(job: Job, token: int) -> PartResult:
    """One part → its PDF, real page count (stub pages excluded), anchors and bookmarks."""
    from weasyprint import CSS, HTML
    from weasyprint.matrix import Matrix

    from typeset.layout import compat
    from typeset.layout.document import captured_warnings, overflow_warnings
    from typeset.layout.fetch import SafeFetcher

    global _running
    _settle()
    compat.install()
    fetcher = SafeFetcher([Path(p) for p in job.allowed], allow_network=job.allow_network)
    fonts, sheets, css_warnings = _theme_sheets(job, fetcher)
    _report("started", token, os.getpid())
    _running = token
    gc.disable()
    try:
        with captured_warnings() as warnings:
            document = HTML(string=job.document, base_url=job.base_url, url_fetcher=fetcher).render(
                stylesheets=[*sheets, CSS(string=job.part_css, font_config=fonts)], font_config=fonts
            )
            pages = document.pages
            real = next((i for i, page in enumerate(pages) if any(a.startswith(STUB) for a in page.anchors)), len(pages))
            anchors: dict[str, int] = {}
            for i, page in enumerate(pages[:real]):
                for name in page.anchors:  # an element split across pages has its anchor on each: keep the first
                    anchors.setdefault(name, i)
            _report("counted", token, real, anchors)
            overflows = overflow_warnings(pages[:real], job.first_page)
            pdf = document.write_pdf()
    finally:
        _running = -1
        gc.enable()
    bookmarks = []
    for page in pages[:real]:
        to_pdf = Matrix(a=0.75, d=-0.75, f=page.height * 0.75)  # CSS px → PDF points, origin bottom left
        bookmarks.append([(level, label, *to_pdf.transform_point(x, y), state) for level, label, (x, y), state in page.bookmarks])
    del document, pages
    _give_back_later()
    return PartResult(pdf, real, anchors, bookmarks, css_warnings + warnings + overflows)


_owed = False
_settling = threading.Lock()
_LATER = 0.1
"""Seconds after a part before its memory is given back: time enough for the result to be sent."""


def _give_back_later() -> None:
    """Give the part's memory back once its result is on its way (a timer), or when the next part starts
    (`_settle`), whichever comes first: the collection (30-70 ms) stays off the path from a part's
    layout to the build that waits for it."""
    global _owed
    _owed = True
    timer = threading.Timer(_LATER, _settle)
    timer.daemon = True  # a worker told to stop does not wait for it
    timer.start()


def _settle() -> None:
    global _owed
    with _settling:
        if _owed:
            _owed = False
            give_back_memory()


def give_back_memory() -> None:
    """Free what a job left (boxes hold reference cycles) and hand the pages back to the system:
    a worker idles between parts, a watch loop between builds, and a long volume's build
    should not hold every process's peak."""
    gc.collect()
    if _libc is not None:
        _libc.malloc_trim(0)
