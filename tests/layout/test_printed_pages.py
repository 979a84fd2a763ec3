"""Pages a printer would accept, read off the built PDFs of the sample and of Issue 8 at its printed
length (tests/fixtures/long_issue.py): full pages, floated figures, calls that hold to their word,
page-foot notes on their call's page, endnote lists, the back cover, the printed length."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS
from page_fill import below, page_fills, summary
from pdfread import internal_links, link_lines, note_calls_at_line_start, note_numbers_alone, outline, page_texts, reader

from typeset.model import Article
from typeset.pipeline import Built, build

ADDRESS_BREAKS = "/.-?&="
pytestmark = pytest.mark.slow  # builds Issue 8 at its printed length, twice


@pytest.fixture(params=["sample_build", "long_build"])
def built(request: pytest.FixtureRequest) -> Built:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def test_every_page_an_article_runs_on_from_is_full(built: Built) -> None:
    fills = page_fills(built.pdf, built.issue.root)
    assert sum(f.must_be_full for f in fills) > 30
    assert [(f.number, round(f.fill or 0, 2)) for f in below(fills)] == []


@pytest.mark.parametrize("name", ["sample_build", "long_build", "long_footnotes_build"])
def test_no_note_call_begins_a_line(name: str, request: pytest.FixtureRequest) -> None:
    pdf = request.getfixturevalue(name).pdf
    assert note_calls_at_line_start(pdf) == []


def test_every_page_foot_note_is_on_the_page_of_its_call(long_footnotes_build: Built) -> None:
    calls = {name: (call, note) for call, name, note in internal_links(long_footnotes_build.pdf) if re.search(r"-n\d+$", name)}
    assert len(calls) == sum(len(a.notes) for a in long_footnotes_build.issue.articles) == 264
    assert {name: pages for name, pages in calls.items() if pages[0] != pages[1]} == {}
    assert note_numbers_alone(long_footnotes_build.pdf) == []


def test_endnote_numbers_keep_their_first_line_and_addresses_break_after_punctuation(long_build: Built) -> None:
    assert note_numbers_alone(long_build.pdf) == []
    links = link_lines(long_build.pdf)
    broken = [(page, lines) for page, _, lines in links if len(lines) > 1]
    assert len(broken) > 20, "the long notes' addresses run over lines"
    for page, uri, lines in links:
        printed = "".join(lines).replace("\u200b", "")
        if uri.startswith("http") and printed.startswith("<"):
            assert printed == f"<{uri}>" or uri.startswith(printed[1:]), (page, uri, lines)  # no hyphen added
            # after / . - ? & =, or within an id too long for a line (24 letters, digits or _ in a row)
            assert all(line[-1:] in ADDRESS_BREAKS or re.search(r"\w{24}$", line) for line in lines[:-1] if line), (page, lines)


def _words_before_figures(article: Article) -> list[str]:
    """For each figure of the article, the last words of the paragraph written before it."""
    found, last = [], ""
    for token in article.body.tokens:
        if token.type == "inline" and token.children:
            last = "".join(c.content for c in token.children if c.type == "text")
        elif token.type == "figure":
            found.append(" ".join(last.split()[-5:]))
    return found


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\u200b\u2060]", "", text)


def test_figures_float_at_most_a_page_and_keep_their_captions(long_build: Built) -> None:
    texts = [_squeezed(t) for t in page_texts(long_build.pdf)]
    dests = {name: reader(long_build.pdf).get_destination_page_number(d) + 1 for name, d in reader(long_build.pdf).named_destinations.items()}
    moved = 0
    for article in long_build.issue.articles:
        for figure, words in zip(article.figures, _words_before_figures(article), strict=True):
            before = next(i for i, t in enumerate(texts, start=1) if _squeezed(words) in t)
            page = dests[f"{article.slug}-fig{figure.number}"]
            assert page - before in (0, 1), (article.slug, figure.number, before, page)
            assert f"Figure{figure.number}:" in texts[page - 1], "the caption is on the figure's page"
            moved += page > before
    assert moved >= 5, "some figures waited for the next page"


def test_the_back_cover_is_a_left_hand_page(built: Built) -> None:
    texts = page_texts(built.pdf)
    assert len(texts) % 2 == 0 and "ISSN 2989-3038" in texts[-1] and "Platform for Peace and Humanity" in texts[-1]


def test_articles_set_at_their_printed_length(long_build: Built) -> None:
    """A 2,000-word article with up to 45 endnotes and 5 figures sets in 7.5 A4 pages at most, as printed."""
    lengths = {g.title: g.length for g in summary(page_fills(long_build.pdf, long_build.issue.root))}
    checked = [a for a in long_build.issue.articles if len(a.notes) <= 45 and len(a.figures) <= 5]
    assert len(checked) >= 3
    assert {a.title: round(lengths[a.title], 2) for a in checked if lengths[a.title] > 7.5} == {}
    assert len(page_texts(long_build.pdf)) <= 48


def test_an_issue_without_a_foreword_prints_no_foreword_page(minimal: Path, tmp_path: Path) -> None:
    """…and `###` headings nest in the bookmarks under their section."""
    yaml = minimal / "issue.yaml"
    yaml.write_text(re.sub(r"foreword:\n  body: \|\n    A short foreword.\n", "", yaml.read_text()))
    article = minimal / "articles/one.yaml"
    article.write_text(article.read_text().replace("  ## Second Section\n", "  ### A Subsection\n\n  Its text.\n\n  ## Second Section\n"))
    built = build(minimal, tmp_path / "out")
    assert not any("Foreword" in t for t in page_texts(built.pdf))
    entries = outline(built.pdf)
    assert [title for _, title, _ in entries if title == "Foreword"] == []
    levels = {title: level for level, title, _ in entries}
    assert levels["A Subsection"] == levels["First Section"] + 1


def test_a_one_page_short_issue_is_padded_to_an_even_count(tmp_path: Path) -> None:
    """tests/roots/minimal lays out an odd number of pages: a ruled notes page goes before the back cover."""
    issue = tmp_path / "issue"
    shutil.copytree(ROOTS / "minimal", issue)
    built = build(issue, tmp_path / "out")
    texts = page_texts(built.pdf)
    assert built.outputs[0].padded == 1 and len(texts) % 2 == 0
    assert texts[-2].strip() == "" and "ISSN 2989-3038" in texts[-1]
