"""Rendered notes are kept in the build's cache folder: a fresh process that builds an unchanged
issue takes every note from there and never asks citeproc; a changed or damaged entry is
rendered again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typeset.pipeline import CACHE_FOLDER, CITE_CACHE, prepare

# Run in a fresh process: prepare the issue with the cache folder, with citeproc's rendering
# replaced by a failure, and print every note's HTML.
NO_CITEPROC = """
import json, sys
from pathlib import Path
from typeset.cite import style
def refuse(*args, **kwargs):
    raise AssertionError("citeproc was asked to render")
style.Style.cluster = refuse
style.Style.bibliography = refuse
from typeset.pipeline import prepare
prepared = prepare(Path(sys.argv[1]), cache=Path(sys.argv[2]))
print(json.dumps([n.html for a in prepared.issue.articles for n in a.notes]))
"""


def notes_html(issue: Path, cache: Path | None) -> list[str]:
    return [n.html for a in prepare(issue, cache=cache).issue.articles for n in a.notes]


def test_an_unchanged_issue_is_cited_from_the_kept_notes_without_citeproc(minimal: Path, tmp_path: Path) -> None:
    cache = tmp_path / CACHE_FOLDER
    first = notes_html(minimal, cache)
    assert (cache / CITE_CACHE).is_file()
    fresh = subprocess.run([sys.executable, "-c", NO_CITEPROC, str(minimal), str(cache)], capture_output=True, text=True, check=False)
    assert fresh.returncode == 0, fresh.stderr
    assert json.loads(fresh.stdout) == first


def test_a_changed_locator_is_rendered_again(minimal: Path, tmp_path: Path) -> None:
    cache = tmp_path / CACHE_FOLDER
    notes_html(minimal, cache)
    article = minimal / "articles" / "one.yaml"
    article.write_text(article.read_text().replace("[@brett-2003, p 861]", "[@brett-2003, p 999]"))
    fresh = subprocess.run([sys.executable, "-c", NO_CITEPROC, str(minimal), str(cache)], capture_output=True, text=True, check=False)
    assert fresh.returncode != 0 and "citeproc was asked to render" in fresh.stderr
    assert any("999" in html for html in notes_html(minimal, cache))


def test_a_damaged_cache_file_is_ignored(minimal: Path, tmp_path: Path) -> None:
    cache = tmp_path / CACHE_FOLDER
    expected = notes_html(minimal, None)
    cache.mkdir()
    (cache / CITE_CACHE).write_text("{not json", encoding="utf-8")
    assert notes_html(minimal, cache) == expected
    (cache / CITE_CACHE).write_text('["a list"]', encoding="utf-8")
    assert notes_html(minimal, cache) == expected
