"""The same input gives the same bytes in every profile: across processes, time zones, and again in one process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ALL_PROFILES, ROOTS

from typeset.pipeline import Built, build

pytestmark = pytest.mark.slow


def _pdfs(folder: Path) -> dict[str, bytes]:
    """Every file a build wrote (the issue in each profile, the offprints, the HTML edition, the web
    edition's pages, fonts, images and JATS), not the cache."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".typeset-cache" not in p.parts}


def test_builds_repeat_byte_for_byte(all_profiles: Built, tmp_path: Path) -> None:
    first = _pdfs(all_profiles.pdf.parent)
    assert sum(1 for name in first if name.endswith(".pdf") and not name.startswith("web")) == 6  # three profiles, three offprints
    assert sum(1 for name in first if name.startswith("web")) > 10  # pages, JATS, fonts, images, the PDFs it links to

    # Two more processes, one in another time zone and from a copy of the issue in another
    # folder: nothing may depend on the clock, the zone or where the issue lies.
    args = ["--profile", "screen", "--profile", "print", "--profile", "archive", "--pad-to", "4", "--offprints"]
    elsewhere = tmp_path / "another" / "checkout" / "minimal"
    shutil.copytree(ROOTS / "minimal", elsewhere)
    processes = {}
    for name, zone, issue in (("a", "UTC", ROOTS / "minimal"), ("b", "Asia/Almaty", elsewhere)):  # both at once: no output is shared
        env = {**os.environ, "TZ": zone}
        env.pop("SOURCE_DATE_EPOCH", None)
        command = [sys.executable, "-m", "typeset", "build", str(issue), "-o", str(tmp_path / name), *args]
        processes[name] = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for name, process in processes.items():
        output = process.communicate(timeout=300)[0]
        assert process.returncode == 0, output.decode("utf-8", "replace")
        assert _pdfs(tmp_path / name) == first, f"process {name} wrote different bytes"

    # Again in this process: afresh (no state left from the first build), then into the first
    # build's folder, where the layout cache is used and changes nothing.
    build(ROOTS / "minimal", tmp_path / "c", **ALL_PROFILES)  # type: ignore[arg-type]
    assert _pdfs(tmp_path / "c") == first
    again = build(ROOTS / "minimal", all_profiles.pdf.parent, **ALL_PROFILES)  # type: ignore[arg-type]
    assert again.laid_out == ()
    assert _pdfs(all_profiles.pdf.parent) == first
