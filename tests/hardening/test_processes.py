"""Processes (issue 10, item 6): the layout workers, their fork server and the resource tracker die
with a build killed by SIGKILL, so a caller waiting for the build's output gets end-of-file; Ctrl-C
stops a build quietly with exit 130."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from harness import ENV, REPO, kill_group

SAMPLE = REPO / "issue"
pytestmark = pytest.mark.slow  # each builds the sample issue


def _session(sid: int) -> list[int]:
    """The processes of session `sid` (the build started one of its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()  # state, ppid, pgrp, session, …
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@contextmanager
def _building(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A build of the sample issue, in its own session, once its layout workers run."""
    command = [sys.executable, "-m", "typeset", "build", str(SAMPLE), "-o", str(tmp_path / "out")]
    process = subprocess.Popen(command, env=_temporary(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        seen = 0  # times in a row the build, its resource tracker, the fork server and a worker were seen
        while seen < 3 and time.monotonic() < deadline and process.poll() is None:
            seen = seen + 1 if len(_session(process.pid)) >= 4 else 0
            time.sleep(0.1)
        assert seen == 3, f"the build never ran its layout workers: {_session(process.pid)}"
        time.sleep(0.3)  # into the layout
        yield process
    finally:
        kill_group(process.pid)
        process.wait()


def _temporary(tmp_path: Path) -> dict[str, str]:
    """The environment with a temporary folder of the test's own, to see what a build leaves there."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return {**ENV, "TMPDIR": str(tmp_path / "tmp")}


def _left_in_tmp(tmp_path: Path, seconds: float = 5) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := sorted(p.name for p in (tmp_path / "tmp").iterdir())) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    """WeasyPrint keeps a theme's fonts in a temporary folder per font configuration (about 9 MB);
    the workers' must go when they end, or every build leaves some behind."""
    command = [sys.executable, "-m", "typeset", "build", str(SAMPLE), "-o", str(tmp_path / "out"), "--no-web"]
    subprocess.run(command, env=_temporary(tmp_path), capture_output=True, check=True, timeout=120)
    assert _left_in_tmp(tmp_path) == []


def _eof_within(stream: object, seconds: float) -> bool:
    fd = stream.fileno()  # type: ignore[attr-defined]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready and not os.read(fd, 65536):
            return True
    return False


def _gone_within(sid: int, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _session(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    with _building(tmp_path) as process:
        os.kill(process.pid, signal.SIGKILL)
        assert _eof_within(process.stdout, 10), "a process of the killed build still holds its stdout"
        assert _eof_within(process.stderr, 10), "a process of the killed build still holds its stderr"
        assert not _gone_within(process.pid, 10), "processes of the killed build are still alive"
    # multiprocessing's own folder (pymp-*, a socket) is the killed process's to remove, which it cannot.
    left = [name for name in _left_in_tmp(tmp_path) if not name.startswith("pymp-")]
    assert left == [], "the workers of a killed build removed their temporary folders"


def test_ctrl_c_stops_quietly_with_exit_130(tmp_path: Path) -> None:
    with _building(tmp_path) as process:
        os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does to its foreground group
        out, err = process.communicate(timeout=30)
        output = (out + err).decode("utf-8", "replace")
        assert process.returncode == 130, output
        assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
        assert not _gone_within(process.pid, 10), "processes of the interrupted build are still alive"
    assert _left_in_tmp(tmp_path) == [], "the workers of an interrupted build removed their temporary folders"
