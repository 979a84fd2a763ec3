"""Writing output never follows a symlink out of the output folder (issue 10, item 3): a link where
an image copy, the PDF, the images folder or the cache goes is replaced or refused, and what it
points to is untouched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from harness import assert_kept_promise, copy_minimal, typeset

PDF = "the-test-monitor-issue-3.pdf"


@pytest.fixture
def built(minimal_output: Path, tmp_path: Path) -> Path:
    """The minimal issue at tmp_path/issue with a copy of its build in tmp_path/out, and a folder
    `outside` with a precious file."""
    copy_minimal(tmp_path)
    shutil.copytree(minimal_output, tmp_path / "out", symlinks=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "precious").write_bytes(b"do not overwrite")
    return tmp_path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _link(path: Path, target: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.rglob("*"), reverse=True):
            child.rmdir() if child.is_dir() else child.unlink()
        path.rmdir()
    else:
        path.unlink(missing_ok=True)
    os.symlink(target, path)


@pytest.mark.parametrize(
    ("link", "to"),
    [
        ("out/images/fig.png", "outside/precious"),
        ("out/" + PDF, "outside/precious"),
        ("out/the-test-monitor-issue-3.html", "outside/precious"),
        ("out/images", "outside"),
        ("out/web", "outside"),
        ("out/.typeset-cache", "outside"),
    ],
)
def test_a_symlink_in_the_output_folder_is_not_followed(link: str, to: str, built: Path) -> None:
    _link(built / link, built / to)
    before = _snapshot(built / "outside")
    run = typeset("build", "issue", "-o", "out", *([] if link == "out/web" else ["--no-web"]), cwd=built)  # the web edition only where it is the subject
    assert_kept_promise(run)
    assert _snapshot(built / "outside") == before, run.output
    if run.code == 0:  # the link was replaced by the file itself
        assert not (built / link).is_symlink()
    else:
        assert run.code == 2 and link.split("/", 1)[1] in run.output, run.output
