"""The CSL processor test suite through our cite stage: no fixture that passed may start failing.

Fixtures are read from ../shared/csl-test-suite (never copied here) by bench/csl_conformance.py,
which runs each through `typeset.cite.notes.cite_issue`. tests/cite/csl_conformance/known_failures.txt lists
the fixtures we fail today; regenerate it with
`python bench/csl_conformance.py --write-known-failures tests/cite/csl_conformance/known_failures.txt`
after an improvement.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from conftest import require

REPO = Path(__file__).resolve().parents[2]
KNOWN = Path(__file__).parent / "csl_conformance" / "known_failures.txt"


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("csl_conformance", REPO / "bench" / "csl_conformance.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


conformance = _runner()


@pytest.fixture(scope="module")
def results() -> dict[str, bool]:
    require(conformance.FIXTURES.is_dir(), f"the CSL test suite at {conformance.FIXTURES}")
    return {path.stem: ok for path, ok in conformance.passing(conformance.run_ours, conformance.fixtures())}


def known_failures() -> set[str]:
    lines = KNOWN.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_no_regressions(results: dict[str, bool]) -> None:
    regressed = sorted(name for name, ok in results.items() if not ok and name not in known_failures())
    assert not regressed, f"fixtures that passed before now fail: {regressed}"


def test_known_failures_are_all_still_failing(results: dict[str, bool]) -> None:
    """A fixture that now passes must leave known_failures.txt, so that a later regression of it fails."""
    newly = sorted(name for name, ok in results.items() if ok and name in known_failures())
    assert not newly, f"now passing, remove from known_failures.txt: {', '.join(newly)}"
