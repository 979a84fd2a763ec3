"""pandoc's JSON AST → an article's parts in the content format's Markdown.

The writer is ours rather than pandoc's Markdown writer, because the content format is
CommonMark read by markdown-it with our rules: `[...@...]` is a citation, `^[...]` a note,
`{...}` attributes, an image alone in its paragraph a figure, and typographic replacements
turn `(c)` into ©. So text is escaped for exactly that dialect, headings are renumbered from
`##`, images alone in a paragraph (or pandoc's figures) become figures with their caption and
credit, and each note is left as a mark in the body while its text is collected, for
`notes.py` to turn into citations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

NOTE_MARK = "\ue100{}\ue101"
"""Where note n was, in the body: replaced by the note's bracket once the notes are matched."""
NOTE_MARK_RE = re.compile("\ue100(\\d+)\ue101")

_PRIVATE = re.compile("[\ue100\ue101\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_LINE_BREAKS = re.compile("[\r\n\t\x85\u2028\u2029]")
_ESCAPE = re.compile(r"([\\`*_\[\]<{~])")
_REPLACEMENTS = re.compile(r"\((c|r|tm|p)\)|(?<=[-+])-|(?<=\.)\.|(?<=,),|(?<=[?!])[?!]", re.IGNORECASE)
"""What markdown-it's typographer would replace (`(c)` → ©, `--` → –, `..` → …): escaped to stay as typed."""
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[+-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")
_FIGURE_LABEL = re.compile(r"^(?:figure|fig\.?|photo|image|chart|map|graph|table)\s*\d+\s*[.:–—-]?\s*", re.IGNORECASE)
_CREDIT = re.compile(r"\s*[(\[]?\b(?:source|photo|photograph|credit|image|picture)s?\s*(?:by)?\s*:\s*(?P<credit>[^()\[\]]+?)[)\]]?\.?\s*$", re.IGNORECASE)
_BY_LINE = re.compile(r"^by\s+(?P<names>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Image:
    """An image of the manuscript: where pandoc put it, and the name it gets under images/."""

    source: str
    target: str


@dataclass
class Manuscript:
    """What the manuscript says, in the content format's Markdown."""

    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    key_takeaways: list[str] = field(default_factory=list)
    body: str = ""
    recommendations: list[str] = field(default_factory=list)
    recommendations_title: str = ""
    notes: list[str] = field(default_factory=list)
    """Each note's Markdown (inline, one paragraph), in the order their marks appear."""
    images: list[Image] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def convert(ast: dict[str, Any], image_name: Callable[[int, str], str]) -> Manuscript:
    """pandoc's document → a Manuscript; `image_name(n, source)` names the n-th image under images/."""
    writer = _Writer(image_name)
    meta = ast.get("meta") or {}
    blocks = list(ast.get("blocks") or [])
    out = writer.manuscript
    out.title = document_title(ast)
    out.subtitle = _meta_text(meta.get("subtitle"))
    out.authors = _meta_list(meta.get("author"))
    if not _meta_text(meta.get("title")) and out.title:
        blocks.pop(0)
    if not out.authors and blocks and blocks[0].get("t") == "Para":
        m = _BY_LINE.match(plain(blocks[0]["c"]))
        if m and len(m.group("names").split()) <= 12:
            out.authors = [n.strip() for n in re.split(r",\s*|\s+and\s+|\s*&\s*", m.group("names")) if n.strip()]
            blocks.pop(0)
    levels = sorted({b["c"][0] for b in _walk_blocks(blocks) if b.get("t") == "Header"})
    writer.heading_levels = {level: min(2 + i, 6) for i, level in enumerate(levels)}
    sections = _sections(blocks)
    if sections and _is_list_section(sections[0], "key takeaway", "takeaway", "key point", "summary"):
        out.key_takeaways = writer.items(sections.pop(0)[1])
    recommendations: list[dict[str, Any]] = []
    if sections and _is_list_section(sections[-1], "recommendation"):
        heading, recommendations = sections.pop()
        out.recommendations_title = plain(heading["c"][2]) if heading else ""
    out.body = writer.blocks([b for heading, rest in sections for b in ([heading] if heading else []) + rest])
    out.recommendations = writer.items(recommendations)  # after the body: notes are numbered in reading order
    return out


def document_title(ast: dict[str, Any]) -> str:
    """The title the manuscript states: its Title paragraph (pandoc's metadata), else its first heading."""
    title = _meta_text((ast.get("meta") or {}).get("title"))
    blocks = ast.get("blocks") or []
    if not title and blocks and isinstance(blocks[0], dict) and blocks[0].get("t") == "Header":
        title = plain(blocks[0]["c"][2])
    return title


def _sections(blocks: list[dict[str, Any]]) -> list[tuple[dict[str, Any] | None, list[dict[str, Any]]]]:
    """Blocks cut at top-level headings: (heading or None, the blocks under it)."""
    top = min((b["c"][0] for b in blocks if b.get("t") == "Header"), default=0)
    out: list[tuple[dict[str, Any] | None, list[dict[str, Any]]]] = [(None, [])]
    for block in blocks:
        if block.get("t") == "Header" and block["c"][0] == top:
            out.append((block, []))
        else:
            out[-1][1].append(block)
    return [s for s in out if s[0] is not None or s[1]]


def _is_list_section(section: tuple[dict[str, Any] | None, list[dict[str, Any]]], *names: str) -> bool:
    """A section headed "Key takeaways" (or "Recommendations") that is one list."""
    heading, rest = section
    if heading is None or len(rest) != 1 or rest[0].get("t") not in ("BulletList", "OrderedList"):
        return False
    title = plain(heading["c"][2]).lower()
    return any(title.startswith(n) for n in names)


def _walk_blocks(blocks: Iterable[Any]) -> Iterable[dict[str, Any]]:
    for block in blocks:
        if isinstance(block, dict) and "t" in block:
            yield block
            yield from _walk_blocks(_children(block.get("c")))


def _children(content: Any) -> Iterable[Any]:
    if isinstance(content, list):
        for c in content:
            if isinstance(c, dict) and "t" in c:
                yield c
            else:
                yield from _children(c)


def _meta_text(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    kind: Any = value.get("t")
    content: Any = value.get("c")
    if kind == "MetaString":
        return str(content).strip()
    if kind == "MetaInlines":
        return plain(content)
    if kind == "MetaBlocks":
        return " ".join(plain(b.get("c") or []) for b in content if isinstance(b, dict))
    if kind == "MetaMap" and isinstance(content, dict):
        return _meta_text(content.get("name"))
    return ""


def _meta_list(value: Any) -> list[str]:
    if isinstance(value, dict) and value.get("t") == "MetaList":
        return [t for v in value.get("c") or [] if (t := _meta_text(v))]
    text = _meta_text(value)
    return [text] if text else []


def plain(inlines: Any) -> str:
    """Inlines as plain text (titles, names, alt text)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
            return
        if not isinstance(node, dict):
            return
        kind: Any = node.get("t")
        content: Any = node.get("c")
        if kind == "Str":
            out.append(str(content))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math"):
            out.append(str(content[-1]))
        elif kind == "Quoted":
            q = "‘’" if content[0].get("t") == "SingleQuote" else "“”"
            out.append(q[0])
            walk(content[1])
            out.append(q[1])
        elif kind in ("Note", "RawInline"):
            return
        elif kind in ("Link", "Image", "Span", "Cite"):
            walk(content[1])
        elif kind in ("Para", "Plain", "Header"):
            walk(content if kind != "Header" else content[2])
        else:
            walk(content)

    walk(inlines)
    return _PRIVATE.sub("", re.sub(r"\s+", " ", "".join(out))).strip()


def escape(text: str) -> str:
    """Text → Markdown that markdown-it with our rules reads back as the same text (on one line)."""
    text = _ESCAPE.sub(r"\\\1", _LINE_BREAKS.sub(" ", _PRIVATE.sub("", text)))
    text = _REPLACEMENTS.sub(lambda m: "\\" + m.group(0), text)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)


def unescape(markdown: str) -> str:
    """Markdown's backslash escapes undone (for text that leaves Markdown: a locator, a URL)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


class _Writer:
    """Blocks and inlines → Markdown; notes become marks, images are listed for copying."""

    def __init__(self, image_name: Callable[[int, str], str]):
        self.manuscript = Manuscript()
        self.image_name = image_name
        self.heading_levels: dict[int, int] = {}
        self.in_note = 0

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self, blocks: Sequence[Any]) -> str:
        out: list[str] = []
        i = 0
        while i < len(blocks):
            block = blocks[i]
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if self._lone_image(block) is not None and following is not None and _caption_like(following):
                out.append(self._figure(self._lone_image(block), following["c"]))  # type: ignore[arg-type]
                i += 2
                continue
            text = self.block(block)
            if text:
                out.append(text)
            i += 1
        return "\n\n".join(out)

    def items(self, blocks: Sequence[Any]) -> list[str]:
        """A list's items as Markdown strings (key takeaways, recommendations)."""
        return [self.blocks(item) for b in blocks for item in _list_items(b)]

    def block(self, block: Any) -> str:
        if not isinstance(block, dict):
            return ""
        kind: Any = block.get("t")
        c: Any = block.get("c")
        if kind in ("Para", "Plain"):
            image = self._lone_image(block)
            if image is not None:
                return self._figure(image, image["c"][1])
            return _escape_lines(self.inlines(c))
        if kind == "Header":
            return "#" * self.heading_levels.get(c[0], 2) + " " + self.inlines(c[2]).replace("\n", " ")
        if kind in ("BulletList", "OrderedList"):
            return self._list(block)
        if kind == "BlockQuote":
            return "\n".join("> " + line if line else ">" for line in self.blocks(c).split("\n"))
        if kind == "CodeBlock":
            fence = "`" * max(3, max((len(r) for r in re.findall("`+", c[1])), default=0) + 1)
            return f"{fence}\n{_PRIVATE.sub('', c[1])}\n{fence}"
        if kind == "HorizontalRule":
            return "---"
        if kind == "Table":
            return self._table(c)
        if kind == "Figure":
            images = [b for b in _walk_inlines(c[2]) if b.get("t") == "Image"]
            caption = [i for b in c[1][1] for i in (b.get("c") or []) if b.get("t") in ("Para", "Plain")]
            if images:
                return "\n\n".join(self._figure(img, caption or img["c"][1]) for img in images)
            return self.blocks(c[2])
        if kind == "Div":
            return self.blocks(c[1])
        if kind == "LineBlock":
            return "\\\n".join(_escape_lines(self.inlines(line)) for line in c)
        if kind == "DefinitionList":
            return "\n\n".join("**" + self.inlines(term) + "**\n\n" + "\n\n".join(self.blocks(d) for d in defs) for term, defs in c)
        return ""

    def _list(self, block: dict[str, Any]) -> str:
        ordered = block["t"] == "OrderedList"
        items = _list_items(block)
        start = block["c"][0][0] if ordered else 1
        tight = not any(isinstance(b, dict) and b.get("t") == "Para" for item in items for b in item)
        out = []
        for n, item in enumerate(items, start=start):
            marker = f"{n}. " if ordered else "- "
            text = "\n".join(t for b in item if (t := self.block(b))) if tight else self.blocks(item)
            lines = text.split("\n")
            out.append(marker + lines[0] + "".join("\n" + (" " * len(marker) + line if line else "") for line in lines[1:]))
        return ("\n" if tight else "\n\n").join(out)

    def _table(self, c: list[Any]) -> str:
        """A pipe table: cells on one line each (paragraphs inside a cell are joined)."""
        head, bodies, foot = c[3], c[4], c[5]
        rows = [row[1] for row in head[1]]
        for body in bodies:
            rows += [row[1] for row in body[2] + body[3]]
        rows += [row[1] for row in foot[1]]
        if not rows:
            return ""
        text_rows = [[self._cell(cell) for cell in row] for row in rows]
        width = max(len(r) for r in text_rows)
        text_rows = [r + [""] * (width - len(r)) for r in text_rows]
        lines = ["| " + " | ".join(text_rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in text_rows[1:]]
        return "\n".join(lines)

    def _cell(self, cell: list[Any]) -> str:
        text = " ".join(self.blocks(cell[4]).split("\n"))
        return text.replace("|", "\\|")

    def _lone_image(self, block: Any) -> dict[str, Any] | None:
        if isinstance(block, dict) and block.get("t") in ("Para", "Plain"):
            content = [i for i in block["c"] if i.get("t") not in ("Space", "SoftBreak", "LineBreak")]
            if len(content) == 1 and content[0].get("t") == "Image":
                return content[0]  # type: ignore[no-any-return]
        return None

    def _figure(self, image: dict[str, Any], caption: Any) -> str:
        """`![caption](images/x.png){credit="…" alt="…"}` from an image and its caption."""
        source = str(image["c"][2][0])
        target = self._image(source)
        text = self.inlines(caption).replace("\n", " ")
        text = _FIGURE_LABEL.sub("", text)
        credit = ""
        m = _CREDIT.search(text)
        if m:
            credit, text = m.group("credit").strip(), text[: m.start()].rstrip().removesuffix(".")
        alt = plain(image["c"][1])
        attrs = [f'credit="{_attr(credit)}"'] if credit else []
        if alt and alt != plain(caption):
            attrs.append(f'alt="{_attr(alt)}"')
        return f"![{text}]({_url(target)})" + ("{" + " ".join(attrs) + "}" if attrs else "")

    def _image(self, source: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", source, re.IGNORECASE):
            self.manuscript.warnings.append(f"image {source} is not in the manuscript: not copied")
            return source
        images = self.manuscript.images
        target = self.image_name(len(images) + 1, source)
        images.append(Image(source, target))
        return target

    # --- inlines --------------------------------------------------------------------------

    def inlines(self, inlines: Any) -> str:
        return "".join(self.inline(i) for i in inlines or [])

    def inline(self, node: Any) -> str:
        if not isinstance(node, dict):
            return ""
        kind: Any = node.get("t")
        c: Any = node.get("c")
        if kind == "Str":
            return escape(str(c))
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "LineBreak":
            return " " if self.in_note else "\\\n"
        if kind == "Emph":
            return _wrap("*", self.inlines(c))
        if kind == "Strong":
            return _wrap("**", self.inlines(c))
        if kind == "Strikeout":
            return _wrap("~~", self.inlines(c))
        if kind in ("Underline", "SmallCaps", "Superscript", "Subscript"):
            return self.inlines(c)
        if kind == "Span":
            return self.inlines(c[1])
        if kind == "Quoted":
            q = "‘’" if c[0].get("t") == "SingleQuote" else "“”"
            return q[0] + self.inlines(c[1]) + q[1]
        if kind == "Cite":
            return plain(c[1])  # Markdown input: the citation as its author wrote it, `[@id, p 5]`
        if kind == "Code":
            fence = "`" * (max((len(r) for r in re.findall("`+", c[1])), default=0) + 1)
            pad = " " if c[1].startswith("`") or c[1].endswith("`") else ""
            return f"{fence}{pad}{_PRIVATE.sub('', c[1])}{pad}{fence}"
        if kind == "Math":
            return escape(c[1])
        if kind == "Link":
            return self._link(c[1], str(c[2][0]))
        if kind == "Image":
            return f"![{self.inlines(c[1])}]({_url(self._image(str(c[2][0])))})"
        if kind == "Note":
            return self._note(c)
        return ""

    def _link(self, text_inlines: Any, url: str) -> str:
        text = self.inlines(text_inlines)
        if not url:
            return text
        if plain(text_inlines) in (url, url.removeprefix("mailto:")) and re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>]*$", url, re.IGNORECASE):
            return f"<{url}>"
        return f"[{text}]({_url(url)})"

    def _note(self, blocks: Any) -> str:
        self.in_note += 1
        try:
            text = " ".join(self._note_block(b) for b in blocks or []).strip()
        finally:
            self.in_note -= 1
        if self.in_note:
            return " (" + text + ")"
        notes = self.manuscript.notes
        notes.append(re.sub(r"\s+", " ", text))
        return NOTE_MARK.format(len(notes))

    def _note_block(self, block: Any) -> str:
        if isinstance(block, dict) and block.get("t") in ("Para", "Plain"):
            return self.inlines(block["c"])
        return " ".join(self.block(block).split())


def _list_items(block: dict[str, Any]) -> list[Any]:
    """The items of a BulletList or OrderedList, each a list of blocks."""
    return list(block["c"][1] if block["t"] == "OrderedList" else block["c"])


def _walk_inlines(blocks: Any) -> Iterable[dict[str, Any]]:
    for node in _children(blocks):
        yield node
        yield from _walk_inlines(node.get("c"))


def _caption_like(block: Any) -> bool:
    return isinstance(block, dict) and block.get("t") in ("Para", "Plain") and bool(_FIGURE_LABEL.match(plain(block["c"])))


def _escape_lines(text: str) -> str:
    """Escape what would start a block at the beginning of a line: `#`, `>`, `-`, `1.`."""

    def mend(m: re.Match[str]) -> str:
        mark = m.group(2)
        return m.group(1) + (mark + "\\" if mark[0].isdigit() else "\\" + mark)

    return "\n".join(_LINE_START.sub(mend, line) for line in text.split("\n"))


def _wrap(mark: str, text: str) -> str:
    """Emphasis around text, with the spaces at its edges moved outside (CommonMark ignores `* x*`)."""
    if not text.strip():
        return text
    inner = text.strip(" ")
    lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
    return f"{lead}{mark}{inner}{mark}{trail}"


def _attr(value: str) -> str:
    return value.replace("\\", "").replace('"', "”")


def _url(url: str) -> str:
    url = url.replace("<", "%3C").replace(">", "%3E")
    return f"<{url}>" if re.search(r"[\s()]", url) else url
