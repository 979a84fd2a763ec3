"""The second theme builds the sample issue with its own fonts and its own contents layout."""

from __future__ import annotations

from pathlib import Path

from pdfread import embedded_fonts, outline, page_texts

from typeset.pipeline import build

REPO = Path(__file__).resolve().parents[1]


def test_modern_theme_builds_the_sample_issue(tmp_path: Path) -> None:
    built = build(REPO / "issue", tmp_path / "out", theme="modern")
    fonts = embedded_fonts(built.pdf)
    assert all(fonts.values()), fonts
    # The theme's families only (its "PT Sans" faces are Source Sans 3 for SVG text that names PT Sans).
    assert all(f.split("+", 1)[1].startswith(("Source-Serif-4", "Source-Sans-3", "PT-Sans")) for f in fonts), sorted(fonts)
    texts = page_texts(built.pdf)
    assert "The Peace & Security Monitor" in texts[0]
    bookmarks = {title: page for level, title, page in outline(built.pdf) if level == 1}
    starts = [bookmarks[article.title] for article in built.issue.articles]
    assert all(article.title in texts[page - 1] for article, page in zip(built.issue.articles, starts))
    # The page numbers stand before the titles: they come out of the contents page first, in order.
    assert texts[2].startswith(" ".join(map(str, starts)) + " "), texts[2][:80]
