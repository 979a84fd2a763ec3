"""`pip install .` (no -e), as from a package index or with pipx: a fresh venv outside the checkout
checks and builds a publication with the shipped themes and fonts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ROOTS = REPO / "tests" / "roots"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with typeset installed from a wheel built from this checkout; its bin folder."""
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(where / "dist"), str(REPO)], check=True, capture_output=True)
    wheel = next((where / "dist").glob("typeset-*.whl"))
    # A venv without a pip of its own (ensurepip takes seconds): this venv's pip installs into it.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where / "venv")], check=True)
    python = where / "venv" / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", str(wheel)], check=True, capture_output=True)
    return where / "venv" / "bin"


def test_a_wheel_install_checks_and_builds_with_the_shipped_themes(installed: Path, tmp_path: Path) -> None:
    issue = tmp_path / "issue"
    shutil.copytree(ROOTS / "minimal", issue)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    outside = tmp_path / "elsewhere"  # no styles/ folder here or above the issue
    outside.mkdir()
    # check and a build in each theme, all at once: each writes only its own folder.
    commands = {"check": ["check", str(issue)]} | {
        theme: ["build", str(issue), "-o", str(tmp_path / theme), "--theme", theme] for theme in ("default", "modern")
    }
    running = {
        name: subprocess.Popen([str(installed / "folio"), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=outside, env=env)
        for name, args in commands.items()
    }
    for name, process in running.items():
        output = process.communicate(timeout=300)[0]
        assert process.returncode == 0, f"{name}: {output}"
    for theme in ("default", "modern"):
        pdf = PdfReader(next((tmp_path / theme).glob("*.pdf")))
        assert "A Test Article" in "".join(page.extract_text() for page in pdf.pages)
        fonts = {str(f["/BaseFont"]).split("+")[-1] for page in pdf.pages for f in (page["/Resources"].get("/Font") or {}).values()}
        assert any(name.startswith("PT") for name in fonts), fonts
    imported = subprocess.run(
        [str(installed / "python"), "-c", "import typeset, pathlib; print(pathlib.Path(typeset.__file__).parent)"],
        capture_output=True,
        text=True,
        cwd=outside,
        env=env,
        check=True,
    )
    assert not Path(imported.stdout.strip()).is_relative_to(REPO), "the test must run the installed copy, not the checkout"
