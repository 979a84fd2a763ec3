"""Hand-typed notes → citations, against the sample issue's references: examples, then properties.

The properties (Hypothesis) build notes the way authors type them, from the sample's real
sources in several citation styles with signals, locators, "Ibid", "(n N)" and prose mixed in,
and check what must hold for any note: matching never fails, a source found is the one the
note meant (never another), its locator is the one typed, and the note written back in the
content format loses nothing: every word outside the source's own description is still in it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from readback import cites_of, read_note, sample_items, sample_library

from typeset.manuscript.convert import escape
from typeset.manuscript.match import Library
from typeset.manuscript.notes import NoteResult, match_notes

BRETT = "brett-2003-adolescents-volunteering"
BRETT_FULL = "Rachel Brett, 'Adolescents Volunteering for Armed Forces or Armed Groups' (2003) 85 IRRC 852, 861."


@pytest.fixture(scope="module")
def library() -> Library:
    return sample_library()


def one(library: Library, *notes: str) -> NoteResult:
    """The last of `notes`, matched after the ones before it."""
    return match_notes(list(notes), library)[-1]


def test_a_full_citation_becomes_a_bracket_with_its_pinpoint(library: Library) -> None:
    note = one(library, BRETT_FULL)
    assert note.status == "matched"
    assert note.markdown == f"[@{BRETT}, 861]"


def test_ibid_takes_the_previous_notes_source_and_its_own_locator(library: Library) -> None:
    notes = match_notes(
        [
            "UNSC, 'Children and armed conflict in Afghanistan - Report of the Secretary-General' (21 November 2023) UN Doc S/2023/893, para 56.",
            "Ibid, para 68.",
            "Ibid.",
        ],
        library,
    )
    assert [n.markdown for n in notes] == ["[@unsc-2023-caac-afghanistan, para 56]", "[@unsc-2023-caac-afghanistan, para 68]", "[@unsc-2023-caac-afghanistan]"]


def test_an_unlabelled_ibid_locator_keeps_the_label_before_it(library: Library) -> None:
    note = one(library, "UNSC, 'Children and armed conflict in Afghanistan - Report of the Secretary-General' (2023) UN Doc S/2023/893 para 25.", "ibid 68.")
    assert (note.found[0].cite.label, note.found[0].cite.locator) == ("paragraph", "68")


def test_a_back_reference_takes_that_notes_source(library: Library) -> None:
    notes = ["A prose note.", BRETT_FULL, "Brett (n 2) 861.", "See Brett (n 2) 860–862, for the argument.", "See note 2, pg. 862."]
    results = match_notes(notes, library)
    assert [r.markdown for r in results[2:]] == [f"[@{BRETT}, 861]", f"[See @{BRETT}, 860–862, for the argument]", f"[@{BRETT}, 862]"]


def test_words_before_a_back_reference_pick_one_of_that_notes_sources(library: Library) -> None:
    first = "Convention on the Rights of the Child (adopted 20 November 1989) 1577 UNTS 3, art 38(3); Optional Protocol to the Convention on the Rights of the Child on the Involvement of Children in Armed Conflict (adopted 25 May 2000) A/RES/54/263, art 2."
    note = one(library, first, "Convention on the Rights of the Child (n 1), preambles.")
    assert note.markdown == "[@crc-1989, preambles]"


def test_signals_and_trailing_prose_become_prefix_and_suffix(library: Library) -> None:
    note = one(library, "cf Rachel Brett, 'Adolescents Volunteering for Armed Forces or Armed Groups' (2003) 85 IRRC 852, 861, on volunteering.")
    (cite,) = cites_of(read_note(note.markdown))
    assert (cite.id, cite.prefix, cite.locator, cite.suffix.strip(" ,")) == (BRETT, "cf", "861", "on volunteering")


@pytest.mark.parametrize(
    ("typed", "label", "locator"),
    [
        ("pg. 98", "page", "98"),
        ("pp 12–14", "page", "12–14"),
        ("paras. 6.21- 6.35.2", "paragraph", "6.21-6.35.2"),
        ("Article 77 (2)", "article-locator", "77(2)"),
        ("art 4(3)(c)", "article-locator", "4(3)(c)"),
        ("[17–20]", "paragraph", "17–20"),
        ("45–48, 54–58", "page", "45–48, 54–58"),
    ],
)
def test_locators_as_authors_type_them(library: Library, typed: str, label: str, locator: str) -> None:
    note = one(
        library, escape(f"R Brett, 'Adolescents Volunteering for Armed Forces or Armed Groups' (2003) 85 International Review of the Red Cross 852, {typed}.")
    )
    (cite,) = cites_of(read_note(note.markdown))
    assert (cite.id, cite.label, cite.locator) == (BRETT, label, locator)


def test_a_note_of_prose_stays_prose(library: Library) -> None:
    note = one(library, "Afghanistan signed the CRC in 1990 and ratified it in 1994; the Taliban have not said whether they consider themselves bound.")
    assert note.status == "unmatched" and not note.found
    assert note.markdown == "^[Afghanistan signed the CRC in 1990 and ratified it in 1994; the Taliban have not said whether they consider themselves bound.]"


def test_a_title_two_editions_share_is_ambiguous(library: Library) -> None:
    note = one(library, "SRSG CAAC, Working Paper No. 1, The Six Grave Violations Against Children During Armed Conflict, 7.")
    assert note.status == "ambiguous"
    assert set(note.unsure[0].candidates) == {"srsg-caac-2009-six-grave-violations", "srsg-caac-2013-six-grave-violations-updated"}


def test_the_exact_title_tells_two_editions_apart(library: Library) -> None:
    note = one(
        library,
        "UN Office of the Special Representative of the Secretary-General for Children Affected by Armed Conflict, 'Working Paper No. 1, The Six Grave Violations Against Children During Armed Conflict: The Legal Foundation', 7.",
    )
    assert note.markdown == "[@srsg-caac-2009-six-grave-violations, 7]"


def test_the_year_tells_two_editions_apart(library: Library) -> None:
    note = one(
        library,
        "UN Office of the Special Representative of the Secretary-General for Children Affected by Armed Conflict, 'Working Paper No. 1, The Six Grave Violations Against Children During Armed Conflict: The Legal Foundation (Updated)' (SRSG/CAAC 2013), p.11.",
    )
    assert note.markdown == "[@srsg-caac-2013-six-grave-violations-updated, 11]"


def test_a_url_names_its_source(library: Library) -> None:
    note = one(library, "<https://www.hrw.org/news/2016/02/18/afghanistan-taliban-child-soldier-recruitment-surges>")
    assert note.ids == ("hrw-2016-taliban-child-soldier-recruitment",)


def test_a_note_of_two_sources_and_a_remark_keeps_the_remark_as_prose(library: Library) -> None:
    note = one(
        library, f"{BRETT_FULL[:-1]}; Brett R and Specht I, Young Soldiers, Why They Choose to Fight (Lynne Rienne 2004) 11; the author disagrees with both."
    )
    assert note.status == "partial"
    assert note.markdown == f"^[[@{BRETT}, 861]; [@brett-specht-2004-young-soldiers, 11]; the author disagrees with both.]"


def test_italic_ibid_after_a_note_of_two_sources_is_ambiguous(library: Library) -> None:
    note = one(library, f"{BRETT_FULL[:-1]}; Brett R and Specht I, Young Soldiers, Why They Choose to Fight (Lynne Rienne 2004) 11.", "*ibid.*")
    assert note.status == "ambiguous"
    assert note.unsure[0].candidates == (BRETT, "brett-specht-2004-young-soldiers")
    assert note.markdown == "^[*ibid.*]"


# --- properties -------------------------------------------------------------------------

ITEMS = [item for item in sample_items() if item.get("title")]
LOCATORS = [
    ("", "", ""),
    (", 861", "page", "861"),
    (", p 5", "page", "5"),
    (" pg. 12-14", "page", "12-14"),
    (", para 68", "paragraph", "68"),
    (" paras 3–4", "paragraph", "3–4"),
    (", art 7(2)", "article-locator", "7(2)"),
]
SIGNALS = ["", "See ", "cf ", "See also "]
SUFFIXES = ["", ", discussing the point", " (on another view)"]


@dataclass(frozen=True)
class Typed:
    """A segment as an author typed it, with the source and locator it means (None: prose, or unknowable)."""

    text: str
    id: str | None = None
    label: str = ""
    locator: str = ""


def _names(item: dict[str, Any]) -> str:
    names = [a.get("literal") or " ".join(filter(None, [a.get("given"), a.get("family")])) for a in item.get("author") or []]
    return " and ".join(n for n in names if n)


def _full(item: dict[str, Any], style: int) -> str:
    """The item in one of three hand-typed styles (OSCOLA-like, Chicago-like, terse)."""
    year = str(((item.get("issued") or {}).get("date-parts") or [[""]])[0][0])
    names, title, container = _names(item), item["title"], item.get("container-title", "")
    url = f" <{item['URL']}>" if item.get("URL") else ""
    if style == 0:
        return f"{names + ', ' if names else ''}‘{title}’ ({year}){' ' + container if container else ''}{url}"
    if style == 1:
        return f"{names + '. ' if names else ''}“{title}.” {container + ' ' if container else ''}{year}.{url}"
    return f"{names + ', ' if names else ''}{title}, {year}"


@st.composite
def typed_notes(draw: st.DrawFn) -> list[list[Typed]]:
    """A few notes, each a few segments: full citations, ibid, back-references, prose."""
    notes: list[list[Typed]] = []
    for _ in range(draw(st.integers(1, 6))):
        segments: list[Typed] = []
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["full", "full", "ibid", "backref", "prose"]))
            typed, label, locator = draw(st.sampled_from(LOCATORS))
            signal = draw(st.sampled_from(SIGNALS))
            if kind == "full":
                item = draw(st.sampled_from(ITEMS))
                text = signal + _full(item, draw(st.integers(0, 2))) + typed + draw(st.sampled_from(SUFFIXES))
                segments.append(Typed(escape(text), str(item["id"]), label, locator))
            elif kind == "ibid":
                meant = segments[-1].id if segments else _only_source(notes[-1]) if notes else None
                segments.append(Typed(escape("Ibid" + typed), meant, label, locator))
            elif kind == "backref" and notes:
                n = draw(st.integers(1, len(notes)))
                segments.append(Typed(escape(f"{signal}(n {n}){typed}"), _only_source(notes[n - 1]), label, locator))
            else:
                words = draw(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12), min_size=1, max_size=8))
                segments.append(Typed(escape(" ".join(words))))
        notes.append(segments)
    return notes


def _only_source(segments: list[Typed]) -> str | None:
    ids = {s.id for s in segments if s.id}
    return ids.pop() if len(ids) == 1 and all(s.id for s in segments) else None


_WORD = re.compile(r"[^\W_]+")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_notes())
@example(  # a page pinpoint equal to the source's issue number, after a journal title with no volume or pages
    [
        [
            Typed(
                escape(
                    "Sherry L. Hamby, ‘The importance of community in a feminist analysis of domestic violence among American Indians’ (2000) American journal of community psychology, p 5"
                ),
                "hamby-2000-community-feminist-analysis",
                "page",
                "5",
            )
        ]
    ]
)
@example(  # a bracket that never closes, then a title with a semicolon inside its quotes
    [
        [
            Typed("("),
            Typed(
                escape(
                    "Michael Lipin, ‘Iran Reveals Afghan Origin of Islamic State Kerman Attack; Retaliation Options Limited’ (2024) Voice of America <https://www.voanews.com/a/iran-reveals-afghan-origin-of-islamic-state-kerman-attack-retaliation-options-limited/7439236.html>, 861"
                ),
                "lipin-2024-iran-kerman-attack",
                "page",
                "861",
            ),
        ]
    ]
)
def test_matched_sources_are_the_ones_meant_and_nothing_is_dropped(notes: list[list[Typed]]) -> None:
    library = _LIBRARY
    texts = ["; ".join(s.text for s in segments) + "." for segments in notes]
    results = match_notes(texts, library)
    for segments, result in zip(notes, results):
        text = result.text
        spans = []
        at = 0
        for s in segments:
            spans.append((at, at + len(s.text), s))
            at += len(s.text) + 2
        for found in result.found:
            typed = next((s for a, b, s in spans if a <= found.start < b and found.end <= b + 1), None)
            if typed is None or typed.id is None:
                continue  # prose that happens to name a source, or an ibid whose source is unknowable
            assert found.id == typed.id, f"{text!r}: found {found.id}, meant {typed.id}"
            assert (found.cite.label, found.cite.locator) == (typed.label, typed.locator), text
        _assert_nothing_dropped(result)


def _assert_nothing_dropped(result: NoteResult) -> None:
    """Every word of the note outside the sources' own descriptions is in the note written back."""
    parts = read_note(result.markdown)
    cites = cites_of(parts)
    assert [c.id for c in cites] == list(result.ids)
    kept = Counter(_WORD.findall(" ".join([p for p in parts if isinstance(p, str)] + [f"{c.prefix} {c.locator} {c.suffix}" for c in cites])))
    text = result.text
    outside = "".join(ch if not any(f.source_start <= i < f.suffix_at for f in result.found) else " " for i, ch in enumerate(text))
    missing = Counter(_WORD.findall(outside)) - kept
    assert not missing, f"{text!r} → {result.markdown!r} lost {dict(missing)}"
    for found, cite in zip(result.found, cites):  # the locator's numbers are the cite's; its label word is the cite's label
        assert Counter(re.findall(r"\d+", text[found.locator_at : found.suffix_at])) == Counter(re.findall(r"\d+", cite.locator)), text


_LIBRARY = sample_library()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=5))
def test_any_text_at_all_is_matched_without_error_and_read_back(notes: list[str]) -> None:
    results = match_notes([escape(n) for n in notes], _LIBRARY)
    for result in results:
        if not result.text.strip():
            assert result.markdown == ""  # an empty Word footnote is left out
            continue
        assert result.markdown.startswith(("[", "^["))
        _assert_nothing_dropped(result)
