"""Markdown source → markdown-it tokens with citation notes, prose notes and figures; tokens → HTML.

Parsing is markdown-it-py (CommonMark, raw HTML disabled so content cannot inject markup)
with three rules of ours:

* `[see @id, p 5; @other]` — a pandoc citation cluster, one numbered note;
* `^[prose, optionally with [@id] inside]` — a prose note;
* an image alone in its paragraph — a numbered figure (`{credit="…" alt="…"}` after it);
  `![caption]()`, with no file, is a figure whose caption and credit print in a frame;
* a list style — `{type=a}` on the line before a list: a, b, c (`A`, `i`, `I`, `1` likewise),
  `{type=check}` ✓ and `{type=box}` ☐ before every item; and task items, `- [x]` ✓ and `- [ ]` ☐.

What a citation bracket says is read by `load.citations`, the one reader of the syntax.

Notes and figures are numbered in document order across everything parsed with one `env`,
so an article's key takeaways, body and recommendations share one sequence.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core.replacements import replace as typographic_replacements
from markdown_it.rules_core.smartquotes import smartquotes
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin

from typeset.load import citations
from typeset.model import HEADING_TAGS, NotePart, slug


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """`[@a, p 5; @b]` → one `cite_note` token (a numbered note); so is `[@]`, which `load` reports."""
    src, pos = state.src, state.pos
    if src[pos] != "[" or (pos > 0 and src[pos - 1] in "^!"):
        return False
    end = citations.matching_bracket(src, pos)
    if end < 0 or src[end + 1 : end + 2] == "(":
        return False
    inner = src[pos + 1 : end]
    if not citations.is_citation(inner):
        return False
    if citations.is_empty_citation(inner) and (src[pos - 1 : pos] == "]" or src[end + 1 : end + 2] == ":"):
        return False  # `[text][]` is a reference link, `[]:` no definition: text either way
    if src[end + 1 : end + 2] == "[":  # `[@a][@b]` is two notes; `[text][label]` a reference link
        after = citations.matching_bracket(src, end + 1)
        if after < 0 or not citations.is_citation(src[end + 2 : after]):
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
    end = citations.matching_bracket(src, pos + 1)
    if end < 0:
        return False
    if not silent:
        state.pending = state.pending.rstrip(" ")
        token = state.push("text_note", "", 0)
        token.content = src[pos + 2 : end]
        token.meta = {"offset": pos + 2}
    state.pos = end + 1
    return True


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
            fig.meta = dict(image.meta)  # attributes refused by attrs_plugin, for load to report
            fig.content = image.content
            fig.children = image.children
            fig.block = True
            out.append(fig)
            i += 3
            continue
        out.append(tok)
        i += 1
    state.tokens = out


LIST_STYLES = {
    "1": "list-decimal",
    "a": "list-lower-alpha",
    "A": "list-upper-alpha",
    "i": "list-lower-roman",
    "I": "list-upper-roman",
    "check": "list-check",
    "box": "list-box",
}
"""`{type=…}` before a list → the class the themes style it by (markers ✓ and ☐ for check and box)."""
_TASK = re.compile(r"\[([ xX])\] ")


def _list_styles(state: Any) -> None:
    """`{type=a}` before a list becomes its class; `[x] ` and `[ ] ` opening an item, a task item.

    Runs between the block and the inline rules, so the citation rule never reads a task marker
    as an empty citation; the marker taken off is kept in the inline token's meta (`task_marker`)
    for positions. A `{type}` that names no style, or stands before something else than a list,
    is marked in the token's meta (`bad_list_type`) for `load` to report with its position.
    """
    tokens: list[Token] = state.tokens
    for i, tok in enumerate(tokens):
        style = tok.attrs.pop("type", None)
        if style is not None:
            if tok.type in ("bullet_list_open", "ordered_list_open") and str(style) in LIST_STYLES:
                tok.attrJoin("class", LIST_STYLES[str(style)])
            else:
                tok.meta["bad_list_type"] = str(style)
        if tok.type == "list_item_open" and i + 2 < len(tokens) and tokens[i + 2].type == "inline":
            inline = tokens[i + 2]
            m = _TASK.match(inline.content)
            if m:
                tok.attrJoin("class", "task-done" if m.group(1) in "xX" else "task-open")
                inline.meta["task_marker"] = m.group()
                inline.content = inline.content[m.end() :]


def _heading_ids(state: Any) -> None:
    """Give section headings (`##` to `####`) ids unique in the issue (env['prefix'] + slug), for links and the outline."""
    prefix = state.env.get("prefix", "")
    seen: set[str] = state.env.setdefault("heading_ids", set())
    tokens: list[Token] = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag in HEADING_TAGS:
            base = f"{prefix}-{slug(tokens[i + 1].content) or 'section'}".strip("-")
            anchor, n = base, 1
            while anchor in seen:
                n += 1
                anchor = f"{base}-{n}"
            seen.add(anchor)
            tok.attrSet("id", anchor)


FIGURE_ATTRIBUTES = ("credit", "alt")
"""What `{…}` after an image may set; the content format has no other attribute (style, id, src…)."""

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
    md.use(attrs_plugin, allowed=FIGURE_ATTRIBUTES)  # any other attribute lands in token.meta["insecure_attrs"], reported by load
    md.use(attrs_block_plugin, allowed=("type",))  # nothing else: no classes, ids or styles from the text
    md.inline.ruler.before("link", "cite_note", _citation_rule)
    md.inline.ruler.before("cite_note", "text_note", _prose_note_rule)
    md.core.ruler.after("attr", "list_styles", _list_styles)  # after attrs_block's rule, before inline
    md.core.ruler.push("figure", _figure_rule)
    md.core.ruler.push("heading_ids", _heading_ids)
    return md


def note_parts(token: Token, where: citations.Where) -> tuple[NotePart, ...]:
    """The parts of a note token: a citation token is one cluster; a prose note splits into prose and clusters.

    `where` maps offsets into the token's source text to file positions.
    """
    base = token.meta["offset"]
    try:
        if token.type == "cite_note":
            return (citations.cluster(token.content, lambda offset: where(base + offset)),)
        return citations.note_parts(token.content, lambda offset: where(base + offset))
    except citations.CitationSyntaxError as exc:
        exc.offset += base
        raise
