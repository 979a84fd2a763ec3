"""What reaches the terminal (issue 10, items 3 and 7): control characters from content are shown
escaped, never sent raw (a key holding ESC [2J cleared the screen), and positions are printed
verbatim (Rich turned `:100:` into an emoji)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import ARTICLE, Case, replace, run_case
from harness import assert_kept_promise, copy_minimal, diagnostic, typeset

ESCAPE_KEY = Case(
    "ESC in a key", replace("issue.yaml", "  region: Nowhere\n", '  region: Nowhere\n  "\\e[2Jgotcha": 1\n'), "schema.unknown-field", "issue.yaml", 4
)


@pytest.mark.parametrize("command", ["build", "check"])
def test_control_characters_of_a_key_are_escaped(command: str, tmp_path: Path) -> None:
    run = run_case(ESCAPE_KEY, tmp_path, command)
    assert_kept_promise(run)
    assert b"\x1b" not in run.raw, run.raw[-2000:]
    found = diagnostic(run, "schema.unknown-field", "issue.yaml", 4, severity="warning")
    assert "\\x1b[2Jgotcha" in found["message"], found.group()


def test_control_characters_of_a_path_argument_are_escaped(tmp_path: Path) -> None:
    copy_minimal(tmp_path)
    run = typeset("check", "issue\x1b[2J", cwd=tmp_path)
    assert_kept_promise(run)
    assert run.code == 2 and b"\x1b" not in run.raw, run.raw


LINE_100 = Case(
    "an error on line 100", replace(ARTICLE, "body: |\n", "body: |\n" + "  Filler.\n\n" * 47 + "  Cited.[@no-such-source]\n"), "cite.unknown-id", ARTICLE, 100
)


@pytest.mark.parametrize("command", ["build", "check"])
def test_positions_are_printed_verbatim(command: str, tmp_path: Path) -> None:
    run = run_case(LINE_100, tmp_path, command)
    assert run.code == 1, run.output
    assert "💯" not in run.output
    diagnostic(run, "cite.unknown-id", ARTICLE, 100)
