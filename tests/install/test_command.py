"""The command's name and what an install from a wheel carries.

`typeset` is a builtin of bash, zsh and ksh: after `source .venv/bin/activate`, `typeset build`
would run the shell's builtin, print nothing and exit 0. The command is `folio`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = Path(sysconfig.get_path("scripts"))


def test_bash_finds_folio_as_a_file_not_a_builtin_or_keyword() -> None:
    assert (SCRIPTS / "folio").is_file(), "the folio script is installed beside this Python"
    env = {**os.environ, "PATH": f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}"}
    found = subprocess.run(["bash", "-c", "type -t folio"], capture_output=True, text=True, env=env, check=False)
    assert found.stdout.strip() == "file"
    owned = subprocess.run(["bash", "-c", "type -t typeset"], capture_output=True, text=True, check=False)
    assert owned.stdout.strip() == "builtin"  # why the command is not called typeset


@pytest.mark.parametrize("shell", ["bash", "dash", "zsh", "ksh", "fish"])
def test_no_shell_has_a_builtin_keyword_or_function_called_folio(shell: str) -> None:
    """With nothing on PATH, `type folio` finds nothing in any of the shells our users run."""
    path = shutil.which(shell)
    assert path, f"{shell} is installed by .ci/run (apt-get install {shell})"
    found = subprocess.run([path, "-c", "type folio"], capture_output=True, text=True, env={"PATH": "/nonexistent"}, check=False)
    assert found.returncode != 0, found.stdout
    owned = subprocess.run([path, "-c", "type typeset"], capture_output=True, text=True, env={"PATH": "/nonexistent"}, check=False)
    assert owned.returncode == 0 or shell in ("dash", "fish")  # typeset is a builtin of bash, zsh and ksh


def test_python_dash_m_typeset_is_the_same_command() -> None:
    shown = subprocess.run([sys.executable, "-m", "typeset", "--help"], capture_output=True, text=True, check=True)
    assert shown.stdout.startswith("Usage: python -m typeset") or "Usage:" in shown.stdout
    assert "build" in shown.stdout and "check" in shown.stdout
    version = subprocess.run([str(SCRIPTS / "folio"), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("folio, version ")


def test_every_package_is_listed_for_the_wheel() -> None:
    """pyproject lists packages by hand (the themes map in from styles/): a new package must be added there."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO / "src").parts) for p in (REPO / "src").rglob("__init__.py")}
    assert found | {"typeset.styles"} == listed
