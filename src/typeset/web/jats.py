"""One article → JATS 1.3 (Journal Publishing) XML, the form archives and aggregators ingest.

Front matter from the model (journal, ISSN, issue, date, pages from the PDF, authors, rights,
the key takeaways as key points), the body's sections from its Markdown tokens, figures, the notes
as <fn> with the calls as <xref>, and every cited source as a structured <ref> whose
<element-citation> is built from its CSL item, not parsed back out of formatted text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import Any

from markdown_it.token import Token

from typeset.model import Article, Issue, Markdown
from typeset.render.html import Blocks
from typeset.web.csl import classed
from typeset.web.meta import (
    Place,
    cited_items,
    date_parts,
    language,
    page_range,
    serial_title,
)

XLINK = "http://www.w3.org/1999/xlink"
DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN" '
    '"https://jats.nlm.nih.gov/publishing/1.3/JATS-journalpublishing1-3.dtd">'
)
Element = ET.Element
ET.register_namespace("xlink", XLINK)

# CSL type → JATS publication-type (JATS4R's values where it has one).
PUBLICATION_TYPES = {
    "article-journal": "journal",
    "article-magazine": "magazine",
    "article-newspaper": "newspaper",
    "book": "book",
    "chapter": "book",
    "report": "report",
    "thesis": "thesis",
    "webpage": "webpage",
    "post-weblog": "blog",
    "post": "webpage",
    "paper-conference": "confproc",
    "dataset": "data",
    "legal_case": "legal-case",
    "legislation": "legislation",
    "treaty": "treaty",
    "standard": "standard",
    "patent": "patent",
    "software": "software",
    "motion_picture": "film",
}
# Titles of these types name a part of their container (article-title); the others are works of their own (source).
_PART_TYPES = {
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "webpage",
    "post-weblog",
    "post",
    "paper-conference",
    "entry-encyclopedia",
    "entry-dictionary",
}
_HTML_INLINE = {"i": "italic", "em": "italic", "b": "bold", "strong": "bold", "sup": "sup", "sub": "sub"}
_CLASS_INLINE = {"cs-small-caps": "sc", "cs-roman": "roman", "cs-underline": "underline"}  # web.csl's classes
# Elements whose content is elements only: indented for readers; mixed content is left exactly as it is.
_BLOCKS = {
    "article",
    "front",
    "journal-meta",
    "journal-title-group",
    "publisher",
    "article-meta",
    "title-group",
    "contrib-group",
    "contrib",
    "pub-date",
    "permissions",
    "license",
    "abstract",
    "kwd-group",
    "body",
    "sec",
    "list",
    "list-item",
    "fig",
    "caption",
    "graphic",
    "back",
    "fn-group",
    "fn",
    "ref-list",
    "ref",
    "element-citation",
    "person-group",
    "name",
    "disp-quote",
}


def jats_article(issue: Issue, place: Place, blocks: Blocks, images: Mapping[str, str]) -> bytes:
    """The article's JATS document; `images` maps each figure's source path to the file it points to."""
    article = place.article
    root = ET.Element("article")
    root.set("article-type", "research-article")
    root.set("dtd-version", "1.3")
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language(issue, article))
    refs = {item["id"]: f"ref-{_xml_id(item['id'])}" for item in cited_items(issue, article)}
    writer = _Writer(blocks, article, images)
    root.append(_front(issue, place, writer))
    body = writer.body(article.body)
    if article.recommendations:
        sec = _sub(body, "sec", {"sec-type": "recommendations"})
        _sub(sec, "title", text=article.recommendations_title)
        writer.items(sec, article.recommendations)
    root.append(body)
    back = _sub(root, "back")
    notes = blocks.shown_notes(article)
    if notes:
        group = _sub(back, "fn-group")
        for number, note in notes:
            fn = _sub(group, "fn", {"id": f"{article.slug}-n{number}"})
            _sub(fn, "label", text=str(number))
            html_inline(_sub(fn, "p"), note.html)
    if refs:
        ref_list = _sub(back, "ref-list")
        _sub(ref_list, "title", text="References")
        for item in cited_items(issue, article):
            ref = _sub(ref_list, "ref", {"id": refs[item["id"]]})
            ref.append(element_citation(item))
    if not len(back):
        root.remove(back)
    _indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + DOCTYPE.encode() + b"\n" + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def _front(issue: Issue, place: Place, writer: _Writer) -> Element:
    article, pub = place.article, issue.publication
    front = ET.Element("front")
    journal = _sub(front, "journal-meta")
    _sub(journal, "journal-id", {"journal-id-type": "publisher-id"}, re.sub(r"-issue-\d+$", "", issue.slug))
    _sub(_sub(journal, "journal-title-group"), "journal-title", text=serial_title(issue))
    if pub.issn:
        _sub(journal, "issn", {"publication-format": "electronic"}, pub.issn)
    _sub(_sub(journal, "publisher"), "publisher-name", text=pub.publisher)
    meta = _sub(front, "article-meta")
    _sub(meta, "article-id", {"pub-id-type": "publisher-id"}, f"{issue.slug}-{place.slug}")
    titles = _sub(meta, "title-group")
    _sub(titles, "article-title", text=article.title)
    if article.subtitle:
        _sub(titles, "subtitle", text=article.subtitle)
    if article.authors:
        contribs = _sub(meta, "contrib-group")
        for name in article.authors:
            _sub(_sub(contribs, "contrib", {"contrib-type": "author"}), "string-name", text=name)
    if issue.date is not None:  # to the precision the publisher gave: a month-dated issue has no day
        first = issue.date.first
        date = _sub(meta, "pub-date", {"publication-format": "electronic", "date-type": "pub", "iso-8601-date": issue.date.iso})
        if issue.date.precision == "day":
            _sub(date, "day", text=f"{first.day:02d}")
        if issue.date.precision in ("day", "month"):
            _sub(date, "month", text=f"{first.month:02d}")
        elif issue.date.precision == "season":
            _sub(date, "season", text=issue.date.label.split()[0])
        _sub(date, "year", text=str(first.year))
    if issue.kind == "issue":
        _sub(meta, "issue", text=str(issue.number))
    if place.first:
        _sub(meta, "fpage", text=str(place.first))
        _sub(meta, "lpage", text=str(place.last))
    permissions = _sub(meta, "permissions")
    if pub.copyright:
        _sub(permissions, "copyright-statement", text=pub.copyright)
    if issue.date is not None:
        _sub(permissions, "copyright-year", text=str(issue.date.first.year))
    _sub(permissions, "copyright-holder", text=pub.publisher)
    if pub.rights:
        _sub(_sub(permissions, "license"), "license-p", text=pub.rights)
    if place.pdf:
        _sub(meta, "self-uri", {"content-type": "pdf", f"{{{XLINK}}}href": place.pdf})
    if article.key_takeaways:
        abstract = _sub(meta, "abstract", {"abstract-type": "key-points"})
        _sub(abstract, "title", text="Key Takeaways")
        writer.items(_sub(abstract, "p"), article.key_takeaways)  # an abstract holds paragraphs; a list lives in one
    if issue.keywords:
        group = _sub(meta, "kwd-group", {"kwd-group-type": "publisher"})
        for word in issue.keywords:
            _sub(group, "kwd", text=word)
    return front


class _Writer:
    """Markdown tokens of one article → JATS elements."""

    def __init__(self, blocks: Blocks, article: Article, images: Mapping[str, str]):
        self.blocks, self.article, self.images = blocks, article, images

    def body(self, markdown: Markdown) -> Element:
        body = ET.Element("body")
        self.block_tokens(body, markdown.tokens, sections=True)
        return body

    def items(self, parent: Element, items: Sequence[Markdown]) -> None:
        """Key takeaways or recommendations: a bullet list, each item its Markdown."""
        lst = _sub(parent, "list", {"list-type": "bullet"})
        for item in items:
            self.block_tokens(_sub(lst, "list-item"), item.tokens, sections=False)

    def block_tokens(self, top: Element, tokens: Sequence[Token], *, sections: bool) -> None:
        """Block tokens into `top`; with `sections`, each heading opens a <sec> that holds what follows it."""
        levels: list[tuple[int, Element]] = [(1, top)]
        stack: list[Element] = [top]
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "heading_open" and sections and len(stack) == len(levels):
                level = int(tok.tag[1])
                while levels[-1][0] >= level and len(levels) > 1:
                    levels.pop()
                    stack.pop()
                sec = _sub(stack[-1], "sec", {"id": str(tok.attrGet("id") or f"{self.article.slug}-s{i}")})
                self.inline(_sub(sec, "title"), tokens[i + 1])
                levels.append((level, sec))
                stack.append(sec)
                i += 3
                continue
            if tok.type in ("paragraph_open", "heading_open"):
                self.inline(_sub(stack[-1], "p"), tokens[i + 1])
                i += 3
                continue
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                stack.append(_sub(stack[-1], "list", {"list-type": "bullet" if tok.type.startswith("bullet") else "order"}))
            elif tok.type == "list_item_open":
                stack.append(_sub(stack[-1], "list-item"))
            elif tok.type == "blockquote_open":
                stack.append(_sub(stack[-1], "disp-quote"))
            elif tok.type in ("bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close"):
                stack.pop()
            elif tok.type in ("code_block", "fence"):
                _sub(stack[-1], "preformat", text=tok.content)
            elif tok.type == "figure":
                stack[-1].append(self.figure(tok.meta["number"]))
            i += 1

    def figure(self, number: int) -> Element:
        fig = self.article.figures[number - 1]
        out = ET.Element("fig", {"id": f"{self.article.slug}-fig{fig.number}"})
        _sub(out, "label", text=f"Figure {fig.number}")
        caption = _sub(_sub(out, "caption"), "p")
        for tok in self.blocks.md.parseInline(fig.caption):
            self.inline(caption, tok)
        graphic = _sub(out, "graphic", {f"{{{XLINK}}}href": self.images.get(fig.image, fig.image)})
        _sub(graphic, "alt-text", text=fig.alt)
        if fig.credit:
            _sub(out, "attrib", text=fig.credit)
        return out

    def inline(self, parent: Element, token: Token) -> None:
        """An inline token's children into `parent`: emphasis, links, code, note calls."""
        numbers = self.blocks.numbers[self.article.slug]
        stack = [parent]
        for child in token.children or []:
            kind = child.type
            if kind == "text":
                _text(stack[-1], child.content)
            elif kind in ("softbreak", "hardbreak"):
                _text(stack[-1], " ")
            elif kind in ("em_open", "strong_open"):
                stack.append(_sub(stack[-1], "italic" if kind == "em_open" else "bold"))
            elif kind == "link_open":
                stack.append(_sub(stack[-1], "ext-link", {"ext-link-type": "uri", f"{{{XLINK}}}href": str(child.attrGet("href") or "")}))
            elif kind in ("em_close", "strong_close", "link_close"):
                stack.pop()
            elif kind == "code_inline":
                _sub(stack[-1], "monospace", text=child.content)
            elif kind in ("cite_note", "text_note"):
                note = self.article.notes[child.meta["number"] - 1]
                if note.number in numbers:
                    ident = f"{self.article.slug}-n{numbers[note.number]}"
                    _sub(stack[-1], "xref", {"ref-type": "fn", "rid": ident}, str(numbers[note.number]))
                else:  # an in-text style: the citation stands in the sentence
                    _text(stack[-1], " ")
                    html_inline(stack[-1], note.html)


def html_inline(parent: Element, markup: str) -> None:
    """The cite stage's note HTML (escaped once, a few tags) → JATS inline elements under `parent`."""
    _InlineHtml(parent).feed(classed(markup))


class _InlineHtml(HTMLParser):
    """<i>, <b>, <sup>, <sub>, <a href> and citeproc's styled spans → italic, bold, sup, sub, ext-link, sc, roman;
    any other tag keeps only its text."""

    def __init__(self, parent: Element):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, Element]] = [("", parent)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "wbr", "img", "hr"):  # void: no end tag will come
            _text(self.stack[-1][1], " " if tag == "br" else "")
            return
        attr = {k: v or "" for k, v in attrs}
        name = _HTML_INLINE.get(tag)
        if tag == "span":
            name = next((v for k, v in _CLASS_INLINE.items() if k in attr.get("class", "").split()), None)
        top = self.stack[-1][1]
        if tag == "a" and attr.get("href"):
            self.stack.append((tag, _sub(top, "ext-link", {"ext-link-type": "uri", f"{{{XLINK}}}href": attr["href"]})))
        else:
            self.stack.append((tag, _sub(top, name) if name else top))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) > 1 and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        _text(self.stack[-1][1], data)


def element_citation(item: Mapping[str, Any]) -> Element:
    """A CSL item → <element-citation>: names, titles, dates, numbers and identifiers, each in its own element."""
    typ = str(item.get("type", ""))
    out = ET.Element("element-citation", {"publication-type": PUBLICATION_TYPES.get(typ, "other")})
    for role in ("author", "editor", "translator"):
        names = item.get(role) or []
        if names:
            group = _sub(out, "person-group", {"person-group-type": role})
            for name in names:
                _name(group, name)
    title = str(item.get("title", ""))
    container = str(item.get("container-title", ""))
    if typ == "chapter":
        _optional(out, "chapter-title", title)
        _optional(out, "source", container)
    elif typ in _PART_TYPES:
        _optional(out, "article-title", title)
        _optional(out, "source", container)
    else:
        _optional(out, "source", title)
        if container:
            _sub(out, "series", text=container)  # a treaty series (UNTS), a report series
    _optional(out, "series", str(item.get("collection-title", "")))
    if item.get("authority"):
        _sub(out, "institution", text=str(item["authority"]))
    parts = date_parts(item)
    if parts:
        iso = "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))
        if len(parts) > 2:
            _sub(out, "day", text=f"{parts[2]:02d}")
        if len(parts) > 1:
            _sub(out, "month", text=f"{parts[1]:02d}")
        _sub(out, "year", {"iso-8601-date": iso}, str(parts[0]))
    elif (item.get("issued") or {}).get("literal"):
        _sub(out, "string-date", text=str(item["issued"]["literal"]))
    for key, tag in (("edition", "edition"), ("volume", "volume"), ("issue", "issue")):
        _optional(out, tag, str(item.get(key, "")))
    if item.get("page"):
        first, last = page_range(str(item["page"]))
        if first.isdigit() and (not last or last.isdigit()):
            _sub(out, "fpage", text=first)
            _optional(out, "lpage", last)
        else:
            _sub(out, "page-range", text=str(item["page"]))
    _optional(out, "publisher-loc", str(item.get("publisher-place", "")))
    _optional(out, "publisher-name", str(item.get("publisher", "")))
    for key, kind in (("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid")):
        if item.get(key):
            _sub(out, "pub-id", {"pub-id-type": kind}, str(item[key]))
    _optional(out, "isbn", str(item.get("ISBN", "")))
    number = " ".join(str(item[k]) for k in ("genre", "number") if item.get(k))
    _optional(out, "comment", number)
    if item.get("URL"):
        _sub(out, "ext-link", {"ext-link-type": "uri", f"{{{XLINK}}}href": str(item["URL"])}, str(item["URL"]))
    accessed = date_parts(item, "accessed")
    if accessed:
        iso = "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(accessed))
        _sub(out, "date-in-citation", {"content-type": "access-date", "iso-8601-date": iso}, iso)
    return out


def _name(group: Element, name: Mapping[str, Any]) -> None:
    if "literal" in name or "family" not in name:
        _sub(group, "collab", text=str(name.get("literal") or name.get("given", "")))
        return
    out = _sub(group, "name")
    family = " ".join(str(name[k]) for k in ("non-dropping-particle", "family") if name.get(k))
    _sub(out, "surname", text=family)
    given = " ".join(str(name[k]) for k in ("given", "dropping-particle") if name.get(k))
    _optional(out, "given-names", given)
    _optional(out, "suffix", str(name.get("suffix", "")))


def _xml_id(text: str) -> str:
    """A CSL id as the tail of an XML ID (letters, digits, . _ -)."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", text)


def _sub(parent: Element, tag: str, attrib: Mapping[str, str] | None = None, text: str | None = None) -> Element:
    el = ET.SubElement(parent, tag, dict(attrib or {}))
    if text is not None:
        el.text = text
    return el


def _optional(parent: Element, tag: str, text: str) -> None:
    if text:
        _sub(parent, tag, text=text)


def _text(el: Element, text: str) -> None:
    """Append text after whatever `el` holds (its text, or its last child's tail)."""
    if not text:
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def _indent(el: Element, depth: int = 0) -> None:
    """Line breaks and two-space indents between the children of element-only content."""
    if el.tag not in _BLOCKS or not len(el):
        return
    pad = "\n" + "  " * (depth + 1)
    el.text = pad
    for child in el:
        _indent(child, depth + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * depth
