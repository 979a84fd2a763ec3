"""The HTML stage: note calls, figures and headings as the templates write them."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from typeset.output.metadata import issue_description
from typeset.pipeline import build_date, prepare
from typeset.render.html import render_html


def _html(issue_dir: Path) -> str:
    checked = prepare(issue_dir)
    assert not checked.errors, [d.text() for d in checked.errors]
    return render_html(checked.issue, checked.theme, created=build_date(checked.issue))


def test_side_by_side_note_calls_are_separated(minimal: Path) -> None:
    path = minimal / "articles/one.yaml"
    path.write_text(path.read_text().replace("Another claim.[@icrc-2013, p 1-3]", "Another claim.[@icrc-2013, p 1-3][@brett-2003]"))
    html = _html(minimal)
    assert re.search(r'>2</a><span class="note-call">,</span><a class="note-call" id="a1-nc3" href="#a1-n3"', html)


def test_figures_headings_and_notes_carry_ids_for_links(minimal: Path) -> None:
    html = _html(minimal)
    assert '<figure id="a1-fig1"><img src="images/fig.png" alt="A grey panel">' in html
    assert '<span class="label">Figure 2:</span> A test chart <span class="credit">(Test data)</span>' in html
    assert '<h2 id="a1-first-section">First Section</h2>' in html
    assert html.count('role="doc-endnote"') == 5
    assert 'href="#a1-nc5" role="doc-backlink">5</a>' in html


def test_creation_date_follows_source_date_epoch(minimal: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert '<meta name="dcterms.created" content="2024-06-01T00:00:00Z">' in _html(minimal)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert '<meta name="dcterms.created" content="2023-11-14T22:13:20Z">' in _html(minimal)


def test_in_text_style_puts_citations_in_the_sentence(minimal: Path) -> None:
    """With APA (one line in issue.yaml) citations stand in the text before the full stop,
    only prose notes stay notes (renumbered), and each article gets its reference list."""
    path = minimal / "issue.yaml"
    path.write_text(path.read_text().replace("style: oscola", "style: apa"))
    html = _html(minimal)
    assert 'A claim with a source <span class="citation">(Brett, 2003, pp. 860–862)</span>.' in html
    assert html.count('role="doc-endnote"') == 1
    assert 'id="a1-n1" value="1" role="doc-endnote"' in html and "The author adds a remark" in html
    assert "<h2>References</h2>" in html
    assert "Brett, R. (2003). Adolescents Volunteering for Armed Forces or Armed Groups. <i>International Review of the Red Cross</i>, <i>85</i>, 852." in html


def test_chicago_full_note_is_one_line_away(minimal: Path) -> None:
    path = minimal / "issue.yaml"
    path.write_text(path.read_text().replace("style: oscola", "style: chicago-notes-bibliography"))
    html = _html(minimal)
    assert html.count('role="doc-endnote"') == 5
    assert "Rachel Brett, ‘Adolescents Volunteering for Armed Forces or Armed Groups’, <i>International Review of the Red Cross</i> 85 (2003): 860–62." in html
    assert "Brett, ‘Adolescents Volunteering for Armed Forces or Armed Groups’, 861." in html
    assert "<h2>References</h2>" not in html


def test_the_issue_is_named_and_cited_alike_in_the_page_and_the_pdf(minimal: Path) -> None:
    """One citation line for the web page's title and description and the PDF's metadata; no dash when there is no region."""
    html = _html(minimal)
    checked = prepare(minimal)
    description = issue_description(checked.issue, build_date(checked.issue))
    assert f"<title>{escape(description.title)}</title>" in html
    assert f'<meta name="description" content="{escape(description.citation)}">' in html
    assert description.citation.startswith("The Test Monitor – Nowhere, Issue ")
    path = minimal / "issue.yaml"
    path.write_text(path.read_text().replace("  region: Nowhere\n", ""))
    html = _html(minimal)
    assert "<title>The Test Monitor, Issue " in html and 'data-journal="The Test Monitor · Issue ' in html
