"""The HTML stage: note calls, figures and headings as the templates write them."""

from __future__ import annotations

from html import escape
from pathlib import Path

from typeset.output.metadata import issue_description
from typeset.pipeline import build_date, prepare
from typeset.render.html import render_html


def _html(issue_dir: Path) -> str:
    checked = prepare(issue_dir)
    assert not checked.errors, [d.text() for d in checked.errors]
    return render_html(checked.issue, checked.theme, created=build_date(checked.issue))


def test_side_by_side_note_calls_are_separated_and_bound_to_their_word(minimal: Path) -> None:
    """Calls read "claim.²,³"; a word joiner (U+2060) before each call and comma leaves no line break
    before them, and a space or line break written before a call is dropped."""
    path = minimal / "articles/one.yaml"
    text = path.read_text()
    path.write_text(text.replace("Another claim.[@icrc-2013, p 1-3]", "Another claim.[@icrc-2013, p 1-3][@brett-2003]"))
    joined = _html(minimal)
    call = '\u2060<a class="note-call" id="a1-nc{0}" href="#a1-n{0}" role="doc-noteref">{0}</a>'
    assert "Another claim." + call.format(2) + '\u2060<span class="note-call">,</span>' + call.format(3) in joined
    path.write_text(text.replace("Another claim.[@icrc-2013, p 1-3]", "Another claim.\n  [@icrc-2013, p 1-3] [@brett-2003]"))
    assert _html(minimal) == joined


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


def test_every_printed_string_gets_typographic_quotes(minimal: Path) -> None:
    """Titles, names, credits: the quotes and apostrophes Markdown text gets, in the issue's language."""
    article = minimal / "articles/one.yaml"
    text = article.read_text().replace("title: 'A Test Article: With a Colon'", "title: \"Tajikistan's Test: 'Quoted' -- and more\"")
    article.write_text(text.replace("[Bea Author]", '["Bea O\'Author"]').replace('credit="Test Press, 2024"', 'credit="Test Press\'s photo"'))
    issue = minimal / "issue.yaml"
    issue.write_text(issue.read_text().replace("names: [Ada Editor]", 'names: ["Ada D\'Editor"]'))
    html = _html(minimal)
    for printed in ["Tajikistan’s Test: ‘Quoted’ – and more", "Bea O’Author", "Ada D’Editor", "(Test Press’s photo)"]:
        assert printed in html, printed
    assert "&#39;" not in html.split("<body", 1)[1]


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
