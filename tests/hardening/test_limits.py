"""What used to hang (issue 10, item 5) ends in time, and every limit is a named rule with its number
in the README. (The alias bomb, the FIFO and 5,000 `*` around a word are cases of the other files.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import Case, body, run_case
from harness import REPO, assert_kept_promise, assert_usage_error, copy_minimal, typeset


def test_80_kb_of_unclosed_notes_is_read_in_time(tmp_path: Path) -> None:
    run = run_case(Case("unclosed ^[", body("^[" * 40_000), "", ""), tmp_path, "check")
    assert_kept_promise(run)
    assert run.code == 0, run.output[-2000:]


def test_pad_to_100000_on_the_command_line_is_refused(tmp_path: Path) -> None:
    copy_minimal(tmp_path)
    assert_usage_error(typeset("build", "issue", "-o", "out", "--pad-to", "100000", cwd=tmp_path), "--pad-to")


def test_every_limit_is_in_the_readme_with_its_number() -> None:
    from typeset.limits import LIMITS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(LIMITS) >= 5
    for limit in LIMITS:
        assert f"`{limit.rule}`" in readme, limit.rule
        assert f"{limit.number:,}" in readme.split(f"`{limit.rule}`", 1)[1].split("\n", 1)[0], limit


@pytest.mark.parametrize("name", ["yaml-nodes", "yaml-depth", "file-size", "image-pixels", "pad-to"])
def test_the_limits_the_issue_names_exist(name: str) -> None:
    from typeset.limits import LIMITS

    assert f"limit.{name}" in {limit.rule for limit in LIMITS}
