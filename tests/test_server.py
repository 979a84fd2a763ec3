"""`typeset build` (and `check`) through the warm build server: the same files, output and exit
codes as in the command's own process, in the caller's folder and environment; `typeset server`
shows and stops it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="the build server uses Unix sockets")


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An environment whose build servers live in a folder of this test's own, stopped afterwards."""
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "SOURCE_DATE_EPOCH"}}
    env.update(XDG_RUNTIME_DIR=str(tmp_path / "run"), TYPESET_SERVER="on", TYPESET_SERVER_IDLE="120")
    (tmp_path / "run").mkdir()
    yield env
    typeset("server", "stop", env=env, cwd=tmp_path)


def typeset(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "typeset", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_builds_go_through_one_warm_server_in_the_callers_folder(minimal: Path, env: dict[str, str]) -> None:
    cwd = minimal.parent
    first = typeset("build", "issue", "-o", "out", env=env, cwd=cwd)
    assert first.returncode == 0, first.stderr
    pdf = next((cwd / "out").glob("*.pdf"))
    assert "wrote out/" in first.stdout  # relative to the caller's folder, as typed
    assert "started a build server" in first.stderr
    status = typeset("server", "status", env=env, cwd=cwd)
    assert status.returncode == 0 and "1 command served" in status.stdout, status.stdout

    again = typeset("build", "issue", "-o", "out", env=env, cwd=cwd)
    assert again.returncode == 0 and "laid out: nothing (every part from the cache)" in again.stdout
    assert "started a build server" not in again.stderr
    assert "2 commands served" in typeset("server", "status", env=env, cwd=cwd).stdout  # the same server served it

    epoch = typeset("build", "issue", "-o", "out", env={**env, "SOURCE_DATE_EPOCH": "946684800"}, cwd=cwd)
    assert epoch.returncode == 0, epoch.stderr
    with pikepdf.open(pdf) as document:
        assert str(document.docinfo["/CreationDate"]).startswith("D:20000101")  # the caller's environment


def test_a_content_error_reports_and_keeps_the_last_good_pdf(minimal: Path, env: dict[str, str]) -> None:
    cwd = minimal.parent
    assert typeset("build", "issue", "-o", "out", env=env, cwd=cwd).returncode == 0
    pdf = next((cwd / "out").glob("*.pdf"))
    good = pdf.read_bytes()
    article = minimal / "articles" / "one.yaml"
    article.write_text(article.read_text().replace("authors: [Bea Author]", "authors: [Bea Author"))
    broken = typeset("build", "issue", "-o", "out", env=env, cwd=cwd)
    assert broken.returncode == 1
    assert "issue/articles/one.yaml:3:14: error[yaml.syntax]" in broken.stderr and "nothing was written" in broken.stderr
    assert pdf.read_bytes() == good


def test_stop_and_the_ways_to_build_without_a_server(minimal: Path, env: dict[str, str], tmp_path: Path) -> None:
    cwd = minimal.parent
    assert typeset("build", "issue", "-o", "out", env=env, cwd=cwd).returncode == 0
    stopped = typeset("server", "stop", env=env, cwd=cwd)
    assert "stopped build server pid" in stopped.stdout
    assert typeset("server", "status", env=env, cwd=cwd).returncode == 1
    for without in ({"TYPESET_SERVER": "off"}, {"TYPESET_SERVER": "", "CI": "true"}):
        built = typeset("build", "issue", "-o", "out", env={**env, **without}, cwd=cwd)
        assert built.returncode == 0, built.stderr
        assert not list((tmp_path / "run").rglob("*.sock")), without  # built in-process: no server started


def test_check_uses_a_running_server_and_answers_as_in_its_own_process(minimal: Path, env: dict[str, str], tmp_path: Path) -> None:
    cwd = minimal.parent
    alone = typeset("check", "issue", "--format", "json", env={**env, "TYPESET_SERVER": "off"}, cwd=cwd)
    assert not list((tmp_path / "run").rglob("*.sock"))  # check never starts a server
    assert typeset("build", "issue", "-o", "out", env=env, cwd=cwd).returncode == 0
    served = typeset("check", "issue", "--format", "json", env=env, cwd=cwd)
    assert (served.returncode, served.stdout) == (alone.returncode, alone.stdout)
    assert "2 commands served" in typeset("server", "status", env=env, cwd=cwd).stdout


def test_a_server_that_cannot_start_leaves_the_build_to_the_command(minimal: Path, env: dict[str, str], tmp_path: Path) -> None:
    """A socket path longer than Unix allows: no server can listen there, and the command builds by itself."""
    deep = tmp_path / ("r" * 120)
    deep.mkdir()
    built = typeset("build", "issue", "-o", "out", env={**env, "XDG_RUNTIME_DIR": str(deep)}, cwd=minimal.parent)
    assert built.returncode == 0, built.stderr
    assert "started a build server" not in built.stderr
    assert next((minimal.parent / "out").glob("*.pdf")).is_file()


def test_the_server_writes_the_same_bytes_as_the_command_alone(minimal: Path, env: dict[str, str]) -> None:
    cwd = minimal.parent
    assert typeset("build", "issue", "-o", "served", env=env, cwd=cwd).returncode == 0
    assert typeset("build", "issue", "-o", "alone", env={**env, "TYPESET_SERVER": "off"}, cwd=cwd).returncode == 0
    for built in (p for p in (cwd / "alone").iterdir() if p.is_file()):
        assert (cwd / "served" / built.name).read_bytes() == built.read_bytes(), built.name


def test_a_servers_folder_open_to_others_is_refused_with_one_line(env: dict[str, str], tmp_path: Path) -> None:
    shared = tmp_path / "run" / f"typeset-{os.getuid()}"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    status = typeset("server", "status", env=env, cwd=tmp_path)
    assert status.returncode == 2
    assert "is not private to this user" in status.stderr and "Traceback" not in status.stderr
