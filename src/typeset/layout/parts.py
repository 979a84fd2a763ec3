"""One HTML document → its parts: the front matter, then each article with whatever follows it.

Each part becomes a document of its own that shares the original `<head>` and `<body>` tag, so
parts can be laid out apart (in parallel, and again only when they change). A part starts at
each `<article>` that is a child of `<body>`; the matter after the last article (bibliography,
back cover) stays with it, so every part begins with content that sets its own running heads.
Each part also says how much it holds (text, notes, figures), for a first guess of its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements without an end tag: they open no nesting level.
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])
# Small type: notes and reference lists fit more characters on a page than the text.
_SMALL = frozenset({"notes", "footnote", "bibliography"})


@dataclass(frozen=True)
class Part:
    """A slice of the body: its markup, the ids it defines, the `#id` links it makes, what it holds."""

    name: str
    markup: str
    ids: frozenset[str]
    links: frozenset[str]
    blocks: int = 1
    """How many children of <body> it holds (the front matter: cover, imprint, contents, foreword)."""
    text: int = 0
    """Characters of text, outside notes and reference lists."""
    notes: int = 0
    """Characters of notes and reference lists."""
    figures: int = 0

    def document(self, head: str, extra: str = "") -> str:
        """This part as a standalone HTML document (`head` ends with the `<body …>` tag)."""
        return f"{head}{self.markup}{extra}</body></html>"


@dataclass(frozen=True)
class Split:
    head: str
    parts: tuple[Part, ...]


@dataclass
class _Child:
    """A child of <body> as the scanner found it."""

    offset: int
    tag: str
    id: str
    ids: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    text: int = 0
    notes: int = 0
    figures: int = 0


class _Scanner(HTMLParser):
    """Finds where each child of <body> starts, and the ids, links and text within each."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.small_from = 0  # the depth at which notes began; 0 outside notes
        self.body_start: int | None = None
        self.body_end: int | None = None
        self.children: list[_Child] = []
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", document))]  # as HTMLParser counts lines

    def position(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "body":
            self.body_start = self.position() + len(self.get_starttag_text() or "")
            self.depth = 0
            return
        if self.body_start is None:
            return
        if self.depth == 0:
            self.children.append(_Child(self.position(), tag, attr.get("id") or ""))
        if self.children:
            child = self.children[-1]
            if attr.get("id"):
                child.ids.add(str(attr["id"]))
            href = attr.get("href") or ""
            if href.startswith("#") and len(href) > 1:
                child.links.add(href[1:])
            child.figures += tag == "figure"
        if tag not in _VOID:
            self.depth += 1
            if not self.small_from and _SMALL.intersection((attr.get("class") or "").split()):
                self.small_from = self.depth

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # HTML ignores the slash: `<div/>` opens a div

    def handle_endtag(self, tag: str) -> None:
        if tag == "body":
            self.body_end = self.position()
        elif self.body_start is not None and tag not in _VOID:
            if self.depth == self.small_from:
                self.small_from = 0
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.children and self.depth:
            size = len(" ".join(data.split()))
            if self.small_from:
                self.children[-1].notes += size
            else:
                self.children[-1].text += size


def split_document(document: str) -> Split:
    """Cut `document` before each top-level `<article>`; everything before the first is the front."""
    scanner = _Scanner(document)
    scanner.feed(document)
    scanner.close()
    if scanner.body_start is None:
        raise ValueError("no <body> in the document")
    end = scanner.body_end if scanner.body_end is not None else len(document)
    groups: list[list[_Child]] = []
    for child in scanner.children:
        if child.tag == "article" or not groups:
            groups.append([])
        groups[-1].append(child)
    if not groups:
        return Split(document[: scanner.body_start], (Part("front", "", frozenset(), frozenset(), 0),))
    parts = []
    for number, group in enumerate(groups):
        first = group[0]
        start = scanner.body_start if number == 0 else first.offset
        stop = groups[number + 1][0].offset if number + 1 < len(groups) else end
        name = (first.id or f"part-{number}") if first.tag == "article" else "front"
        parts.append(
            Part(
                name,
                document[start:stop],
                frozenset().union(*(c.ids for c in group)),
                frozenset().union(*(c.links for c in group)),
                len(group),
                sum(c.text for c in group),
                sum(c.notes for c in group),
                sum(c.figures for c in group),
            )
        )
    return Split(document[: scanner.body_start], tuple(parts))
