"""The second theme builds the sample issue with its own fonts and its own contents layout."""

from __future__ import annotations

from pathlib import Path

from pdfread import embedded_fonts, outline, page_texts

from typeset.pipeline import build
from typeset.theme import FontFace, find_theme, font_faces

REPO = Path(__file__).resolve().parents[1]


def test_modern_theme_builds_the_sample_issue(tmp_path: Path) -> None:
    # The PDF only: the modern theme's web edition is built by tests/install/test_wheel.py and its
    # colours checked by tests/web/test_pages.py; here it would double the build's time.
    built = build(REPO / "issue", tmp_path / "out", theme="modern", web=False)
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


def test_font_faces_are_read_from_the_css_not_from_comments_or_strings() -> None:
    css = """/* @font-face { font-family: "Ghost"; src: url("fontpkg:Ghost/400/normal"); } */
    @font-face { font-family: "PT Serif"; src: url("fontpkg:PT Serif/400/normal"), url(fontpkg:PT\\ Serif/700/normal) format("truetype"); }
    @media print { @font-face { font-family: PT Sans; src: url('fontpkg:Source Sans 3/400/normal'); unicode-range: U+02BB, U+0400-0401, U+04??; } }
    p::before { content: "url(fontpkg:Nothing/400/normal)"; }"""
    assert font_faces(css) == (
        FontFace("PT Serif", ("PT Serif/400/normal", "PT Serif/700/normal")),
        FontFace("PT Sans", ("Source Sans 3/400/normal",), (range(0x2BB, 0x2BC), range(0x400, 0x402), range(0x400, 0x500))),
    )


def test_the_default_theme_draws_its_borrowed_characters() -> None:
    theme = find_theme("default", REPO / "issue")
    assert theme.borrowed_characters() == {"\u02bb", "☐", "✓"}  # ʻ and the check-list markers from Source Serif 4 and Source Sans 3
    assert {path.name for path in theme.font_files()} >= {"PT_Serif-Web-Regular.ttf", "PT_Sans-Web-BoldItalic.ttf"}
    assert {face.family for face in theme.font_faces()} == {"PT Serif", "PT Sans"}
