"""Command line: parses arguments, calls the pipeline in `build`, prints diagnostics. Nothing else.

Exit codes: 0 success, 1 content errors (diagnostics printed), 2 usage errors (click).
"""

from __future__ import annotations

import logging
import sys
import tempfile
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from . import __version__
from .build import build
from .diagnostics import TypesetError, sorted_diagnostics

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


_STEPS = {
    "load": "reading the issue…",
    "cite": "formatting citations…",
    "html": "writing HTML…",
    "pdf": "laying out pages with WeasyPrint…",
}
