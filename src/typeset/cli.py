"""Command line: parses arguments, calls the pipeline in `pipeline`, prints diagnostics. Nothing else.

Exit codes: 0 success, 1 content errors (diagnostics printed; for `check --strict` warnings too),
2 could not run (usage errors, a missing or unreadable issue folder).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import pikepdf
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from typeset import __version__
from typeset.pipeline import build, prepare
from typeset.diagnostics import Diagnostic, TypesetError, sorted_diagnostics, to_json
from typeset.layout.pool import Workers
from typeset.output.preflight import Report, preflight, theme_families
from typeset.output.profiles import PROFILES
from typeset.theme import find_theme

T = TypeVar("T")
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
    err.print(f"{_count(n, 'error')}; nothing was written (the previous output, if any, is untouched).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="typeset")
def main() -> None:
    """Typeset an ISSN periodical issue from YAML, Markdown and CSL references into a print-ready PDF."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)


_CSS_HELP = "A local stylesheet in the issue folder applied after the theme's (repeatable; adds to issue.yaml's settings: css)."


@main.command("build")
@click.argument("issue_dir", default="issue", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", default="output", type=click.Path(file_okay=False, path_type=Path), help="Folder for the PDF and HTML.")
@click.option("--theme", default=None, help="Theme folder under styles/ (overrides issue.yaml).")
@click.option("--css", "css", multiple=True, type=click.Path(dir_okay=False, path_type=Path), help=_CSS_HELP)
@click.option("--allow-network", is_flag=True, help="Let the renderer fetch http(s) resources.")
@click.option("--profile", "profiles", multiple=True, type=click.Choice(list(PROFILES)), help="PDF to write (repeatable; overrides settings: profiles): " + "; ".join(f"{p.name}: {p.about}" for p in PROFILES.values()) + ".")
@click.option("--pad-to", type=click.IntRange(min=0), default=None, help="Pad with notes pages before the back cover to a multiple of N pages (4: saddle stitch; 0: no padding).")
@click.option("--offprints/--no-offprints", default=None, help="Also write one PDF per article under OUTPUT/articles/.")
def build_command(issue_dir: Path, out_dir: Path, theme: str | None, css: tuple[Path, ...], allow_network: bool, profiles: tuple[str, ...], pad_to: int | None, offprints: bool | None) -> None:
    """Build ISSUE_DIR (default: issue/) into OUTPUT/<issue>.pdf (and -print.pdf, -archive.pdf) and .html."""
    warm = click.get_current_context().obj  # the build server's workers, if it runs this command
    try:
        with err.status("loading") as status, contextlib.nullcontext(warm) if isinstance(warm, Workers) else Workers() as workers:
            built = build(
                issue_dir, out_dir, theme=theme, css=css, allow_network=allow_network, progress=lambda step: status.update(_STEPS[step]),
                profiles=profiles, pad_to=pad_to, offprints=offprints, workers=workers,
            )
    except TypesetError as exc:
        _print_errors(exc)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - anything else is our bug
        _report_bug(exc)
    for diag in sorted_diagnostics(built.diagnostics):
        err.print(f"[yellow]{escape(diag.text())}[/yellow]", soft_wrap=True)
    notes = ", ".join(str(len(a.notes)) for a in built.issue.articles)
    for made in built.outputs:
        padded = f"; {_count(made.padded, 'notes page')} added before the back cover" if made.padded else ""
        out.print(escape(f"wrote {out_dir / made.path} ({_count(made.pages, 'page')}) — {made.profile.name}: {made.profile.about}{padded}; {made.seconds:.1f} s"), soft_wrap=True)
        if made.offprints:
            out.print(escape(f"  and {_count(len(made.offprints), 'offprint')} under {out_dir / 'articles'}"), soft_wrap=True)
        if made.preflight:
            out.print(escape("  preflight: " + _preflight_summary(made.preflight)), soft_wrap=True)
    out.print(f"wrote {built.html}")
    out.print(f"{_count(len(built.issue.articles), 'article')}, notes per article: {notes}; {built.seconds:.1f} s")
    out.print(f"laid out: {', '.join(built.laid_out) or 'nothing (every part from the cache)'}")


@main.group("server")
def server_group() -> None:
    """The build server that keeps `typeset build` warm between runs (see README: Speed)."""


@server_group.command("status")
def server_status() -> None:
    """Say whether a build server for this installation is running."""
    from typeset import server_client

    found = _server_call(lambda: server_client.ask(server_client.socket_path(), {"status": True}))
    if not found:
        out.print("no build server is running for this installation")
        sys.exit(1)
    uptime = time.time() - float(found["started"])
    out.print(f"build server pid {found['pid']}: up {uptime / 60:.0f} min, {_count(found['served'], 'command')} served, socket {found['socket']}")


@server_group.command("stop")
def server_stop() -> None:
    """Stop every build server of this user (e.g. to free its memory)."""
    from typeset import server_client

    def stop_all() -> list[Any]:
        return [r["stopped"] for path in sorted(server_client.folder().glob("build-*.sock")) if (r := server_client.ask(path, {"stop": True}))]

    stopped = _server_call(stop_all)
    out.print(f"stopped build server pid {', '.join(map(str, stopped))}" if stopped else "no build server was running")


def _server_call(call: Callable[[], T]) -> T:
    """`call`, or exit 2 with one line if the servers' folder cannot be used (not private, unreadable)."""
    try:
        return call()
    except OSError as exc:
        err.print(f"[red]cannot reach the build servers' folder[/red]: {escape(str(exc))}", soft_wrap=True)
        sys.exit(2)


@main.command("preview")
@click.argument("issue_dir", default="issue", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", default="output", type=click.Path(file_okay=False, path_type=Path), help="Folder for the PDF and HTML.")
@click.option("--theme", default=None, help="Theme folder under styles/ (overrides issue.yaml).")
@click.option("--css", "css", multiple=True, type=click.Path(dir_okay=False, path_type=Path), help=_CSS_HELP)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port on 127.0.0.1 (0: any free port).")
@click.option("--allow-network", is_flag=True, help="Let the renderer fetch http(s) resources.")
def preview_command(issue_dir: Path, out_dir: Path, theme: str | None, css: tuple[Path, ...], port: int, allow_network: bool) -> None:
    """Serve the pages of ISSUE_DIR's PDF on localhost, rebuilt whenever a file of the issue or its theme is saved."""
    # pdfium and the file watcher: only the preview needs them.
    from typeset.serve.preview import Preview, run

    preview = Preview(issue_dir, out_dir, Workers(), theme=theme, css=css, allow_network=allow_network)

    def ready(url: str) -> None:
        out.print(f"preview on {url}  (the first build took {preview.status()['seconds']} s; Ctrl-C stops)")
        sys.stdout.flush()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # stop cleanly: the workers go with us
    try:
        run(preview, port, ready, stop)
    except OSError as exc:
        err.print(f"[red]cannot serve on port {port}[/red]: {exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        pass


def _preflight_summary(report: Report) -> str:
    faults = _count(len(report.findings), "fault") if report.findings else "no faults"
    if not report.claim:
        return f"{faults}; the file claims no PDF/X or PDF/A conformance"
    backed = "backed by" if report.backed else "NOT backed by"
    return f"{faults}; claims {report.claim}, {backed} these structure checks: {', '.join(report.checked)}"


@main.command("preflight")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--theme", default=None, help="The theme the PDF was set with: text in any other font is reported as a fallback font.")
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human", show_default=True, help="human: one line per fault; json: a list for tools.")
def preflight_command(pdf: Path, theme: str | None, fmt: str) -> None:
    """Check PDF for print faults, with page numbers: fonts not embedded, images under 300 ppi, RGB
    in a CMYK file, text over the trim, artwork stopping at the trim, missing glyphs, empty pages,
    and whether the file's structure backs its PDF/X or PDF/A claim.

    Exit status: 0 clean, 1 faults found, 2 could not run.
    """
    try:
        families = theme_families(find_theme(theme, pdf.resolve().parent)) if theme else frozenset()
        report = preflight(pdf.read_bytes(), pdf, theme_fonts=families)
    except TypesetError as exc:
        _print_errors(exc)
        sys.exit(2)
    except pikepdf.PdfError as exc:
        err.print(f"[red]{escape(str(pdf))}: not a readable PDF: {escape(str(exc))}[/red]")
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - anything else is our bug
        _report_bug(exc)
    if fmt == "json":
        click.echo(to_json(report.findings))
    else:
        for diag in report.findings:
            out.print(Text(diag.text(), style="red"), soft_wrap=True)
        out.print(escape(f"{pdf}: {_count(report.pages, 'page')}; " + _preflight_summary(report)), soft_wrap=True)
    sys.exit(1 if report.findings else 0)


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
        checked = prepare(issue_dir, theme=theme)
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
    """`1 article`, `2 articles`: every count the commands print (their nouns all take an s)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


_STEPS = {
    "load": "reading the issue…",
    "cite": "formatting citations…",
    "html": "writing HTML…",
    "pdf": "laying out pages with WeasyPrint…",
}
