"""Markdown source → markdown-it tokens with citation notes, prose notes and figures; tokens → HTML.

Parsing is markdown-it-py (CommonMark, raw HTML disabled so content cannot inject markup)
with three rules of ours:

* `[see @id, p 5; @other]` — a pandoc citation cluster, one numbered note;
* `^[prose, optionally with [@id] inside]` — a prose note;
* an image alone in its paragraph — a numbered figure (`{credit="…" alt="…"}` after it).

Notes and figures are numbered in document order across everything parsed with one `env`,
so an article's key takeaways, body and recommendations share one sequence.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core.replacements import replace as typographic_replacements
from markdown_it.rules_core.smartquotes import smartquotes
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from typeset.model import Cite, Cluster, NotePart

# Locator labels as pandoc reads them (CSL locator types on the right).
LABELS: dict[str, str] = {
    "p": "page", "pp": "page", "page": "page", "pages": "page",
    "para": "paragraph", "paras": "paragraph", "paragraph": "paragraph", "paragraphs": "paragraph", "¶": "paragraph",
    "art": "article-locator", "arts": "article-locator", "article": "article-locator", "articles": "article-locator",
    "s": "section", "ss": "section", "sec": "section", "secs": "section", "section": "section", "§": "section",
    "ch": "chapter", "chap": "chapter", "chapter": "chapter",
    "n": "note", "nn": "note", "note": "note",
    "fig": "figure", "figure": "figure",
    "vol": "volume", "vols": "volume", "volume": "volume",
    "l": "line", "ll": "line", "line": "line",
    "no": "issue", "col": "column", "bk": "book", "pt": "part", "r": "rule", "sv": "sub-verbo",
}

_ID = r"[\w][\w:.#$%&+?<>~/-]*[\w]|[\w]"
_CITE_RE = re.compile(r"^(?P<prefix>.*?)(?<![\w.])-?@(?P<id>" + _ID + r")(?P<rest>.*)$", re.S)
_LOC_ITEM = r"[\w().\-–/:]*\d[\w().\-–/:]*"
_LOCATOR_RE = re.compile(r"^(" + _LOC_ITEM + r"(?:\s*(?:,|&|and)\s*" + _LOC_ITEM + r")*)")
_LABEL_RE = re.compile(r"^(?P<label>[^\W\d_]+|¶|§)\.?\s+(?=[\d{])")


class CitationSyntaxError(ValueError):
    """A bracket that looks like a citation but is not one we can read."""

    code = "cite.syntax"
    hint = "write [@id], [@id, p 5] or [see @a, para 3; @b]"


class UnknownLabel(CitationSyntaxError):
    code = "cite.unknown-label"

    def __init__(self, word: str):
        super().__init__(f"unknown locator label '{word}'")
        close = difflib.get_close_matches(word.lower(), LABELS, n=3)
        self.hint = (f"did you mean {' or '.join(repr(c) for c in close)}? " if close else "") + "labels: p, para, art, s, ch, n, fig, vol, l"


@dataclass(frozen=True)
class ParsedCite:
    """A cite before it gets a file position: what the bracket says."""

    id: str
    offset: int
    locator: str = ""
    label: str = ""
    prefix: str = ""
    suffix: str = ""


def parse_cluster(text: str) -> list[ParsedCite]:
    """Read the inside of a `[...]` citation bracket, pandoc style; offsets are of each `@`."""
    cites: list[ParsedCite] = []
    start = 0
    for part in text.split(";"):
        m = _CITE_RE.match(part)
        if not m:
            raise CitationSyntaxError(f"'{part.strip()}' has no '@id'")
        locator, label, suffix = _split_locator(m.group("rest"))
        at = start + m.start("id") - 1
        cites.append(ParsedCite(m.group("id"), at, locator, label, m.group("prefix").strip(), suffix))
        start += len(part) + 1
    return cites


def _split_locator(rest: str) -> tuple[str, str, str]:
    """`, pp 860-862 and passim` → ('860-862', 'page', ' and passim')."""
    if not rest.startswith(","):
        return "", "", rest.rstrip()
    body = rest[1:].lstrip()
    label = "page"
    m = _LABEL_RE.match(body)
    if m:
        word = m.group("label")
        if word.lower() not in LABELS:
            raise UnknownLabel(word)
        label = LABELS[word.lower()]
        body = body[m.end():]
    elif not body[:1].isdigit() and not body.startswith("{"):
        return "", "", rest.rstrip()
    if body.startswith("{"):
        close = body.find("}")
        if close < 0:
            raise CitationSyntaxError("locator '{' is never closed")
        return body[1:close], label, body[close + 1:].rstrip()
    lm = _LOCATOR_RE.match(body)
    if not lm:
        raise CitationSyntaxError(f"locator '{body}' has no number")
    return lm.group(1), label, body[lm.end():].rstrip()


def _matching_bracket(src: str, start: int) -> int:
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


def _looks_like_citation(inner: str) -> bool:
    return bool(re.search(r"(?:^|[\s;\[])-?@" + _ID, inner)) and "](" not in inner


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """`[@a, p 5; @b]` → one `cite_note` token (a numbered note)."""
    src, pos = state.src, state.pos
    if src[pos] != "[" or (pos > 0 and src[pos - 1] in "^!"):
        return False
    end = _matching_bracket(src, pos)
    if end < 0 or src[end + 1 : end + 2] == "(":
        return False
    inner = src[pos + 1 : end]
    if not _looks_like_citation(inner):
        return False
    if src[end + 1 : end + 2] == "[":  # `[@a][@b]` is two notes; `[text][label]` a reference link
        after = _matching_bracket(src, end + 1)
        if after < 0 or not _looks_like_citation(src[end + 2 : after]):
            return False
    if not silent:
        state.pending = state.pending.rstrip(" ")
        token = state.push("cite_note", "", 0)
        token.content = inner
        token.meta = {"offset": pos + 1}
    state.pos = end + 1
    return True


def _prose_note_rule(state: StateInline, silent: bool) -> bool:
    """`^[prose [@id] more]` → one `text_note` token."""
    src, pos = state.src, state.pos
    if not src.startswith("^[", pos):
        return False
    end = _matching_bracket(src, pos + 1)
    if end < 0:
        return False
    if not silent:
        state.pending = state.pending.rstrip(" ")
        token = state.push("text_note", "", 0)
        token.content = src[pos + 2 : end]
        token.meta = {"offset": pos + 2}
    state.pos = end + 1
    return True


def split_note_text(text: str) -> list[tuple[str | list[ParsedCite], int]]:
    """Split a prose note into prose pieces and citation clusters, each with its offset."""
    parts: list[tuple[str | list[ParsedCite], int]] = []
    i = last = 0
    while i < len(text):
        if text[i] == "[" and (i == 0 or text[i - 1] not in "!\\"):
            end = _matching_bracket(text, i)
            inner = text[i + 1 : end] if end > 0 else ""
            if end > 0 and text[end + 1 : end + 2] != "(" and _looks_like_citation(inner):
                if i > last:
                    parts.append((text[last:i], last))
                parts.append((parse_cluster(inner), i + 1))
                i = last = end + 1
                continue
        i += 1
    if last < len(text):
        parts.append((text[last:], last))
    return parts


def _figure_rule(state: Any) -> None:
    """A paragraph whose only content is an image becomes a `figure` token."""
    tokens: list[Token] = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (
            tok.type == "paragraph_open"
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "inline"
            and [c.type for c in tokens[i + 1].children or []] == ["image"]
        ):
            image = (tokens[i + 1].children or [])[0]
            fig = Token("figure", "figure", 0)
            fig.map = tok.map
            fig.attrs = dict(image.attrs)
            fig.content = image.content
            fig.children = image.children
            fig.block = True
            out.append(fig)
            i += 3
            continue
        out.append(tok)
        i += 1
    state.tokens = out


def _heading_ids(state: Any) -> None:
    """Give h2 headings ids unique in the issue (env['prefix'] + slug), for links and the outline."""
    prefix = state.env.get("prefix", "")
    seen: set[str] = state.env.setdefault("heading_ids", set())
    tokens: list[Token] = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            base = f"{prefix}-{slugify(tokens[i + 1].content)}".strip("-")
            anchor, n = base, 1
            while anchor in seen:
                n += 1
                anchor = f"{base}-{n}"
            seen.add(anchor)
            tok.attrSet("id", anchor)


def slugify(text: str) -> str:
    words = re.findall(r"[^\W_]+", text.lower())
    return "-".join(words)[:60] or "section"


QUOTES = {"ru": "«»„“", "de": "„“‚‘", "fr": "«»‹›", "kk": "«»„“", "uz": "«»„“", "ky": "«»„“", "tg": "«»„“"}


def _validate_link(url: str) -> bool:
    """Refuse script URLs outright; let `file:` and other paths through so `check.issue` can say why they are refused."""
    scheme = url.strip().lower()
    if scheme.startswith("data:"):
        return scheme.startswith(("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"))
    return not scheme.startswith(("javascript:", "vbscript:"))


def typographic(md: MarkdownIt, text: str) -> str:
    """Plain text (a title, a name, a credit) with the quotes, apostrophes and dashes that `md` gives
    Markdown text: markdown-it's own replacements and smart quotes, run on the text as one token."""
    if not text:
        return text
    inline = Token("inline", "", 0, content=text, children=[Token("text", "", 0, content=text)])
    state = StateCore(text, md, {})
    state.tokens = [inline]
    typographic_replacements(state)
    smartquotes(state)
    return str(inline.children[0].content)  # type: ignore[index]


def new_parser(language: str = "en") -> MarkdownIt:
    """A markdown-it parser with our rules; quotes follow the issue's language."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": QUOTES.get(language.split("-")[0], "“”‘’")})
    md.enable(["replacements", "smartquotes", "table", "strikethrough"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.use(attrs_plugin)
    md.inline.ruler.before("link", "cite_note", _citation_rule)
    md.inline.ruler.before("cite_note", "text_note", _prose_note_rule)
    md.core.ruler.push("figure", _figure_rule)
    md.core.ruler.push("heading_ids", _heading_ids)
    return md


def to_parts(token: Token, make_cite: Callable[[ParsedCite, int], Cite], make_cluster: Callable[[list[Cite], int], Cluster]) -> tuple[NotePart, ...]:
    """The parts of a note token: a citation token is one cluster; a prose note splits into prose and clusters.

    `make_cite`/`make_cluster` attach source positions; offsets are relative to the token's source.
    """
    base = token.meta["offset"]
    if token.type == "cite_note":
        cites = [make_cite(c, base + c.offset) for c in parse_cluster(token.content)]
        return (make_cluster(cites, base),)
    parts: list[NotePart] = []
    for piece, offset in split_note_text(token.content):
        if isinstance(piece, str):
            parts.append(piece)
        else:
            cites = [make_cite(c, base + offset + c.offset) for c in piece]
            parts.append(make_cluster(cites, base + offset))
    return tuple(parts)
