"""CSL test-suite fixtures → pass rates per category, for our cite stage and for plain citeproc-py.

Reads ../shared/csl-test-suite/processor-tests/humans/*.txt (never copied into the repo). Each
fixture is turned into an Issue and run through `typeset.cite.notes.cite_issue`, the same code a
build runs: one note per citation (notes share a number when the fixture's citations share a
noteIndex), the fixture's style written to a temporary .csl file, bibliography mode via
`settings.bibliography = "issue"`. Output is HTML without links, as citeproc-js writes it.

    python bench/csl_conformance.py            # ours, per category
    python bench/csl_conformance.py --plain    # plain citeproc-py 0.11.1, for the record
    python bench/csl_conformance.py --failures # also list failing fixtures
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import re
import sys
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "csl-test-suite" / "processor-tests" / "humans"
_SECTION = re.compile(r">>=+ ([A-Z-]+) =+>>\n(.*?)\n<<=+ \1 =+<<", re.DOTALL)


def sections(path: Path) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in _SECTION.finditer(path.read_text(encoding="utf-8"))}


def category(path: Path) -> str:
    return path.name.split("_", 1)[0]


def fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*.txt"))


# --- one fixture as a run of citations ------------------------------------------------------


def _citation_runs(fx: dict[str, str], items: list[dict[str, Any]]) -> tuple[list[list[Any]], bool]:
    """The fixture's citation calls → states of the document, each a list of (citationID, note, cites).

    CITATIONS are processCitationCluster calls (a citation plus the citations before and after it,
    with note numbers); CITATION-ITEMS are citations in notes 1..n; neither cites every item once.
    The bool says whether the result marks the citations the last call changed (">>").
    """
    if "CITATIONS" in fx:
        known: dict[str, list[dict[str, Any]]] = {}
        states = []
        for citation, pre, post in json.loads(fx["CITATIONS"]):
            known[citation["citationID"]] = citation["citationItems"]
            doc = [(cid, note, known[cid]) for cid, note in pre]
            doc.append(
                (
                    citation["citationID"],
                    citation.get("properties", {}).get("noteIndex", 0),
                    citation["citationItems"],
                )
            )
            doc += [(cid, note, known[cid]) for cid, note in post]
            states.append(doc)
        return states, True
    if "CITATION-ITEMS" in fx:
        return [[(f"C{i}", i + 1, cites) for i, cites in enumerate(json.loads(fx["CITATION-ITEMS"]))]], False
    return [[("C0", 1, [{"id": it["id"]} for it in items])]], False


def _read(
    path: Path,
) -> tuple[dict[str, str], str, list[dict[str, Any]], list[list[Any]], bool]:
    """A fixture's sections, mode, items (ids as strings) and citation runs."""
    fx = sections(path)
    items = json.loads(fx["INPUT"])
    for it in items:
        it["id"] = str(it["id"])
    states, marks = _citation_runs(fx, items)
    return fx, fx["MODE"].strip(), items, states, marks


def _expected(fx: dict[str, str]) -> str:
    return fx.get("RESULT", "").strip()


def _format(mode: str, texts: list[str], bib: list[str], marked: list[bool] | None) -> str:
    if mode == "bibliography":
        body = "\n".join(f'  <div class="csl-entry">{e}</div>' for e in bib)
        return f'<div class="csl-bib-body">\n{body}\n</div>'
    if marked is not None:
        return "\n".join(f"{'>>' if m else '..'}[{i}] {t}" for i, (t, m) in enumerate(zip(texts, marked)))
    return "\n".join(texts)


def _with_marks(
    run: Callable[[list[Any]], tuple[list[str], list[str]]],
    states: list[list[Any]],
    marks: bool,
) -> tuple[list[str], list[str], list[bool] | None]:
    """Render the last state; with marks, compare with the state before it (citeproc-js's ">>")."""
    texts, bib = run(states[-1])
    if not marks:
        return texts, bib, None
    before: dict[str, str] = {}
    if len(states) > 1:
        before = {cid: t for (cid, _, _), t in zip(states[-2], run(states[-2])[0])}
    return (
        texts,
        bib,
        [before.get(cid) != t for (cid, _, _), t in zip(states[-1], texts)],
    )


# --- ours: the cite stage --------------------------------------------------------------------


def run_ours(path: Path) -> str:
    from typeset.cite.items import normalise_items
    from typeset.cite.notes import cite_issue
    from typeset.model import (
        Article,
        Cite,
        Cluster,
        Cover,
        Foreword,
        Issue,
        Markdown,
        Note,
        Publication,
        Reference,
        Settings,
        SourcePos,
    )

    fx, mode, items, states, marks = _read(path)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "style.csl").write_text(fx["CSL"], encoding="utf-8")
        default_locale = re.search(
            r'default-locale="([^"]+)"',
            fx["CSL"].split(">", 2)[1] if ">" in fx["CSL"] else "",
        )
        pos = SourcePos(root / "fixture.txt", 1, 1)
        refs = {it["id"]: Reference(it["id"], it, pos) for it in items}

        def run(doc: list[Any]) -> tuple[list[str], list[str]]:
            notes = []
            for n, (_, note, cites) in enumerate(doc, 1):
                cl = Cluster(
                    tuple(
                        Cite(
                            str(c["id"]),
                            pos,
                            str(c.get("locator", "")),
                            c.get("label", "page") if c.get("locator") else "",
                            c.get("prefix", ""),
                            c.get("suffix", ""),
                        )
                        for c in cites
                    ),
                    pos,
                )
                notes.append(Note(note or n, (cl,), pos))
            body = Markdown("", (), pos)
            article = Article("a", "A", (), (), body, tuple(notes), (), (), pos)
            settings = Settings(
                style=str(root / "style.csl"),
                locale=default_locale.group(1) if default_locale else "en-US",
                bibliography="issue" if mode == "bibliography" else "none",
            )
            issue = Issue(
                root,
                Publication("", "", "", "", "", "", "", ""),
                1,
                dt.date(2000, 1, 1),
                "en",
                (),
                Cover("", "", "", pos),
                Foreword("", body),
                (article,),
                refs,
                settings,
                pos,
            )
            out, _ = cite_issue(issue, normalise_items(refs)[0])
            return [re.sub(r'<a href="[^"]*">(.*?)</a>', r"\1", n.html) for n in out.articles[0].notes], [
                re.sub(r'<a href="[^"]*">(.*?)</a>', r"\1", e) for e in out.bibliography
            ]

        if mode == "bibliography" and "CITATIONS" not in fx and "CITATION-ITEMS" not in fx:
            states = [[("C0", 1, [{"id": it["id"]} for it in items])]]
        texts, bib, marked = _with_marks(run, states, marks)
    return _format(mode, texts, bib, marked)


# --- plain citeproc-py, for the record -------------------------------------------------------


def run_plain(path: Path) -> str:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        Locator,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    fx, mode, items, states, marks = _read(path)

    def run(doc: list[Any]) -> tuple[list[str], list[str]]:
        style = CitationStylesStyle(io.BytesIO(fx["CSL"].encode()), validate=False)
        bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.html)
        citations = []
        for _, _, cites in doc:
            c = Citation(
                [
                    CitationItem(
                        str(x["id"]),
                        **({"locator": Locator(x.get("label", "page"), x["locator"])} if x.get("locator") else {}),
                        **{k: x[k] for k in ("prefix", "suffix") if k in x},
                    )
                    for x in cites
                ]
            )
            bib.register(c)
            citations.append(c)
        texts = [str(bib.cite(c, lambda item: None)) for c in citations]
        entries: list[str] = []
        if mode == "bibliography":
            bib.sort()
            entries = [str(e) for e in bib.bibliography()]
        return texts, entries

    texts, bib, marked = _with_marks(run, states, marks)
    return _format(mode, texts, bib, marked)


# --- the report ------------------------------------------------------------------------------


def without_break_hints(html: str) -> str:
    """Our output less the line-break hints the cite stage adds inside printed addresses (`<wbr>`
    where a URL may break, U+2060 WORD JOINER where it may not): typography for the page, not text,
    which citeproc-js's expected output does not have."""
    return html.replace("<wbr>", "").replace("\u2060", "")


def passing(runner: Callable[[Path], str], paths: list[Path]) -> Iterator[tuple[Path, bool]]:
    """(fixture, passed) for each fixture; an exception is a failure, never a stop."""
    for path in paths:
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                ok = without_break_hints(runner(path)) == _expected(sections(path))
        except Exception:  # noqa: BLE001 - a fixture the runner cannot handle counts as failed
            ok = False
        yield path, ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--plain",
        action="store_true",
        help="measure plain citeproc-py instead of our cite stage",
    )
    ap.add_argument("--failures", action="store_true", help="list the failing fixtures")
    ap.add_argument(
        "--write-known-failures",
        type=Path,
        help="write the failing fixture names to this file",
    )
    ap.add_argument(
        "pattern",
        nargs="?",
        default="*",
        help="glob on fixture names, e.g. 'position_*'",
    )
    args = ap.parse_args()
    if not FIXTURES.is_dir():
        sys.exit(f"no fixtures at {FIXTURES}")
    paths = sorted(FIXTURES.glob(args.pattern + ("" if args.pattern.endswith(".txt") else ".txt")))
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    failed = []
    for path, ok in passing(run_plain if args.plain else run_ours, paths):
        total[category(path)] += 1
        passed[category(path)] += ok
        if not ok:
            failed.append(path.stem)
    print(f"{'category':<16}{'pass':>6}{'total':>7}{'rate':>8}")
    for cat in sorted(total, key=lambda c: (-total[c], c)):
        print(f"{cat:<16}{passed[cat]:>6}{total[cat]:>7}{passed[cat] / total[cat]:>8.0%}")
    n, p = sum(total.values()), sum(passed.values())
    print(f"{'all':<16}{p:>6}{n:>7}{p / max(n, 1):>8.0%}")
    if args.failures:
        print("\n".join(failed))
    if args.write_known_failures:
        args.write_known_failures.write_text(
            "# CSL test-suite fixtures our cite stage fails (bench/csl_conformance.py --write-known-failures).\n"
            "# A fixture listed here that passes is reported by tests/cite/test_csl_conformance.py; one not listed\n"
            "# that fails is a regression.\n" + "".join(f"{name}\n" for name in failed),
            encoding="utf-8",
        )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    main()
