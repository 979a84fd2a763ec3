"""Figures float to the top of the next page, pages end flush at the foot, page-foot notes stay with
their calls: WeasyPrint's layout with our patches (`layout.floats`, `layout.flush`,
`layout.compat`), on small documents whose every line is known."""

from __future__ import annotations

from typing import Any

from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from typeset.layout import compat

compat.install()  # the patches under test

# A page with an 81 mm text area: 16 lines of 5 mm, and a millimetre to spare (no exact fits).
_CSS = """
@page { size: 100mm 101mm; margin: 10mm; }
body { margin: 0; font: 3.5mm/5mm serif; orphans: 2; widows: 2; }
p { margin: 0; }
h2 { margin: 5mm 0 0; font: bold 3.5mm/5mm serif; break-after: avoid; }
figure { margin: 0; break-inside: avoid; }
figure div { background: grey; }
figcaption { height: 5mm; }
.footnote { float: footnote; footnote-policy: line; font: 3mm/5mm serif; }
::footnote-call, ::footnote-marker { content: none; }
"""
_MM = 96 / 25.4  # CSS pixels per millimetre


def _lines(n: int, label: str) -> str:
    """A paragraph of `n` lines exactly: words that fill a line, then a forced break."""
    return "<p>" + "<br>".join(f"{label}{i} " + "x " * 3 for i in range(n)) + "</p>"


def _figure(ident: str = "fig", height: int = 40) -> str:
    """A figure `height` mm high with a caption of one line (5 mm) under it."""
    return f'<figure id="{ident}"><div style="height: {height}mm"></div><figcaption>Figure: a caption</figcaption></figure>'


def _found(box: Any) -> list[tuple[str, float]]:
    """("figure", top) for a figure, (first word, top) for a line, else those of its children."""
    if box.element_tag == "figure":
        return [("figure", box.border_box_y())]
    if isinstance(box, boxes.LineBox):
        words = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox)).split()
        return [(words[0], box.position_y)] if words else []
    return [item for child in getattr(box, "children", ()) for item in _found(child)]


def _pages(body: str, css: str = "") -> list[list[tuple[str, float]]]:
    """For each page, in page order: ("figure", top) and (first word of the line, top), top in mm from the text area's top."""
    document = HTML(string=f"<html><style>{_CSS}{css}</style><body>{body}</body></html>").render()
    return [sorted(((name, round(y / _MM - 10, 1)) for name, y in _found(page._page_box)), key=lambda item: item[1]) for page in document.pages]


def test_a_figure_that_does_not_fit_waits_for_the_next_page_while_the_text_fills_this_one() -> None:
    pages = _pages(_lines(10, "a") + _figure() + _lines(10, "b"))
    assert [name for name, _ in pages[0]] == [*(f"a{i}" for i in range(10)), *(f"b{i}" for i in range(6))]
    assert pages[1][0] == ("figure", 0.0), "the figure opens the next page"
    assert [name for name, _ in pages[1][1:]] == [f"b{i}" for i in range(6, 10)]
    assert pages[1][1][1] == 45.0, "the text goes on under the figure and its caption"


def test_figures_keep_their_order_and_a_theme_can_keep_them_in_place() -> None:
    small = _figure("fig", 20) + _lines(1, "c") + _figure("fig2", 20)
    pages = _pages(_lines(12, "a") + small + _lines(10, "b"))
    assert [name for name, _ in pages[0]] == [*(f"a{i}" for i in range(12)), "c0", *(f"b{i}" for i in range(3))]
    assert pages[1][:2] == [("figure", 0.0), ("figure", 25.0)]
    assert pages[1][2][0] == "b3" and pages[1][2][1] >= 50.0
    fixed = _pages(_lines(10, "a") + _figure() + _lines(10, "b"), "figure { --figure-float: none; }")
    assert [name for name, _ in fixed[0]] == [f"a{i}" for i in range(10)], "in place, the figure leaves its hole"
    assert fixed[1][0] == ("figure", 0.0) and fixed[1][1][0] == "b0"


def test_figures_that_cannot_share_the_next_page_stay_whole_and_in_order() -> None:
    """Two figures of 45 mm cannot both wait for an 81 mm page: the first stays in the flow (and leaves
    its hole), the second waits a page after the text before it, never split from its caption."""
    pages = _pages(_lines(10, "a") + _figure() + _lines(1, "c") + _figure("fig2") + _lines(10, "b"))
    assert [[name for name, _ in page if name in ("figure", "c0", "b0", "b6")] for page in pages] == [[], ["figure", "c0", "b0"], ["figure", "b6"]]


def test_a_figure_never_floats_past_the_end_of_its_article() -> None:
    """With nothing left to fill the page, the figure stays in the flow: on the next page, before what follows."""
    body = _lines(10, "a") + _figure() + _lines(2, "b") + '<h2 style="break-before: page">Next</h2>' + _lines(2, "n")
    pages = _pages(body)
    assert [name for name, _ in pages[0]] == [f"a{i}" for i in range(10)]
    assert [name for name, _ in pages[1]] == ["figure", "b0", "b1"]
    assert [name for name, _ in pages[2]] == ["Next", "n0", "n1"]


def test_a_page_that_continues_overleaf_ends_at_its_foot_unless_the_theme_wants_it_ragged() -> None:
    """A heading kept with two lines (17 mm) does not fit in the last 11 mm: the gap goes between the paragraphs."""
    body = _lines(4, "a") + _lines(4, "b") + _lines(3, "c") + _lines(3, "e") + '<h2 style="margin-top: 2mm">Heading</h2>' + _lines(6, "d")
    flush = _pages(body)
    assert flush[0][-1] == ("e2", 76.0), "the last line sits on the foot of the text area"
    assert flush[0][4][1] - flush[0][3][1] > 5.0, "the paragraphs moved apart"
    ragged = _pages(body, ":root { --page-bottom: ragged; }")
    assert ragged[0][-1] == ("e2", 65.0)


def test_a_line_kept_by_orphans_takes_its_page_foot_notes_with_it() -> None:
    """WeasyPrint 70 kept such a line by sending earlier notes to the next page; the paragraph moves instead."""
    note = '<span class="footnote">{}</span>'
    lines = [f"d{i} x x{note.format('n' + str(i) + ' ' + 'y ' * 40) if i < 2 else ''}" for i in range(4)]
    body = _lines(11, "a") + "<p>" + "<br>".join(lines) + "</p>"
    document = HTML(string=f"<html><style>{_CSS}</style><body>{body}</body></html>").render()
    calls_and_notes = []
    for number, page in enumerate(document.pages):
        text = " ".join(t.text for t in page._page_box.descendants() if isinstance(t, boxes.TextBox))
        calls_and_notes += [(word, number) for word in text.split() if word in {"d0", "d1", "n0", "n1"}]
    pages = dict(calls_and_notes)
    assert pages["d0"] == pages["n0"] and pages["d1"] == pages["n1"], calls_and_notes
