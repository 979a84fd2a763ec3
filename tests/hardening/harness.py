"""Run the command as a user does, in a process of its own with a time limit, and read what it says.

The promise every hardening test checks: exit 1 with `file:line:col: error[rule]: message` and a
`hint:` for anything wrong in the content, exit 2 for a wrong command line or an output folder that
cannot be written, exit 3 only for our own bugs, and never a hang. The command runs as
`python -m typeset`, which works under any name the console script gets.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MINIMAL = REPO / "tests" / "roots" / "minimal"
TIMEOUT = 90.0
"""Seconds a run may take before it counts as a hang (a build of the minimal issue takes about 1 s)."""

# Builds run in the command's own process: no build server outlives a test.
ENV = {**os.environ, "TYPESET_SERVER": "off", "CI": "1", "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
_DIAGNOSTIC = r"^(?P<file>[^\n]*?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning)\[{rule}\]: (?P<message>[^\n]*)(?:\n  hint: (?P<hint>[^\n]*))?"


class Hang(AssertionError):
    """A run that did not end within its time limit (its processes were killed)."""


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    raw: bytes  # stdout and stderr as bytes, for what must never reach a terminal

    @property
    def output(self) -> str:
        return self.out + self.err


def typeset(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = TIMEOUT) -> Run:
    """`python -m typeset ARGS`; a run that does not end within `timeout` fails the test as a hang."""
    return run_command([sys.executable, "-m", "typeset", *map(str, args)], cwd=cwd, env=env, timeout=timeout)


def typeset_together(*commands: list[str], cwd: Path, timeout: float = TIMEOUT) -> list[Future[Run]]:
    """Each of `commands` as `typeset(*command)`, all at once, each in a process of its own; done when
    returned (a hang is raised by its future's result()). Only for commands that write nothing another
    reads: `check` writes nothing, `build` only in its output folder."""
    with ThreadPoolExecutor(len(commands)) as pool:
        return [pool.submit(typeset, *command, cwd=cwd, timeout=timeout) for command in commands]


def run_command(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = TIMEOUT) -> Run:
    process = subprocess.Popen(command, cwd=cwd, env={**ENV, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process.pid)
        out, err = process.communicate()
        raise Hang(f"{' '.join(command)[:300]} gave no answer in {timeout:.0f} s\n{(out + err).decode('utf-8', 'replace')[-3000:]}") from None
    finally:
        kill_group(process.pid)  # nothing a run started may outlive it
    return Run(process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), out + err)


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def assert_kept_promise(run: Run) -> None:
    """Exit 0, 1 or 2, and no traceback: whatever the input."""
    assert run.code in (0, 1, 2), f"exit {run.code}:\n{run.output[-3000:]}"
    assert "Traceback" not in run.output and "internal error" not in run.output, run.output[-3000:]


def diagnostic(run: Run, rule: str, file: str | None = None, line: int | None = None, severity: str = "error") -> re.Match[str]:
    """The first `file:line:col: severity[rule]` line of the output (with its hint) that matches."""
    for found in re.finditer(_DIAGNOSTIC.format(rule=re.escape(rule)), run.output, re.MULTILINE):
        if found["severity"] != severity:
            continue
        if file is not None and not found["file"].endswith(file):
            continue
        if line is not None and int(found["line"]) != line:
            continue
        return found
    where = f" at {file}" + (f":{line}" if line else "") if file else ""
    raise AssertionError(f"no {severity}[{rule}]{where} in:\n{run.output[-4000:]}")


def assert_content_error(run: Run, rule: str, file: str | None = None, line: int | None = None) -> re.Match[str]:
    """Exit 1 and a positioned error of `rule` with a hint."""
    assert_kept_promise(run)
    found = diagnostic(run, rule, file, line)
    assert run.code == 1, f"exit {run.code} with error[{rule}]:\n{run.output[-3000:]}"
    assert found["hint"], f"error[{rule}] has no hint:\n{found.group()}"
    return found


def assert_usage_error(run: Run, *words: str) -> None:
    """Exit 2 with one message that says what is wrong (each of `words` in it), no traceback."""
    assert_kept_promise(run)
    assert run.code == 2, f"exit {run.code}, not 2:\n{run.output[-3000:]}"
    for word in words:
        assert word.lower() in run.output.lower(), f"{word!r} not in:\n{run.output[-3000:]}"


def copy_minimal(folder: Path) -> Path:
    """A writable copy of tests/roots/minimal at `folder/issue`."""
    target = folder / "issue"
    shutil.copytree(MINIMAL, target, symlinks=True)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_setting(issue: Path, line: str) -> None:
    """One more line under `settings:` of issue.yaml (its last section): it lands on line 31."""
    with (issue / "issue.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f"  {line}\n")
