"""The sample issue's web edition, from the session's sample build."""

from __future__ import annotations

from pathlib import Path

import pytest

from typeset.pipeline import Built


@pytest.fixture(scope="session")
def web_issue(sample_build: Built) -> Path:
    """OUTPUT/web/<issue>/ of the sample build."""
    assert sample_build.web is not None, "the sample build wrote no web edition"
    return sample_build.web.parent
