"""Bad input never raises: positioned diagnostics, normalised items, text escaped once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cite_fixtures import cite, make_issue

from typeset.cite.items import normalise_item
from typeset.cite.notes import is_note_style
from typeset.model import Reference, SourcePos

POS = SourcePos(Path("refs.yaml"), 3, 3)
BRETT = {
    "id": "brett",
    "type": "article-journal",
    "author": [{"family": "Brett", "given": "Rachel"}],
    "title": "Adolescents Volunteering",
    "container-title": "IRRC",
    "volume": 85,
    "page": 852,
    "issued": {"date-parts": [[2003]]},
}


def norm(**fields: Any) -> tuple[dict[str, Any] | None, list[str]]:
    data = {"id": "x", "type": "book", "title": "T", **fields}
    item, diags = normalise_item(Reference("x", data, POS))
    assert all(d.pos == POS for d in diags)
    return item, [d.code for d in diags]


def codes(issue_diags: list[Any]) -> list[str]:
    return [d.code for d in issue_diags]


def test_dates_in_every_written_form_become_date_parts() -> None:
    assert norm(issued=dt.date(2024, 6, 1))[0]["issued"] == {"date-parts": [[2024, 6, 1]]}  # type: ignore[index]
    assert norm(issued="2024-06")[0]["issued"] == {"date-parts": [[2024, 6]]}  # type: ignore[index]
    assert norm(issued=2003)[0]["issued"] == {"date-parts": [[2003]]}  # type: ignore[index]
    assert norm(issued={"raw": "2001-02-03/2001-03-04"})[0]["issued"] == {  # type: ignore[index]
        "date-parts": [[2001, 2, 3], [2001, 3, 4]]
    }


def test_bad_dates_are_errors_and_dropped() -> None:
    item, found = norm(issued={"date-parts": [[2024, 13]]})
    assert found == ["ref.bad-date"] and item is not None and "issued" not in item
    assert norm(issued="2024-02-30")[1] == ["ref.bad-date"]
    assert norm(issued="June 2024")[1] == ["ref.bad-date"]


def test_numbers_become_strings_and_booleans_are_refused() -> None:
    item, found = norm(volume=85, edition=False)
    assert item is not None and item["volume"] == "85" and "edition" not in item
    assert found == ["ref.bad-value"]


def test_names() -> None:
    _item, found = norm(author=["Brett, Rachel"])
    assert found == ["ref.bad-name"]
    _, diags = normalise_item(Reference("x", {"type": "book", "title": "T", "author": ["Brett, Rachel"]}, POS))
    assert "{family: Brett, given: Rachel}" in diags[0].hint
    assert norm(author={"literal": "UNSC"})[0]["author"] == [{"literal": "UNSC"}]  # type: ignore[index]


def test_type_and_title() -> None:
    assert norm(type="boook")[1] == ["ref.unknown-type"]
    _, diags = normalise_item(Reference("x", {"type": "boook", "title": "T"}, POS))
    assert "'book'" in diags[0].hint
    _, diags = normalise_item(Reference("x", {"title": "T"}, POS))
    assert [d.code for d in diags] == ["ref.missing-type"]
    _, diags = normalise_item(Reference("x", {"type": "book"}, POS))
    assert [(d.code, d.severity) for d in diags] == [("ref.missing-title", "warning")]
    assert norm(contaner_title="J")[1] == ["ref.unknown-field"]


def test_unknown_id_label_and_style_are_diagnostics_not_tracebacks() -> None:
    issue = make_issue(
        [BRETT],
        [
            [
                [[{"id": "bret", "locator": "5"}]],
                [[{"id": "brett", "locator": "5", "label": "pg"}]],
            ]
        ],
    )
    out, diags = cite(issue)
    assert codes(diags) == ["cite.unknown-id", "cite.unknown-label"]
    assert "did you mean 'brett'?" in diags[0].hint
    assert out.articles[0].notes[0].html == "[?bret]"
    out, diags = cite(make_issue([BRETT], [[[[{"id": "brett"}]]]], style="oscolla"))
    assert codes(diags) == ["cite.unknown-style"] and "'oscola'" in diags[0].hint
    assert out.articles[0].notes[0].html.startswith("Rachel Brett")


def test_garbage_never_raises() -> None:
    refs = [
        {
            "id": "a",
            "type": 5,
            "title": ["x"],
            "author": "Someone",
            "issued": {"date-parts": "2020"},
        },
        {
            "id": "b",
            "type": "book",
            "title": "B",
            "author": [{"family": "X", "foo": "y"}, 7],
        },
    ]
    out, diags = cite(make_issue(refs, [[[[{"id": "a"}, {"id": "b"}]]]]))
    assert {"ref.unknown-type", "ref.bad-value", "ref.bad-name", "ref.bad-date"} <= set(codes(diags))
    assert out.articles[0].notes[0].html


def test_html_is_escaped_once_and_urls_are_links() -> None:
    ref = {
        "id": "w",
        "type": "webpage",
        "author": [{"literal": "A & B"}],
        "title": "Why <script>alert(1)</script> and <i>Italics</i>?",
        "container-title": "Site",
        "URL": 'https://example.org/?a=1&b="2"',
        "issued": "2024-01-02",
    }
    out, _diags = cite(make_issue([ref], [[[[{"id": "w"}]]]]))
    html = out.articles[0].notes[0].html
    assert "<script>" not in html.lower() and "&#60;script&#62;" in html.lower()
    assert "A &#38; B" in html and "<i>Italics</i>" in html
    assert (
        '<a href="https://example.org/?a=1&#38;b=&#34;2&#34;">&#60;https\u2060:\u2060/\u2060/<wbr>example\u2060.<wbr>org\u2060/\u2060?<wbr>'
        'a\u2060=<wbr>1\u2060&#38;<wbr>b\u2060=<wbr>"\u20602\u2060"&#62;</a>' in html
    )
    assert "&amp;" not in html and "?’." not in html.replace("&#62;", "")


def test_prose_note_with_a_cluster() -> None:
    notes = [
        [[{"id": "brett", "locator": "860"}]],
        [
            "See ",
            [{"id": "brett", "locator": "861"}],
            ", which *counts* verified cases only.",
        ],
    ]
    out, _ = cite(make_issue([BRETT], [notes]))
    assert out.articles[0].notes[1].html == "See ibid 861, which <em>counts</em> verified cases only."


def test_note_style_and_in_text_style() -> None:
    assert is_note_style(make_issue([], [], style="oscola"))
    assert not is_note_style(make_issue([], [], style="apa"))


def test_positions_across_the_issue() -> None:
    notes = [[[{"id": "brett"}]]]
    out, _ = cite(make_issue([BRETT], [notes, notes], positions="issue"))
    assert out.articles[1].notes[0].html == "ibid."
    out, _ = cite(make_issue([BRETT], [notes, notes]))
    assert out.articles[1].notes[0].html.startswith("Rachel Brett")


def test_issue_bibliography_and_chicago_author_date() -> None:
    out, diags = cite(
        make_issue(
            [BRETT],
            [[[[{"id": "brett", "locator": "853"}]]]],
            style="chicago-author-date",
            bibliography="issue",
        )
    )
    assert diags == []
    assert out.articles[0].notes[0].html == "(Brett 2003, 853)"
    # as citeproc-js 2.4.63 gives for en-GB (run.js, see test_cite.py)
    assert out.bibliography == ("Brett, Rachel. 2003. ‘Adolescents Volunteering’. <i>IRRC</i> 85: 852.",)
    assert out.articles[0].bibliography == ()
