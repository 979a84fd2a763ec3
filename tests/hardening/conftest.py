"""The hardening tests' one shared build: tests that need a previous output in the folder copy it."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import copy_minimal, typeset


@pytest.fixture(scope="session")
def minimal_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`out/` of the command's build of the minimal issue without the web edition, made once; copy it
    (shutil.copytree(..., symlinks=True)) before a test writes into it."""
    folder = tmp_path_factory.mktemp("minimal-output")
    copy_minimal(folder)
    run = typeset("build", "issue", "-o", "out", "--no-web", cwd=folder)
    assert run.code == 0, run.output
    return folder / "out"
