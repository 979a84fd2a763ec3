"""The text of one hand-typed citation → the reference it names, or the candidates it could name.

Every reference of the library is indexed by what a note may print of it: title, names,
container, publisher, document number, dates, URL, DOI. A note's text is cut into tokens;
the references that share its rarer tokens are scored by which of their fields the text
contains (`explain`). A reference is taken only when the evidence is strong enough that a
wrong source is unlikely (a URL, most of a distinctive title, a title with its author or
year, a document number with its year) and no other reference comes close: a note that
names nothing with confidence stays prose, and the editor is told.

The tokens a reference explains also say where its citation starts and ends in the note, so
the text before it can become the cite's prefix and the text after it its locator and suffix.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from typeset.cite.locators import LABELS
from typeset.manuscript.convert import unescape

_WORD = re.compile(r"[^\W_]+")
_URL = re.compile(r"(?:https?://|www\.|\b10\.\d{4,9}/)(?:[^\s<>\"\]\\]|\\[^\s<>\]])+", re.IGNORECASE)
"""A URL, or a DOI written bare (in Markdown, so `_` may come escaped)."""

STOP = frozenset({
    "a", "an", "and", "the", "of", "on", "in", "for", "to", "at", "by", "with", "from", "as", "its",
    "their", "is", "are", "or", "be", "de", "la", "le", "les", "du", "des", "der", "die", "das", "und",
    "el", "los"
})  # fmt: skip
"""Words too common to say anything about a source."""

GLUE = STOP | frozenset({
    "accessed", "available", "eds", "ed", "edn", "un", "doc", "docs", "no", "vol", "pp", "p", "others",
    "et", "al", "online", "last", "visited", "retrieved", "via", "n", "d", "nd", "trans", "tr", "res",
    "published", "report", "rep", "see", "also", "cf", "eg", "compare", "generally", "contra",
    "accord"
})  # fmt: skip
"""Words a citation prints between its fields without their being part of any field."""

LABEL_WORDS = {**LABELS, "pg": "page", "pgs": "page", "at": "page", "¶¶": "paragraph", "§§": "section"}
"""Locator labels: the content format's, and the page labels authors type that pandoc does not read."""

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
_MONTH_NAMES = tuple({m, m[:3]} | ({"sept"} if m == "september" else set()) for m in _MONTHS)
"""Each month as notes print it: in full, in three letters, and "Sept"."""
_SHORT_NUMBER_FIELDS = ("volume", "issue", "page", "number-of-pages", "edition", "chapter-number", "collection-number")
_FIELD_LABELS = {"page": "page", "volume": "volume", "issue": "issue", "chapter-number": "chapter"}
"""The locator label that may stand before a number field in a source's own description ("pp. 649–69")."""
_TEXT_FIELDS = (
    "title", "title-short", "container-title", "container-title-short", "collection-title", "publisher",
    "publisher-place", "genre", "number", "medium", "event", "event-title", "authority", "note", "section",
    "original-title", "archive", "jurisdiction",
)  # fmt: skip
_NAME_FIELDS = ("author", "editor", "translator", "director", "interviewer", "composer", "container-author")
_DATE_FIELDS = ("issued", "accessed", "event-date", "original-date", "submitted")
_GAP = 4
"""Unexplained tokens allowed between two explained ones of the same citation."""


def fold(word: str) -> str:
    """Compare words without case or diacritics: `Lücke` and `Lucke` are one token."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _trim_url(url: str) -> str:
    """A URL without the punctuation a sentence or a bracket put after it."""
    url = url.rstrip(".,;:>*\\")
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


def normalise_url(url: str) -> str:
    """A URL as two spellings of it agree: no scheme, no `www.`, no trailing slash or punctuation."""
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", _trim_url(url.strip()), flags=re.IGNORECASE)
    host, slash, rest = url.partition("/")
    return (host.lower() + slash + rest).rstrip("/")


@dataclass(frozen=True)
class Token:
    """A word (folded) or a URL (normalised) of a note, with its place in the note's text."""

    text: str
    start: int
    end: int
    url: bool = False


def tokenize(text: str) -> list[Token]:
    """Words and URLs in order; punctuation and Markdown markup only separate them."""
    tokens: list[Token] = []
    last = 0
    for m in _URL.finditer(text):
        tokens.extend(_words(text, last, m.start()))
        url = _trim_url(m.group())
        tokens.append(Token(normalise_url(unescape(url)), m.start(), m.start() + len(url), url=True))
        last = m.start() + len(url)
    tokens.extend(_words(text, last, len(text)))
    return tokens


def _words(text: str, start: int, end: int) -> Iterable[Token]:
    for m in _WORD.finditer(text, start, end):
        yield Token(fold(m.group()), m.start(), m.end())


def _field_tokens(value: Any) -> tuple[str, ...]:
    return tuple(fold(w) for w in _WORD.findall(str(value)))


@dataclass(frozen=True)
class Name:
    """A person's family name and given names (folded tokens), or an organisation's name."""

    family: tuple[str, ...]
    given: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One reference as the matcher sees it."""

    id: str
    title: tuple[str, ...]
    names: tuple[Name, ...]
    texts: tuple[tuple[str, tuple[str, ...]], ...]
    """(CSL variable, tokens) of every text field, the title first."""
    numbers: tuple[tuple[str, tuple[str, ...]], ...]
    dates: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    """(CSL variable, the token sequences that may print it, longest first)."""
    year: str
    urls: frozenset[str]
    dois: frozenset[str]


def make_entry(item: Mapping[str, Any]) -> Entry:
    """A CSL item → what its citations may print, tokenised."""
    texts = tuple((name, toks) for name in _TEXT_FIELDS if (toks := _field_tokens(item.get(name) or "")))
    names: list[Name] = []
    for field_name in _NAME_FIELDS:
        for person in item.get(field_name) or ():
            if not isinstance(person, Mapping):
                continue
            family = _field_tokens(person.get("literal") or " ".join(str(person.get(k) or "") for k in ("non-dropping-particle", "family")))
            if family:
                names.append(Name(family, _field_tokens(person.get("given") or "")))
    numbers = tuple((name, toks) for name in _SHORT_NUMBER_FIELDS if (toks := _field_tokens(item.get(name) or "")))
    numbers += tuple(_page_forms(dict(numbers).get("page", ())))
    numbers += tuple(
        (name, (_roman(int(toks[0])),)) for name, toks in numbers if name == "volume" and len(toks) == 1 and toks[0].isdigit() and 0 < int(toks[0]) < 4000
    )
    dates = tuple((name, seqs) for name in _DATE_FIELDS if (seqs := _date_sequences(item.get(name))))
    issued = _date_parts(item.get("issued"))
    urls = {normalise_url(str(item["URL"]))} if item.get("URL") else set()
    dois = {str(item["DOI"]).lower()} if item.get("DOI") else set()
    if dois:
        urls |= {normalise_url("https://doi.org/" + d) for d in dois}
    return Entry(
        str(item.get("id", "")),
        _field_tokens(item.get("title") or ""),
        tuple(names),
        texts,
        numbers,
        dates,
        str(issued[0]) if issued else "",
        frozenset(urls),
        frozenset(dois),
    )


def _page_forms(page: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The other ways a page range prints: its first page ("852" of "852-870"), its end cut short ("649–69")."""
    if len(page) < 2:
        return []
    first, last = page[0], page[1]
    short = [(first, last[k:]) for k in range(1, len(last)) if len(last) == len(first) and last[:k] == first[:k]]
    return [("page", p) for p in [*short, (first,)]]


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _roman(n: int) -> str:
    """1125 → "mcxxv" (folded): some styles print volumes in Roman numerals."""
    out = ""
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out += letters * count
    return out


def _date_parts(value: Any) -> list[int]:
    """The first date of a CSL date as [year, month, day] (as many as given)."""
    if not isinstance(value, Mapping):
        return []
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        out = []
        for p in parts[0][:3]:
            try:
                out.append(int(p))
            except (TypeError, ValueError):
                break
        return out
    raw = value.get("raw") or value.get("literal")
    m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(raw or ""))
    return [int(g) for g in m.groups() if g] if m else []


def _date_sequences(value: Any) -> tuple[tuple[str, ...], ...]:
    """The ways a note may print a date: `21 November 2023`, `Nov 21, 2023`, `2023-11-21`, `21.11.2023`, `2023`…"""
    parts = _date_parts(value)
    if not parts:
        return ()
    year = str(parts[0])
    seqs: list[tuple[str, ...]] = []
    if len(parts) >= 2 and 1 <= parts[1] <= 12:
        month = parts[1]
        names = _MONTH_NAMES[month - 1]
        if len(parts) == 3:
            day = parts[2]
            days = {str(day), f"{day:02d}"}
            for d in days:
                for n in names:
                    seqs += [(d, n, year), (n, d, year)]
                seqs += [(d, str(month), year), (d, f"{month:02d}", year), (year, f"{month:02d}", d), (year, str(month), d)]
        for n in names:
            seqs.append((n, year))
    seqs.append((year,))
    return tuple(sorted(set(seqs), key=len, reverse=True))


@dataclass(frozen=True)
class Evidence:
    """How much of one reference a citation's text contains, and where."""

    id: str
    score: float
    sure: bool
    first: int
    last: int
    """Token indices of the citation's extent in the text (inclusive)."""


class Library:
    """The references of a publication, indexed for matching hand-typed notes."""

    def __init__(self, items: Iterable[Mapping[str, Any]]):
        self.entries: dict[str, Entry] = {}
        for item in items:
            entry = make_entry(item)
            if entry.id and entry.id not in self.entries:
                self.entries[entry.id] = entry
        df: Counter[str] = Counter()
        self._postings: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries.values():
            words = set(entry.title) | {w for n in entry.names for w in n.family} | {w for _, toks in entry.texts for w in toks}
            df.update(words)
            for w in words:
                self._postings[w].add(entry.id)
            for url in entry.urls:
                self._postings["\0" + url].add(entry.id)
        n = max(len(self.entries), 1)
        self._idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        self._max_idf = math.log((n + 1) / 0.5)

    def idf(self, word: str) -> float:
        """How rare a word is among the references (a word none of them has is rarest)."""
        if word in STOP:
            return 0.1
        return self._idf.get(word, self._max_idf)

    def candidates(self, tokens: Sequence[Token], limit: int = 12) -> list[str]:
        """The references sharing the most (rarest) words or a URL with the text."""
        weight: dict[str, float] = defaultdict(float)
        for word in dict.fromkeys(t.text for t in tokens if not t.url and t.text not in STOP):
            for ref_id in self._postings.get(word, ()):
                weight[ref_id] += self.idf(word)
        for t in tokens:
            if t.url:
                for ref_id in self._postings.get("\0" + t.text, ()):
                    weight[ref_id] += 100.0
                for ref_id, entry in self.entries.items():
                    if any(doi in t.text.lower() for doi in entry.dois):
                        weight[ref_id] += 100.0
        return sorted(weight, key=lambda ref_id: (-weight[ref_id], ref_id))[:limit]

    def weigh(self, words: Iterable[str]) -> float:
        return sum(self.idf(w) for w in words)

    def explain(self, ref_id: str, tokens: Sequence[Token], relaxed: bool = False) -> Evidence | None:
        """Which tokens of the text this reference accounts for, how well, and whether that is enough to be sure."""
        entry = self.entries[ref_id]
        words = [t.text if not t.url else "\0" for t in tokens]
        explained: dict[int, str] = {}
        url = False
        for i, t in enumerate(tokens):
            if t.url and (t.text in entry.urls or any(doi in t.text.lower() for doi in entry.dois)):
                explained[i] = "URL"
                url = True
        cover: dict[str, float] = {}
        for name, toks in entry.texts:
            if name != "note":
                cover[name] = _align(toks, words, explained, name, self)
        year = False
        day = 0  # how much of the issued date beyond its year: 1 month, 2 day
        for name, seqs in entry.dates:
            for seq in seqs:
                at = _find_seq(seq, words, explained)
                if at >= 0:
                    _mark(explained, at, len(seq), name)
                    if name == "issued" and entry.year in seq:
                        year, day = True, len(seq) - 1
                    break
        for name, toks in entry.texts:
            if name == "note":  # free text that restates the dates: after them
                cover[name] = _align(toks, words, explained, name, self)
        title_cover = max(cover.get("title", 0.0), cover.get("title-short", 0.0) if relaxed else 0.0)
        found_names = 0
        for person in entry.names:
            found_names += _find_name(person, words, explained)
        names_cover = found_names / len(entry.names) if entry.names else 0.0
        numbers = 0
        for name, toks in entry.numbers * 2:  # twice: a number found may put the next one near something explained
            at = _find_seq(toks, words, explained, near=True)
            label = LABEL_WORDS.get(words[at - 1]) if at > 0 else None
            labelled = label is not None
            at_end = at + len(toks) == len(words)
            # "para 3" is a pinpoint; "pp. 649–69", "…, p. 102227." the article's pages; but "p 5" is
            # never issue 5: a labelled number is a field only where the label names that field
            if at >= 0 and (not labelled or (label == _FIELD_LABELS.get(name) and (len(toks) > 1 or at_end))):
                _mark(explained, at - int(labelled), len(toks) + int(labelled), name)
                numbers += 1
        for i in [i for i in explained if i and words[i].isdigit() and words[i - 1] in LABEL_WORDS and i - 1 not in explained]:
            del explained[i]  # "art 7", "para 3": a pinpoint, whatever field the number also appears in
        if not explained:
            return None
        first, last = _extent(explained, tokens, anchor=_anchor(explained))
        unexplained = [i for i in range(first, last + 1) if i not in explained and words[i] not in GLUE]
        left_over = sum(1 for i, w in enumerate(words) if i not in explained and w.isalpha() and w not in GLUE and w not in LABEL_WORDS)
        span_len = last - first + 1
        number_cover = cover.get("number", 0.0)
        title_weight = self.weigh(entry.title)
        # A URL decides; a title found whole counts most, then names, year, number and container;
        # words the source does not account for count against it. Tuned on Issue 8's hand-typed
        # notes and the sample's notes in three styles (bench/import_roundtrip.py), none wrong.
        score = (
            (6.0 * title_cover + (1.5 if title_cover == 1.0 else 0.0)) * min(1.0, title_weight / 8.0)  # a short, common title says less
            + 2.0 * names_cover
            + (1.0 if year else 0.0)
            + 0.5 * day
            + 0.5 * numbers
            + 1.0 * cover.get("container-title", 0.0)
            + 2.0 * number_cover
            + (8.0 if url else 0.0)
            - 0.5 * len(unexplained)
            - 0.3 * left_over  # words of the segment this source does not account for, wherever they are
        )
        prose_like = len(unexplained) > 2 and len(unexplained) > 0.25 * span_len
        if relaxed:
            sure = names_cover >= 0.5 or title_cover >= 0.5 or url
        else:
            sure = (
                url
                or (title_cover >= 0.8 and title_weight >= 8.0)
                or (title_cover >= 0.6 and title_weight >= 4.0 and (names_cover >= 0.5 or year))
                or (number_cover >= 1.0 and len(dict(entry.texts).get("number", ())) >= 2 and (year or names_cover >= 0.5))
                or (names_cover >= 1.0 and year and (title_cover >= 0.3 or numbers >= 2))
            )
        return Evidence(ref_id, score, sure and not prose_like, first, last)

    def find(self, tokens: Sequence[Token], among: Iterable[str] | None = None) -> tuple[Evidence | None, list[Evidence]]:
        """The reference the text names, or None and the candidates when several come too close to call.

        `among` restricts the search to those ids (a back-reference's note, or sources cited
        before), where less evidence is enough.
        """
        relaxed = among is not None
        pool = [i for i in among if i in self.entries] if among is not None else self.candidates(tokens)
        found = sorted((e for ref_id in pool if (e := self.explain(ref_id, tokens, relaxed)) is not None), key=lambda e: -e.score)
        best = next((e for e in found if e.sure), None)
        if best is None:
            return None, []
        rivals = [e for e in found if e is not best and e.score > best.score - 1.5]  # sure or not, too close to call
        if rivals:
            return None, [best, *rivals]
        return best, []


def _align(field: Sequence[str], words: Sequence[str], explained: dict[int, str], name: str, library: Library) -> float:
    """Mark the words of `field` found in order in the text; return the share of the field's weight found.

    A share of 1.0 means the field is there whole and unbroken; a field found whole but with
    other words in between gets a little less, so an exact title beats one that contains it.
    """
    if not field:
        return 0.0
    blocks = SequenceMatcher(None, field, words, autojunk=False).get_matching_blocks()
    total = library.weigh(field)
    found = 0.0
    kept: list[tuple[int, int]] = []
    for a, b, size in blocks:
        if size == 0:
            continue
        if size == 1 and len(field) > 1 and (field[a] in STOP or len(field[a]) < 4):
            continue
        kept.append((b, size))
        found += library.weigh(field[a : a + size])
    share = found / total if total else 0.0
    if len(field) >= 3 and share < 0.3:
        return 0.0
    for b, size in kept:
        _mark(explained, b, size, name)
    return min(share, 1.0 if len(kept) == 1 else 0.95)


def _find_seq(seq: Sequence[str], words: Sequence[str], explained: Mapping[int, str], near: bool = False) -> int:
    """Index of the first run of `seq` in `words` not yet explained (next to an explained word if `near`)."""
    n = len(seq)
    for i in range(len(words) - n + 1):
        free = tuple(words[i : i + n]) == tuple(seq) and not any(j in explained for j in range(i, i + n))
        if free and (not near or any(j in explained for j in range(i - 2, i + n + 2))):
            return i
    return -1


def _find_name(person: Name, words: Sequence[str], explained: dict[int, str]) -> int:
    """Mark a name's family part and the given names or initials beside it; 1 if found."""
    at = _find_seq(person.family, words, explained)
    if at < 0:
        at = _find_seq(person.family, words, {})
        if at < 0:
            return 0
    _mark(explained, at, len(person.family), "author")
    if person.given:
        forms = set(person.given) | {g[0] for g in person.given} | {"".join(g[0] for g in person.given)}
        lo, hi = max(0, at - len(person.given) - 1), min(len(words), at + len(person.family) + len(person.given) + 1)
        initials = {g for g in person.given if len(g) == 1}  # "R" in the library, "Rachel" in the note
        for j in range(lo, hi):
            if words[j] in forms or (words[j][:1] in initials and words[j].isalpha()):
                explained.setdefault(j, "author")
    return 1


def _mark(explained: dict[int, str], at: int, size: int, name: str) -> None:
    for j in range(at, at + size):
        explained.setdefault(j, name)


def _anchor(explained: Mapping[int, str]) -> int:
    """The token the citation grows from: its URL or title if found, else its first explained token."""
    for kind in ("URL", "title", "number", "author", "container-title"):
        at = [i for i, name in explained.items() if name == kind]
        if at:
            return min(at)
    return min(explained)


def _extent(explained: Mapping[int, str], tokens: Sequence[Token], anchor: int) -> tuple[int, int]:
    """Grow from the anchor over explained tokens separated by short gaps: the citation's first and last token."""
    marks = sorted(explained)
    first = last = anchor
    for i in marks:
        if i > last and i - last - 1 <= _GAP:
            last = i
    for i in reversed(marks):
        if i < first and first - i - 1 <= _GAP:
            first = i
    return first, last
