"""Cited `Issue` + theme → one HTML document (Jinja2), the source of both the PDF and the HTML edition.

Markdown tokens were parsed by `load`; here markdown-it's renderer writes them, with our rules
for note calls and figures. Jinja autoescapes everything else, so content can't inject markup.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from typeset.cite.markup import WORD_JOINER  # binds a note call to what precedes it
from typeset.cite.notes import is_note_style
from typeset.languages import manual_hyphenation_css
from typeset.load.markdown import new_parser
from typeset.model import Article, Figure, Issue, Markdown, Note, joined
from typeset.render.barcode import back_cover_barcode
from typeset.theme import Theme

TEMPLATES = Path(__file__).parent / "templates"
_NOTES = frozenset({"cite_note", "text_note"})
SCREEN_CSS = TEMPLATES / "screen.css"  # the HTML edition's reflow for screens


def _note_call(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """A superscript note call linked to its note; in footnote mode the note itself follows, floated to the page foot.

    Our own numbers and links rather than WeasyPrint's ::footnote-call, so numbering is per
    article and both directions link, as with endnotes.
    """
    article: Article = env["article"]
    note = article.notes[tokens[idx].meta["number"] - 1]
    numbers: dict[int, int] = env["numbers"][article.slug]
    if note.number not in numbers:  # an in-text style: the citation stands in the sentence
        return f' <span class="citation">{note.html}</span>'
    number = numbers[note.number]
    ident = f"{article.slug}-n{number}"
    call = f'{WORD_JOINER}<a class="note-call" id="{article.slug}-nc{number}" href="#{ident}" role="doc-noteref">{number}</a>'
    if idx > 0 and tokens[idx - 1].meta.get("number") in numbers:
        call = f'{WORD_JOINER}<span class="note-call">,</span>' + call  # calls side by side read "10,11", not "1011"
    if env["notes_mode"] == "footnotes":
        back = f'<a class="note-back" href="#{article.slug}-nc{number}" role="doc-backlink">{number}</a>'
        return f'{call}<span class="footnote" id="{ident}" role="doc-footnote">{back}{WORD_JOINER}{note.html}</span>'
    return call


FigureHtml = Callable[[Article, Figure, str], str]
"""(article, figure, caption HTML) → the figure's HTML: the print edition's below, the web's in `typeset.web`."""


def print_figure(article: Article, fig: Figure, caption: str) -> str:
    credit = f' <span class="credit">({html.escape(fig.credit)})</span>' if fig.credit else ""
    label = f'<figcaption><span class="label">Figure {fig.number}:</span> {caption}{credit}</figcaption>'
    if not fig.image:  # credited, but no file to print: the caption and credit in an empty frame
        return f'<figure id="{article.slug}-fig{fig.number}" class="no-image">{label}</figure>\n'
    return f'<figure id="{article.slug}-fig{fig.number}"><img src="{html.escape(fig.image)}" alt="{html.escape(fig.alt)}">{label}</figure>\n'


class Blocks:
    """An issue's Markdown blocks → HTML with note calls and figures: one renderer for the PDF's HTML and the web pages.

    `notes_mode` places the notes (the web edition always has endnotes); `figure` writes a figure.
    """

    def __init__(self, issue: Issue, notes_mode: str, figure: FigureHtml = print_figure):
        self.in_text = not is_note_style(issue)
        self.numbers = {a.slug: note_numbers(a, in_text=self.in_text) for a in issue.articles}
        self.notes_mode = notes_mode
        md = self.md = new_parser(issue.language)
        md.add_render_rule("cite_note", _note_call)
        md.add_render_rule("text_note", _note_call)

        def figure_rule(_self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
            article: Article = env["article"]
            fig = article.figures[tokens[idx].meta["number"] - 1]
            return figure(article, fig, md.renderInline(fig.caption))

        md.add_render_rule("figure", figure_rule)

    def block(self, block: Markdown, article: Article | None = None) -> Markup:
        env = {"article": article, "notes_mode": self.notes_mode, "md": self.md, "numbers": self.numbers}
        tokens = [_calls_hold_to_their_word(t) for t in block.tokens]
        if self.in_text:
            tokens = [_citations_before_punctuation(t) for t in tokens]
        return Markup(self.md.renderer.render(tokens, self.md.options, env))

    def inline(self, block: Markdown, article: Article) -> Markup:
        """A one-paragraph block (a key takeaway, a recommendation) without its <p>."""
        out = str(self.block(block, article)).strip()
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return Markup(out)

    def shown_notes(self, article: Article) -> list[tuple[int, Note]]:
        """(printed number, note) of the notes printed as notes."""
        numbers = self.numbers[article.slug]
        return [(numbers[n.number], n) for n in article.notes if n.number in numbers]


@functools.cache
def _environment() -> jinja2.Environment:
    """One environment per process: it keeps the compiled template (30 ms to compile) and
    recompiles it only if the file changes."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template() -> jinja2.Template:
    return _environment().get_template("issue.html.j2")


def render_html(issue: Issue, theme: Theme, *, created: dt.datetime | None, inline_css: bool = False) -> str:
    """The whole issue as one HTML document.

    For the PDF the theme's CSS is handed to WeasyPrint separately; the HTML edition
    (`inline_css`) carries it in a <style> element so the file stands alone.
    """
    blocks = Blocks(issue, issue.settings.notes)
    pub, report = issue.publication, issue.report
    address_lines = [line.strip() for line in pub.address.splitlines() if line.strip()]
    return _template().render(
        render=blocks.block,
        render_inline=blocks.inline,
        Markup=Markup,
        issue=issue,
        pub=pub,
        report=report,
        theme=theme,
        notes_mode=issue.settings.notes,
        created=created.strftime("%Y-%m-%dT%H:%M:%SZ") if created else "",
        css=Markup((theme.css + "\n" + SCREEN_CSS.read_text(encoding="utf-8")).replace("</", "<\\/")) if inline_css else None,
        authors=issue.authors,
        note_html=_note_html,
        shown_notes=blocks.shown_notes,
        barcode=back_cover_barcode(issue),
        manual_hyphens=manual_hyphenation_css(issue),
        contents=contents(issue, blocks.md),
        front_texts=[(ident, text) for ident, text in (("foreword", issue.foreword), ("summary", issue.summary)) if text is not None],
        cover_series=joined(" · ", pub.title, report.number) if report else "",
        address_lines=address_lines,
        back_edition=joined(" · ", report.number, issue.date_label) if report else joined(" · ", issue.issue_label, issue.date_label),
        colophon=[line for line in (pub.title, pub.publisher if pub.publisher != pub.title else "", *address_lines, pub.copyright, pub.rights) if line],
    )


def _calls_hold_to_their_word(block: Token) -> Token:
    """`claim [@a] [@b]` (or a call at the start of a source line) prints as `claim¹,²`: the space or line
    break before a note is dropped, as pandoc does for note styles, so no line can begin with a call.

    Works on a copy: the model's tokens stay as parsed.
    """
    children = block.children or []
    if not any(c.type in _NOTES for c in children):
        return block
    out: list[Token] = []
    for child in children:
        if child.type in _NOTES:
            while out and (out[-1].type == "softbreak" or (out[-1].type == "text" and not out[-1].content.strip())):
                out.pop()
            if out and out[-1].type == "text":
                out[-1] = out[-1].copy(content=out[-1].content.rstrip())
        out.append(child)
    return block.copy(children=out)


@dataclass(frozen=True)
class ContentsEntry:
    """A line of the contents: what it links to (its page number comes from the layout), its title and authors."""

    target: str
    title: Markup
    authors: str = ""


def contents(issue: Issue, md: MarkdownIt) -> list[ContentsEntry]:
    """The contents: an issue's or report's articles; a report of one chapter lists that chapter's
    sections instead (`##`); a single article, or a report with nothing to list, has none."""
    if issue.kind == "article":
        return []
    if issue.kind == "report" and len(issue.articles) == 1:
        sections = [ContentsEntry(ident, Markup(md.renderInline(text))) for level, ident, text in issue.articles[0].headings if level == 2]
        return sections if len(sections) > 1 else []
    return [ContentsEntry(a.slug, Markup(html.escape(a.title)), ", ".join(a.authors)) for a in issue.articles]


def _citations_before_punctuation(block: Token) -> Token:
    """`claim.[@a]` reads "claim (Brett, 2003)." in an in-text style, as pandoc writes it.

    Works on a copy: the model's tokens stay as parsed.
    """
    children = block.children or []
    if not any(c.type == "cite_note" for c in children):
        return block
    out: list[Token] = []
    for child in children:
        prev = out[-1] if out else None
        if child.type == "cite_note" and prev is not None and prev.type == "text" and prev.content[-1:] in ".,;:":
            out[-1] = prev.copy(content=prev.content[:-1])
            out += [child, Token("text", "", 0, content=prev.content[-1])]
        else:
            out.append(child)
    return block.copy(children=out)


def note_numbers(article: Article, *, in_text: bool) -> dict[int, int]:
    """Printed number of each note that is printed as a note.

    With a note style every note is one. With an in-text style (APA) a citation stands in
    the sentence and only prose notes remain notes, numbered 1, 2, 3 among themselves.
    """
    kept = [n for n in article.notes if not in_text or not n.clusters or any(isinstance(p, str) and p.strip() for p in n.parts)]
    return {note.number: i for i, note in enumerate(kept, start=1)}


def _note_html(note: Note) -> Markup:
    """Note html comes from the cite stage, already escaped and safe."""
    return Markup(note.html)
