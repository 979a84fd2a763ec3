"""Local stylesheets, CSL styles, locales and print profiles (issue 10, items 3 and 4): machine fonts,
unknown font packages, bad unicode ranges, margins wider than the page, a Latin-1 file, a .csl that
is no style, a locale that is no locale, a cut ICC profile, a pad_to of 100,000."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import CSS, Case, run_case
from harness import assert_content_error


@pytest.mark.parametrize("case", CSS, ids=str)
def test_style_fault_is_a_positioned_error(case: Case, tmp_path: Path) -> None:
    run = run_case(case, tmp_path)
    assert_content_error(run, case.rule, case.file, case.line)
    assert not list((tmp_path / "out").glob("*.pdf"))
