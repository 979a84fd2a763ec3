"""Command line: parses arguments, calls the pipeline in `build`, prints diagnostics. Nothing else.

Exit codes: 0 success, 1 content errors (diagnostics printed; for `check --strict` warnings too),
2 could not run (usage errors, a missing or unreadable issue folder).
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from . import __version__
from .build import build, check
from .diagnostics import Diagnostic, TypesetError, sorted_diagnostics, to_json

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def _report_bug(exc: BaseException) -> None:
    """An unexpected exception is our bug: one line for the user, the traceback in a log file."""
    with tempfile.NamedTemporaryFile("w", prefix="typeset-crash-", suffix=".log", delete=False) as fh:
        traceback.print_exception(exc, file=fh)
    err.print(f"[red]internal error[/red]: {type(exc).__name__}: {exc}")
    err.print(f"This is a bug in typeset. The details are in {fh.name}; please attach that file to a bug report.")
    sys.exit(3)


def _print_errors(exc: TypesetError) -> None:
    for diag in sorted_diagnostics(exc.diagnostics):
        colour = "red" if diag.severity == "error" else "yellow"
        err.print(f"[{colour}]{escape(diag.text())}[/{colour}]", soft_wrap=True)
    n = sum(d.severity == "error" for d in exc.diagnostics)
    err.print(f"{n} error(s); nothing was written (the previous output, if any, is untouched).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="typeset")
def main() -> None:
    """Typeset an ISSN periodical issue from YAML, Markdown and CSL references into a print-ready PDF."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)


@main.command("build")
@click.argument("issue_dir", default="issue", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", default="output", type=click.Path(file_okay=False, path_type=Path), help="Folder for the PDF and HTML.")
@click.option("--theme", default=None, help="Theme folder under styles/ (overrides issue.yaml).")
@click.option("--allow-network", is_flag=True, help="Let the renderer fetch http(s) resources.")
def build_command(issue_dir: Path, out_dir: Path, theme: str | None, allow_network: bool) -> None:
    """Build ISSUE_DIR (default: issue/) into OUTPUT/<issue>.pdf and .html."""
    try:
        with err.status("loading") as status:
            built = build(issue_dir, out_dir, theme=theme, allow_network=allow_network, progress=lambda step: status.update(_STEPS[step]))
    except TypesetError as exc:
        _print_errors(exc)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - anything else is our bug
        _report_bug(exc)
    for diag in sorted_diagnostics(built.diagnostics):
        err.print(f"[yellow]{escape(diag.text())}[/yellow]", soft_wrap=True)
    notes = ", ".join(str(len(a.notes)) for a in built.issue.articles)
    out.print(f"wrote {built.pdf} ({built.pages} pages) and {built.html}")
    out.print(f"{len(built.issue.articles)} articles, notes per article: {notes}; {built.seconds:.1f} s")


# Faults that leave nothing to check: the folder is not an issue folder or cannot be read.
_CANNOT_RUN = frozenset({"issue.not-found", "file.missing", "file.unreadable"})


@main.command("check")
@click.argument("issue_dir", default="issue", type=click.Path(exists=True, file_okay=False, readable=True, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["human", "json", "github"]), default="human", show_default=True,
    help="human: file:line:col lines; json: a list for tools; github: workflow annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--theme", default=None, help="Theme folder under styles/ (overrides issue.yaml).")
def check_command(issue_dir: Path, fmt: str, strict: bool, theme: str | None) -> None:
    """Report every problem in ISSUE_DIR (default: issue/) that build would meet, without writing a PDF.

    Exit status: 0 clean, 1 problems found (errors; with --strict warnings too), 2 could not run.
    """
    start = time.perf_counter()
    try:
        checked = check(issue_dir, theme=theme)
        diags, accepted = checked.diagnostics, len(checked.accepted)
    except TypesetError as exc:
        if all(d.code in _CANNOT_RUN for d in exc.diagnostics):
            for diag in exc.diagnostics:
                err.print(Text(diag.text(), style="red"), soft_wrap=True)
            sys.exit(2)
        diags, accepted = exc.diagnostics, 0
    except Exception as exc:  # noqa: BLE001 - anything else is our bug
        _report_bug(exc)
    ordered = sorted_diagnostics(diags)
    errors = sum(d.severity == "error" for d in ordered)
    warnings = len(ordered) - errors
    if fmt == "json":
        click.echo(to_json(ordered))
    elif fmt == "github":
        for diag in ordered:
            click.echo(diag.github())
    else:
        _print_human(ordered, errors, warnings, accepted, time.perf_counter() - start)
    sys.exit(1 if errors or (strict and warnings) else 0)


def _print_human(diags: list[Diagnostic], errors: int, warnings: int, accepted: int, seconds: float) -> None:
    for diag in diags:
        out.print(Text(diag.text(), style="red" if diag.severity == "error" else "yellow"), soft_wrap=True)
    also = f", {accepted} accepted in issue.yaml" if accepted else ""
    err.print(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}{also} ({seconds:.1f} s)")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


_STEPS = {
    "load": "reading the issue…",
    "cite": "formatting citations…",
    "html": "writing HTML…",
    "pdf": "laying out pages with WeasyPrint…",
}
