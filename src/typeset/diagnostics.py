"""Diagnostics as data: every stage returns them, only the CLI prints them.

A diagnostic has a stable rule id (`code`, declared in `typeset.rules`), a severity, the
position it is about, a message saying what is wrong and a hint saying how to fix it.
"""

from __future__ import annotations

import difflib
import json
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from typeset.model import SourcePos
from typeset.rules import Severity, lookup


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    pos: SourcePos
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        lookup(self.code, self.severity)  # an undeclared rule or severity is our bug: fail where it is made

    def text(self, root: Path | None = None) -> str:
        """The human form: `path:line:col: error[code]: message` and an indented hint, control characters escaped."""
        where = _relative(self.pos, root)
        out = printable(f"{where}: {self.severity}[{self.code}]: {self.message}")
        if self.hint:
            out += f"\n  hint: {printable(self.hint)}"
        return out

    def as_dict(self, root: Path | None = None) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": _relative_path(self.pos.path, root),
            "line": self.pos.line,
            "col": self.pos.col,
            "message": self.message,
            "hint": self.hint,
        }

    def github(self, root: Path | None = None) -> str:
        """A GitHub Actions workflow command that annotates the line."""
        kind = "error" if self.severity == "error" else "warning"
        msg = printable(self.message + (f" ({self.hint})" if self.hint else ""))
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = printable(_relative_path(self.pos.path, root))
        return f"::{kind} file={file},line={self.pos.line},col={self.pos.col},title={self.code}::{msg}"


class TypesetError(Exception):
    """A user error: printed as diagnostics with exit code 1, never as a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.text() for d in self.diagnostics))


_INVISIBLE = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}  # bidirectional controls: text that reads otherwise than it is


def printable(text: str) -> str:
    """`text` with control characters (and halves of surrogate pairs) shown as escapes (ESC as \\x1b), so that content printed to a
    terminal cannot move the cursor, clear the screen or reorder what is shown; line breaks and tabs stay."""
    return "".join(
        c if c in "\n\t" or (unicodedata.category(c) not in ("Cc", "Cs") and ord(c) not in _INVISIBLE) else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


class CannotRun(Exception):
    """The command cannot run as asked (an output folder it cannot use, a bad SOURCE_DATE_EPOCH):
    one line for the user and exit 2, as for a wrong command line."""


def error(code: str, pos: SourcePos, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(code, "error", pos, message, hint)


def warning(code: str, pos: SourcePos, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(code, "warning", pos, message, hint)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest valid choices (difflib, as click and MkDocs do)."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def sorted_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: (str(d.pos.path), d.pos.line, d.pos.col, d.code))


def to_json(diags: Iterable[Diagnostic], root: Path | None = None) -> str:
    return json.dumps([d.as_dict(root) for d in diags], indent=2, ensure_ascii=False)


def _relative_path(path: Path, root: Path | None) -> str:
    """The path as the user typed it: relative to `root` (default: the working folder) when inside it.
    Links are not followed: an issue.yaml that links elsewhere is still named issue.yaml."""
    base = Path(os.path.abspath(root or Path.cwd()))
    try:
        return str(Path(os.path.abspath(path)).relative_to(base))
    except ValueError:
        return str(path)


def _relative(pos: SourcePos, root: Path | None) -> str:
    where = _relative_path(pos.path, root)
    return f"{where}:{pos.line}:{pos.col}" if pos.line else where
