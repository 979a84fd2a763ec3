"""Command line: parses arguments, calls the pipeline in `pipeline`, prints diagnostics. Nothing else.

Exit codes: 0 success, 1 content errors (diagnostics printed; for `check --strict` warnings too),
2 could not run (usage errors, a missing or unreadable issue folder, an output folder it cannot
write, a SOURCE_DATE_EPOCH that is no date).
"""

from __future__ import annotations

import io
import logging
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar, cast

import click
import pikepdf
from rich.console import Console
from rich.text import Text

from typeset import __version__
from typeset.diagnostics import CannotRun, Diagnostic, TypesetError, printable, sorted_diagnostics, to_json
from typeset.layout.cache import PartCache
from typeset.layout.pool import Workers
from typeset.limits import PAD_TO
from typeset.model import KINDS
from typeset.output.preflight import Report, preflight, theme_families
from typeset.output.profiles import PROFILES
from typeset.theme import find_theme

if TYPE_CHECKING:
    from typeset.pipeline import Built

T = TypeVar("T")
err = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)  # paths and positions verbatim: no emoji codes (":100:"), no wrapping
out = Console(highlight=False, emoji=False, soft_wrap=True)


def _report_bug(exc: BaseException) -> None:
    """An unexpected exception is our bug: one line for the user, the traceback in a log file."""
    with tempfile.NamedTemporaryFile("w", prefix="folio-crash-", suffix=".log", delete=False) as fh:
        traceback.print_exception(exc, file=fh)
    _say(err, f"internal error: {type(exc).__name__}: {exc}", "red")
    _say(err, f"This is a bug in typeset. The details are in {fh.name}; please attach that file to a bug report.")
    sys.exit(3)


def _say(console: Console, text: str, style: str = "") -> None:
    """Print one message as it is: no Rich markup or emoji codes read in it, control characters
    shown escaped (a YAML key holding ESC [2J must not clear the user's screen)."""
    console.print(Text(printable(text), style=style), soft_wrap=True)


def _cannot_run(exc: CannotRun) -> NoReturn:
    _say(err, f"error: {exc}", "red")
    sys.exit(2)


def _print_errors(exc: TypesetError) -> None:
    for diag in sorted_diagnostics(exc.diagnostics):
        _say(err, diag.text(), "red" if diag.severity == "error" else "yellow")
    n = sum(d.severity == "error" for d in exc.diagnostics)
    err.print(f"{_count(n, 'error')}; nothing was written (the previous output, if any, is untouched).")


class _Interrupted(BaseException):
    """Ctrl-C: unwinds like an exception (temporary files removed, workers closed), past click's own
    handling of KeyboardInterrupt, which would print "Aborted!" and exit 1."""


def _interrupt(*_: object) -> None:
    raise _Interrupted


def run() -> None:
    """The `folio` command (and `python -m typeset`): exit 130 on Ctrl-C, quietly, as shells expect."""
    signal.signal(signal.SIGINT, _interrupt)
    try:
        code = main(standalone_mode=False)
    except click.ClickException as exc:  # click's own messages name what was typed: escape it too
        exc.show(file=cast(TextIO, _Printable(sys.stderr)))
        sys.exit(exc.exit_code)
    except click.Abort:
        sys.exit(1)
    except _Interrupted:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)  # --help and --version return their code


class _Printable(io.TextIOBase):
    """A text stream that shows control characters escaped (for click's messages)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(printable(text))

    def flush(self) -> None:
        self.stream.flush()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="folio")
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
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    type=click.Choice(list(PROFILES)),
    help="PDF to write (repeatable; overrides settings: profiles): " + "; ".join(f"{p.name}: {p.about}" for p in PROFILES.values()) + ".",
)
@click.option(
    "--pad-to",
    type=click.IntRange(min=0, max=PAD_TO.number),
    default=None,
    help="Pad with notes pages before the back cover to a multiple of N pages (4: saddle stitch; 0: no padding).",
)
@click.option("--offprints/--no-offprints", default=None, help="Also write one PDF per article under OUTPUT/articles/.")
@click.option("--web/--no-web", default=None, help="Write the web edition under OUTPUT/web/ (overrides settings: web; on by default).")
@click.option("--watch", is_flag=True, help="Stay running: build again whenever a file of the issue or its theme is saved (Ctrl-C stops).")
def build_command(
    issue_dir: Path,
    out_dir: Path,
    theme: str | None,
    css: tuple[Path, ...],
    allow_network: bool,
    profiles: tuple[str, ...],
    pad_to: int | None,
    offprints: bool | None,
    web: bool | None,
    watch: bool,
) -> None:
    """Build ISSUE_DIR (default: issue/) into OUTPUT/<issue>.pdf (and -print.pdf, -archive.pdf) and .html."""
    options: dict[str, Any] = {
        "theme": theme,
        "css": css,
        "allow_network": allow_network,
        "profiles": profiles,
        "pad_to": pad_to,
        "offprints": offprints,
        "web": web,
    }
    try:
        with Workers() as workers:
            if PartCache.will_lay_out(issue_dir, out_dir):
                workers.start()  # WeasyPrint warms up in the fork server while this process imports the pipeline and reads the issue
            if watch:
                from typeset.serve.watch import watch_and_build

                watch_and_build(issue_dir, out_dir, workers, lambda: _build_once(issue_dir, out_dir, workers, options))
                return
            if not _build_once(issue_dir, out_dir, workers, options):
                sys.exit(1)
    except CannotRun as exc:
        _cannot_run(exc)


def _build_once(issue_dir: Path, out_dir: Path, workers: Workers, options: dict[str, Any]) -> Built | None:
    """One build with its report printed; None (errors printed) if the content has errors."""
    from typeset.pipeline import build  # after the layout workers were started: see build_command

    try:
        with err.status("loading") as status:
            built = build(issue_dir, out_dir, progress=lambda step: status.update(_STEPS[step]), workers=workers, **options)
    except TypesetError as exc:
        _print_errors(exc)
        return None
    except CannotRun:
        raise
    except Exception as exc:  # noqa: BLE001 - anything else is our bug
        _report_bug(exc)
    for diag in sorted_diagnostics(built.diagnostics):
        _say(err, diag.text(), "yellow")
    notes = ", ".join(str(len(a.notes)) for a in built.issue.articles)
    for made in built.outputs:
        padded = f"; {_count(made.padded, 'notes page')} added before the back cover" if made.padded else ""
        _say(out, f"wrote {out_dir / made.path} ({_count(made.pages, 'page')}) — {made.profile.name}: {made.profile.about}{padded}; {made.seconds:.1f} s")
        if made.offprints:
            _say(out, f"  and {_count(len(made.offprints), 'offprint')} under {out_dir / 'articles'}")
        if made.preflight:
            _say(out, "  preflight: " + _preflight_summary(made.preflight))
    _say(out, f"wrote {built.html}")
    if built.web:
        _say(out, f"wrote the web edition: {built.web} and {_count(len(built.issue.articles), 'article page')} with their JATS XML")
    _say(out, f"{_count(len(built.issue.articles), 'article')}, notes per article: {notes}; {built.seconds:.1f} s")
    _say(out, f"laid out: {', '.join(built.laid_out) or 'nothing (every part from the cache)'}")
    return built


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
        _say(err, f"cannot serve on port {port}: {exc}", "red")
        sys.exit(2)


def _preflight_summary(report: Report) -> str:
    faults = _count(len(report.findings), "fault") if report.findings else "no faults"
    if not report.claim:
        return f"{faults}; the file claims no PDF/X or PDF/A conformance"
    backed = "backed by" if report.backed else "NOT backed by"
    return f"{faults}; claims {report.claim}, {backed} these structure checks: {', '.join(report.checked)}"


@main.command("preflight")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--theme", default=None, help="The theme the PDF was set with: text in any other font is reported as a fallback font.")
@click.option(
    "--format", "fmt", type=click.Choice(["human", "json"]), default="human", show_default=True, help="human: one line per fault; json: a list for tools."
)
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
    except pikepdf.PasswordError:
        _say(err, f"{pdf}: the PDF is protected by a password; preflight reads only PDFs that open without one", "red")
        sys.exit(2)
    except pikepdf.PdfError as exc:
        _say(err, f"{pdf}: not a readable PDF: {exc}", "red")
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - anything else is our bug
        _report_bug(exc)
    if fmt == "json":
        click.echo(to_json(report.findings))
    else:
        for diag in report.findings:
            _say(out, diag.text(), "red")
        _say(out, f"{pdf}: {_count(report.pages, 'page')}; " + _preflight_summary(report))
    sys.exit(1 if report.findings else 0)


# Faults that leave nothing to check: the folder is not an issue folder or cannot be read.
_CANNOT_RUN = frozenset({"issue.not-found", "file.missing", "file.unreadable"})


@main.command("check")
@click.argument("issue_dir", default="issue", type=click.Path(exists=True, file_okay=False, readable=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json", "github"]),
    default="human",
    show_default=True,
    help="human: file:line:col lines; json: a list for tools; github: workflow annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--theme", default=None, help="Theme folder under styles/ (overrides issue.yaml).")
def check_command(issue_dir: Path, fmt: str, strict: bool, theme: str | None) -> None:
    """Report every problem in ISSUE_DIR (default: issue/) that build would meet, without writing a PDF.

    Exit status: 0 clean, 1 problems found (errors; with --strict warnings too), 2 could not run.
    """
    from typeset.pipeline import prepare

    start = time.perf_counter()
    try:
        checked = prepare(issue_dir, theme=theme)
        diags, accepted = checked.diagnostics, len(checked.accepted)
    except TypesetError as exc:
        if all(d.code in _CANNOT_RUN for d in exc.diagnostics):
            for diag in exc.diagnostics:
                _say(err, diag.text(), "red")
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
        _say(out, diag.text(), "red" if diag.severity == "error" else "yellow")
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
    "web": "writing the web edition…",
}


@main.command("new")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(list(KINDS)),
    default="issue",
    show_default=True,
    help="issue: of a periodical; report: a report, briefing or working paper; article: one article.",
)
def new_command(folder: Path, kind: str) -> None:
    """Start a new publication in FOLDER (absent or empty): issue.yaml, one article and one source,
    each field with a comment saying what it is. It checks clean and builds as it is."""
    from typeset.scaffold import new_publication

    if folder.exists() and any(folder.iterdir()):
        _say(err, f"{folder} is not empty: give a new folder, so nothing of yours is overwritten")
        sys.exit(2)
    written = new_publication(folder, kind)  # type: ignore[arg-type]
    _say(out, f"wrote a new {kind} in {folder} ({len(written)} files); next: folio check {folder}, then folio build {folder}")


@main.command("rules")
@click.argument("rule_ids", nargs=-1)
def rules_command(rule_ids: tuple[str, ...]) -> None:
    """What each diagnostic rule means and how to fix it; with RULE_IDS, just those.

    Without arguments it prints the Markdown reference page, docs/rules.md.
    """
    from typeset.diagnostics import did_you_mean
    from typeset.rules import RULES, markdown

    if not rule_ids:
        click.echo(markdown(), nl=False)
        return
    for code in rule_ids:
        rule = RULES.get(code)
        if rule is None:
            click.echo(printable(f"no rule '{code}'; {did_you_mean(code, RULES) or 'folio rules lists them all'}"), err=True)
            sys.exit(2)
        click.echo(f"{rule.id} ({rule.severity_text})\n  {rule.means}\n  fix: {rule.fix}")


@main.command("schema")
@click.argument("kind", required=False, type=click.Choice(["issue", "article", "references"]))
@click.option("--write", "folder", type=click.Path(file_okay=False, path_type=Path), help="Write all three schemas into FOLDER as <kind>.schema.json.")
def schema_command(kind: str | None, folder: Path | None) -> None:
    """Print the JSON Schema of issue.yaml, of article files or of reference files (KIND), for editors.

    A YAML file whose first line is `# yaml-language-server: $schema=PATH` (PATH relative to the
    file) gets completion and inline errors in VS Code's YAML extension; docs/schema/ holds the
    three schemas of this version.
    """
    from typeset.load.json_schema import FILES, schema_text

    if (kind is None) == (folder is None):
        raise click.UsageError("give KIND (issue, article or references) to print one schema, or --write FOLDER for all three")
    if kind is not None:
        click.echo(schema_text(kind), nl=False)
        return
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        (folder / f"{name}.schema.json").write_text(schema_text(name), encoding="utf-8")
        _say(out, f"wrote {folder / f'{name}.schema.json'}")


@main.command("import")
@click.argument("manuscript", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("issue_dir", default="issue", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--refs",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A reference library (.bib, .ris, CSL-JSON or CSL-YAML) to match the notes against, besides the issue's: converted once to CSL-YAML under references/.",
)
@click.option("--overwrite", is_flag=True, help="Replace an article of the same name.")
def import_command(manuscript: Path, issue_dir: Path, refs: Path | None, overwrite: bool) -> None:
    """Turn MANUSCRIPT (.docx, .odt, .md or .html) into an article of ISSUE_DIR (default: issue/).

    Headings, lists, tables, links and images (saved under images/) come across; every footnote
    and endnote becomes a note at its place, and a note typed by hand becomes a citation when its
    source is found in the references. The table lists each note: matched, ambiguous (with the
    candidates) or unmatched (left as a prose note, nothing dropped). Exit status: 0 imported,
    1 the manuscript cannot be read, 2 usage error.
    """
    from typeset.manuscript.article import import_manuscript
    from typeset.manuscript.notes import match_table

    try:
        imported = import_manuscript(manuscript, issue_dir, refs, overwrite=overwrite)
    except TypesetError as exc:
        for diag in exc.diagnostics:
            _say(err, diag.text(), "red")
        sys.exit(2 if all(d.code in ("file.missing", "import.format") for d in exc.diagnostics) else 1)
    except Exception as exc:  # noqa: BLE001 - anything else is our bug
        _report_bug(exc)
    for warning in imported.warnings:
        _say(err, f"warning: {warning}", "yellow")
    for number, status, what in match_table(imported.notes):
        style = {"matched": "", "partial": "yellow", "ambiguous": "yellow", "unmatched": "red"}[status]
        _say(out, f"{number:>5}  {status:<10} {what}", style)
    counts = {s: sum(n.status == s for n in imported.notes) for s in ("matched", "partial", "ambiguous", "unmatched")}
    out.print(f"notes: {len(imported.notes)}; " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    _say(
        out,
        f"wrote {imported.article}"
        + (f", {_count(len(imported.images), 'image')} under {issue_dir / 'images'}" if imported.images else "")
        + (f", {imported.references}" if imported.references else ""),
    )
    if imported.listed:
        _say(out, f"listed in the articles of {issue_dir / 'issue.yaml'}")
