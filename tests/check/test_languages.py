"""The region's languages: Russian quotes and hyphenation, Kazakh and Uzbek letters in the theme's own fonts,
and a warning (not wrong hyphenation) where Pyphen has no patterns."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pyphen
import pytest
from pdfread import embedded_fonts, reader

from typeset.output.preflight import preflight, theme_families
from typeset.pipeline import Built
from typeset.theme import find_theme


def _lines(built: Built, title: str) -> list[str]:
    """The text lines of the article page whose first line is `title`."""
    for page in reader(built.pdf).pages:
        lines = (page.extract_text() or "").splitlines()
        if lines and lines[0].strip() == title:
            return lines
    raise AssertionError(f"no page starts with {title!r}")


def test_russian_quotes_are_guillemets_with_low_high_inner_quotes(languages_build: Built) -> None:
    text = " ".join(_lines(languages_build, "Правозащитные механизмы Центральной Азии"))
    assert "«фундаментальной „переоценкой“ приоритетов»" in text


def test_russian_is_hyphenated_by_the_russian_patterns(languages_build: Built) -> None:
    lines = _lines(languages_build, "Правозащитные механизмы Центральной Азии")
    breaks = [(a.split()[-1], b.split()[0]) for a, b in pairwise(lines) if a.endswith("-") and a[-2].isalpha()]
    assert len(breaks) >= 4
    patterns = pyphen.Pyphen(lang="ru")
    for head, tail in breaks:
        word = head[:-1] + tail.rstrip(".,")
        assert len(head) - 1 in patterns.positions(word), f"{word} broken as {head}{tail}"


@pytest.mark.parametrize("title", ["Қазақстандағы әйелдер құқықтары", "Oʻzbekistonda mehnat migratsiyasi"])
def test_no_automatic_hyphenation_without_patterns(languages_build: Built, title: str) -> None:
    assert not any(line.endswith("-") for line in _lines(languages_build, title))


def test_warns_where_no_hyphenation_patterns_exist(languages_build: Built) -> None:
    found = {(d.code, d.pos.path.name, d.pos.line) for d in languages_build.diagnostics}
    assert found == {("lang.no-hyphenation", "02-kk.yaml", 3), ("lang.no-hyphenation", "03-uz.yaml", 3)}
    assert ":lang(kk), :lang(uz) { hyphens: manual; }" in languages_build.html.read_text(encoding="utf-8")


def test_kazakh_and_uzbek_letters_come_out_of_the_theme_fonts(languages_build: Built) -> None:
    text = " ".join(" ".join(_lines(languages_build, t)) for t in ["Қазақстандағы әйелдер құқықтары", "Oʻzbekistonda mehnat migratsiyasi"])
    for word in [
        "Қазақстан",
        "әйелдері",
        "ғылым",
        "табыстарға",
        "таң",
        "өмір",
        "Ұлттық",
        "үй",
        "һәм",
        "іс",
        "Respublikasynyñ",
        "äielderı",
        "ğylym",
        "şaruaşylyq",
        "Ūlttyq",
    ]:
        assert word in text
    for word in ["O\u02bbzbekiston", "g\u02bbalaba", "ma\u02bcrifat", "tog\u02bb", "Ўзбекистон", "ҳам"]:
        assert word in text
    fonts = embedded_fonts(languages_build.pdf)
    assert all(fonts.values()) and all("PT-Serif" in f or "PT-Sans" in f for f in fonts)
    report = preflight(languages_build.pdf.read_bytes(), languages_build.pdf, theme_fonts=theme_families(find_theme("default", Path("."))))
    assert report.findings == ()
