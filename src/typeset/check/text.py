"""Issue files as written → diagnostics about printed text: glyphs no theme font has, links.

The model keeps where a field starts, not where each character is, so these rules look at each
scalar's text as written, which `load.source` keeps beside its value (from the same parse
`load` read the issue with): every position they report is exact to the column.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from fontTools.ttLib import TTFont

from typeset.diagnostics import Diagnostic, TypesetError, error, warning
from typeset.filecache import while_unchanged
from typeset.load.reader import resolve_inside
from typeset.load.source import Node, read_yaml
from typeset.model import Issue, SourcePos
from typeset.theme import Theme, stylesheet, tokens, walk

Role = Literal["issue", "article", "references"]

# Key paths (list indices left out) whose text is never drawn on a page.
_UNPRINTED: dict[Role, tuple[tuple[str, ...], ...]] = {
    "issue": (
        ("issue", "date"),
        ("issue", "language"),
        ("issue", "keywords"),
        ("cover", "image"),
        ("cover", "alt"),
        ("articles",),
        ("references",),
        ("settings",),
    ),
    "article": (("references",),),
    "references": (("id",), ("type",), ("language",)),
}
_MARKDOWN: dict[Role, tuple[tuple[str, ...], ...]] = {
    "issue": (("foreword", "body"),),
    "article": (("body",), ("key_takeaways",), ("recommendations",)),
    "references": (),
}
_UNDRAWN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}  # controls and format characters take no glyph
_SAFE_SCHEMES = {"http", "https", "mailto"}

# `[text](target)` (images are the image rules' job), `[label]: target` and `<scheme:target>`.
_LINKS = re.compile(
    r"(?<![!\\])\[(?:[^\[\]\\]|\\.)*\]\(\s*<?(?P<inline>(?:[^\s<>()]|\([^\s<>()]*\))+)"
    r"|^[ \t]*\[(?!@)[^\]\n]+\]:[ \t]*<?(?P<definition>[^\s<>]+)"
    r"|<(?P<auto>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Scalar:
    """One YAML scalar of an issue file: its key path, and its node (value and text as written)."""

    keys: tuple[str, ...]
    node: Node
    printed: bool
    markdown: bool

    @property
    def value(self) -> str:
        return self.node.raw

    @property
    def source(self) -> str:
        return self.node.source

    @property
    def path(self) -> Path:
        return self.node.pos.path

    def pos(self, offset: int = 0) -> SourcePos:
        """The file position of `source[offset]`."""
        return self.node.pos_at(offset)


def read_sources(issue: Issue) -> list[Scalar]:
    """Every scalar of the issue's YAML files; files `load` could not parse are skipped (it said why)."""
    files: dict[Path, Role] = {issue.pos.path: "issue"}
    files.update((a.pos.path, "article") for a in issue.articles)
    files.update((r.pos.path, "references") for r in issue.references.values())
    return [s for path, role in files.items() for s in _scalars(path, role)]


@while_unchanged
def _scalars(path: Path, role: Role) -> tuple[Scalar, ...]:
    try:
        root = read_yaml(path)
    except TypesetError:
        return ()
    out = []
    for keys, node in _walk(root, ()):
        if role == "references" and keys[:1] == ("references",):
            keys = keys[1:]
        out.append(Scalar(keys, node, printed=not _under(keys, _UNPRINTED[role]), markdown=_under(keys, _MARKDOWN[role])))
    return tuple(out)


def _walk(node: Node, keys: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Node]]:
    if isinstance(node.value, dict):
        for key, value in node.value.items():
            yield from _walk(value, (*keys, key))
    elif isinstance(node.value, list):
        for value in node.value:
            yield from _walk(value, keys)
    else:
        yield keys, node


def _under(keys: tuple[str, ...], prefixes: tuple[tuple[str, ...], ...]) -> bool:
    return any(keys[: len(p)] == p for p in prefixes)


def validate_text(issue: Issue, theme: Theme, scalars: list[Scalar]) -> list[Diagnostic]:
    drawable = theme_characters(tuple(theme.font_files())) | theme.borrowed_characters()
    diags: list[Diagnostic] = [*_theme_strings(theme, drawable)]
    for scalar in scalars:
        if scalar.printed:
            diags += _missing_glyphs(scalar, drawable, theme.name)
            diags += _control_characters(scalar)
        if scalar.markdown:
            diags += _links(scalar, issue.root)
    return diags


_PRINTING_PROPERTIES = ("content", "list-style-type", "list-style")


def _theme_strings(theme: Theme, drawable: frozenset[str]) -> Iterator[Diagnostic]:
    """Text the theme's CSS prints itself, such as the ✓ of a check list (`list-style-type: "✓ "`),
    must be in its fonts too; reported at its place in the stylesheet."""
    for path in theme.stylesheets:
        for node in walk(stylesheet(path.read_text(encoding="utf-8"))):
            if node.type != "declaration" or node.lower_name not in _PRINTING_PROPERTIES:
                continue
            for token in tokens(node.value):
                missing = {c for c in token.value if c not in drawable and not c.isspace()} if token.type == "string" else set()
                for char in sorted(missing):
                    hint = "borrow it from a font that has it, with an @font-face unicode-range (as the default theme does for ✓ and ☐)"
                    message = f"the theme '{theme.name}' prints '{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}) in {node.name}, and none of its fonts can draw it"
                    yield error("text.missing-glyph", SourcePos(path, token.source_line, token.source_column), message, hint)


@functools.lru_cache(maxsize=8)
def theme_characters(fonts: tuple[Path, ...]) -> frozenset[str]:
    """Every character some font of the theme has a glyph for (each font's cmap read once per process)."""
    return frozenset().union(*(_cmap(font) for font in fonts))


@functools.lru_cache(maxsize=64)
def _cmap(font: Path) -> frozenset[str]:
    with TTFont(font, lazy=True) as ttf:
        return frozenset(map(chr, ttf.getBestCmap()))


def _missing_glyphs(scalar: Scalar, drawable: frozenset[str], theme: str) -> Iterator[Diagnostic]:
    """One diagnostic per missing character and scalar, at its first place; escaped ones at the scalar."""
    missing = {c for c in (set(scalar.source) | set(scalar.value)) - drawable if unicodedata.category(c) not in _UNDRAWN_CATEGORIES}
    for char in sorted(missing, key=lambda c: (scalar.source.find(c), c)):
        count = scalar.value.count(char)
        times = f", {count} times in this text" if count > 1 else ""
        name = unicodedata.name(char, "unnamed")
        plain = unicodedata.normalize("NFKC", char)
        hint = (
            f"write '{plain}' instead" if plain != char and set(plain) <= drawable else f"replace it, or give the theme '{theme}' a @font-face font that has it"
        )
        yield error(
            "text.missing-glyph",
            scalar.pos(max(scalar.source.find(char), 0)),
            f"no font of the theme '{theme}' can draw '{char}' (U+{ord(char):04X} {name}){times}",
            hint,
        )


def _control_characters(scalar: Scalar) -> Iterator[Diagnostic]:
    """Control characters in printed text (YAML lets them in as escapes, `\\a`, `\\x1b`): one error a scalar, at its first escape."""
    found = sorted({c for c in scalar.value if unicodedata.category(c) == "Cc" and c not in "\n\t"})
    if found:
        codes = ", ".join(f"U+{ord(c):04X}" for c in found)
        escape = scalar.source.find("\\")
        hint = "delete the escape; for a line break in a paragraph, write the text as a block (|) on two lines"
        yield error("text.control-character", scalar.pos(max(escape, 0)), f"the control character {codes} prints as nothing or as garbage", hint)


def _links(scalar: Scalar, root: Path) -> Iterator[Diagnostic]:
    for m in _LINKS.finditer(scalar.source):
        group = next(g for g in ("inline", "definition", "auto") if m.group(g))
        target = m.group(group)
        pos = scalar.pos(m.start(group))
        try:
            scheme = urlsplit(target).scheme.lower()
        except ValueError:
            scheme = ""
        if target.startswith("#") or scheme in _SAFE_SCHEMES:
            continue
        if scheme in ("", "file"):
            if resolve_inside(root, unquote(target.partition("#")[0])) is None:
                hint = "link to a web page (https://…), or to a file inside the issue folder by a relative path"
                yield error("path.outside-issue", pos, f"link to '{target}' leaves the issue folder", hint)
            continue
        # A warning: nothing unsafe reaches the output (markdown.new_parser prints script links as text).
        message = f"link to '{target}' uses the '{scheme}:' scheme; readers can follow only http(s) and mailto links"
        yield warning("link.scheme", pos, message, "link to a web page (https://…) or an address (mailto:…)")
