"""Build speed and memory, run by hand (never a timed test):

    python bench/build_bench.py                 # the sample issue, then 300- and 700-page volumes
    python bench/build_bench.py --sizes sample  # just the sample
    python bench/build_bench.py --no-web        # builds without the web edition, as before it existed

For each issue: the time WeasyPrint alone takes to render our HTML as one document (the ratio to
beat, measured in this same run), a cold build from the command line (no cached parts), rebuilds
from the command line after no change, a one-word edit and a theme CSS change, one-word rebuilds
in `folio build --watch` and in the live preview (warm workers), `folio check`, the cite stage,
and peak memory (proportional set size of the command and its workers together, in runs of its
own: sampling /proc would slow the timed runs). This machine's timings scatter by 10-20% from run
to run, so each timing is the median of several runs (`--times`). The volumes repeat the sample's
articles (copied under new names) in a temporary folder. Compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from typeset.layout.pool import Workers
from typeset.output.profiles import PROFILES, theme_for
from typeset.pipeline import build_date, prepare
from typeset.render.html import render_html
from typeset.serve.preview import Preview

SIZES = {"sample": 1, "300": 6, "700": 14}  # how many times the six articles repeat

# WeasyPrint by itself, without typeset's patches: our fetcher (for fontpkg: fonts) and nothing else.
_ALONE = """
import json, sys, time
from pathlib import Path
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from typeset.layout.fetch import SafeFetcher
job = json.loads(Path(sys.argv[1]).read_text())
fetcher = SafeFetcher([Path(p) for p in job["allowed"]])
start = time.perf_counter()
fonts = FontConfiguration()
sheets = [CSS(filename=p, url_fetcher=fetcher, font_config=fonts) for p in job["stylesheets"]]
document = HTML(string=Path(job["html"]).read_text(), base_url=job["base"], url_fetcher=fetcher).render(stylesheets=sheets, font_config=fonts)
document.write_pdf()
print(json.dumps({"seconds": time.perf_counter() - start, "pages": len(document.pages)}))
"""


@dataclass
class Run:
    seconds: float
    peak: int  # bytes: the largest memory (PSS) of the process and its children together, sampled
    output: str


ENV = dict(os.environ)
BUILD = ["-m", "typeset", "build"]
"""The build command; `--no-web` adds that flag, to compare with versions that had no web edition."""


def run(*args: str, env: dict[str, str] | None = None, sample: bool = False) -> Run:
    """Run a command; with `sample`, sample the memory of its whole process tree every 20 ms.
    Reading /proc that often costs CPU on a two-core machine, so timed runs do not sample: memory
    is measured in runs of its own."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO, env=env or ENV)
    peak = [0]

    def sampler_loop() -> None:
        while sample and process.poll() is None:
            peak[0] = max(peak[0], _tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sampler_loop, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{output}")
    return Run(seconds, peak[0], output)


def _tree_rss(pid: int) -> int:
    """Proportional set size of a process and its descendants: forked workers share pages with
    their parent, which plain RSS would count once per process."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:"))
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except (OSError, StopIteration):
            pass
    return total


def make_issue(folder: Path, repeat: int) -> Path:
    """The sample issue with its articles repeated `repeat` times, and its own copy of the default theme."""
    issue = folder / "issue"
    shutil.copytree(REPO / "issue", issue)
    shutil.copytree(REPO / "styles" / "default", issue / "styles" / "default")
    text = (issue / "issue.yaml").read_text()
    head, _, rest = text.partition("articles:\n")
    listed = [line for line in rest.splitlines() if line.startswith("  - articles/")]
    names = []
    for copy in range(repeat):
        for line in listed:
            source = issue / line.strip()[2:]
            target = source if copy == 0 else source.with_name(f"{source.stem}-{copy}.yaml")
            if copy:
                shutil.copyfile(source, target)
            names.append(f"  - articles/{target.name}")
    tail = "\n".join(rest.splitlines()[len(listed) :])
    (issue / "issue.yaml").write_text(head + "articles:\n" + "\n".join(names) + "\n" + tail + "\n")
    return issue


def edit_one_word(issue: Path, old: str, new: str) -> None:
    article = issue / "articles" / "03-domestic-violence-kazakhstan.yaml"
    text = article.read_text()
    assert old in text, old
    article.write_text(text.replace(old, new, 1))


def weasyprint_alone(issue: Path, scratch: Path, sample: bool = False) -> Run:
    checked = prepare(issue)
    theme = theme_for(checked.theme, PROFILES["screen"])
    html = scratch / "issue.html"
    html.write_text(render_html(checked.issue, theme, created=build_date(checked.issue)))
    job = scratch / "alone.json"
    job.write_text(
        json.dumps({"html": str(html), "base": f"{issue}/", "stylesheets": [str(p) for p in theme.stylesheets], "allowed": [str(issue), str(theme.folder)]})
    )
    measured = run("-c", _ALONE, str(job), sample=sample)
    result = json.loads(measured.output.strip().splitlines()[-1])
    return Run(result["seconds"], measured.peak, str(result["pages"]))


def watch_rebuilds(issue: Path, out: Path, edit: Callable[[Path], None], saves: int) -> float:
    """The median time from a one-word save to `folio build --watch` having written everything again."""
    process = subprocess.Popen(
        [sys.executable, *BUILD, str(issue), "-o", str(out), "--watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
        env=ENV,
    )
    assert process.stdout is not None

    def rebuilt() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            if line.startswith("watching "):
                return
        raise SystemExit("folio build --watch stopped")

    try:
        rebuilt()
        times = []
        for _ in range(saves):
            time.sleep(0.3)  # the watcher settles after the previous build's writes
            start = time.perf_counter()
            edit(issue)
            rebuilt()
            times.append(time.perf_counter() - start)
    finally:
        process.terminate()
        process.wait()
    return sorted(times)[len(times) // 2]


def median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def cite_seconds(issue: Path) -> float:
    """The cite stage in a fresh process (a second run in one process is served from caches)."""
    script = "import sys, time; from pathlib import Path; from typeset.load.reader import load_issue; from typeset.cite.items import normalise_items; from typeset.cite.notes import cite_issue\n"
    script += "issue, _ = load_issue(Path(sys.argv[1])); start = time.perf_counter(); cite_issue(issue, normalise_items(issue.references)[0]); print(time.perf_counter() - start)"
    return float(run("-c", script, str(issue)).output.split()[-1])


def bench(name: str, repeat: int, times: int) -> dict[str, float]:
    """The figures for one issue; timings that vary from run to run are the median of `times` runs."""
    words = iter(f" word{n:03d} " for n in range(1000))
    current = " country "

    def edit(issue: Path) -> None:
        nonlocal current
        new = next(words)
        edit_one_word(issue, current, new)
        current = new

    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        folder = Path(tmp)
        issue, out = make_issue(folder, repeat), folder / "out"
        alone = median([weasyprint_alone(issue, folder) for _ in range(times)])
        alone_peak = weasyprint_alone(issue, folder, sample=True).peak
        pages = int(alone.output)
        colds = []
        for _ in range(times):  # each with no cached parts
            shutil.rmtree(out, ignore_errors=True)
            colds.append(run(*BUILD, str(issue), "-o", str(out)))
        cold = median(colds)
        again = run(*BUILD, str(issue), "-o", str(out))
        word = median([edit(issue) or run(*BUILD, str(issue), "-o", str(out)) for _ in range(times)])
        theme = issue / "styles" / "default" / "theme.css"
        theme.write_text(theme.read_text().replace("--accent-colour: #1c4f7c;", "--accent-colour: #7c1c4f;"))
        css = run(*BUILD, str(issue), "-o", str(out))
        checked = median([run("-m", "typeset", "check", str(issue)) for _ in range(times)])
        watched = watch_rebuilds(issue, out, edit, max(3, times))
        preview = Preview(issue, out, Workers())
        preview.rebuild()
        edits = []  # a designer's loop: saves of one word each
        for _ in range(max(3, times)):
            edit(issue)
            start = time.perf_counter()
            preview.rebuild()
            edits.append(time.perf_counter() - start)
        live = sorted(edits)[len(edits) // 2]
        laid_out = preview.status()["laid_out"]
        preview.workers.close()
        cite = cite_seconds(issue)
        shutil.rmtree(out)  # memory: the cold build and a one-word rebuild again, sampled
        cold_peak = run(*BUILD, str(issue), "-o", str(out), sample=True).peak
        edit(issue)
        word_peak = run(*BUILD, str(issue), "-o", str(out), sample=True).peak
    wa = alone.seconds
    print(f"\n== {name}: {pages} pages ({repeat * 6} articles); medians of {times} runs, the preview's of {max(3, times)} saves ==")
    print(f"WeasyPrint alone, one document       {wa:7.2f} s   {wa / pages * 1000:6.1f} ms/page")
    runs = [
        ("cold build (CLI)", cold),
        ("rebuild, nothing changed (CLI)", again),
        ("rebuild after a one-word edit (CLI)", word),
        ("rebuild after a theme CSS change", css),
    ]
    for label, r in runs:
        print(f"{label:36} {r.seconds:7.2f} s   {r.seconds / wa:5.2f} × alone")
    print(f"{'one-word rebuild, build --watch':36} {watched:7.2f} s   {watched / wa:5.2f} × alone")
    print(f"{'one-word rebuild, live preview':36} {live:7.2f} s   {live / wa:5.2f} × alone   (laid out: {', '.join(laid_out)})")
    print(f"{'CSS change vs cold':36} {css.seconds / cold.seconds:7.2f} ×")
    print(f"{'folio check (CLI)':36} {checked.seconds:7.2f} s   {checked.seconds / wa:5.2f} × alone")
    print(f"{'cite stage':36} {cite:7.2f} s")
    print(f"{'cold build per page':36} {cold.seconds / pages * 1000:7.1f} ms")
    mib = 2**20
    print(
        f"{'peak memory (PSS)':36} WeasyPrint alone {alone_peak / mib:.0f} MiB; cold build {cold_peak / mib:.0f} MiB; one-word rebuild {word_peak / mib:.0f} MiB"
    )
    return {"per_page": cold.seconds / pages, "peak": max(cold_peak, word_peak)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="sample,300,700", help="comma-separated: sample, 300, 700")
    parser.add_argument("--times", type=int, default=0, help="runs per timing, medians reported (default: 5 for the sample, 1 for the volumes)")
    parser.add_argument("--no-web", action="store_true", help="build without the web edition (folio build --no-web)")
    args = parser.parse_args()
    if args.no_web:
        BUILD.append("--no-web")
    sizes = args.sizes.split(",")
    results = {name: bench(name, SIZES[name], args.times or (5 if name == "sample" else 1)) for name in sizes}
    if "sample" in results:
        for name in (n for n in sizes if n != "sample"):
            ratio = results[name]["per_page"] / results["sample"]["per_page"]
            print(f"\n{name}-page volume: time per page {ratio:.2f} × the sample's; peak memory {results[name]['peak'] / 2**30:.2f} GiB")


if __name__ == "__main__":
    main()
