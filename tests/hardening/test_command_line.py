"""The command line and the machine (issue 10, item 4): output folders that cannot be, a
SOURCE_DATE_EPOCH that is no date, a full disk, a read-only output folder, a locked PDF. Exit 2
with one line that says what is wrong, never a traceback; the previous output stays intact."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from harness import assert_kept_promise, assert_usage_error, copy_minimal, edit, run_command, typeset

UNSHARE = shutil.which("unshare")


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    return copy_minimal(tmp_path)


def test_output_folder_is_the_issue_folder(issue: Path, tmp_path: Path) -> None:
    assert_usage_error(typeset("build", "issue", "-o", "issue", cwd=tmp_path), "issue folder")
    assert not (issue / ".typeset-cache").exists()


def test_output_folder_inside_the_issue_folder(issue: Path, tmp_path: Path) -> None:
    assert_usage_error(typeset("build", "issue", "-o", "issue/out", cwd=tmp_path), "issue folder")
    assert not (issue / "out").exists()


@pytest.mark.parametrize("out", ["/proc/typeset-out", "/sys/typeset-out", "x" * 5000])
def test_output_folder_that_cannot_be_made(out: str, issue: Path, tmp_path: Path) -> None:
    assert_usage_error(typeset("build", "issue", "-o", out, cwd=tmp_path), "output folder")


def test_cache_folder_that_is_a_file(issue: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".typeset-cache").write_text("mine")
    assert_usage_error(typeset("build", "issue", "-o", "out", cwd=tmp_path), ".typeset-cache")
    assert (tmp_path / "out" / ".typeset-cache").read_text() == "mine"


@pytest.mark.parametrize("epoch", ["99999999999999999999", "-99999999999999", "yesterday"])
def test_source_date_epoch_that_is_no_date(epoch: str, issue: Path, tmp_path: Path) -> None:
    assert_usage_error(typeset("build", "issue", "-o", "out", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": epoch}), "SOURCE_DATE_EPOCH")


def test_preflight_of_a_password_protected_pdf(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(user="secret", owner="secret"))
    assert_usage_error(typeset("preflight", tmp_path / "locked.pdf"), "password")


def _in_namespace(script: str, tmp_path: Path) -> str:
    """`script` (sh) as root of a user and mount namespace of its own: mounts without privileges."""
    if UNSHARE is None or subprocess.run([UNSHARE, "-Urm", "true"], capture_output=True).returncode:
        pytest.skip("needs unshare -Urm (user namespaces) to mount a full or read-only output folder")
    run = run_command([UNSHARE, "-Urm", "sh", "-c", script], cwd=tmp_path)
    return run.output


def _built_then_edited(issue: Path, tmp_path: Path, built: Path) -> bytes:
    """A build in out/ (a copy of `built`), then a change to the issue so the next build must write new files."""
    shutil.copytree(built, tmp_path / "out", symlinks=True)
    edit(issue / "articles/one.yaml", "Keep testing.", "Keep testing, again.")
    return (tmp_path / "out" / "the-test-monitor-issue-3.pdf").read_bytes()


def _namespaced_build(tmp_path: Path, mount: str) -> str:
    python = f"{sys.executable} -m typeset build issue -o out --no-web"
    return _in_namespace(
        f"set -e; cp -a out saved; {mount}; "
        f'set +e; {python} > log.out 2> log.err; echo "exit=$?" >> log.err; cat log.out log.err; '
        "cmp out/the-test-monitor-issue-3.pdf saved/the-test-monitor-issue-3.pdf && echo PREVIOUS-INTACT",
        tmp_path,
    )


def test_full_disk(issue: Path, tmp_path: Path, minimal_output: Path) -> None:
    _built_then_edited(issue, tmp_path, minimal_output)
    output = _namespaced_build(tmp_path, "mount -t tmpfs -o size=4m tmpfs out; cp -a saved/. out/; cat /dev/zero > out/filler 2>/dev/null || true")
    assert "exit=2" in output, output
    assert "Traceback" not in output and "PREVIOUS-INTACT" in output, output
    assert "cannot write" in output and "out/" in output and "intact" in output.replace("PREVIOUS-INTACT", ""), output


def test_read_only_output_folder(issue: Path, tmp_path: Path, minimal_output: Path) -> None:
    _built_then_edited(issue, tmp_path, minimal_output)
    output = _namespaced_build(tmp_path, "mount --bind out out; mount -o remount,bind,ro out")
    assert "exit=2" in output, output
    assert "Traceback" not in output and "PREVIOUS-INTACT" in output, output
    assert "cannot write" in output and "intact" in output.replace("PREVIOUS-INTACT", ""), output


def test_unwritable_output_keeps_the_promise_without_namespaces(issue: Path, tmp_path: Path) -> None:
    """An output folder that is a file: exit 2, not a traceback (works on any machine)."""
    (tmp_path / "out").write_text("a file")
    run = typeset("build", "issue", "-o", "out", cwd=tmp_path)
    assert_kept_promise(run)
    assert run.code == 2, run.output
    assert (tmp_path / "out").read_text() == "a file"
