"""`folio new DIR --kind issue|report|article`: a publication folder that checks clean and builds.

It is written for someone who has never seen the format: every field the kind may have is in
issue.yaml and the article file, each under a comment saying what it is (the doc line of
`load.schema`, so the comments never drift from what the loader reads), with the fields left
out commented out. The values are placeholders to overwrite, never stand-ins for facts: no
ISSN, ISBN or report number is made up, and a field that needs one is left commented out.
The folder also gets the JSON Schemas its first lines name, so an editor completes and checks
the files from the start.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from typeset.load.json_schema import FILES, schema_text
from typeset.load.schema import SECTIONS, Field
from typeset.model import Kind

SCHEMA_FOLDER = "schema"
ARTICLE = "articles/01-first-article.yaml"
REFERENCES = "references/sources.yaml"

_INTRO = {
    "issue": "A new issue of a periodical.",
    "report": "A new report (a briefing, working paper or submission).",
    "article": "One article, as a magazine or a blog prints it.",
}
_HOWTO = """\
Each field has a comment above it saying what it is. The fields you do not need yet are
commented out: delete the # in front of a name to use it. `folio check FOLDER` lists anything wrong, with
its line; `folio build FOLDER` writes the PDF and the HTML edition under output/."""


def _issue_yaml(kind: Kind, today: dt.date) -> dict[str, Any]:
    """The values of a new issue.yaml; fields not named here are written commented out."""
    month = f"{today.year}-{today.month:02d}"
    publication = {
        "issue": {
            "title": "Title of the Periodical",
            "publisher": "Name of the Publisher",
            "rights": "All rights reserved",
            "copyright": f"© Name of the Publisher, {today.year}",
        },
        "report": {"publisher": "Name of the Organisation", "copyright": f"© Name of the Organisation, {today.year}"},
        "article": {"title": "Name of the Magazine or Blog"},
    }[kind]
    edition = {
        "issue": {"number": 1, "date": month, "language": "en-GB"},
        "report": {
            "title": "Title of the Report",
            "subtitle": "A subtitle that says what it is about",
            "date": month,
            "authors": ["First Author", "Second Author"],
            "language": "en-GB",
        },
        "article": {"date": today.isoformat(), "language": "en-GB"},
    }[kind]
    values: dict[str, Any] = {"kind": kind, "publication": publication, kind: edition}
    if kind != "article":
        values["credits"] = [{"role": "Editor", "names": ["Name of the Editor"]}]
        values["foreword"] = {"title": "Foreword", "body": "A word from the editors on what this issue holds and why it matters now.\n"}
    if kind == "report":
        del values["foreword"]
        values["executive_summary"] = {"body": "The findings and recommendations of the report in a few paragraphs, for readers who read nothing else.\n"}
    values["articles"] = [ARTICLE]
    values["references"] = [REFERENCES]
    values["settings"] = {"style": "oscola", "notes": "endnotes", "page_size": "A4", "theme": "default"}
    return values


_BODY = """\
The opening paragraph says what the article is about. A blank line starts a new paragraph;
*italics* and **bold** are written as here.

## A section heading

Every right to speak freely includes the freedom to seek and receive information.[@udhr-1948, art 19]
The note is numbered for you, and so are later references to the same source.^[A note in the
author's own words is written like this.]

### A sub-section

{type=a}
1. The first item of a lettered list.
2. The second item.

#### A sub-sub-section

- [x] An item that is done.
- [ ] An item still open.
"""
_BODY_DOC = """\
The text, in Markdown. ## Heading, ### Sub-heading and #### Sub-sub-heading (all in the PDF's
bookmarks); [@id, p 5] cites the source with that id (references/) in a numbered note;
^[Words] is a note of your own; lines starting "- " or "1. " are lists, "- [x]" and "- [ ]" ticked
and open items, and {type=a} (or A, i, I, check, box) on the line before a list sets its markers;
![Caption](images/photo.jpg){alt="what it shows" credit="Photographer"} alone in its paragraph is
a numbered figure; [a link](https://example.org)."""


def _article_yaml(kind: Kind) -> dict[str, Any]:
    values: dict[str, Any] = {"title": "Title of the Article", "authors": ["Name of the Author"]}
    if kind == "article":
        values["standfirst"] = "One or two sentences under the title that say what the article argues."
    if kind == "issue":
        values["key_takeaways"] = ["The first point a hurried reader should take away.", "The second."]
    values["body"] = _BODY
    if kind != "article":
        values["recommendations"] = ["What the author asks of governments, donors or readers."]
    return values


_REFERENCES = """\
# yaml-language-server: $schema=../schema/references.schema.json
# The sources the articles cite, as CSL items (the form Zotero and pandoc write as YAML). Cite one
# by its id: [@udhr-1948] or, with a locator, [@udhr-1948, art 19]. Only cited sources are printed.
references:
  - id: udhr-1948
    type: treaty
    title: Universal Declaration of Human Rights
    title-short: UDHR
    number: UNGA Res 217 A(III)
    issued: {date-parts: [[1948, 12, 10]]}
"""


def new_publication(folder: Path, kind: Kind, today: dt.date | None = None) -> list[Path]:
    """Write a new publication of `kind` into `folder` (which must be absent or empty); the files written."""
    today = today or dt.date.today()
    files = {
        Path("issue.yaml"): _document("issue.yaml", f"{SCHEMA_FOLDER}/issue.schema.json", [_INTRO[kind], _HOWTO], _issue_yaml(kind, today), kind),
        Path(ARTICLE): _document(
            "article", f"../{SCHEMA_FOLDER}/article.schema.json", ["The article: its title, authors and text."], _article_yaml(kind), kind
        ),
        Path(REFERENCES): _REFERENCES,
        **{Path(SCHEMA_FOLDER) / f"{name}.schema.json": schema_text(name) for name in FILES},
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "images").mkdir(exist_ok=True)
    return [folder / name for name in files]


def _document(section: str, schema: str, intro: list[str], values: Mapping[str, Any], kind: Kind) -> str:
    lines = [f"# yaml-language-server: $schema={schema}"]
    for paragraph in intro:
        lines += _comment(paragraph, "")
    _fields(section, values, kind, "", lines, top=True)
    return "\n".join(lines) + "\n"


def _fields(section: str, values: Mapping[str, Any], kind: Kind, pad: str, out: list[str], *, top: bool = False) -> None:
    """Each field of `section` that `kind` allows, under its doc comment: set, or commented out."""
    for f in SECTIONS[section].values():
        if not f.allowed_in(kind):
            continue
        if top:
            out.append("")
        doc = _BODY_DOC if (section, f.name) == ("article", "body") else f.doc
        out += _comment(doc + (" Required." if f.required_in(kind) else ""), pad)
        if f.name not in values:
            out += _commented_out(f, pad)
        elif f.kind == "map":
            out.append(f"{pad}{f.name}:")
            _fields(f.fields_of, values[f.name], kind, pad + "  ", out)
        else:
            out += _value(f.name, values[f.name], pad)


def _commented_out(f: Field, pad: str) -> list[str]:
    """`# name:`, and for a mapping its own fields likewise, so every field can be found."""
    out = [f"{pad}# {f.name}:"]
    if f.kind == "map":
        out += [f"{pad}#   {sub.name}:  # {sub.doc}" for sub in SECTIONS[f.fields_of].values()]
    return out


def _value(name: str, value: Any, pad: str) -> list[str]:
    if isinstance(value, str) and "\n" in value:
        return [f"{pad}{name}: |", *(f"{pad}  {line}".rstrip() for line in value.rstrip("\n").split("\n"))]
    if isinstance(value, list) and value and not all(isinstance(v, (str, int)) and len(str(v)) < 40 for v in value):
        return [f"{pad}{name}:", *(f"{pad}  - {_flow(v)}" for v in value)]
    return [f"{pad}{name}: {_flow(value)}"]


def _flow(value: Any) -> str:
    """A value as YAML on one line: `[a, b]`, `{role: Editor, names: [X]}`, quoted only where YAML needs it."""
    return str(yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False)).strip()[1:-1]


def _comment(text: str, pad: str) -> list[str]:
    return [f"{pad}# {line}" for paragraph in text.split("\n\n") for line in textwrap.wrap(" ".join(paragraph.split()), 96 - len(pad))]
