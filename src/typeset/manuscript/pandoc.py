"""The pandoc that `pypandoc-binary` ships, run with limits: a file → pandoc's output, or a positioned error.

pandoc runs sandboxed (it reads only the file named on its command line and fetches nothing),
with a memory ceiling and a time limit, so a hostile or broken file costs at most those and
ends in one clear message instead of a traceback or a hung command.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from typeset.diagnostics import TypesetError, error
from typeset.model import SourcePos

TIMEOUT = 300
"""Seconds pandoc may take for one file: a 500-page manuscript takes a few."""
MEMORY = "2g"
"""pandoc's heap ceiling (GHC runtime `-M`)."""


def pandoc_path() -> str:
    """Where the bundled pandoc is (pypandoc finds it, or one on PATH)."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise TypesetError(
            [error("import.no-pandoc", SourcePos(Path("pandoc")), f"pandoc is not available: {exc}", "install typeset with its dependencies: pip install -e .")]
        ) from None


def run_pandoc(args: Sequence[str], source: Path, *, cwd: Path | None = None, what: str = "file", sandbox: bool = True) -> str:
    """pandoc's standard output for `args`; any failure is an `import.unreadable` error about `source`.

    `sandbox=False` lets pandoc read the images a document links to (for making test manuscripts).
    """
    command = [pandoc_path(), "+RTS", f"-M{MEMORY}", "-RTS", *(["--sandbox"] if sandbox else []), *args]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, cwd=cwd, check=False)
    except subprocess.TimeoutExpired:
        raise _unreadable(source, what, f"pandoc took more than {TIMEOUT} s", "split the document, or save it again from your word processor") from None
    except OSError as exc:
        raise _unreadable(source, what, f"pandoc could not run: {exc}", "reinstall typeset's dependencies") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else f"pandoc exited with code {done.returncode}"
        if "heap" in reason.lower():
            reason = "it needs more memory than allowed"
        raise _unreadable(source, what, reason, "open it in your word processor and save it again; if that fails, the file is damaged")
    return done.stdout.decode("utf-8", "replace")


def _unreadable(source: Path, what: str, reason: str, hint: str) -> TypesetError:
    return TypesetError([error("import.unreadable", SourcePos(source), f"cannot read {what} {source.name}: {reason}", hint)])
