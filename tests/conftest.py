"""Shared fixtures: the sample issue built once per test session, and copies of tiny issues to break."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures.long_issue import write_long_issue
from hypothesis import HealthCheck, settings

from typeset.pipeline import Built, build

REPO = Path(__file__).resolve().parents[1]
IN_CI = bool(os.environ.get("CI"))

# Property tests: under CI the same examples every run (derived from each test, no example
# database, no timing checks), so a red CI run is a change's fault, never the dice's; on a
# developer's machine new random examples each run, to find what CI would not. A test's own
# @settings inherits the profile, so it must not set derandomize; `--hypothesis-profile` picks
# one by hand, and long random runs belong in bench/ scripts.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", settings())
settings.load_profile("ci" if IN_CI else "dev")


def require(present: bool, what: str) -> None:
    """Skip a test whose tool or fixture is missing on a developer's machine; fail it under CI
    (.ci/run installs everything), so a green CI run never hides a test that did not run."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"missing under CI: {what}")
    pytest.skip(f"missing: {what}", allow_module_level=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--accept-golden", action="store_true", help="write the golden files anew from this run's output (review the diff before committing)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds whole documents or installs packages (deselect with -m 'not slow')")


ROOTS = Path(__file__).parent / "roots"
sys.path.insert(0, str(REPO / "bench"))  # page_fill: the one measure of how full a page is, for tests too


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample issue, built once: the PDF every page-level test reads."""
    return build(REPO / "issue", tmp_path_factory.mktemp("sample-output"))


@pytest.fixture(scope="session")
def sample_footnotes_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample issue with `notes: footnotes`, built once; its PDF only (the web edition of page-foot
    notes is built by tests/layout/test_footnotes.py on the minimal issue)."""
    issue = tmp_path_factory.mktemp("sample-footnotes") / "issue"
    shutil.copytree(REPO / "issue", issue)
    yaml = issue / "issue.yaml"
    assert "  notes: endnotes\n" in yaml.read_text()
    yaml.write_text(yaml.read_text().replace("  notes: endnotes\n", "  notes: footnotes\n"))
    return build(issue, tmp_path_factory.mktemp("sample-footnotes-output"), web=False)


@pytest.fixture(scope="session")
def long_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Issue 8 at its printed length (tests/fixtures/long_issue.py), endnotes, built once; its PDF
    only, as no test reads its web edition (the sample's is read, and costs half its build)."""
    issue = write_long_issue(tmp_path_factory.mktemp("long") / "issue")
    return build(issue, tmp_path_factory.mktemp("long-output"), web=False)


@pytest.fixture(scope="session")
def long_footnotes_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The same with page-foot notes, built once (its PDF only)."""
    issue = write_long_issue(tmp_path_factory.mktemp("long-footnotes") / "issue", notes="footnotes")
    return build(issue, tmp_path_factory.mktemp("long-footnotes-output"), web=False)


@pytest.fixture(scope="session")
def web_issue(sample_build: Built) -> Path:
    """OUTPUT/web/<issue>/ of the sample build: the web edition's issue page and article folders."""
    assert sample_build.web is not None, "the sample build wrote no web edition"
    return sample_build.web.parent


@pytest.fixture(scope="session")
def languages_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """tests/roots/languages (Russian, Kazakh and Uzbek articles), built once: its PDF and its web edition."""
    return build(ROOTS / "languages", tmp_path_factory.mktemp("languages"))


ALL_PROFILES = {"profiles": ("screen", "print", "archive"), "pad_to": 4, "offprints": True}


@pytest.fixture(scope="session")
def all_profiles(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """tests/roots/minimal in every output profile, padded to a multiple of 4 pages, with offprints."""
    return build(ROOTS / "minimal", tmp_path_factory.mktemp("all-profiles"), **ALL_PROFILES)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def minimal_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/roots/minimal built once, without the web edition: an output folder holding a good build,
    for tests of what a later build does to one to copy (shutil.copytree(..., symlinks=True)) first.
    Built in this process: test_reproducible shows the command writes the same bytes."""
    out = tmp_path_factory.mktemp("minimal-output") / "out"
    build(ROOTS / "minimal", out, web=False)
    return out


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of tests/roots/minimal, a one-article issue to plant faults in."""
    target = tmp_path / "issue"
    shutil.copytree(ROOTS / "minimal", target)
    return target


@pytest.fixture
def check_root(tmp_path: Path) -> Callable[[str], Path]:
    """`check_root("check-x")`: tests/roots/check-clean with the files of tests/roots/check-x laid over it.

    A check-* root holds only the files its fault is in, so the fault is all one reads there.
    """

    def make(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(ROOTS / "check-clean", target)
        shutil.copytree(ROOTS / name, target, dirs_exist_ok=True)
        return target

    return make
