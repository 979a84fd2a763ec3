"""Positions as CSL and citeproc-js define them, computed over notes in order (cite_positions)."""

from __future__ import annotations

from typeset.cite.positions import CiteKey, Placed, compute_positions


def positions(*clusters: tuple[int, list[CiteKey]], distance: int = 5) -> list[tuple[Placed, ...]]:
    return compute_positions(list(clusters), distance)


A, B = CiteKey("a"), CiteKey("b")


def test_first_subsequent_and_first_note_number() -> None:
    out = positions((1, [A]), (2, [B]), (3, [A]))
    assert out[0] == (Placed("first", False, 0),)
    assert out[2] == (Placed("subsequent", True, 1),)


def test_ibid_and_ibid_with_locator() -> None:
    p5, p6 = CiteKey("a", "5", "page"), CiteKey("a", "6", "page")
    out = positions((1, [p5]), (2, [p5]), (3, [p6]), (4, [A]), (5, [A]))
    assert [c[0].position for c in out] == [
        "first",
        "ibid",
        "ibid-with-locator",
        "subsequent",
        "ibid",
    ]


def test_same_locator_different_label_is_ibid_with_locator() -> None:
    out = positions((1, [CiteKey("a", "5", "page")]), (2, [CiteKey("a", "5", "paragraph")]))
    assert out[1][0].position == "ibid-with-locator"


def test_second_cite_in_one_note_is_ibid_of_the_first() -> None:
    out = positions((1, [A, CiteKey("a", "4", "page")]))
    assert [p.position for p in out[0]] == ["first", "ibid-with-locator"]


def test_previous_note_with_several_sources_breaks_ibid() -> None:
    out = positions((1, [A, B]), (2, [B]))
    assert out[1][0].position == "subsequent"


def test_a_note_between_breaks_ibid() -> None:
    """integration_SubsequentWhenInterveningFootnote: note 2 holds prose only."""
    out = positions((1, [A]), (3, [A]))
    assert out[1][0].position == "subsequent"


def test_two_clusters_in_one_note_chain_ibid() -> None:
    out = positions((1, [A]), (1, [A]))
    assert out[1][0].position == "ibid"


def test_near_note_distance() -> None:
    out = positions((1, [A]), (2, [B]), (3, [A]), (9, [A]), distance=2)
    assert [c[0].near_note for c in out] == [False, False, True, False]
    assert out[3][0].first_note == 1
