"""The sample issue's PDF, read page by page as an editor would check a proof."""

from __future__ import annotations

import re

from pdfread import embedded_fonts, internal_links, outline, page_texts, reader
from pypdf import PdfReader

from typeset.pipeline import Built


def _toc_numbers(built: Built) -> dict[str, int]:
    """Article title → page number printed after its dot leader on the contents page."""
    toc = page_texts(built.pdf)[2]
    assert "Table of contents" in toc
    numbers = {}
    for article in built.issue.articles:
        m = re.search(re.escape(article.title) + r"[\s.]*?(\d+)", toc)
        assert m, f"{article.title!r} is not in the contents"
        numbers[article.title] = int(m.group(1))
    return numbers


def test_sample_builds_with_zero_diagnostics(sample_build: Built) -> None:
    assert [d.text() for d in sample_build.diagnostics] == []


def test_contents_page_numbers_are_the_pages_the_titles_are_on(sample_build: Built) -> None:
    texts = page_texts(sample_build.pdf)
    numbers = _toc_numbers(sample_build)
    for article in sample_build.issue.articles:
        claimed = numbers[article.title]
        assert article.title in texts[claimed - 1], f"{article.title!r} is not on page {claimed}"
        assert all(article.title not in t for t in texts[3 : claimed - 1]), f"{article.title!r} starts before page {claimed}"


def test_cover_counts_as_page_one_and_first_article_starts_on_five(sample_build: Built) -> None:
    assert _toc_numbers(sample_build)[sample_build.issue.articles[0].title] == 5


def test_notes_are_numbered_per_article_and_every_call_links_to_its_note(sample_build: Built) -> None:
    links = internal_links(sample_build.pdf)
    targets = {name for _, name, _ in links}
    texts = page_texts(sample_build.pdf)
    for article in sample_build.issue.articles:
        n = len(article.notes)
        assert n > 0
        assert [note.number for note in article.notes] == list(range(1, n + 1))
        for i in range(1, n + 1):
            assert f"{article.slug}-n{i}" in targets, f"note call {i} of {article.slug} has no link"
            assert f"{article.slug}-nc{i}" in targets, f"note {i} of {article.slug} does not link back"
        note_pages = {page for _, name, page in links if name.startswith(f"{article.slug}-n") and "nc" not in name}
        notes_text = " ".join(texts[p - 1] for p in sorted(note_pages))
        positions = [notes_text.find(f"{i} ", 0) for i in (1, n)]
        assert all(p >= 0 for p in positions)


def test_issn_on_imprint_and_back_cover(sample_build: Built) -> None:
    texts = page_texts(sample_build.pdf)
    issn = f"ISSN {sample_build.issue.publication.issn}"
    assert issn in texts[1]
    assert issn in texts[-1]
    assert "Platform for Peace and Humanity" in texts[-1]
    assert "office@peacehumanity.org" in texts[-1]


def test_metadata(sample_build: Built) -> None:
    pdf = PdfReader(sample_build.pdf)
    meta = pdf.metadata
    assert meta is not None
    assert meta.title == "The Peace & Security Monitor – Central Asia, Issue 8 (June 2024)"
    assert "Tuck Kei Yong" in (meta.author or "") and "Tara Matthews" in (meta.author or "")
    assert "ISSN 2989-3038" in (meta.subject or "")
    assert "labour migration" in (meta.get("/Keywords") or "")
    assert str(meta.get("/CreationDate")).startswith("D:20240601")  # dated "June 2024": its first day
    assert pdf.trailer["/Root"].get("/Lang") == "en-GB"


def test_every_font_is_embedded_and_comes_from_the_theme(sample_build: Built) -> None:
    fonts = embedded_fonts(sample_build.pdf)
    assert fonts, "no fonts found"
    assert all(fonts.values()), f"not embedded: {[f for f, ok in fonts.items() if not ok]}"
    assert all(("PT-Serif" in f or "PT-Sans" in f) for f in fonts), sorted(fonts)


def test_outline_lists_articles_and_their_sections(sample_build: Built) -> None:
    entries = outline(sample_build.pdf)
    top = [(title, page) for level, title, page in entries if level == 1]
    numbers = _toc_numbers(sample_build)
    for article in sample_build.issue.articles:
        assert (article.title, numbers[article.title]) in top
    first = sample_build.issue.articles[0]
    sections = [title for level, title, _ in entries if level == 2]
    for level, _, heading in first.headings:
        assert level == 2 and heading in sections


def test_figures_are_numbered_per_article_with_caption_and_credit(sample_build: Built) -> None:
    text = " ".join(page_texts(sample_build.pdf))
    joined = re.sub(r"\s", "", text)  # a credit may break over lines ("Mikheyev/ Reuters")
    for article in sample_build.issue.articles:
        for fig in article.figures:
            assert f"Figure {fig.number}:" in text
            assert re.sub(r"\s", "", f"({fig.credit})") in joined


def test_page_count_is_that_of_a_real_issue(sample_build: Built) -> None:
    assert 40 <= len(reader(sample_build.pdf).pages) <= 64
    assert sample_build.pages == len(reader(sample_build.pdf).pages)
