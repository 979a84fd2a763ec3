"""Theme name → `Theme`: the folder under `styles/` whose CSS styles the issue, and the fonts it names.

Fonts are Python packages (fontpkg), named in the CSS as `url("fontpkg:PT Serif/700/italic")`,
so a build uses the pinned fonts, never whatever the machine has installed.

Whatever typeset reads in a theme's CSS (its fonts here, page margins in `check.images`, what
parts cannot carry in `layout.schedule`) it reads with tinycss2, through `stylesheet`, `walk`
and `tokens`: no regular expression over CSS text, which would match inside comments and strings.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import fontpkg
import tinycss2

from typeset.diagnostics import TypesetError, did_you_mean, error
from typeset.load.source import read_text
from typeset.model import SourcePos

THEME_CSS = "theme.css"
FONTPKG = "fontpkg:"


@dataclass(frozen=True)
class FontFace:
    """An @font-face rule: the family it defines, its fontpkg fonts (`PT Serif/700/italic`), the
    code points its `unicode-range` limits it to (empty: the whole font), its weight and style."""

    family: str
    fonts: tuple[str, ...]
    unicode_range: tuple[range, ...] = ()
    weight: int = 400
    italic: bool = False


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    stylesheets: tuple[Path, ...]

    @property
    def css(self) -> str:
        return "\n".join(read_text(p) for p in self.stylesheets)

    def font_faces(self) -> tuple[FontFace, ...]:
        return font_faces(self.css)

    def font_files(self) -> list[Path]:
        """Every font file the theme's CSS names, resolved through fontpkg; faces with a unicode-range are `borrowed_characters`."""
        return [font_path(spec) for spec in dict.fromkeys(s for face in self.font_faces() if not face.unicode_range for s in face.fonts)]

    def borrowed_characters(self) -> frozenset[str]:
        """What @font-face rules with a `unicode-range` draw (U+02BB from another family): the range, not the whole font."""
        return frozenset(chr(c) for face in self.font_faces() for span in face.unicode_range for c in span)


@functools.lru_cache(maxsize=16)
def stylesheet(css: str) -> tuple[tinycss2.ast.Node, ...]:
    """CSS text → its top-level rules (comments and white space left out), parsed once per text."""
    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def declarations(content: list[tinycss2.ast.Node]) -> Iterator[tinycss2.ast.Declaration]:
    """The declarations of a rule's block (not those of rules nested in it)."""
    return (d for d in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True) if d.type == "declaration")


def walk(rules: Iterable[tinycss2.ast.Node]) -> Iterator[tinycss2.ast.Node]:
    """Every rule, at-rule and declaration, those nested in blocks (@media, @page's margin boxes) too."""
    for node in rules:
        yield node
        if node.type in ("at-rule", "qualified-rule") and node.content is not None:
            yield from walk(tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True))


def tokens(values: Iterable[tinycss2.ast.Node]) -> Iterator[tinycss2.ast.Node]:
    """Every component value, those inside functions and brackets too."""
    for token in values:
        yield token
        if token.type == "function":
            yield from tokens(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            yield from tokens(token.content)


@functools.lru_cache(maxsize=16)
def font_faces(css: str) -> tuple[FontFace, ...]:
    faces = []
    for rule in walk(stylesheet(css)):
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or rule.content is None:
            continue
        family, fonts, ranges, weight, italic = "", [], [], 400, False
        for decl in declarations(rule.content):
            words = [t for t in decl.value if t.type in ("string", "ident", "number")]
            if decl.lower_name == "font-family":
                family = " ".join(str(t.value) for t in words)
            elif decl.lower_name == "src":
                fonts += [url.removeprefix(FONTPKG) for url in map(url_of, tokens(decl.value)) if url.startswith(FONTPKG)]
            elif decl.lower_name == "unicode-range":
                ranges += [range(t.start, t.end + 1) for t in decl.value if t.type == "unicode-range"]
            elif decl.lower_name == "font-weight" and words:
                weight = words[0].int_value if words[0].type == "number" and words[0].is_integer else 700 if words[0].value == "bold" else 400
            elif decl.lower_name == "font-style" and words:
                italic = words[0].value in ("italic", "oblique")
        faces.append(FontFace(family, tuple(fonts), tuple(ranges), weight, italic))
    return tuple(faces)


def url_of(token: tinycss2.ast.Node) -> str:
    """The address of `url(x)` or `url("x")`; "" for any other token."""
    if token.type == "url":
        return str(token.value)
    if token.type == "function" and token.lower_name == "url":
        return next((str(t.value) for t in token.arguments if t.type == "string"), "")
    return ""


def style_folders(issue_root: Path) -> list[Path]:
    """Where themes are looked for: the issue's own `styles/`, the working folder's, then the shipped themes."""
    candidates = [issue_root / "styles", issue_root.parent / "styles", Path.cwd() / "styles", *_shipped()]
    return list(dict.fromkeys(p.resolve() for p in candidates if p.is_dir()))


def _shipped() -> list[Path]:
    """The themes installed with typeset: `styles/` of the checkout, packaged as `typeset.styles`."""
    spec = importlib.util.find_spec("typeset.styles")
    return [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []


def find_theme(name: str, issue_root: Path, extra_css: tuple[Path, ...] = (), pos: SourcePos | None = None) -> Theme:
    """The theme folder named `name` (or a path to a theme folder), plus any local override CSS."""
    folders = style_folders(issue_root)
    direct = (issue_root / name) if ("/" in name or name.startswith(".")) else None
    if direct is not None and not any(direct.resolve().is_relative_to(allowed) for allowed in [issue_root.resolve(), *folders]):
        message = f"theme folder '{name}' is outside the issue folder and the styles folders"
        hint = (
            "name a theme under styles/ ("
            + ", ".join(sorted({p.name for f in folders for p in f.iterdir() if (p / THEME_CSS).is_file()}))
            + "), or copy the theme into the issue folder"
        )
        raise TypesetError([error("path.outside-issue", pos or SourcePos(issue_root / "issue.yaml", 1, 1), message, hint)])
    for folder in ([direct] if direct else []) + [f / name for f in folders]:
        if (folder / THEME_CSS).is_file():
            return Theme(name, folder.resolve(), (folder.resolve() / THEME_CSS, *extra_css))
    known = sorted({p.name for f in folders for p in f.iterdir() if (p / THEME_CSS).is_file()})
    raise TypesetError(
        [
            error(
                "theme.unknown",
                pos or SourcePos(issue_root / "issue.yaml", 1, 1),
                f"no theme '{name}' (a folder with {THEME_CSS}) in " + ", ".join(map(str, folders)),
                did_you_mean(name, known) or "themes available: " + ", ".join(known),
            )
        ]
    )


def local_stylesheet(issue_root: Path, path: Path) -> str:
    """`--css FILE` (relative to the working folder, else to the issue) as a path inside the issue folder.

    Local stylesheets live with the issue, so the renderer may read what they refer to (images,
    fonts) under the same rule as everything else: nothing outside the issue and theme folders.
    """
    found = path if path.is_file() else issue_root / path
    if not found.is_file():
        raise TypesetError([error("file.missing", SourcePos(path), f"stylesheet '{path}' not found", "give a CSS file in the issue folder")])
    resolved = found.resolve()
    if not resolved.is_relative_to(issue_root.resolve()):
        raise TypesetError([error("path.outside-issue", SourcePos(path), f"stylesheet '{path}' is outside the issue folder", "copy it into the issue folder")])
    return resolved.relative_to(issue_root.resolve()).as_posix()


def font_path(spec: str) -> Path:
    """`PT Serif/700/italic` → the font file of that installed fontpkg family."""
    family, _, rest = spec.partition("/")
    weight, _, style = rest.partition("/")
    return Path(fontpkg.path(family, int(weight) if weight.isdigit() else 400, style or "normal"))
