"""Hostile YAML (issue 10, items 4, 5 and 7): characters, tags, merge keys, aliases, nesting, alias
bombs, duplicate keys, impossible dates, huge files. Each is a positioned error, never exit 3 or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import YAML, Case, assert_refused, replace, run_case
from harness import assert_content_error


@pytest.mark.parametrize("case", YAML, ids=str)
def test_yaml_fault_is_a_positioned_error(case: Case, tmp_path: Path) -> None:
    assert_refused(case, tmp_path)


def test_python_tag_says_tags_are_not_allowed(tmp_path: Path) -> None:
    """Not "must be text": the writer should learn that the tag is the fault."""
    case = Case("python/object tag", replace("issue.yaml", "region: Nowhere", "region: !!python/object:os.system {}"), "yaml.tag", "issue.yaml", 3)
    found = assert_content_error(run_case(case, tmp_path), case.rule, case.file, case.line)
    assert "tags are not allowed" in found["message"]
    assert "must be text" not in found.string
