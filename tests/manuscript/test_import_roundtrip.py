"""The sample issue's notes as printed, sent through Word footnotes and imported back, are the citations keyed.

The round trip is bench/import_roundtrip.py's (which prints the figures); here it must keep the
issue's target: at least 95 % of each article's notes back as the same citations (same ids,
same locators), and not one source that the note does not cite.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from typeset.pipeline import Built

REPO = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_roundtrip", REPO / "bench" / "import_roundtrip.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


bench = _bench()
pytestmark = pytest.mark.slow  # builds the sample issue


@pytest.fixture(scope="module")
def scores(sample_build: Built, tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    html = sample_build.html.read_text(encoding="utf-8")
    return list(bench.sample_roundtrip(html, tmp_path_factory.mktemp("roundtrip")))


def test_every_article_comes_back_with_its_citations(scores: list[Any]) -> None:
    assert len(scores) == 6
    for score in scores:
        assert score.counts["wrong"] == 0, score.misses
        assert score.counts["same"] >= 0.95 * score.notes, score.misses
