"""The one model of an issue: frozen dataclasses built once by `load`, passed through every stage.

Stages never mutate these objects; a stage that adds information (cite) returns new
objects made with `dataclasses.replace`, so the order of the pipeline stays visible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from markdown_it.token import Token


@dataclass(frozen=True, order=True)
class SourcePos:
    """Where a value came from: 1-based line and column in a file, for messages."""

    path: Path
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return str(self.path)


@dataclass(frozen=True)
class Cite:
    """One source cited at one point, as written in pandoc syntax `[see @id, p 5, suffix]`."""

    id: str
    pos: SourcePos
    locator: str = ""
    label: str = ""
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Cluster:
    """The cites of one `[...]` bracket: CSL's citation cluster."""

    cites: tuple[Cite, ...]
    pos: SourcePos


NotePart = str | Cluster


@dataclass(frozen=True)
class Note:
    """A numbered note: a citation cluster, prose (Markdown inline source), or prose with clusters.

    `html` is empty until the cite stage formats it.
    """

    number: int
    parts: tuple[NotePart, ...]
    pos: SourcePos
    html: str = ""

    @property
    def clusters(self) -> tuple[Cluster, ...]:
        return tuple(p for p in self.parts if isinstance(p, Cluster))


@dataclass(frozen=True)
class Figure:
    """A figure made from a Markdown image that stands alone in its paragraph."""

    number: int
    image: str  # as written: checked by `check.issue`, never trusted
    caption: str
    credit: str
    alt: str
    pos: SourcePos


@dataclass(frozen=True)
class Markdown:
    """Markdown source parsed once; `tokens` carry note and figure tokens that point into the model."""

    source: str
    tokens: tuple[Token, ...]
    pos: SourcePos


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    authors: tuple[str, ...]
    key_takeaways: tuple[Markdown, ...]
    body: Markdown
    notes: tuple[Note, ...]
    figures: tuple[Figure, ...]
    recommendations: tuple[Markdown, ...]
    pos: SourcePos
    subtitle: str = ""
    recommendations_title: str = "Recommendations"
    bibliography: tuple[str, ...] = ()
    language: str = ""  # BCP 47; empty: the issue's
    standfirst: Markdown | None = None  # the lines under the title that say what the article argues
    section: str = ""  # the rubric over the title: "Comment & analysis"

    @property
    def headings(self) -> tuple[tuple[int, str, str], ...]:
        """(level 2-4, anchor id, text) of the article's section headings (`##` to `####`), for the outline and contents."""
        out = []
        toks = self.body.tokens
        for i, tok in enumerate(toks):
            if tok.type == "heading_open" and tok.tag in HEADING_TAGS:
                out.append((int(tok.tag[1]), str(tok.attrGet("id")), toks[i + 1].content))
        return tuple(out)


HEADING_TAGS = ("h2", "h3", "h4")
"""The section headings of an article body (`##`, `###`, `####`): each gets an id and a bookmark."""


@dataclass(frozen=True)
class Reference:
    """A CSL item as written in YAML (already normalised to CSL-JSON by `load`)."""

    id: str
    data: Mapping[str, Any]
    pos: SourcePos
    fields: Mapping[str, SourcePos] = field(default_factory=dict)
    """Where each field's value starts, so checks can point at `URL:` rather than the item."""


@dataclass(frozen=True)
class Acceptance:
    """A deviation the editor has looked at and accepts: diagnostics of `rule` in `files` no longer count."""

    rule: str
    files: tuple[str, ...]
    reason: str
    pos: SourcePos


@dataclass(frozen=True)
class Credit:
    role: str
    names: tuple[str, ...]


Kind = Literal["issue", "report", "article"]
"""What a folder publishes: an issue of a periodical, a report (briefing, working paper,
submission), or one article as a magazine or a blog prints it. One model and one pipeline serve
all three; what is printed, and which fields are required, follows the kind."""
KINDS: tuple[Kind, ...] = ("issue", "report", "article")


@dataclass(frozen=True)
class Period:
    """A publication date as the publisher writes it: a day, a month, a season or a year (`load.dates`)."""

    first: dt.date
    last: dt.date
    label: str  # as the cover prints it: "June 2024", "Spring 2024", "13 March 2023"
    precision: Literal["day", "month", "season", "year"]

    @property
    def iso(self) -> str:
        """The date as XMP and Dublin Core write it, to the precision given: 2024-06-13, 2024-06 or 2024."""
        if self.precision == "day":
            return self.first.isoformat()
        if self.precision == "year":
            return str(self.first.year)
        return self.first.isoformat()[:7]


@dataclass(frozen=True)
class Publication:
    """Who publishes: the serial (an issue), the organisation and its series (a report), the outlet (an article)."""

    title: str
    region: str
    publisher: str
    issn: str
    copyright: str
    rights: str
    website: str
    contact: str
    description: str = ""
    address: str = ""

    @property
    def serial(self) -> str:
        """The serial as it is cited: "The Peace & Security Monitor – Central Asia"."""
        return joined(" – ", self.title, self.region)


@dataclass(frozen=True)
class Report:
    """What `report:` in issue.yaml says of a report."""

    title: str
    subtitle: str = ""
    number: str = ""  # as printed: "Briefing 2021/3", "WP 24-07"
    isbn: str = ""
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cover:
    image: str  # as written, like Figure.image
    alt: str
    credit: str
    pos: SourcePos


@dataclass(frozen=True)
class Foreword:
    title: str
    body: Markdown
    signature: str = ""


NotesPlacement = Literal["endnotes", "footnotes"]


@dataclass(frozen=True)
class Settings:
    style: str = "oscola"
    locale: str = "en-GB"
    notes: NotesPlacement = "endnotes"
    page_size: str = "A4"
    theme: str = "default"
    bibliography: Literal["auto", "none", "article", "issue"] = "auto"
    positions: Literal["article", "issue"] = "article"
    profiles: tuple[str, ...] = ("screen",)  # names in profiles.PROFILES
    pad_to: int = 0  # pad the page count to a multiple of this (4 for saddle stitch); 0: don't
    offprints: bool = False
    print_profile: str = ""  # a press's CMYK ICC profile in the issue folder; empty: Ghostscript's
    css: tuple[str, ...] = ()  # local stylesheets in the issue folder, applied after the theme's
    web: bool = True  # write the web edition under OUTPUT/web/
    web_url: str = ""  # where OUTPUT/web/ is served; empty: the publication's website
    at: Mapping[str, SourcePos] = field(default_factory=dict)
    """Where each setting is written in issue.yaml, for diagnostics about what it names (a style, a theme, a profile)."""


@dataclass(frozen=True)
class Issue:
    """Everything a build needs, read from an issue folder."""

    root: Path
    publication: Publication
    number: int  # the issue number; 0 for a report or an article
    date: Period | None  # None: a report or article the publisher did not date
    language: str
    credits: tuple[Credit, ...]
    cover: Cover | None
    foreword: Foreword | None
    articles: tuple[Article, ...]
    references: Mapping[str, Reference]
    settings: Settings
    pos: SourcePos
    keywords: tuple[str, ...] = ()
    accepted: tuple[Acceptance, ...] = ()
    bibliography: tuple[str, ...] = field(default=())
    kind: Kind = "issue"
    report: Report | None = None  # kind: report
    summary: Foreword | None = None  # a report's executive summary

    @property
    def date_label(self) -> str:
        """The date as the cover prints it: "June 2024", "Spring 2024", "13 March 2023"; "" when undated."""
        return self.date.label if self.date else ""

    @property
    def has_back_cover(self) -> bool:
        """Whether the document ends on a back cover (an issue, a report), always a left-hand page; a
        single article ends on its colophon instead."""
        return self.kind != "article"

    @property
    def issue_label(self) -> str:
        """ "Issue 8" for an issue, "" for the other kinds."""
        return f"Issue {self.number}" if self.kind == "issue" else ""

    @property
    def title(self) -> str:
        """The title of the whole document: the serial (issue), the report's, or the article's."""
        if self.report is not None:
            return self.report.title
        if self.kind == "article" and self.articles:
            return self.articles[0].title
        return self.publication.serial

    @property
    def authors(self) -> tuple[str, ...]:
        """Everyone who wrote it: the report's authors first, then each article's, once each."""
        names = (self.report.authors if self.report else ()) + tuple(n for a in self.articles for n in a.authors)
        return tuple(dict.fromkeys(names))

    @property
    def full_title(self) -> str:
        """The title of the PDF and the web page: "…, Issue 8 (June 2024)", "Retreating Rights: …"."""
        if self.kind == "issue":
            edition = joined(", ", self.publication.serial, self.issue_label)
            return f"{edition} ({self.date_label})" if self.date_label else edition
        subtitle = self.report.subtitle if self.report else self.articles[0].subtitle if self.articles else ""
        return joined(": ", self.title, subtitle)

    @property
    def citation(self) -> str:
        """How to cite the whole document, for its metadata: only what the folder says, nothing made up."""
        pub = self.publication
        issn = f"ISSN {pub.issn}." if pub.issn else ""
        if self.kind == "issue":
            return joined(" ", joined(", ", pub.serial, self.issue_label, self.date_label) + ".", issn, f"{pub.publisher}." if pub.publisher else "")
        if self.report is not None:
            isbn = f"ISBN {self.report.isbn}." if self.report.isbn else ""
            series = joined(" ", pub.title, self.report.number)
            where = joined(", ", series, pub.publisher, self.date_label)
            return joined(" ", joined(", ", ", ".join(self.authors), self.full_title) + (f" ({where})." if where else "."), isbn, issn)
        where = joined(", ", pub.title or pub.publisher, self.date_label)
        return joined(", ", ", ".join(self.authors), f"‘{self.full_title}’", where) + "."

    @property
    def running_head(self) -> str:
        """The running head over every inner page: the serial and issue, the report's title, or the outlet."""
        if self.kind == "issue":
            return joined(" · ", self.publication.serial, self.issue_label)
        if self.report is not None:
            return self.report.title
        return self.publication.title or self.publication.publisher

    @property
    def edition_line(self) -> str:
        """The line over the contents: "Central Asia · Issue 8 · June 2024", or a report's series, number and date."""
        if self.kind == "issue":
            return joined(" · ", self.publication.region, self.issue_label, self.date_label)
        return joined(" · ", self.publication.title, self.report.number if self.report else "", self.date_label)

    @property
    def serial(self) -> str:
        """The serial as it is cited: "The Peace & Security Monitor – Central Asia"."""
        return self.publication.serial

    @property
    def slug(self) -> str:
        """The base name of the output files: "the-peace-security-monitor-issue-8", "retreating-rights"; the
        title's words cut at 60 characters (a 300-character title makes no file name too long), "issue-8"
        for a title of none."""
        if self.kind == "issue":
            return joined("-", slug(self.publication.title).rstrip("-"), f"issue-{self.number}")
        return slug(self.title).rstrip("-") or "untitled"


def joined(separator: str, *parts: str) -> str:
    """The parts that are not empty, joined: a missing field leaves no dangling separator."""
    return separator.join(p for p in parts if p)


def slug(text: str, limit: int | None = 60) -> str:
    """Text → lower-case words joined by hyphens, for ids and file names: "Uzbekistan's Response" → "uzbekistan-s-response".

    Cut at `limit` characters (a cut may end in a hyphen); "" when the text has no letter or digit.
    """
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "-".join(words)[:limit]
