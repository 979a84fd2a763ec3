"""Local stylesheets, CSL styles, locales and print profiles (issue 10, items 3 and 4): machine fonts,
unknown font packages, bad unicode ranges, margins wider than the page, a Latin-1 file, a .csl that
is no style, a locale that is no locale, a cut ICC profile, a pad_to of 100,000."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import CSS, Case, assert_refused


@pytest.mark.parametrize("case", CSS, ids=str)
def test_style_fault_is_a_positioned_error(case: Case, tmp_path: Path) -> None:
    assert_refused(case, tmp_path)
