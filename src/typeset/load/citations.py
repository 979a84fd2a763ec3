"""Pandoc citation syntax → `Cite`s and `Cluster`s: the one reader of `[see @id, p 5; @other]`.

`load.markdown` finds the brackets in Markdown with `citation_at` and `note_parts`; everything
about what a bracket means is here, so `build` and `check` read citations the same way:

* `[see @id, p 5; @other]` — a cluster: prefix, id, locator with its label, suffix, per cite;
* `[]`, `[@]`, `[see @, p 5]` — a citation that names no reference (`EmptyCitation`);
* `^[]` — an empty note (`EmptyNote`).

Positions come from a `where(offset)` callable, so the cites carry their file position.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from typeset.cite.locators import label_hint, locator_type
from typeset.model import Cite, Cluster, NotePart, SourcePos

Where = Callable[[int], SourcePos]
"""A source position for an offset into the text being parsed."""

_ID = r"[\w][\w:.#$%&+?<>~/-]*[\w]|[\w]"
_CITE = re.compile(r"^(?P<prefix>.*?)(?<![\w.])-?@(?P<id>" + _ID + r")(?P<rest>.*)$", re.DOTALL)
_CITE_ID = re.compile(r"(?:^|[\s;\[])-?@(?:" + _ID + ")")
_BARE_AT = re.compile(r"(?:^|[\s;\[])-?@(?!\w)")
_LOC_ITEM = r"[\w().\-–/:]*\d[\w().\-–/:]*"
_LOCATOR = re.compile(r"^(" + _LOC_ITEM + r"(?:\s*(?:,|&|and)\s*" + _LOC_ITEM + r")*)")
_LABEL = re.compile(r"^(?P<label>[^\W\d_]+(?:-[^\W\d_]+)*|¶|§)\.?\s+(?=[\d{])")


class CitationSyntaxError(ValueError):
    """A bracket that looks like a citation but is not one we can read; `offset` is where, in the parsed text."""

    code = "cite.syntax"
    hint = "write [@id], [@id, p 5] or [see @a, para 3; @b]"

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


class UnknownLabel(CitationSyntaxError):
    code = "cite.unknown-label"

    def __init__(self, text: str, word: str) -> None:
        super().__init__(f"cannot read citation [{text}]: unknown locator label '{word}'")
        self.hint = label_hint(word)


class EmptyCitation(CitationSyntaxError):
    """`[]` or `[@]`: markdown would print the brackets as they are."""

    code = "cite.empty"
    hint = "write the id after '@', as in [@brett-2003, p 5], or delete the brackets"

    def __init__(self, text: str) -> None:
        super().__init__(f"citation '[{text}]' names no reference", offset=-1)


class EmptyNote(CitationSyntaxError):
    code = "cite.empty"
    hint = "write the note inside ^[…], or delete it"

    def __init__(self, text: str) -> None:
        super().__init__(f"empty note '^[{text}]'", offset=-2)


def is_citation(inner: str) -> bool:
    """Whether the inside of a `[...]` bracket is a citation: an `@id`, or a bracket that names none (`[]`, `[@]`)."""
    if "](" in inner:
        return False
    return bool(_CITE_ID.search(inner)) or is_empty_citation(inner)


def is_empty_citation(inner: str) -> bool:
    return not inner.strip() or (bool(_BARE_AT.search(inner)) and not _CITE_ID.search(inner))


def matching_bracket(src: str, start: int) -> int:
    """Index of the `]` that closes the `[` at `start`, or -1."""
    depth = 0
    i = start
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def cluster(text: str, where: Where) -> Cluster:
    """The inside of a `[...]` citation bracket → its cites, pandoc style; each at the place of its `@`."""
    if is_empty_citation(text):
        raise EmptyCitation(text)
    cites: list[Cite] = []
    start = 0
    for part in text.split(";"):
        m = _CITE.match(part)
        if not m:
            raise CitationSyntaxError(f"cannot read citation [{text}]: '{part.strip()}' has no '@id'")
        locator, label, suffix = _split_locator(text, m.group("rest"))
        pos = where(start + m.start("id") - 1)
        cites.append(Cite(m.group("id"), pos, locator, label, m.group("prefix").strip(), suffix))
        start += len(part) + 1
    return Cluster(tuple(cites), where(0))


def _split_locator(text: str, rest: str) -> tuple[str, str, str]:
    """`, pp 860-862 and passim` → ('860-862', 'page', ' and passim')."""
    if not rest.startswith(","):
        return "", "", rest.rstrip()
    body = rest[1:].lstrip()
    label = "page"
    m = _LABEL.match(body)
    if m:
        word = m.group("label")
        label = locator_type(word) or ""
        if not label:
            raise UnknownLabel(text, word)
        body = body[m.end() :]
    elif not body[:1].isdigit() and not body.startswith("{"):
        return "", "", rest.rstrip()
    if body.startswith("{"):
        close = body.find("}")
        if close < 0:
            raise CitationSyntaxError(f"cannot read citation [{text}]: locator '{{' is never closed")
        return body[1:close], label, body[close + 1 :].rstrip()
    lm = _LOCATOR.match(body)
    if not lm:
        raise CitationSyntaxError(f"cannot read citation [{text}]: locator '{body}' has no number")
    return lm.group(1), label, body[lm.end() :].rstrip()


def _inner_cluster(text: str, start: int, where: Where) -> Cluster:
    """A cluster that starts at `start` of a longer text; errors are placed in that text."""
    try:
        return cluster(text, lambda offset: where(start + offset))
    except CitationSyntaxError as exc:
        exc.offset += start
        raise


def note_parts(text: str, where: Where) -> tuple[NotePart, ...]:
    """A prose note (the inside of `^[...]`) → its prose pieces and citation clusters, in order."""
    if not text.strip():
        raise EmptyNote(text)
    parts: list[NotePart] = []
    i = last = 0
    while i < len(text):
        if text[i] == "[" and (i == 0 or text[i - 1] not in "!\\"):
            end = matching_bracket(text, i)
            inner = text[i + 1 : end] if end > 0 else ""
            if end > 0 and text[end + 1 : end + 2] != "(" and is_citation(inner):
                if i > last:
                    parts.append(text[last:i])
                parts.append(_inner_cluster(inner, i + 1, where))
                i = last = end + 1
                continue
        i += 1
    if last < len(text):
        parts.append(text[last:])
    return tuple(parts)
