"""`check` finds what `build` finds (issue 10, item 9): every content fault that fails a build gives
`check` the same rule, exit 1. The hardening cases are run through both at once by
`cases.assert_refused` (in test_yaml_input, test_paths, test_css_and_styles and test_content_rules);
here, the suite's earlier build-error cases (test_pipeline_errors.FAULTS, built in-process there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import assert_kept_promise, copy_minimal, edit, typeset
from test_pipeline_errors import FAULTS


@pytest.mark.parametrize(("file", "old", "new", "expected"), [f for f in FAULTS if "error[" in f[3]], ids=lambda v: str(v)[:40])
def test_check_reports_the_suites_build_errors(file: str, old: str, new: str, expected: str, tmp_path: Path) -> None:
    issue = copy_minimal(tmp_path)
    edit(issue / file, old, new)
    run = typeset("check", "issue", cwd=tmp_path)
    assert_kept_promise(run)
    assert run.code == 1 and ("issue/" + expected) in run.output, run.output
