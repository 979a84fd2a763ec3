"""Cite-stage timings over Issue 8's 264 notes (shared/issue8/notes) in OSCOLA, Chicago full note and APA.

    python bench/cite_bench.py

cold: first cite_issue in the process (parses style and locale); render: style parsed, note
cache empty (what one build pays); warm: everything cached (a second run in the same process).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO / "tests"), str(REPO / "tests" / "cite")]

from cite_fixtures import cite, issue8

from typeset.cite import notes as cite_stage

STYLES = ["oscola", "chicago-notes-bibliography", "apa"]


def timed(style: str) -> tuple[float, float, float, int]:
    issue = issue8(style=style, bibliography="article")
    notes = sum(len(a.notes) for a in issue.articles)
    start = time.perf_counter()
    cite(issue)
    cold = time.perf_counter() - start
    cite_stage._cache.clear()
    start = time.perf_counter()
    cite(issue)
    render = time.perf_counter() - start
    start = time.perf_counter()
    cite(issue)
    warm = time.perf_counter() - start
    return cold, render, warm, notes


def main() -> None:
    print(f"{'style':<30}{'notes':>6}{'cold s':>9}{'render s':>10}{'warm s':>9}")
    for style in STYLES:
        cold, render, warm, notes = timed(style)
        print(f"{style:<30}{notes:>6}{cold:>9.2f}{render:>10.2f}{warm:>9.3f}")


if __name__ == "__main__":
    main()
