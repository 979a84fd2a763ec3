"""Parts laid out apart and assembled read like the issue laid out as one document; rebuilds redo only what changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pypdfium2
import pytest
from pdfread import internal_links, outline, page_texts
from PIL import Image
from pypdf import PdfReader
from weasyprint import CSS, HTML

from typeset.layout.assemble import outline_tree
from typeset.layout.cache import CACHE_FOLDER, PartCache
from typeset.layout.compat import idat_stream
from typeset.layout.document import write_pdf
from typeset.layout.parts import split_document
from typeset.layout.schedule import splittable, write_pdf_parts
from typeset.output.offprints import cut_offprints
from typeset.pipeline import STORE, Built, build, build_date, prepare
from typeset.render.html import render_html
from typeset.theme import Theme

REPO = Path(__file__).resolve().parents[2]


def _assert_same_document(parts: Path, single: Path) -> None:
    """Same text on the same pages, same outline, same links to the same pages, same metadata."""
    assert page_texts(parts) == page_texts(single)
    assert outline(parts) == outline(single)
    assert sorted(internal_links(parts)) == sorted(internal_links(single))
    a, b = PdfReader(parts), PdfReader(single)
    assert a.metadata == b.metadata
    assert a.trailer["/Root"]["/Lang"] == b.trailer["/Root"]["/Lang"]


@pytest.mark.parametrize("name", ["sample_build", "sample_footnotes_build"])
def test_parts_assemble_into_the_single_document(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The sample in each note mode: the parts its build laid out apart (a copy of that build's cache,
    which also saves laying them out again here), assembled, against the issue laid out as one document."""
    built: Built = request.getfixturevalue(name)
    checked = prepare(built.issue.root)
    html = render_html(checked.issue, checked.theme, created=build_date(checked.issue))
    assert len(split_document(html).parts) == 1 + len(checked.issue.articles)
    shutil.copytree(built.pdf.parent / CACHE_FOLDER, tmp_path / "cache")
    layout = write_pdf_parts(html, checked.issue.root, checked.theme, PartCache(tmp_path / "cache"))
    assert not layout.single_reason
    layout.pdf.save(tmp_path / "parts.pdf")
    (tmp_path / "single.pdf").write_bytes(write_pdf(html, checked.issue.root, checked.theme)[0])
    _assert_same_document(tmp_path / "parts.pdf", tmp_path / "single.pdf")
    links = internal_links(tmp_path / "parts.pdf")
    contents = dict.fromkeys(name for page, name, _ in links if page == 3)  # a title on two lines makes two links
    assert list(contents) == [a.slug for a in checked.issue.articles], "the contents links to every article"


def _snapshot(built: Built, tmp_path: Path, name: str) -> Path:
    """A copy under its own name: the PDF readers cache by path."""
    copy = tmp_path / f"{name}.pdf"
    shutil.copyfile(built.pdf, copy)
    return copy


def _contents_numbers_are_right(pdf: Path, built: Built) -> None:
    texts = page_texts(pdf)
    for article in built.issue.articles:
        m = re.search(re.escape(article.title) + r"[\s.]*?(\d+)", texts[2])
        assert m, article.title
        assert article.title in texts[int(m.group(1)) - 1]


def test_rebuild_lays_out_only_what_the_edit_touches(tmp_path: Path) -> None:
    issue_dir, out = tmp_path / "issue", tmp_path / "out"
    shutil.copytree(REPO / "issue", issue_dir)
    names = {"front"} | {f"a{i}" for i in range(1, 7)}
    first = build(issue_dir, out)
    assert set(first.laid_out) == names
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".typeset-cache" not in p.parts}
    assert not PartCache.will_lay_out(issue_dir, out), "nothing saved since the build: the workers are not started early"
    assert build(issue_dir, out).laid_out == ()
    rewritten = [p for p, stamp in written.items() if p.stat().st_mtime_ns != stamp]
    assert rewritten == [], "a rebuild with nothing changed leaves every file as it was"

    article3 = issue_dir / "articles" / "03-domestic-violence-kazakhstan.yaml"
    text = article3.read_text()
    assert " country " in text
    article3.write_text(text.replace(" country ", " nation  ", 1))
    assert PartCache.will_lay_out(issue_dir, out), "an article saved since the build: the workers start while the issue is read"
    built = build(issue_dir, out)
    assert built.laid_out == ("a3",), "a one-word edit that keeps the page count lays out its article alone"
    assert " nation " in " ".join(page_texts(_snapshot(built, tmp_path, "word"))), "the edited word is printed"  # "nation" alone is in "international"
    kept = sorted((out / ".typeset-cache" / STORE / "offprints").iterdir())
    assert len(kept) == 7, "the store cut the edited article's offprint again, and only that one"
    screen = built.outputs[0]
    fresh = cut_offprints(built.pdf.read_bytes(), built.issue, screen.profile, build_date(built.issue), screen.padded)
    assert [(c.name, c.data) for c in screen.cuts] == [(c.name, c.data) for c in fresh], "offprints from the store are what a fresh cut makes"

    article2 = issue_dir / "articles" / "02-labour-migration.yaml"
    more = "\n\n  ".join(["A paragraph added to push the article onto more pages. " * 12] * 14)
    article2.write_text(article2.read_text().replace("\nrecommendations:", f"\n  {more}\nrecommendations:", 1))
    built = build(issue_dir, out)
    assert set(built.laid_out) == names - {"a1"}, "pages moved: the contents and the articles after a2, not a1"
    _contents_numbers_are_right(_snapshot(built, tmp_path, "longer"), built)

    (issue_dir / "local.css").write_text(":root { --accent-colour: #c81e1e; }\n")
    built = build(issue_dir, out, css=(issue_dir / "local.css",))
    assert set(built.laid_out) == names, "a style change lays out everything again"
    cover = pypdfium2.PdfDocument(built.pdf)[0].render(scale=0.2).to_pil().convert("RGB")
    assert cover.getpixel((3, 3)) == (200, 30, 30), "the local stylesheet overrides the theme's accent colour"


@pytest.mark.parametrize(
    ("css", "reason"),
    [
        ("p::after { content: counters( pages, '.') }", "the theme uses counter(pages)"),
        ("a::after { content: target-text(attr(href url)) }", "the theme uses target-text()"),
        ("@page chapter:nth(1) { margin: 0 }", "the theme uses @page :first or :nth()"),
        ("@media print { h2 { counter-increment: section } }", "the theme uses a CSS counter on elements"),
        ("body { counter-reset: footnote chapter 0 }", "the theme uses a CSS counter on elements"),
        ("body { counter-reset: footnote 0 } @page :right { counter-increment: page }", ""),
        ("/* counter(pages) */ p::after { content: 'counter(pages) target-text(' }", ""),
    ],
)
def test_what_parts_cannot_carry_is_read_from_the_css(tmp_path: Path, css: str, reason: str) -> None:
    (tmp_path / "theme.css").write_text(css)
    assert splittable(Theme("t", tmp_path, (tmp_path / "theme.css",))) == reason


def test_a_theme_parts_cannot_carry_falls_back_to_one_document(minimal: Path, tmp_path: Path) -> None:
    (minimal / "local.css").write_text("@page { @bottom-right { content: counter(page) ' of ' counter(pages); } }\n")
    checked = prepare(minimal, css=(minimal / "local.css",))
    assert splittable(checked.theme) == "the theme uses counter(pages)"
    built = build(minimal, tmp_path / "out", css=(minimal / "local.css",), web=False)
    assert built.laid_out == ("everything, as one document (the theme uses counter(pages))",)
    texts = page_texts(built.pdf)
    made = built.outputs[0]
    assert f"3 of {made.pages - made.padded}" in texts[2], "the laid-out pages: a notes page added after layout is not counted"


def test_pngs_pass_through_pixel_for_pixel(tmp_path: Path) -> None:
    """The IDAT data of a plain PNG goes into the PDF as it is, and draws the same pixels."""
    image = Image.new("RGB", (64, 32), (255, 255, 255))
    for x in range(64):
        for y in range(32):
            image.putpixel((x, y), (x * 4, y * 8, 255 - x * 2))
    image.save(tmp_path / "grad.png")
    html = '<html><body style="margin:0"><img src="grad.png" style="width:64pt;height:32pt;image-rendering:pixelated"></body></html>'
    pdf = HTML(string=html, base_url=f"{tmp_path}/").write_pdf(stylesheets=[CSS(string="@page { size: 64pt 32pt; margin: 0 }")])
    stream = idat_stream((tmp_path / "grad.png").read_bytes())
    assert stream and stream in pdf, "the PNG's own compressed data is the PDF image stream"
    drawn = pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("RGB")
    for x, y in [(2, 2), (40, 10), (60, 30)]:
        assert all(abs(a - b) <= 2 for a, b in zip(drawn.getpixel((x, y)), image.getpixel((x, y))))


def test_outline_nests_levels_as_weasyprint_does() -> None:
    """Skipped and falling levels (h1, h3, h2, h4…) nest as in WeasyPrint's own bookmark tree."""
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    levels = [[2, 1, 3], [2, 4, 1], [1, 3, 3, 2, 5, 1], [6, 2]]
    pages = [[(level, f"{p}.{i}", 0.0, 0.0, "open") for i, level in enumerate(page)] for p, page in enumerate(levels)]
    theirs: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[list[Any]] = [theirs]
    previous = 0
    for number, page in enumerate(pages):
        marks = [(level, label, (x, y), state) for level, label, x, y, state in page]
        previous = make_page_bookmark_tree(SimpleNamespace(bookmarks=marks), skipped, last_by_depth, previous, number, Matrix())

    def shape_theirs(items: list[Any]) -> list[Any]:
        return [(label, shape_theirs(children)) for label, _, children, _ in items]

    def shape_ours(entries: list[Any]) -> list[Any]:
        return [(entry.label, shape_ours(entry.children)) for entry in entries]

    assert shape_ours(outline_tree(pages)) == shape_theirs(theirs)
