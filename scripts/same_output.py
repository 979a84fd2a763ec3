"""Does this checkout write the same bytes as an earlier commit?  For refactors that must not
change output (a move of modules, a consolidation): run before committing them.

    python scripts/same_output.py REV [ISSUE_DIR]

Builds ISSUE_DIR (default: the sample issue/) with REV's code and with this working tree's, both
from one copy of the issue in one temporary folder (a PDF names its images by their URL, so the
issue's absolute path is part of its bytes), in fresh processes, and compares every file the two
builds wrote. Exit 0 when all are identical, 1 otherwise (listing the files that differ).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build(code: Path, issue: Path, out: Path) -> None:
    """`python -m typeset build` with the package under `code/src` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(code / "src"), "TYPESET_SERVER": "off"}  # revisions before 5ea003d had a build server
    done = subprocess.run(
        [sys.executable, "-m", "typeset", "build", str(issue), "-o", str(out)], cwd=code, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"the build with {code} failed:\n{done.stdout}{done.stderr}")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and ".typeset-cache" not in p.parts}


def main() -> None:
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    rev = sys.argv[1]
    issue_dir = Path(sys.argv[2]) if len(sys.argv) == 3 else REPO / "issue"
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        scratch = Path(tmp)
        old = scratch / "old"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        issue = scratch / "issue"
        shutil.copytree(issue_dir, issue)
        build(old, issue, scratch / "out-old")
        build(REPO, issue, scratch / "out-new")
        before, after = files(scratch / "out-old"), files(scratch / "out-new")
    differ = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    for name in differ:
        print(f"differs: {name}" if name in before and name in after else f"only in {'the old' if name in before else 'the new'} build: {name}")
    print(f"{len(before.keys() & after.keys()) - len([n for n in differ if n in before and n in after])} of {len(after)} files identical to {rev}'s")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
