"""A theme's stylesheets (its own and the issue's local ones) → diagnostics, before anything reads them.

WeasyPrint takes whatever a stylesheet asks for: a font family it finds on the machine, an
@font-face from `local()` or any file, a background image from anywhere the fetcher allows. The
README promises fonts from the theme and the pinned font packages only, and files from the issue
and theme folders only; these rules keep that promise with a position in the stylesheet, where
the renderer could only warn or silently fall back. They also stop what `check`'s own rules would
misread: a unicode-range that is no range, a font package that is not installed, page margins
that leave no room for text (images' print width, hence their resolution, comes from them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import fontpkg
import tinycss2

from typeset.check.images import PAGE_SIZES_MM, print_size
from typeset.diagnostics import Diagnostic, TypesetError, error
from typeset.load.reader import resolve_inside
from typeset.load.source import read_text
from typeset.model import SourcePos
from typeset.theme import FONTPKG, Theme, declarations, font_path, stylesheet, url_of

GENERIC_FAMILIES = {
    "serif",
    "sans-serif",
    "monospace",
    "cursive",
    "fantasy",
    "system-ui",
    "ui-serif",
    "ui-sans-serif",
    "ui-monospace",
    "ui-rounded",
    "emoji",
    "math",
    "fangsong",
}
CSS_WIDE = {"inherit", "initial", "unset", "revert", "revert-layer", "none"}
_NESTED = {"media", "supports", "layer", "document", "page"}  # at-rules whose block holds rules or declarations we read
_MAX_NESTING = 20  # @media in @media …: what a stylesheet can mean; deeper is not read
_FAMILY_HINT = "use a family of the theme's @font-face rules, or add one: @font-face { font-family: …; src: url('fontpkg:Family/400/normal') }"


@dataclass(frozen=True)
class _Declaration:
    sheet: Path
    name: str
    tokens: list[tinycss2.ast.Node]
    line: int
    col: int
    page: bool = False  # in an @page rule


def check_stylesheets(theme: Theme, issue_root: Path, page_size: str) -> list[Diagnostic]:
    """Every fault of the theme's and the issue's stylesheets (profile stylesheets such as print.css too)."""
    diags: list[Diagnostic] = []
    found: list[_Declaration] = []
    faces: list[list[_Declaration]] = []
    imports: list[tuple[Path, tinycss2.ast.Node]] = []
    for sheet in dict.fromkeys([*theme.stylesheets, *sorted(theme.folder.glob("*.css"))]):
        try:
            text = read_text(sheet)
        except TypesetError as exc:
            diags += exc.diagnostics
            continue
        _collect(list(stylesheet(text)), sheet, found, faces, imports, 0)
    if diags:
        return diags
    allowed = [issue_root.resolve(), theme.folder]
    families = {family for face in faces for d in face if d.name == "font-family" for family in _families(d.tokens)}
    for face in faces:
        diags += _font_face(face)
    custom = {d.name: d for d in found if d.name.startswith("--")}
    for decl in found:
        if decl.name in ("font-family", "font"):
            diags += _font_families(decl, custom, families)
        diags += _urls(decl.sheet, decl.tokens, allowed, decl.name)
    for sheet, prelude in imports:
        diags += _urls(sheet, [prelude], allowed, "@import")
    if not diags:
        diags += _text_width(theme, page_size, found)
    return diags


def _collect(
    rules: list[tinycss2.ast.Node],
    sheet: Path,
    found: list[_Declaration],
    faces: list[list[_Declaration]],
    imports: list[tuple[Path, tinycss2.ast.Node]],
    depth: int,
) -> None:
    """Declarations of every rule, @font-face rules apart, @import preludes; nested at-rules read to a sane depth."""
    for rule in rules:
        if rule.type == "qualified-rule":
            found += _declarations(rule.content, sheet)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "import":
            imports += [(sheet, token) for token in rule.prelude]
        elif rule.type == "at-rule" and rule.lower_at_keyword == "font-face" and rule.content is not None:
            faces.append(_declarations(rule.content, sheet))
        elif rule.type == "at-rule" and rule.content is not None and depth < _MAX_NESTING and _holds_rules(rule.lower_at_keyword):
            inner = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            found += [_declaration(d, sheet, page=rule.lower_at_keyword == "page") for d in inner if d.type == "declaration"]
            _collect([r for r in inner if r.type != "declaration"], sheet, found, faces, imports, depth + 1)


def _holds_rules(keyword: str) -> bool:
    """@media, @page and the like, and @page's margin boxes (@top-left …): blocks of rules or declarations."""
    return keyword in _NESTED or keyword.startswith(("top-", "bottom-", "left-", "right-"))


def _declarations(content: list[tinycss2.ast.Node] | None, sheet: Path) -> list[_Declaration]:
    return [_declaration(d, sheet) for d in declarations(content or [])]


def _declaration(decl: tinycss2.ast.Declaration, sheet: Path, page: bool = False) -> _Declaration:
    name = decl.name if decl.name.startswith("--") else decl.lower_name
    return _Declaration(sheet, name, [t for t in decl.value if t.type not in ("whitespace", "comment")], decl.source_line, decl.source_column, page)


def _at(sheet: Path, node: tinycss2.ast.Node | _Declaration) -> SourcePos:
    line = node.line if isinstance(node, _Declaration) else node.source_line
    col = node.col if isinstance(node, _Declaration) else node.source_column
    return SourcePos(sheet, line, col)


def _families(tokens: list[tinycss2.ast.Node]) -> list[str]:
    """`"PT Serif", Georgia Pro, serif` → ["PT Serif", "Georgia Pro", "serif"]."""
    families: list[str] = []
    words: list[str] = []
    for token in [*tokens, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            if words:
                families.append(" ".join(words))
            words = []
        elif token.type == "string" or token.type == "ident":
            words.append(token.value)
    return families


def _font_face(face: list[_Declaration]) -> Iterator[Diagnostic]:
    for decl in face:
        if decl.name == "src":
            yield from _font_sources(decl)
        elif decl.name == "unicode-range":
            yield from _unicode_range(decl)


def _font_sources(decl: _Declaration) -> Iterator[Diagnostic]:
    for token in decl.tokens:
        if token.type == "function" and token.lower_name == "local":
            yield error("css.font-face", _at(decl.sheet, token), "src: local(…) takes a font from the machine, not from the pinned font packages", _FAMILY_HINT)
            continue
        url = url_of(token)
        if not url:
            continue
        if not url.startswith(FONTPKG):
            yield error(
                "css.font-face", _at(decl.sheet, token), f"the font '{url}' is not a font package: fonts come from the pinned packages only", _FAMILY_HINT
            )
            continue
        try:
            font_path(unquote(url.removeprefix(FONTPKG)))
        except (fontpkg.FontpkgError, ValueError) as exc:
            families = ", ".join(sorted(fontpkg.families()))
            yield error("css.font-face", _at(decl.sheet, token), f"'{url}' names no installed font: {exc}", f"installed font packages: {families}")


def _unicode_range(decl: _Declaration) -> Iterator[Diagnostic]:
    for token in decl.tokens:
        if token.type == "literal" and token.value == ",":
            continue
        if token.type != "unicode-range":
            written = getattr(token, "value", None) or token.type
            yield error(
                "css.unicode-range",
                _at(decl.sheet, decl),
                f"unicode-range holds '{written}', which is no range of code points",
                "write U+02BB, U+0400-04FF or U+04??",
            )
            return
        if not token.start <= token.end <= 0x10FFFF:
            message = f"unicode-range U+{token.start:X}-{token.end:X} is {'reversed' if token.start > token.end else 'beyond U+10FFFF, the last code point'}"
            yield error("css.unicode-range", _at(decl.sheet, token), message, "write a range from U+0000 to U+10FFFF, low end first")


def _expand(tokens: list[tinycss2.ast.Node], custom: dict[str, _Declaration], depth: int = 0) -> Iterator[tuple[tinycss2.ast.Node, Path | None]]:
    """Tokens with `var(--x)` replaced by --x's value (each with the stylesheet it was written in, or None for the declaration's own)."""
    for token in tokens:
        if token.type == "function" and token.lower_name == "var" and depth < 10:
            name = next((t.value for t in token.arguments if t.type == "ident"), "")
            if name in custom:
                yield from ((t, sheet or custom[name].sheet) for t, sheet in _expand(custom[name].tokens, custom, depth + 1))
                continue
        yield token, None


def _font_families(decl: _Declaration, custom: dict[str, _Declaration], declared: set[str]) -> Iterator[Diagnostic]:
    """Every family a `font-family` or `font` declaration names must be one the theme declares; a generic
    family (serif) may follow as a fallback, never stand first, where it would pick a machine font."""
    expanded = list(_expand(decl.tokens, custom))
    if decl.name == "font":  # the families follow the size (and an optional /line-height)
        sizes = [i for i, (t, _) in enumerate(expanded) if t.type in ("dimension", "percentage")]
        if not sizes:
            return
        start = sizes[0] + 1
        if start < len(expanded) and expanded[start][0].type == "literal" and expanded[start][0].value == "/":
            start += 2
        expanded = expanded[start:]
    tokens = [t for t, _ in expanded]
    sheet = next((s for _, s in expanded if s is not None), decl.sheet)
    where = SourcePos(sheet, *(next(((t.source_line, t.source_column) for t, s in expanded if s is not None), (decl.line, decl.col))))
    families = _families(tokens)
    if not families or families[0].lower() in CSS_WIDE:
        return
    for i, family in enumerate(families):
        generic = family.lower() in GENERIC_FAMILIES
        if generic and i > 0:
            continue
        if generic or family not in declared:
            what = f"the generic family '{family}' first, which" if generic else f"the font family '{family}', which no @font-face of the theme provides:"
            yield error("css.font-family", where, f"{decl.name} names {what} it would come from the machine", _FAMILY_HINT)


def _urls(sheet: Path, tokens: list[tinycss2.ast.Node], allowed: list[Path], name: str) -> Iterator[Diagnostic]:
    """Files a declaration names (url() anywhere in it, nested functions included) must lie in the issue or theme folder."""
    stack = list(tokens)
    while stack:
        token = stack.pop()
        url = url_of(token) if name != "@import" or token.type != "string" else token.value
        if not url:
            if token.type == "function":
                stack += token.arguments
            continue
        target = _local_file(sheet, url)
        if target is not None and not any(target.is_relative_to(root) for root in allowed):
            hint = "put the file in the issue folder (or the theme's) and name it by a path relative to the stylesheet"
            yield error("path.outside-issue", _at(sheet, token), f"{name} names '{url}', outside the issue and theme folders", hint)


def _local_file(sheet: Path, url: str) -> Path | None:
    """The file a stylesheet URL names, or None for what is no file (data:, fontpkg:, a fragment, the web)."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if url.startswith("#") or scheme in ("data", "fontpkg", "http", "https"):
        return None
    if scheme == "file" or url.startswith("/"):
        return Path(unquote(urlsplit(url).path)).resolve() if scheme == "file" else Path(url).resolve()
    return resolve_inside(sheet.parent, unquote(url.partition("#")[0].partition("?")[0])) or Path(
        "/"
    )  # outside its own folder: checked against the allowed folders


def _text_width(theme: Theme, page_size: str, declarations: list[_Declaration]) -> Iterator[Diagnostic]:
    """Page margins that leave no text width: images' print width (hence their resolution) would be nil."""
    if print_size(theme, page_size).figure_width > 0:
        return
    margins = [d for d in declarations if d.page and d.name in ("margin", "margin-left", "margin-right")]
    where = SourcePos(margins[-1].sheet, margins[-1].line, margins[-1].col) if margins else SourcePos(theme.stylesheets[-1], 1, 1)
    width = PAGE_SIZES_MM.get(page_size, PAGE_SIZES_MM["A4"])[0]
    yield error(
        "css.no-text-width",
        where,
        f"the page margins leave no width for text on {page_size} pages ({width:.0f} mm wide)",
        "make the left and right margins together narrower than the page",
    )
