"""Diagnostics + the editor's accepted deviations (issue.yaml `check: accept:`) → what still counts.

An issue sometimes carries a fault the editor cannot mend (a source printed without an access
date): accepting it by rule and file, with a reason, keeps `check` strict about everything
else. An acceptance that no longer matches anything is reported, so none outlives its cause.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

from typeset.diagnostics import Diagnostic, warning
from typeset.model import Acceptance


def apply_acceptances(diags: list[Diagnostic], accepted: tuple[Acceptance, ...], root: Path) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(diagnostics that still count, diagnostics accepted); errors can't be accepted."""
    kept: list[Diagnostic] = []
    taken: list[Diagnostic] = []
    used: set[int] = set()
    for diag in diags:
        match = next((i for i, a in enumerate(accepted) if diag.severity == "warning" and _matches(a, diag, root)), None)
        if match is None:
            kept.append(diag)
        else:
            used.add(match)
            taken.append(diag)
    for i, acceptance in enumerate(accepted):
        if i not in used:
            kept.append(
                warning(
                    "check.unused-accept",
                    acceptance.pos,
                    f"nothing matches the accepted rule '{acceptance.rule}' any more",
                    "remove this entry from check: accept:",
                )
            )
    return kept, taken


def _matches(acceptance: Acceptance, diag: Diagnostic, root: Path) -> bool:
    if diag.code != acceptance.rule:
        return False
    try:
        rel = Path(diag.pos.path).resolve().relative_to(root).as_posix()
    except ValueError:
        return False
    return any(fnmatch(rel, pattern) for pattern in acceptance.files)
