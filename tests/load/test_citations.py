"""The citation syntax: what a bracket means, read once by `load.citations` for `build` and `check` alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from typeset.cite.locators import LABELS, LOCATORS, locator_type
from typeset.load import citations
from typeset.load.markdown import new_parser, note_parts
from typeset.model import Cluster, SourcePos

FILE = Path("articles/one.yaml")


def at(offset: int) -> SourcePos:
    """Offsets as columns of line 1, so a test reads where each cite was found."""
    return SourcePos(FILE, 1, offset + 1)


def inline(text: str) -> list[tuple[str, str]]:
    tokens = new_parser().parse(text, {})
    return [(c.type, c.content) for t in tokens for c in t.children or [] if c.type != "softbreak"]


def test_a_cluster_reads_prefix_id_locator_label_and_suffix_with_positions() -> None:
    cluster = citations.cluster("see @brett-2003, pp 860-862 and passim; @icrc, table 2", at)
    first, second = cluster.cites
    assert (first.id, first.prefix, first.locator, first.label, first.suffix) == ("brett-2003", "see", "860-862", "page", " and passim")
    assert (second.id, second.locator, second.label) == ("icrc", "2", "table")
    assert (first.pos.col, second.pos.col) == (5, 41)  # each cite at its '@'


def test_every_label_names_a_csl_locator_type_and_every_type_is_a_label() -> None:
    assert set(LABELS.values()) == set(LOCATORS)
    for word, kind in LABELS.items():
        (cite,) = citations.cluster(f"@a, {word} 7", at).cites
        assert (cite.label, cite.locator) == (kind, "7")
    assert locator_type("Para") == "paragraph" and locator_type("pg") is None


def test_an_unknown_label_is_named_with_the_closest_labels() -> None:
    with pytest.raises(citations.UnknownLabel) as caught:
        citations.cluster("@a, parra 5", at)
    assert caught.value.code == "cite.unknown-label"
    assert "unknown locator label 'parra'" in str(caught.value) and "did you mean 'para'" in caught.value.hint


@pytest.mark.parametrize("inner", ["", " ", "@", "see @, p 5"])
def test_a_bracket_that_names_no_reference_is_an_empty_citation_at_its_bracket(inner: str) -> None:
    with pytest.raises(citations.EmptyCitation) as caught:
        citations.cluster(inner, at)
    assert caught.value.code == "cite.empty" and caught.value.offset == -1
    assert str(caught.value) == f"citation '[{inner}]' names no reference"


def test_an_empty_citation_inside_a_prose_note_is_placed_at_its_own_bracket() -> None:
    (token,) = [c for t in new_parser().parse("Text.^[A remark [@] here.]", {}) for c in t.children or [] if c.type == "text_note"]
    with pytest.raises(citations.EmptyCitation) as caught:
        note_parts(token, at)
    assert "Text.^[A remark [@] here.]"[caught.value.offset] == "["
    with pytest.raises(citations.EmptyNote):
        citations.note_parts("  ", at)


def test_prose_notes_split_into_prose_and_clusters() -> None:
    parts = citations.note_parts("As argued in [@a, p 5], and see [@b].", at)
    assert [type(p).__name__ for p in parts] == ["str", "Cluster", "str", "Cluster", "str"]
    assert isinstance(parts[1], Cluster) and parts[1].cites[0].pos.col == 15


def test_brackets_that_are_no_citation_stay_text_or_links() -> None:
    """`[the annex]` is text and `[a link][ref]` a reference link: neither is a note."""
    assert inline("See [the annex] here.") == [("text", "See [the annex] here.")]
    types = [t for t, _ in inline("A [link][ref] and [text][].\n\n[ref]: https://example.org")]
    assert "cite_note" not in types and "link_open" in types
    assert inline("Code `[@]` is code.") == [("text", "Code "), ("code_inline", "[@]"), ("text", " is code.")]


def test_citation_and_note_tokens() -> None:
    assert inline("A claim.[@a, p 5] Another.[@b][@c] Empty.[@] Note.^[Said [@a].]") == [
        ("text", "A claim."),
        ("cite_note", "@a, p 5"),
        ("text", " Another."),
        ("cite_note", "@b"),
        ("cite_note", "@c"),
        ("text", " Empty."),
        ("cite_note", "@"),
        ("text", " Note."),
        ("text_note", "Said [@a]."),
    ]
