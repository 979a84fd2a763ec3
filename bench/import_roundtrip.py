"""Round trip of the sample issue through Word: built notes → .docx footnotes → import → the same citations?

For each article of the sample issue, the built HTML (as a reader sees it: notes printed in
the issue's style, "ibid" and "(n 13)" computed) is turned into a Word manuscript with pandoc:
title, author, key takeaways, sections, figures, recommendations, and every note a real Word
footnote holding the note's printed text. `import_manuscript` reads each .docx back into a
copy of the sample issue, matching the notes against the sample's references. A note comes
back the *same* when its cites have the ids and locators (and locator labels) the article
file keys; a *wrong* source is a matched cite whose id the note does not cite.

    python bench/import_roundtrip.py                 # build the sample, then round-trip it
    python bench/import_roundtrip.py --html OUT.html # use an HTML edition already built
    python bench/import_roundtrip.py -v              # also list every note that did not come back the same
    python bench/import_roundtrip.py --issue8        # also Issue 8's notes as the authors typed them
    python bench/import_roundtrip.py --style chicago-notes-bibliography  # also the notes in another style

`--issue8` reads ../shared/issue8 (the printed issue's notes, hand-typed in several styles,
with the citations an editor keyed for them) and imports them the same way against its
references: the harder, real-world case.
"""

from __future__ import annotations

import argparse
import html as htmllib
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from typeset.load.reader import load_issue
from typeset.manuscript.article import import_manuscript
from typeset.manuscript.notes import NoteResult
from typeset.manuscript.pandoc import run_pandoc
from typeset.model import Cluster

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "issue"
ISSUE8 = next((p / "shared" / "issue8" for p in REPO.parents if (p / "shared" / "issue8").is_dir()), REPO.parent / "shared" / "issue8")
_CALL = re.compile(r'<a class="note-call"[^>]*>(\d+)</a>')
_NOTE = re.compile(r'<li id="a\d+-n(\d+)"[^>]*>.*?<span class="note-text">(.*?)</span></li>', re.DOTALL)
_MARK = "XNOTECALLX{}XNOTECALLX"
_IMAGE = "XIMAGEX{}XIMAGEX"
_FIGURE = re.compile(r'<figure[^>]*><img src="([^"]+)"[^>]*><figcaption>(.*?)\s*<span class="credit">\((.*?)\)</span></figcaption></figure>', re.DOTALL)
CATEGORIES = ("same", "locator", "ambiguous", "unmatched", "wrong")

Cite = tuple[str, str, str]  # id, label, locator


@dataclass(frozen=True)
class Score:
    """How the notes of one article came back."""

    name: str
    counts: Counter[str]
    misses: tuple[str, ...]

    @property
    def notes(self) -> int:
        return sum(self.counts.values())


def keyed_notes(issue_dir: Path) -> dict[str, list[list[Cite]]]:
    """The citations each article file keys, per article slug, per note: what the import should give back."""
    issue, _ = load_issue(issue_dir)
    out = {}
    for article in issue.articles:
        out[article.slug] = [
            [(c.id, c.label if c.locator else "", c.locator) for part in note.parts if isinstance(part, Cluster) for c in part.cites] for note in article.notes
        ]
    return out


def article_manuscripts(built_html: str) -> list[str]:
    """The built HTML edition → one pandoc-Markdown manuscript per article, notes as footnotes with their printed text.

    Figures are written the way Word manuscripts usually have them: the picture in a paragraph
    of its own, then "Figure 1: caption. Source: credit".
    """
    manuscripts = []
    for body in re.findall(r'<article class="article" id="a\d+">(.*?)</article>', built_html, re.DOTALL):
        notes = {int(n): text for n, text in _NOTE.findall(body)}
        title = re.search(r'<h1 class="article-title">(.*?)</h1>', body, re.DOTALL)
        byline = re.search(r'<p class="byline">(.*?)</p>', body, re.DOTALL)
        body = re.sub(r"<header.*?</header>|<section class=\"notes\".*?</section>", "", body, flags=re.DOTALL)
        body = _FIGURE.sub(lambda m: f"<p>{_IMAGE.format(m.group(1))}</p><p>{m.group(2)}. Source: {m.group(3)}</p>", body)
        body = _CALL.sub(lambda m: _MARK.format(m.group(1)), body)
        markdown = re.sub(_IMAGE.format("(.*?)"), r"![](\1)", _to_markdown(body))
        note_md = _notes_markdown(notes)
        markdown = re.sub(_MARK.format(r"(\d+)"), lambda m, note_md=note_md: "^[" + note_md[int(m.group(1))] + "]", markdown)
        meta = {"title": _text(title.group(1)) if title else "", "author": [a.strip() for a in _text(byline.group(1)).split(",")] if byline else []}
        manuscripts.append("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + markdown)
    return manuscripts


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _to_markdown(fragment: str) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8") as fh:
        fh.write(fragment)
        fh.flush()
        return run_pandoc(
            ["-f", "html", "-t", "markdown-raw_html-native_divs-native_spans-bracketed_spans-link_attributes", "--wrap=none", fh.name], Path(fh.name)
        )


def _notes_markdown(notes: dict[int, str]) -> dict[int, str]:
    """Each note's printed HTML → one line of Markdown (one pandoc run for all of them)."""
    joined = "".join(f"<p>{_MARK.format(n)}</p><p>{text}</p>" for n, text in sorted(notes.items()))
    markdown = _to_markdown(joined)
    parts = re.split(_MARK.format(r"(\d+)"), markdown)
    return {int(n): " ".join(text.split()) for n, text in zip(parts[1::2], parts[2::2])}


def to_docx(markdown: str, target: Path, resources: Path) -> None:
    source = target.with_suffix(".md")
    source.write_text(markdown, encoding="utf-8")
    run_pandoc(["-f", "markdown", "-t", "docx", f"--resource-path={resources}", "-o", str(target), str(source)], source, sandbox=False)


def compare(keyed: Sequence[list[Cite]], results: Sequence[NoteResult], name: str) -> Score:
    """Note by note: the same citations, another locator, ambiguous, unmatched, or a wrong source."""
    counts: Counter[str] = Counter()
    misses = []
    for n, want in enumerate(keyed, start=1):
        result = results[n - 1] if n <= len(results) else None
        got = [(f.id, f.cite.label if f.cite.locator else "", f.cite.locator) for f in result.found] if result else []
        wanted_ids = {c[0] for c in want}
        if any(c[0] not in wanted_ids for c in got):
            kind = "wrong"
        elif [_norm(c) for c in got] == [_norm(c) for c in want] and (not want or result is None or result.status == "matched"):
            kind = "same"
        elif [c[0] for c in got] == [c[0] for c in want] and result and result.status == "matched":
            kind = "locator"
        elif result and result.status == "ambiguous":
            kind = "ambiguous"
        else:
            kind = "unmatched"
        counts[kind] += 1
        if kind != "same":
            text = result.text if result else "(missing)"
            misses.append(f"{name} n{n} {kind}: keyed {want} got {got}\n    {text[:200]}\n    → {result.markdown[:200] if result else ''}")
    if len(results) != len(keyed):
        misses.append(f"{name}: {len(results)} notes imported, {len(keyed)} keyed")
    return Score(name, counts, tuple(misses))


def _norm(cite: Cite) -> Cite:
    return cite[0], cite[1], re.sub(r"\s+", "", cite[2].replace("–", "-").replace("—", "-"))


def sample_roundtrip(built_html: str, work: Path) -> list[Score]:
    """Every article of the sample: manuscript → .docx → import into a copy of the sample → compare."""
    keyed = keyed_notes(SAMPLE)
    folder = work / "issue"
    shutil.copytree(SAMPLE, folder)  # a fresh copy for each round trip
    scores = []
    for (slug, want), markdown in zip(keyed.items(), article_manuscripts(built_html), strict=True):
        docx = work / f"{slug}.docx"
        to_docx(markdown, docx, SAMPLE)
        imported = import_manuscript(docx, folder)
        scores.append(compare(want, imported.notes, slug))
    return scores


def issue8_roundtrip(work: Path) -> list[Score]:
    """Issue 8's printed notes, as typed, each a footnote of a one-paragraph-per-note manuscript, its sources given with --refs."""
    library = work / "issue8-references.yaml"
    items = [item for ref in sorted((ISSUE8 / "refs").glob("*.yaml")) for item in yaml.safe_load(ref.read_text(encoding="utf-8"))["references"]]
    library.write_text(yaml.safe_dump({"references": items}, allow_unicode=True), encoding="utf-8")
    scores = []
    for path in sorted((ISSUE8 / "notes").glob("article-*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        paragraphs = [f"Sentence {n['n']}.^[{n['printed']}]" for n in data["notes"]]
        docx = work / f"{path.stem}.docx"
        to_docx(f"---\ntitle: {path.stem}\n---\n\n" + "\n\n".join(paragraphs), docx, work)
        imported = import_manuscript(docx, work / "issue8" / path.stem, refs=library)
        want = [[(c["id"], c.get("label", "") if c.get("locator") else "", str(c.get("locator") or "")) for c in n["cites"]] for n in data["notes"]]
        scores.append(compare(want, imported.notes, path.stem))
    return scores


def report(title: str, scores: Sequence[Score], verbose: bool) -> None:
    total: Counter[str] = Counter()
    print(f"\n{title}")
    print(f"{'article':<40} {'notes':>5} " + " ".join(f"{c:>9}" for c in CATEGORIES) + "   same")
    for s in scores:
        total.update(s.counts)
        print(f"{s.name:<40} {s.notes:>5} " + " ".join(f"{s.counts[c]:>9}" for c in CATEGORIES) + f"   {s.counts['same'] / max(s.notes, 1):.1%}")
    n = sum(total.values())
    print(f"{'all':<40} {n:>5} " + " ".join(f"{total[c]:>9}" for c in CATEGORIES) + f"   {total['same'] / max(n, 1):.1%}")
    if verbose:
        for s in scores:
            for miss in s.misses:
                print("  " + miss)


def built_in_style(style: str, work: Path) -> str:
    """The sample's HTML edition with its notes printed in another CSL style."""
    from typeset.pipeline import build

    folder = work / f"sample-{style}"
    shutil.copytree(SAMPLE, folder)
    issue_yaml = folder / "issue.yaml"
    text = issue_yaml.read_text(encoding="utf-8")
    issue_yaml.write_text(re.sub(r"(?m)^(\s*style:).*$", rf"\1 {style}", text, count=1), encoding="utf-8")
    return build(folder, work / f"out-{style}").html.read_text(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", type=Path, help="the sample's HTML edition, already built")
    parser.add_argument("--style", action="append", default=[], help="also print the sample's notes in this CSL note style (repeatable)")
    parser.add_argument("--issue8", action="store_true", help="also Issue 8's hand-typed notes (../shared/issue8)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="import-roundtrip-") as tmp:
        work = Path(tmp)
        if args.html:
            built = args.html.read_text(encoding="utf-8")
        else:
            from typeset.pipeline import build

            built = build(SAMPLE, work / "out").html.read_text(encoding="utf-8")
        report("Sample issue (OSCOLA): built notes → .docx footnotes → import", sample_roundtrip(built, work / "oscola"), args.verbose)
        for style in args.style:
            scores = sample_roundtrip(built_in_style(style, work), work / style)
            report(f"Sample issue ({style}): built notes → .docx footnotes → import", scores, args.verbose)
        if args.issue8:
            if not ISSUE8.is_dir():
                sys.exit(f"{ISSUE8} not found")
            report("Issue 8: notes as the authors typed them → .docx footnotes → import", issue8_roundtrip(work), args.verbose)


if __name__ == "__main__":
    main()
