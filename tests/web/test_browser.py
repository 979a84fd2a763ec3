"""The web edition in Debian's Chromium, served over HTTP from 127.0.0.1, at a phone's width (390 px)
and a desktop's (1280 px): axe-core finds no WCAG 2.1 AA violation on any page, the web fonts load,
nothing overflows the viewport, every note call lands on its note and back, and nothing is asked
of another host."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import require
from webpages import ARTICLE_SLUGS, HERE

CHROMIUM = Path("/usr/bin/chromium")
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
require(CHROMIUM.exists(), "Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
require(AXE.exists(), "axe-core under tests/web/node_modules (npm ci --prefix tests/web, as .ci/run does)")
sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need Playwright for Python (pip install playwright)")
pytestmark = pytest.mark.slow

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {390: 844, 1280: 900}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Elements wider than the viewport, or reaching past its right edge (scrollable note text excepted: none should be).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push('document ' + document.documentElement.scrollWidth);
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > width + 0.5 || r.left < -0.5) && !el.closest('.skip-link')) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.left) + '–' + Math.round(r.right));
  }
  return out;
}"""

# Click every note call, then the note's back link; return what did not land in view.
NOTES_LAND = """() => {
  const missed = [];
  const inView = el => { const r = el.getBoundingClientRect(); return r.top >= -1 && r.top < window.innerHeight; };
  for (const call of document.querySelectorAll('a.note-call')) {
    call.click();
    const note = document.querySelector(':target');
    if (!note || '#' + note.id !== call.getAttribute('href') || !inView(note)) { missed.push('call ' + call.id); continue; }
    note.querySelector('a[role=doc-backlink]').click();
    const back = document.querySelector(':target');
    if (back !== call || !inView(call)) missed.push('back ' + call.id);
  }
  return [document.querySelectorAll('a.note-call').length, missed];
}"""


@pytest.fixture(scope="module")
def served(web_issue: Path) -> Iterator[str]:
    """OUTPUT/web/ on an ephemeral port of 127.0.0.1; the address of the issue page."""
    handler = functools.partial(QuietHandler, directory=str(web_issue.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{web_issue.name}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        yield launched
        launched.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_passes_axe_at_wcag_21_aa(served: str, browser: Any, width: int) -> None:
    # axe is injected as a script, which the pages' policy (rightly) refuses: this context alone bypasses it.
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]}, bypass_csp=True)
    page = context.new_page()
    failures = {}
    for url in [served] + [served + slug + "/" for slug in ARTICLE_SLUGS]:
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_21_AA)
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        if violations:
            failures[url] = violations
        assert result["passes"], "axe ran no rule"
    context.close()
    assert not failures


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("slug", ["", "child-soldiers/"])
def test_fonts_load_nothing_overflows_and_notes_land(served: str, browser: Any, width: int, slug: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
    page = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(served + slug)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight + ' ' + f.style)")
    assert {"PT Serif 400 normal", "PT Sans 700 normal"} <= set(loaded)
    assert page.evaluate("document.fonts.check('16px \"PT Serif\"') && document.fonts.check('bold 16px \"PT Sans\"')")
    assert page.evaluate(OVERFLOW) == []
    origin = served.split("/the-")[0]
    assert [u for u in requests if not u.startswith(origin)] == []
    assert [p for p in problems if "favicon.ico" not in p] == [], "the policy refused something, or the page logged an error"
    if slug:
        count, missed = page.evaluate(NOTES_LAND)
        assert count == 49 and missed == []
    context.close()
