"""`check` finds what `build` finds (issue 10, item 9): every content fault that fails a build, the
hardening cases and the suite's earlier build-error cases, gives `check` the same rule, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import ALL, Case, run_case
from harness import assert_content_error, assert_kept_promise, copy_minimal, edit, typeset
from test_pipeline_errors import FAULTS


@pytest.mark.parametrize("case", ALL, ids=str)
def test_check_reports_the_rule_build_refuses_with(case: Case, tmp_path: Path) -> None:
    assert_content_error(run_case(case, tmp_path, "check"), case.rule, case.file, case.line)


@pytest.mark.parametrize(("file", "old", "new", "expected"), [f for f in FAULTS if "error[" in f[3]], ids=lambda v: str(v)[:40])
def test_check_reports_the_suites_build_errors(file: str, old: str, new: str, expected: str, tmp_path: Path) -> None:
    issue = copy_minimal(tmp_path)
    edit(issue / file, old, new)
    run = typeset("check", "issue", cwd=tmp_path)
    assert_kept_promise(run)
    assert run.code == 1 and ("issue/" + expected) in run.output, run.output
