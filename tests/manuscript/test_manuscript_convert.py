"""pandoc's AST → the content format's Markdown: text survives our Markdown dialect, blocks keep their kind."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from typeset.load.markdown import new_parser
from typeset.manuscript.convert import Manuscript, convert, escape
from typeset.manuscript.pandoc import run_pandoc


def rendered_text(markdown: str, inline: bool = False) -> str:
    """The text markdown-it (with our rules and typography) reads from one paragraph of Markdown (or inline text)."""
    parser = new_parser()
    tokens = parser.parseInline(markdown) if inline else parser.parse(markdown)
    (para,) = [t for t in tokens if t.type == "inline"] or [None]
    assert para is not None and para.children is not None
    assert {c.type for c in para.children} <= {"text"}, [c.type for c in para.children]
    return "".join(c.content for c in para.children)


# Straight quotes are left out: typography curls them on purpose, as it does in every article;
# so are the two private-use characters that mark notes in the body, and byte-order marks, which the writer removes from text.
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="'\"\x85\ufeff\ue100\ue101"), min_size=1, max_size=60
)


@settings(max_examples=300, deadline=None)
@given(TEXT.filter(lambda s: s.strip()))
def test_a_paragraphs_text_reads_back_as_itself(text: str) -> None:
    body = convert({"blocks": [{"t": "Para", "c": [{"t": "Str", "c": text}]}]}, lambda n, _: "").body
    assert rendered_text(body) == text.strip()


@settings(max_examples=300, deadline=None)
@given(TEXT.filter(lambda s: s.strip()))
def test_a_notes_text_reads_back_as_itself(text: str) -> None:
    (note,) = [c for t in new_parser().parse("x^[" + escape(text) + "]") for c in t.children or [] if c.type == "text_note"]
    assert rendered_text(note.content, inline=True).strip() == text.strip()


def manuscript(markdown: str, tmp_path: Path) -> Manuscript:
    source = tmp_path / "m.md"
    source.write_text(markdown, encoding="utf-8")
    return convert(json.loads(run_pandoc(["-f", "markdown-smart", "-t", "json", str(source)], source)), lambda n, _: f"images/m-{n}.png")


def test_headings_start_at_level_two_whatever_level_the_manuscript_starts_at(tmp_path: Path) -> None:
    out = manuscript("## Title\n\n### Part\n\ntext\n\n#### Sub\n\nmore\n", tmp_path)
    assert out.title == "Title"
    assert out.body == "## Part\n\ntext\n\n### Sub\n\nmore"


def test_text_that_looks_like_markdown_stays_text(tmp_path: Path) -> None:
    out = manuscript("# T\n\n\\# not a heading, 1\\. not a list, \\[@id\\] not a citation, (c) not ©, a--b\n", tmp_path)
    assert rendered_text(out.body) == "# not a heading, 1. not a list, [@id] not a citation, (c) not ©, a--b"


def test_a_lone_image_with_a_caption_paragraph_is_a_figure_with_its_credit(tmp_path: Path) -> None:
    out = manuscript("# T\n\n![](photo.jpg)\n\nFig. 2 – Women queue for bread. Photo: AP, 2021\n", tmp_path)
    assert out.body == '![Women queue for bread](images/m-1.png){credit="AP, 2021"}'
    assert [(i.source, i.target) for i in out.images] == [("photo.jpg", "images/m-1.png")]


def test_lists_quotes_and_code_keep_their_kind(tmp_path: Path) -> None:
    out = manuscript("# T\n\n- a\n    - nested\n- b\n\n> quoted\n\n```\nx = 1\n```\n", tmp_path)
    assert out.body == "- a\n  - nested\n- b\n\n> quoted\n\n```\nx = 1\n```"


def test_a_by_line_gives_the_authors(tmp_path: Path) -> None:
    out = manuscript("# A Title\n\nBy Ann Author and Bob Writer\n\nText.\n", tmp_path)
    assert (out.title, out.authors, out.body) == ("A Title", ["Ann Author", "Bob Writer"], "Text.")
