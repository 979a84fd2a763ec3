"""Paths in the content (issue 10, items 3, 4, 5 and 9): NUL, too long, symlink loops, FIFOs, files
and themes outside the issue, an empty figure path, files named inside SVG and CSS."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import EMPTY_FIGURE, PATHS, Case, assert_refused, run_case
from harness import assert_kept_promise, diagnostic


@pytest.mark.parametrize("case", PATHS, ids=str)
def test_path_fault_is_a_positioned_error(case: Case, tmp_path: Path) -> None:
    assert_refused(case, tmp_path)


@pytest.mark.parametrize("command", ["check", "build"])
def test_figure_with_an_empty_path_is_a_warning_of_check_and_build(command: str, tmp_path: Path) -> None:
    run = run_case(EMPTY_FIGURE, tmp_path, command)
    assert_kept_promise(run)
    assert run.code == 0, run.output
    diagnostic(run, EMPTY_FIGURE.rule, EMPTY_FIGURE.file, EMPTY_FIGURE.line, severity="warning")
