"""The sample issue's HTML, compared with tests/golden/sample.html: any change to what the
renderer writes shows here as a readable diff. After an intended change, run
`pytest tests/render/test_golden.py --accept-golden`, read `git diff tests/golden`, and say in
the commit what changed and why."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from typeset.pipeline import build_date, prepare
from typeset.render.html import render_html

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "sample.html"


def test_sample_html_matches_the_golden_file(request: pytest.FixtureRequest) -> None:
    prepared = prepare(REPO / "issue")
    html = render_html(prepared.issue, prepared.theme, created=build_date(prepared.issue))
    if request.config.getoption("--accept-golden"):
        GOLDEN.write_text(html, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    if html != expected:
        diff = difflib.unified_diff(expected.splitlines(), html.splitlines(), "golden/sample.html", "this run", n=2, lineterm="")
        shown = list(diff)
        more = f"\n… and {len(shown) - 80} more diff lines" if len(shown) > 80 else ""
        pytest.fail("the sample's HTML changed (--accept-golden to accept):\n" + "\n".join(shown[:80]) + more, pytrace=False)
