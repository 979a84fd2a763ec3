# citeproc-py has no type hints: its classes are Any, and subclassing them is the point here.
# mypy: allow-subclassing-any
"""CSL elements as typeset renders them: citeproc-py's element classes with our overrides, and the parser that uses them.

citeproc-py maps each CSL element to a class of `citeproc.model`; `parse` reads a style or
locale with an lxml class lookup that maps each element to a subclass of that class,
overriding only:

- `If` (and `Else-If`): conditions read the positions we computed (`CiteItem.placed`),
  `disambiguate` reads our flag instead of always being true, `match` covers all tests,
  `is-numeric` and `locator` follow the spec;
- `Text`, `Number`, `Label`: the variables citeproc-py never sets (`first-reference-note-number`,
  `year-suffix`, `citation-number`), quotes as marks, terms capitalised at the start of a
  cite as citeproc-js does (`term_predecessor`), title case as citeproc-js (`cite.titlecase`);
- `Name`: `initialize="false"`;
- every element: the look-ups citeproc-py repeats by XPath on every call (root, macro,
  layout, term, enclosing citation/bibliography) are memoised on the element. The elements
  are kept alive for the life of the style, so lxml keeps handing back the same Python proxy.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import model as cp
from citeproc.source import Locator, VariableError
from citeproc.string import String
from lxml import etree

from typeset.cite.items import Item
from typeset.cite.markup import QUOTE, QUOTE_END, MarkFormatter, plain
from typeset.cite.positions import Placed
from typeset.cite.titlecase import title_case

CSL_NS = "http://purl.org/net/xbiblio/csl"
NS = {"cs": CSL_NS}


class CiteItem:
    """One cite as the style sees it: the reference, locator, affixes and the position we computed.

    It offers the part of citeproc-py's `CitationItem` interface that `citeproc.model` reads,
    without its link to a `CitationStylesBibliography` (we do the bookkeeping ourselves).
    """

    def __init__(
        self,
        reference: Item,
        locator: str = "",
        label: str = "",
        prefix: str = "",
        suffix: str = "",
        placed: Placed | None = None,
        number: int = 0,
        disambiguate: bool = False,
        year_suffix: str = "",
    ):
        self.key = reference.key
        self.reference = reference
        self.locator_text = locator
        self.label = label or "page"
        self.prefix = prefix
        self.suffix = suffix
        self.placed = placed
        self.number = number
        self.disambiguate = disambiguate
        self.year_suffix = year_suffix

    @property
    def has_locator(self) -> bool:
        return bool(self.locator_text)

    @property
    def locator(self) -> Locator:
        return Locator(self.label, self.locator_text)

    def __contains__(self, key: str) -> bool:
        return key == "locator" and self.has_locator

    def __getitem__(self, variable: str) -> Any:
        return self.reference[variable.replace("-", "_")]

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default) if key in ("prefix", "suffix") else default

    def get_field(self, field: str) -> str | None:
        value = self.reference.get(field)
        return None if value is None else plain(str(value))


@dataclass
class _RenderState:
    """Per-render bookkeeping that citeproc-py does not do.

    `predecessor` is citeproc-js's `term_predecessor` (has anything been rendered in this cite
    yet?); `used` collects the variables rendered inside a cs:substitute branch, which the rest
    of the entry must then suppress; `first_names` is the first names output of a bibliography
    entry, for `subsequent-author-substitute`.
    """

    predecessor: bool = False
    capitalize_terms: bool = True
    used: set[str] | None = None
    first_names: str | None = None

    def rendered(self, variable: str) -> None:
        if self.used is not None:
            self.used.add(variable)


class _Cased:
    """`text-case="title"` the citeproc-js way (citeproc-py capitalises "between", "than"…)."""

    def case(self, text: Any, language: str | None = None) -> Any:
        if self.get("text-case") == "title":  # type: ignore[attr-defined]
            return text if language not in (None, "en") else title_case(text)
        return super().case(text, language)  # type: ignore[misc]


class _Fast:
    """Memoised versions of citeproc-py's per-call XPath look-ups (half of its run time)."""

    def _cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        # citeproc-py's elements answer any unknown attribute with a child look-up: use __dict__
        memo = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def get_root(self) -> Any:
        return self._cached("root", lambda: self.getroottree().getroot())  # type: ignore[attr-defined]

    def get_formatter(self) -> type[MarkFormatter]:
        return MarkFormatter

    def calls_variable(self) -> bool:
        """Recursive over the subtree and asked by every cs:group render: a property of the style."""
        memo = self.__dict__.setdefault("_memo", {})
        if "calls" not in memo:
            memo["calls"] = super().calls_variable()  # type: ignore[misc]
        return bool(memo["calls"])

    def get_macro(self, name: str) -> Any:
        root = self.get_root()
        return root._cached(("macro", name), lambda: cp.CitationStylesElement.get_macro(self, name))

    def get_layout(self) -> Any:
        return self._cached("layout", lambda: cp.CitationStylesElement.get_layout(self))

    def get_term(
        self,
        name: str,
        form: str | None = None,
        fallback_locale: bool = True,
        zero_padded: bool = False,
    ) -> Any:
        root = self.get_root()
        key = ("term", name, form, fallback_locale, zero_padded)
        return root._cached(
            key,
            lambda: cp.CitationStylesElement.get_term(self, name, form, fallback_locale, zero_padded),
        )

    def get_date(self, form: str) -> Any:
        return self.get_root()._cached(("date", form), lambda: cp.CitationStylesElement.get_date(self, form))

    def get_locale_option(self, name: str) -> Any:
        return self.get_root()._cached(
            ("locale-option", name),
            lambda: cp.CitationStylesElement.get_locale_option(self, name),
        )

    def area(self) -> Any:
        """The enclosing cs:citation or cs:bibliography (None inside a macro or locale)."""
        return self._cached(
            "area",
            lambda: next(
                iter(
                    self.xpath(  # type: ignore[attr-defined]
                        "./ancestor::*[self::cs:citation or self::cs:bibliography][1]",
                        namespaces=NS,
                    )
                ),
                None,
            ),
        )

    def state(self) -> _RenderState:
        root = self.get_root()
        if isinstance(root, cp.Locale):
            root = root.style
        return root._cached("state", _RenderState)  # type: ignore[no-any-return]


class _Leaf(_Fast):
    """Elements whose output counts as "something rendered" for the capitalisation of terms."""

    def render(self, *args: Any, **kwargs: Any) -> Any:
        out = super().render(*args, **kwargs)  # type: ignore[misc]
        if out:
            self.state().predecessor = True
        return out


# numbers joined by a range, a list or a (localised) "and": "17-20", "3, 5", "213, and 235", "213 et 235"
_JOIN = r"(?:\s*[-–—,&]\s*(?:[^\W\d]{1,4}\.?\s+)?|\s+[^\W\d]{1,4}\.?\s+)"
_NUMERIC = re.compile(rf"^\s*[A-Za-z]*\d+[A-Za-z]*(?:{_JOIN}[A-Za-z]*\d+[A-Za-z]*)*\s*$")
_MULTIPLE = re.compile(rf"\d[A-Za-z]*{_JOIN}")


def is_plural_number(value: str) -> bool:
    """A list or range of plain numbers ("17-20", "3, 5"), the only values citeproc-js labels in the plural."""
    return bool(_NUMERIC.match(value) and _MULTIPLE.search(value))


def _variable_present(item: CiteItem, variable: str) -> bool:
    if variable == "locator":
        return item.has_locator
    if variable == "first-reference-note-number":
        return bool(item.placed and item.placed.first_note)
    if variable == "year-suffix":
        return bool(item.year_suffix)
    if variable == "citation-number":
        return True
    return variable.replace("-", "_") in item.reference


class If(_Fast, cp.If):
    """`cs:if` reading our positions and disambiguation flag; `match` over every test."""

    def render(self, item: CiteItem, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        tests, match = self._cached("tests", self._tests)
        results = [test(item, value) for test, value in tests]
        ok = any(results) if match == "any" else not any(results) if match == "none" else all(results)
        if not ok:
            raise cp.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)

    def _tests(self) -> tuple[list[tuple[Callable[[CiteItem, str], bool], str]], str]:
        """The element's conditions as (test, value) pairs, parsed once: half of Chicago's run time is in cs:if."""
        attrib = dict(self.attrib)
        in_bib = bool(self.xpath("./ancestor::cs:bibliography", namespaces=NS))
        kinds: dict[str, Callable[[CiteItem, str], bool]] = {
            "type": lambda item, v: v == item.reference.type,
            "variable": _variable_present,
            "is-numeric": self._numeric,
            "is-uncertain-date": lambda item, v: bool(self._is_uncertain_date_of(item, v)),
            "locator": lambda item, v: item.has_locator and v == item.label,
            "position": lambda item, v: not in_bib and _position_holds(item.placed, v),
            "disambiguate": lambda item, v: (v == "true") == item.disambiguate,
        }
        tests = [(test, value) for kind, test in kinds.items() for value in attrib.get(kind, "").split()]
        return tests, attrib.get("match", "all")

    @staticmethod
    def _is_uncertain_date_of(item: CiteItem, variable: str) -> bool:
        date = item.reference.get(variable.replace("-", "_"))
        return bool(date.get("circa", False)) if hasattr(date, "get") else False

    @staticmethod
    def _numeric(item: CiteItem, variable: str) -> bool:
        if variable == "locator":
            value = item.locator_text
        else:
            value = str(item.reference.get(variable.replace("-", "_"), ""))
        return bool(_NUMERIC.match(plain(value)))


def _position_holds(placed: Placed | None, test: str) -> bool:
    """CSL position tests: ibid implies subsequent, ibid-with-locator implies ibid."""
    if placed is None:
        return False
    pos = placed.position
    if test == "first":
        return pos == "first"
    if test == "subsequent":
        return pos != "first"
    if test == "ibid":
        return pos in ("ibid", "ibid-with-locator")
    if test == "ibid-with-locator":
        return pos == "ibid-with-locator"
    if test == "near-note":
        return placed.near_note
    return False


class Else_If(If):
    pass


class Locale(_Fast, cp.Locale):
    """A locale's own term and date look-ups (not the style's fallback chain), memoised."""

    def get_term(
        self,
        name: str,
        form: str | None = None,
        fallback_locale: bool = True,
        zero_padded: bool = False,
    ) -> Any:
        return self._cached(
            ("term", name, form, zero_padded),
            lambda: cp.Locale.get_term(self, name, form, zero_padded),
        )

    def get_date(self, form: str) -> Any:
        return self._cached(("date", form), lambda: cp.Locale.get_date(self, form))


class Text(_Cased, _Leaf, cp.Text):
    """`cs:text` with the variables citeproc-py lacks, quotes as marks and citeproc-js's term capitalisation."""

    def process(self, item: CiteItem, context: Any = None, **kwargs: Any) -> Any:
        text, language = super().process(item, context, **kwargs)
        if "term" in self.attrib and text:
            state = self.state()
            if not state.predecessor and state.capitalize_terms:
                text = String(str(text)[:1].upper() + str(text)[1:])
        return text, language

    def _variable(self, item: CiteItem, context: Any) -> Any:
        variable = self.get("variable")
        if variable == "first-reference-note-number":
            if not _variable_present(item, variable):
                raise VariableError
            return String(str(item.placed.first_note))  # type: ignore[union-attr]
        if variable == "year-suffix":
            return String(item.year_suffix) if item.year_suffix else None
        if variable == "citation-number":
            return String(str(item.number))
        if variable == "locator" and not item.has_locator:
            raise VariableError
        if variable in context.get_layout().repressed.get("vars", ()):
            return None
        if variable == "locator":  # hyphens become en dashes in numeric ranges only ("6.21-6.35.2" stays)
            text = item.locator_text
            if not _NUMERIC.match(text):
                return String(text)
            if item.label == "page":  # page-range-format applies to page locators too
                return String(str(self._process(text, "page")))
            return String(re.sub(r"\s*-\s*", "–", text))
        text = super()._variable(item, context)
        if text:
            self.state().rendered(variable)
        return text

    def quote(self, string: Any) -> Any:
        if self.get("quotes", "false").lower() == "true":
            return QUOTE + string + QUOTE_END
        return string


class Number(_Leaf, cp.Number):
    def process(self, item: CiteItem, context: Any = None, **kwargs: Any) -> Any:
        variable = self.get("variable")
        if variable == "first-reference-note-number":
            if not _variable_present(item, variable):
                raise VariableError
            return str(item.placed.first_note)  # type: ignore[union-attr]
        if variable == "citation-number":
            return str(item.number)
        if variable == "locator" and not item.has_locator:
            raise VariableError
        return super().process(item, context, **kwargs)


class Label(_Leaf, cp.Label):
    """`cs:label` that renders nothing when its variable is empty (citeproc-py prints the bare term),
    and is plural only for ranges and lists ("6.21-6.35", "3, 5"), not for "77(2)"."""

    def _is_plural(self, item: CiteItem) -> bool:
        variable = self.get("variable")
        if variable.startswith("number-of"):
            return bool(super()._is_plural(item))
        value = item.locator_text if variable == "locator" else item.reference.get(variable.replace("-", "_"), "")
        return is_plural_number(plain(str(value)))

    def process(
        self,
        item: CiteItem,
        variable: str | None = None,
        plural: bool | None = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        if variable is None and not _variable_present(item, self.get("variable")):
            return None
        if plural is None and self.get("variable") == "first-reference-note-number":
            plural = False
        return super().process(item, variable, plural, context, **kwargs)


class Date(_Leaf, cp.Date):
    def is_locale_date(self) -> bool:
        return bool(self._cached("locale-date", lambda: cp.Date.is_locale_date(self)))


class Date_Part(_Fast, cp.Date_Part):
    def render(self, *args: Any, **kwargs: Any) -> Any:
        """citeproc-py copies the style's date-part attributes onto the locale's for good; undo that."""
        saved = dict(self.attrib)
        try:
            return super().render(*args, **kwargs)
        finally:
            self.attrib.clear()
            self.attrib.update(saved)


class Names(_Leaf, cp.Names):
    """`cs:names` that honours substitution: variables used by a cs:substitute are not repeated."""

    def process(
        self,
        item: CiteItem,
        names_context: Any = None,
        context: Any = None,
        **kwargs: Any,
    ) -> Any:
        layout = (context if context is not None else self).get_layout()
        roles = self.get("variable", "").split()
        if roles and all(r in layout.repressed.get("vars", ()) for r in roles):
            raise VariableError
        text = super().process(item, names_context, context, **kwargs)
        state = self.state()
        for role in roles:
            if role.replace("-", "_") in item.reference:
                state.rendered(role)
        if text and state.first_names is None:
            state.first_names = str(text)
        return text

    def get_parent_delimiter(self, context: Any = None) -> Any:
        return (context if context is not None else self).area().get_option("names-delimiter")


class Name(_Fast, cp.Name):
    """`cs:name` with cached option look-ups and `initialize="false"` (keep given names whole)."""

    def get_option(self, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if sort_options and name in sort_options:
            value = sort_options[name]
        else:
            parent = (context if context is not None else self).area()
            inherited = parent.get_option("name-" + name if name in ("form", "delimiter") else name)
            value = self.get(name, inherited)
        if name in ("initialize-with-hyphen", "et-al-use-last"):
            return str(value).lower() == "true"
        if name.startswith("et-al"):
            return int(value)
        return value

    def initialize(self, given: Any, mark: str, context: Any) -> Any:
        """With `initialize="false"` full given names stay; initials already there get the style's mark
        ("P. D." → "PD" under initialize-with="", as citeproc-js)."""
        if self.get("initialize", "true") != "false":
            return super().initialize(given, mark, context)
        out = ""
        for token in re.findall(r"[^\s.\-]+", str(given)):
            if len(token) == 1 and token.isupper():
                out += token + mark
            else:
                out = (out.rstrip() + " " if out else "") + token + " "
        return out.strip()


class Key(_Fast, cp.Key):
    """Sort keys as plain text: no formatting marks, so a quoted name sorts by its first letter."""

    def sort_keys(self, items: Any, context: Any) -> Any:
        if "macro" in self.attrib:
            keys = self._macro_keys(items, context)
        else:
            keys = super().sort_keys(items, context)
        return [_collation_key(str(k)) if isinstance(k, (str, list)) else k for k in keys]

    def _macro_keys(self, items: Any, context: Any) -> list[Any]:
        """citeproc-py's macro keys, but names without "and": citeproc-js sorts "Ryazantsev, S., Ochirova, G."."""
        options = {
            "name-as-sort-order": "all",
            "and": None,
            "delimiter-precedes-last": "always",
        }
        for option in ("names-min", "names-use-first", "names-use-last"):
            if option in self.attrib:
                options[option.replace("names", "et-al")] = self.get(option)
        macro = self.get_macro(self.get("macro"))
        layout = context.get_layout()
        keys = []
        for item in items:
            layout.repressed = {}
            keys.append(macro.render(item, context=context, sort_options=options))
        return keys


def _collation_key(text: str) -> str:
    """A rough stand-in for citeproc-js's localeCompare: no marks, quotes or accents, case-folded."""
    text = unicodedata.normalize("NFKD", plain(text).strip(" \"'‘’“”«»([").casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


class Substitute(_Fast, cp.Substitute):
    """`cs:substitute` that suppresses every variable its chosen branch rendered, even through a macro
    (citeproc-py only suppresses a direct `<text variable>` and never names)."""

    def render(self, item: CiteItem, context: Any = None, **kwargs: Any) -> Any:
        state = self.state()
        outer = state.used
        for child in self.getchildren():
            state.used = set()
            try:
                if isinstance(child, cp.Names) and child.name is None:  # inherits the parent's cs:name
                    text = child.render(item, names_context=self.getparent(), context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            if text:
                repressed = (context if context is not None else self).get_layout().repressed
                repressed.setdefault("vars", set()).update(state.used)
                if outer is not None:
                    outer.update(state.used)
                state.used = outer
                return text
        state.used = outer
        return None


_OVERRIDES: dict[str, type] = {
    "if": If,
    "else-if": Else_If,
    "text": Text,
    "number": Number,
    "label": Label,
    "date": Date,
    "date-part": Date_Part,
    "names": Names,
    "name": Name,
    "locale": Locale,
    "substitute": Substitute,
    "key": Key,
}


@functools.cache
def _parser() -> etree.XMLParser:
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = type("Element", (_Fast, cp.CitationStylesElement), {})
    for cls in cp.CitationStylesElement.__subclasses__():
        if cls.__module__ != cp.__name__:
            continue
        tag = cls.__name__.replace("_", "-").lower()
        namespace[tag] = _OVERRIDES.get(tag) or type(cls.__name__, (_Fast, cls), {})
    parser = etree.XMLParser(remove_comments=True, no_network=True, resolve_entities=False)
    parser.set_element_class_lookup(lookup)
    return parser


def parse(path: Path) -> Any:
    root = etree.parse(str(path), _parser()).getroot()
    root._keep = list(root.iter())  # live proxies keep their memo and citeproc-py's attributes
    return root
