"""Hand-typed notes → citations: each note's sources found in the library, its other words kept as they were.

A note is cut into segments at the semicolons that separate citations (not those inside a
title, quotes or brackets). Each segment is one of:

* "Ibid" / "Id." (with a locator or not): the source of the cite before it, in the same note,
  or else the previous note's, when that had exactly one;
* a back-reference, "(n 13)", "See note 13", "see [13]", "supra n 13": a source of note 13
  (the words around it, "Brett" or a short title, pick one when note 13 had several);
* a full citation: found in the library by `match.Library.find`.

What precedes the source's text becomes the cite's prefix ("See", "cf"), what follows its
locator (labels as in the content format, plus the forms authors type: "pg.", "para.",
"Article 77 (2)", "[17–20]") and then its suffix. A note whose every segment is a source
becomes a citation bracket `[see @a, p 5; @b]`; otherwise it stays a prose note `^[...]` with
the sources it does name as brackets inside. Nothing is dropped: every character of a note is
either in the prose or in the span of a cite (its prefix, its source, its locator, its suffix).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from typeset.cite.locators import LOCATORS
from typeset.load.citations import CitationSyntaxError, cluster
from typeset.manuscript.convert import unescape
from typeset.manuscript.match import LABEL_WORDS, Evidence, Library, Token, tokenize
from typeset.model import Cite, SourcePos

MAX_NOTE = 5000
"""Characters: a longer note is prose (or a pasted reference list), left as it is without looking for sources."""

Status = Literal["matched", "partial", "ambiguous", "unmatched"]

_SHORT_LABEL = {kind: words[0] if words else kind for kind, words in LOCATORS.items()}
"""The word a cite is written with for each locator type: `para`, `art`, `s`."""
_NOWHERE = SourcePos(Path("note"))
"""Cites made here are written out as text, not reported on: they need no position."""

_IBID = re.compile(r"[\s*_]*(?:ibid(?:em)?\b\.?|id\.)[*_]*(?![\w-])", re.IGNORECASE)
_NOTE_WORD = r"(?:nn?|notes?|fn|footnotes?)\.?"
_BACKREF_START = re.compile(
    rf"[\s*_(]*(?:see\s+)?(?:(?:supra|above)\s*,?\s*)?(?:\(?{_NOTE_WORD}\s*(?P<n>\d{{1,4}})\)?(?:\s+(?:above|supra)\b)?|\\?\[(?P<b>\d{{1,4}})\\?\])",
    re.IGNORECASE,
)
_BACKREF_IN = re.compile(
    rf"\((?:see\s+)?(?:supra\s+)?{_NOTE_WORD}\s*(?P<n>\d{{1,4}})(?:\s+above)?\)"
    rf"|\b(?:supra|above)\s*,?\s*{_NOTE_WORD}\s*(?P<m>\d{{1,4}})"
    rf"|\b{_NOTE_WORD}\s*(?P<k>\d{{1,4}})\s+(?:above|supra)\b",
    re.IGNORECASE,
)
_ITEM = r"\d(?:\w|\.(?=\w))*(?:\s?\\?\([\w.]+\))*"
_RANGE = rf"{_ITEM}(?:\s*[-–—]\s*{_ITEM})?"
_ITEMS = rf"{_RANGE}(?:\s*(?:,|&|\band\b)\s*{_RANGE})*"
_LOCATOR = re.compile(
    rf"(?P<sep>[\s,:.?!]*)(?:(?P<word>[^\W\d_]+|¶{{1,2}}|§{{1,2}})\.?\s*(?P<loc>{_ITEMS})|(?P<bare>{_ITEMS})|\\?\[(?P<para>{_ITEMS})\\?\])(?![\w-])",
)
_LAST_LOCATOR = re.compile(
    rf"[\s,:]+\(?(?P<at>(?:(?:{'|'.join(map(re.escape, sorted(LABEL_WORDS, key=len, reverse=True)))})\.?\s*)?{_ITEMS})\)*[.\s]*$", re.IGNORECASE
)
"""A locator that ends the segment, for when the words before it describe the source."""
_SHORT_CLOSE = re.compile(r"[^\s();\[\]<>]{0,12}(?:\s[^\s();\[\]<>]{1,12})?\\?([)\]>])")
_RANGE_NUMBERS = re.compile(r"(?<![\d.])(\d+)([-–—])(\d+)(?![\d.])")
_PLAIN = re.compile(r"[^\\*_`\[\]<>@;{}]*")
_SEPARATORS = re.compile(r"[\s;,.()]*")


@dataclass(frozen=True)
class Found:
    """A source found in one segment of a note, and the cite that stands for the whole segment.

    The segment's text is the prefix `[start, source_start)`, the source's words
    `[source_start, locator_at)`, the locator `[locator_at, suffix_at)` and the suffix
    `[suffix_at, end)` (without the note's closing full stop, which the style prints).
    """

    cite: Cite
    start: int
    end: int
    source_start: int
    locator_at: int
    suffix_at: int
    how: str = "full"
    """`full`, `ibid`, `n 13` (a back-reference), `short` (a short form of a source cited before)."""

    @property
    def id(self) -> str:
        return self.cite.id


def pandoc(cite: Cite) -> str:
    """A cite in the content format's syntax, without brackets: `see @id, para 5, suffix`."""
    out = (cite.prefix + " " if cite.prefix else "") + "@" + cite.id
    if cite.locator:
        word = _SHORT_LABEL.get(cite.label, "") if cite.label != "page" else ""
        locator = cite.locator if _locator_reads(cite.locator) else "{" + cite.locator + "}"
        out += ", " + (word + " " if word else "") + locator
    if cite.suffix:
        out += cite.suffix if cite.locator or cite.suffix.startswith(",") else "," + cite.suffix
    return out


@dataclass(frozen=True)
class Unsure:
    """A segment that names no source with confidence; `candidates` when several come close."""

    start: int
    end: int
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteResult:
    """One note: the sources found in it, the segments left unsure, and the Markdown it becomes."""

    number: int
    text: str
    found: tuple[Found, ...]
    unsure: tuple[Unsure, ...]
    markdown: str

    @property
    def status(self) -> Status:
        if self.found and not self.unsure:
            return "matched"
        if any(u.candidates for u in self.unsure):
            return "ambiguous"
        return "partial" if self.found else "unmatched"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.found)

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source the note may cite: those found and the candidates of its ambiguous segments."""
        return tuple(dict.fromkeys([*self.ids, *(c for u in self.unsure for c in u.candidates)]))


@dataclass
class _History:
    """What earlier notes cited: for "ibid", "(n 13)" and short forms."""

    notes: list[NoteResult] = field(default_factory=list)
    cited: dict[str, None] = field(default_factory=dict)


def match_notes(notes: Sequence[str], library: Library) -> list[NoteResult]:
    """Every note (Markdown inline text, in order) → its citations and its Markdown."""
    history = _History()
    results = []
    for number, text in enumerate(notes, start=1):
        result = _match_note(number, text, library, history)
        history.notes.append(result)
        history.cited.update(dict.fromkeys(result.ids))
        results.append(result)
    return results


def _match_note(number: int, text: str, library: Library, history: _History) -> NoteResult:
    """One note, segment by segment → its sources and its Markdown."""
    if len(text) > MAX_NOTE:
        return NoteResult(number, text, (), (Unsure(0, len(text)),), to_markdown(text, ()))
    found: list[Found] = []
    unsure: list[Unsure] = []
    got: Found | Unsure | None = None
    for start, end in split_segments(text):
        start, end = start + len(text[start:end]) - len(text[start:end].lstrip()), start + len(text[start:end].rstrip())
        if not text[start:end].strip(" ."):
            continue
        before = got
        got = _segment(text, start, end, number, library, history, before)
        if isinstance(got, Unsure) and not got.candidates and isinstance(before, Found) and before.how == "full":
            joined = _segment(text, before.start, end, number, library, history, None)  # a semicolon inside an unquoted title
            if isinstance(joined, Found) and joined.id == before.id and joined.locator_at > before.end:
                found[-1] = got = joined
                continue
        if isinstance(got, Found):
            found.append(got)
        else:
            unsure.append(got)
    return NoteResult(number, text, tuple(found), tuple(unsure), to_markdown(text, found))


def match_table(results: Sequence[NoteResult]) -> list[tuple[int, Status, str]]:
    """One row per note for the editor: its number, its status, and its citation, its candidates or the start of its text."""
    rows = []
    for note in results:
        parts = [note.markdown] if note.found else [] if note.text.strip() else ["empty: left out"]
        for unsure in note.unsure:
            text = " ".join(note.text[unsure.start : unsure.end].split())
            text = text if len(text) <= 50 else text[:49] + "…"
            parts.append(f"{text!r}: " + ("could be " + " or ".join(unsure.candidates) if unsure.candidates else "no source found"))
        rows.append((note.number, note.status, "; ".join(parts)))
    return rows


def split_segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each citation-sized piece: split at semicolons outside brackets and quotes.

    A bracket or quote that never closes ("(; Ibid; …", "'tis") is read as plain text, one at a
    time, so it does not stop the brackets and quotes that do close from keeping their semicolons.
    """
    stray: set[int] = set()
    while isinstance(cuts := _semicolons(text, stray), int):
        stray.add(cuts)
    bounds = [-1, *cuts, len(text)]
    return [(a + 1, b) for a, b in itertools.pairwise(bounds)]


def _semicolons(text: str, stray: set[int]) -> list[int] | int:
    """Positions of top-level semicolons, or the position of the outermost bracket or quote that never closes.

    `stray` holds the positions of brackets and quotes already found never to close.
    """
    closers = {"‘": "’", "“": "”", '"': '"', "'": "'"}
    cuts: list[int] = []
    opened: list[int] = []  # the open brackets' positions
    quote = -1  # the open quote's position
    i = 0
    while i < len(text):
        ch = text[i]
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch == "\\":
            i += 2
            continue
        if i in stray:
            pass
        elif ch in "([":
            opened.append(i)
        elif ch in ")]":
            if opened:
                opened.pop()
        elif quote >= 0 and ch == closers[text[quote]] and not nxt.isalnum():
            quote = -1
        elif quote < 0 and ch in closers and not prev.isalnum() and not nxt.isspace():
            quote = i
        elif ch == ";" and not opened and quote < 0:
            cuts.append(i)
        i += 1
    unclosed = [at for at in (*opened[:1], quote) if at >= 0]
    return min(unclosed) if unclosed else cuts


def _segment(text: str, start: int, end: int, number: int, library: Library, history: _History, before: Found | Unsure | None) -> Found | Unsure:
    """One segment → the source it cites, or why not."""
    seg = text[start:end]
    m = _IBID.match(seg)
    if m:
        return _ibid(text, start, end, start + m.end(), history, before)
    m = _BACKREF_START.match(seg)
    if m and 0 < int(m.group("n") or m.group("b")) < number:
        return _backref(text, start, end, (start + m.start(), start + m.end()), int(m.group("n") or m.group("b")), library, history)
    for m in _BACKREF_IN.finditer(seg):
        n = int(m.group("n") or m.group("m") or m.group("k"))
        if 0 < n < number:
            return _backref(text, start, end, (start + m.start(), start + m.end()), n, library, history)
    tokens = tokenize(seg)
    best, rivals = library.find(tokens)
    how = "full"
    if best is None and not rivals and history.cited:
        best, rivals, how = *_short_form(tokens, library, history), "short"
    if best is None:
        return Unsure(start, end, tuple(e.id for e in rivals))
    return _cite(text, start, end, best.id, _char_span(tokens, best, start), how)


def _short_form(tokens: Sequence[Token], library: Library, history: _History) -> tuple[Evidence | None, list[Evidence]]:
    """A short segment naming a source cited before ("Brett, 861"): matched among those sources only."""
    if not 0 < sum(not t.text.isdigit() for t in tokens) <= 8:
        return None, []
    best, rivals = library.find(tokens, among=history.cited)
    if best is None or best.first > 1:
        return None, []
    return best, rivals


def _ibid(text: str, start: int, end: int, after: int, history: _History, before: Found | Unsure | None) -> Found | Unsure:
    """ "Ibid": the segment before it in this note, or the previous note's one source."""
    if isinstance(before, Unsure):
        return Unsure(start, end, before.candidates)
    if before is not None:
        last: Found | None = before
        ids: tuple[str, ...] = (before.id,)
    else:
        previous = history.notes[-1] if history.notes else None
        last = previous.found[-1] if previous and previous.found else None
        ids = previous.sources if previous else ()
    if len(ids) != 1 or last is None or last.id != ids[0]:
        return Unsure(start, end, ids)
    found = _cite(text, start, end, ids[0], (start, after), "ibid")
    if found.cite.locator and last.cite.label not in ("", "page") and re.match(r"\s+\d", text[after:end]):
        found = replace(found, cite=replace(found.cite, label=last.cite.label))  # "ibid 68" after "para 56": OSCOLA prints an ibid's locator without its label
    return found


def _backref(text: str, start: int, end: int, ref: tuple[int, int], n: int, library: Library, history: _History) -> Found | Unsure:
    """A back-reference to note `n`: its source, picked by the words around it when that note had several."""
    ids = history.notes[n - 1].sources
    if not ids:
        return Unsure(start, end)
    around = " " * start + text[start : ref[0]] + " " * (ref[1] - ref[0]) + text[ref[1] : end]
    tokens = tokenize(around)
    best, rivals = library.find(tokens, among=ids)
    if best is None and len(ids) > 1:
        return Unsure(start, end, tuple(e.id for e in rivals) or ids)
    source = ref
    if best is not None:
        a, b = _char_span(tokens, best, 0)
        if b <= ref[0] and len(tokenize(text[b : ref[0]])) <= 2:
            source = (a, ref[1])
        elif a >= ref[1] and len(tokenize(text[ref[1] : a])) <= 1:
            source = (ref[0], b)
    return _cite(text, start, end, best.id if best else ids[0], source, f"n {n}")


def _char_span(tokens: Sequence[Token], evidence: Evidence, offset: int) -> tuple[int, int]:
    return tokens[evidence.first].start + offset, tokens[evidence.last].end + offset


def _cite(text: str, start: int, end: int, ref_id: str, source: tuple[int, int], how: str) -> Found:
    """The cite of a segment whose source's words are at `source`: prefix before, then locator and suffix."""
    a = source[0]
    while a > start and text[a - 1] in "*_‘“'\"([<\\":
        a -= 1
    b = _close(text, a, source[1], end)
    last = _LAST_LOCATOR.search(text, max(b, end - 120), end)  # bounded: the search is quadratic in what it scans
    if last and last.start() > b and all(w[0].isupper() or w[0].isdigit() or w.lower() in LABEL_WORDS for w in re.findall(r"[^\W_]+", text[b : last.start()])):
        b = last.start("at")  # "85 IRRC 852, 861", "p. 852 (pp. 860–62)": what the library lacks of the source, then the pinpoint
    m = _LOCATOR.match(text, b, end)
    first_page = re.match(r"\d+\s*,\s*(?=\d)", m.group("bare") or "") if m and how == "full" else None
    if m and first_page:  # "852, 861": the page the article starts on, then the pinpoint
        b = m.start("bare") + first_page.end()
        m = _LOCATOR.match(text, b, end)
    locator = label = ""
    suffix_at = b
    if m and (m.group("word") is None or m.group("word").lower() in LABEL_WORDS):
        locator = _full_ranges(re.sub(r"\s+(?=\()|(?<=[-–—])\s+|\s+(?=[-–—])", "", unescape(m.group("loc") or m.group("bare") or m.group("para"))))
        label = "paragraph" if m.group("para") else LABEL_WORDS.get((m.group("word") or "").lower(), "page")
        suffix_at = m.end()
    suffix = text[suffix_at:end].rstrip()
    if not text[end:].strip():
        suffix = suffix.removesuffix(".")
    if _SEPARATORS.fullmatch(suffix):
        suffix = ""
    return Found(Cite(ref_id, _NOWHERE, locator, label, text[start:a].strip(), suffix), start, end, a, b, suffix_at, how)


def _full_ranges(locator: str) -> str:
    """Page ranges written short as some styles print them, in full: "860–62" → "860–862"."""

    def full(m: re.Match[str]) -> str:
        first, dash, last = m.groups()
        whole = first[: len(first) - len(last)] + last
        return first + dash + (whole if len(last) < len(first) and int(whole) > int(first) else last)

    return _RANGE_NUMBERS.sub(full, locator)


def _close(text: str, a: int, b: int, end: int) -> int:
    """Extend a source's span over the closing quotes, brackets and markup of what it opened."""
    pairs = {"’": "‘", "”": "“", ")": "(", "]": "[", ">": "<", "*": "*", "_": "_", '"': '"', "'": "'"}
    while b < end:
        ch = text[b]
        if ch == "\\" and text[b + 1 : b + 2] in (">", "]", ")"):
            b += 1
            continue
        if ch in pairs and _unbalanced(text[a:b], pairs[ch], ch):
            b += 1
            continue
        m = _SHORT_CLOSE.match(text, b, end)  # "(WB 2023)": the year was not the source's, the bracket is
        if m and _unbalanced(text[a:b], pairs[m.group(1)], m.group(1)):
            b = m.end()
            continue
        break
    return b


def _unbalanced(span: str, opener: str, closer: str) -> bool:
    if opener == closer:
        return span.count(opener) % 2 == 1
    closes = len(re.findall(r"’(?!\w)", span)) if closer == "’" else span.count(closer)
    return span.count(opener) > closes


def _locator_reads(locator: str) -> bool:
    """Whether the content format reads this locator back as it is (else it goes in braces)."""
    try:
        cites = cluster("@x, " + locator, lambda _: _NOWHERE).cites
    except CitationSyntaxError:
        return False
    return cites[0].locator == locator and not cites[0].suffix


def _reads_back(cite: Cite) -> bool:
    """Whether the cite, written in the content format, reads back as itself."""
    if not (_PLAIN.fullmatch(cite.prefix) and _PLAIN.fullmatch(cite.suffix)):
        return False
    try:
        cites = cluster(pandoc(cite), lambda _: _NOWHERE).cites
    except CitationSyntaxError:
        return False
    return len(cites) == 1 and _key(cites[0]) == _key(cite)


def _key(cite: Cite) -> tuple[str, ...]:
    return cite.id, cite.locator, cite.label if cite.locator else "", cite.prefix, cite.suffix.strip(" ,")


def to_markdown(text: str, found: Sequence[Found]) -> str:
    """The note in the content format: one citation bracket when it is all cites, else a prose note with brackets inside.

    An empty note (Word keeps them) is left out: the content format has no empty note.
    """
    if not text.strip():
        return ""
    gaps = [text[a:b] for a, b in zip([0, *(f.end for f in found)], [*(f.start for f in found), len(text)])]
    if found and all(not g.strip(" ;") for g in gaps) and all(_reads_back(f.cite) for f in found):
        return "[" + "; ".join(pandoc(f.cite) for f in found) + "]"
    out = []
    for gap, f in zip(gaps, found):
        out += [gap, _inline_cite(text, f)]
    return "^[" + ("".join(out) + gaps[-1]).strip() + "]"


def _inline_cite(text: str, f: Found) -> str:
    """A cite inside a prose note: prefix and suffix in the bracket when they read back, else as prose beside it."""
    for with_prefix, with_suffix in ((True, True), (False, True), (True, False), (False, False)):
        cite = replace(f.cite, prefix=f.cite.prefix if with_prefix else "", suffix=f.cite.suffix if with_suffix else "")
        if _reads_back(cite):
            head = "" if with_prefix else text[f.start : f.source_start]
            tail = "" if with_suffix else text[f.suffix_at : f.end]
            return head + "[" + pandoc(cite) + "]" + tail
    return text[f.start : f.end]
