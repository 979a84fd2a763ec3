"""The fuzz test (issue 10): generated issue folders with hostile values in every field of the schema,
hostile YAML text, hostile files where the issue names files and hostile links in the output folder.
`check` and `build` end with exit 0, 1 or 2 within a time limit, print no traceback, and change
nothing outside the output folder. This is the short profile run with the suite (a few dozen
examples, about a minute); `python bench/fuzz.py` is the long one."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fuzzing import Example, examples, run_example
from hypothesis import HealthCheck, Phase, given, settings


@settings(max_examples=20, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=list(HealthCheck))
@given(examples())
def test_hostile_issue_keeps_the_promise(example: Example) -> None:
    with tempfile.TemporaryDirectory(prefix="typeset-fuzz-") as folder:
        outcome = run_example(example, Path(folder))
    assert not outcome.problems, "\n\n".join(outcome.problems)
