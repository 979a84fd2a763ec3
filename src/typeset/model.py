"""The one model of an issue: frozen dataclasses built once by `load`, passed through every stage.

Stages never mutate these objects; a stage that adds information (cite) returns new
objects made with `dataclasses.replace`, so the order of the pipeline stays visible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping, Union

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


NotePart = Union[str, Cluster]


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

    @property
    def headings(self) -> tuple[tuple[str, str], ...]:
        """(anchor id, text) of the article's level-2 headings, for the outline."""
        out = []
        toks = self.body.tokens
        for i, tok in enumerate(toks):
            if tok.type == "heading_open" and tok.tag == "h2":
                out.append((str(tok.attrGet("id")), toks[i + 1].content))
        return tuple(out)


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


@dataclass(frozen=True)
class Publication:
    title: str
    region: str
    publisher: str
    issn: str
    copyright: str
    rights: str
    website: str
    contact: str
    description: str = ""


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

    @property
    def empty(self) -> bool:
        """No body: the issue prints no foreword page (nor its bookmark)."""
        return not self.body.source.strip()


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


@dataclass(frozen=True)
class Issue:
    """Everything a build needs, read from an issue folder."""

    root: Path
    publication: Publication
    number: int
    date: dt.date
    language: str
    credits: tuple[Credit, ...]
    cover: Cover
    foreword: Foreword
    articles: tuple[Article, ...]
    references: Mapping[str, Reference]
    settings: Settings
    pos: SourcePos
    keywords: tuple[str, ...] = ()
    accepted: tuple[Acceptance, ...] = ()
    bibliography: tuple[str, ...] = field(default=())

    @property
    def date_label(self) -> str:
        """The date as the cover prints it ("June 2024")."""
        return self.date.strftime("%B %Y")

    @property
    def serial(self) -> str:
        """The serial as it is cited: "The Peace & Security Monitor – Central Asia"."""
        pub = self.publication
        return f"{pub.title} – {pub.region}" if pub.region else pub.title

    @property
    def full_title(self) -> str:
        """The issue's title, for the PDF's and the web page's title: "…, Issue 8 (June 2024)"."""
        return f"{self.serial}, Issue {self.number} ({self.date_label})"

    @property
    def citation(self) -> str:
        """How to cite the issue, as its metadata and the web page's description give it."""
        return f"{self.serial}, Issue {self.number}, {self.date_label}. ISSN {self.publication.issn}. {self.publication.publisher}."

    @property
    def slug(self) -> str:
        """The base name of the output files: "the-peace-security-monitor-issue-8"."""
        return f"{slug(self.publication.title, limit=None)}-issue-{self.number}"


def slug(text: str, limit: int | None = 60) -> str:
    """Text → lower-case words joined by hyphens, for ids and file names: "Uzbekistan's Response" → "uzbekistan-s-response".

    Cut at `limit` characters (a cut may end in a hyphen); "" when the text has no letter or digit.
    """
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "-".join(words)[:limit]
