"""Content that passed silently or crashed (issue 10, items 3, 4 and 7): unsafe links in the
publication, Markdown attributes, absurd issue numbers, blank bodies, control characters, titles that
make bad file names, and text wider than the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cases import ARTICLE, CONTENT, Case, assert_refused, body, replace, run_case
from harness import assert_kept_promise, diagnostic


@pytest.mark.parametrize("case", CONTENT, ids=str)
def test_content_fault_is_a_positioned_error(case: Case, tmp_path: Path) -> None:
    assert_refused(case, tmp_path)


def _built(tmp_path: Path, case: Case) -> list[Path]:
    run = run_case(case, tmp_path)
    assert_kept_promise(run)
    assert run.code == 0, run.output
    return sorted((tmp_path / "out").glob("*.pdf"))


def test_title_of_dots_and_slashes_makes_a_plain_file_name(tmp_path: Path) -> None:
    pdfs = _built(tmp_path, Case("title ../../..", replace("issue.yaml", "title: The Test Monitor", "title: '../../..'"), "", ""))
    assert [p.name for p in pdfs] == ["issue-3.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue", "out"]


def test_title_of_300_characters_makes_a_short_file_name(tmp_path: Path) -> None:
    title = " ".join(["Monitor"] * 40)[:300]
    pdfs = _built(tmp_path, Case("300-character title", replace("issue.yaml", "title: The Test Monitor", f"title: {title}"), "", ""))
    assert len(pdfs) == 1 and len(pdfs[0].name) <= 100, pdfs
    assert pdfs[0].name.startswith("monitor-monitor-") and pdfs[0].name.endswith("-issue-3.pdf"), pdfs


@pytest.mark.parametrize(
    ("what", "case", "line"),
    [
        ("word", Case("a word wider than the page", body("Before " + "x" * 400 + " after."), "", ""), 8),
        ("title", Case("a title wider than the page", replace(ARTICLE, "title: 'A Test Article: With a Colon'", "title: " + "Overlong" * 40), "", ""), 1),
        (
            "table",
            Case(
                "a table wider than the page",
                body(
                    "| " + " | ".join(f"heading{n}" for n in range(40)) + " |\n  |" + "---|" * 40 + "\n  | " + " | ".join(f"cell{n}" for n in range(40)) + " |"
                ),
                "",
                "",
            ),
            8,
        ),
    ],
)
def test_text_wider_than_the_page_is_a_warning_naming_the_page(what: str, case: Case, line: int, tmp_path: Path) -> None:
    run = run_case(case, tmp_path)
    assert_kept_promise(run)
    assert run.code == 0, run.output
    found = diagnostic(run, "layout.overflow", ARTICLE, line, severity="warning")
    assert re.search(r"\bpage \d+\b", found["message"]), found.group()
