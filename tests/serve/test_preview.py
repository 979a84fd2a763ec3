"""The live preview in a real browser: a saved theme change shows in the page images; a YAML
error shows with its file:line:col while the last good pages stay."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
require(CHROMIUM.exists(), "Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs Playwright for Python (the test extras)")

REPO = Path(__file__).resolve().parents[2]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 60_000

# The colour of the cover's top-left pixel, or null while the first page image is not loaded.
COVER_PIXEL = """() => {
  const img = document.querySelector('img.page');
  if (!img || !img.complete || !img.naturalWidth) return null;
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  return Array.from(g.getImageData(5, 5, 1, 1).data.slice(0, 3));
}"""


@pytest.fixture
def preview(minimal: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`folio preview` on a copy of the minimal issue with its own copy of the default theme."""
    shutil.copytree(REPO / "styles" / "default", minimal / "styles" / "default")
    command = [sys.executable, "-m", "typeset", "preview", str(minimal), "-o", str(tmp_path / "out"), "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True).start()
    try:
        first = lines.get(timeout=WAIT_MS / 1000)
        assert first.startswith("preview on http://127.0.0.1:"), first
        yield first.split()[2], minimal
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_preview_follows_theme_edits_and_shows_errors_over_the_last_pages(preview: tuple[str, Path]) -> None:
    url, issue = preview
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=WAIT_MS)
        try:
            page = browser.new_page()
            page.set_default_timeout(WAIT_MS)
            page.goto(url)
            page.wait_for_function(f"({COVER_PIXEL})() !== null")
            assert page.evaluate(COVER_PIXEL) == [0x1C, 0x4F, 0x7C], "the cover is the default theme's accent colour"
            pages = page.locator("img.page").count()

            theme = issue / "styles" / "default" / "theme.css"
            theme.write_text(theme.read_text().replace("--accent-colour: #1c4f7c;", "--accent-colour: #c81e1e;"))
            page.wait_for_function(f"(() => {{ const p = ({COVER_PIXEL})(); return p && p[0] > 150 && p[2] < 80; }})()")
            assert page.evaluate(COVER_PIXEL) == [0xC8, 0x1E, 0x1E]

            yaml = issue / "issue.yaml"
            yaml.write_text(yaml.read_text().replace("  region: Nowhere", "  region: [Nowhere"))
            page.wait_for_function("document.getElementById('error').textContent.includes('yaml.syntax')")
            error = page.locator("#error").inner_text()
            assert re.search(re.escape(str(issue / "issue.yaml")) + r":\d+:\d+: error\[yaml\.syntax\]", error), error
            assert page.locator("#error").is_visible()
            assert page.locator("img.page").count() == pages, "the last good pages stay on screen"
            assert page.evaluate(COVER_PIXEL) == [0xC8, 0x1E, 0x1E]

            yaml.write_text(yaml.read_text().replace("  region: [Nowhere", "  region: Nowhere"))
            page.wait_for_function("document.getElementById('error').textContent === ''")
            assert not page.locator("#error").is_visible()
        finally:
            browser.close()
