"""Shared fixtures: the sample issue built once per test session, and copies of tiny issues to break."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Callable

import pytest
from fixtures.long_issue import write_long_issue

from typeset.pipeline import Built, build

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).parent / "roots"
sys.path.insert(0, str(REPO / "bench"))  # page_fill: the one measure of how full a page is, for tests too


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample issue, built once: the PDF every page-level test reads."""
    return build(REPO / "issue", tmp_path_factory.mktemp("sample-output"))


@pytest.fixture(scope="session")
def long_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Issue 8 at its printed length (tests/fixtures/long_issue.py), endnotes, built once."""
    issue = write_long_issue(tmp_path_factory.mktemp("long") / "issue")
    return build(issue, tmp_path_factory.mktemp("long-output"))


@pytest.fixture(scope="session")
def long_footnotes_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The same with page-foot notes, built once."""
    issue = write_long_issue(tmp_path_factory.mktemp("long-footnotes") / "issue", notes="footnotes")
    return build(issue, tmp_path_factory.mktemp("long-footnotes-output"))


ALL_PROFILES = {"profiles": ("screen", "print", "archive"), "pad_to": 4, "offprints": True}


@pytest.fixture(scope="session")
def all_profiles(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """tests/roots/minimal in every output profile, padded to a multiple of 4 pages, with offprints."""
    return build(ROOTS / "minimal", tmp_path_factory.mktemp("all-profiles"), **ALL_PROFILES)  # type: ignore[arg-type]


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
