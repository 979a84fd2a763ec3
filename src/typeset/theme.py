"""Theme name → `Theme`: the folder under `styles/` whose CSS styles the issue, and the fonts it names.

Fonts are Python packages (fontpkg), named in the CSS as `url("fontpkg:PT Serif/700/italic")`,
so a build uses the pinned fonts, never whatever the machine has installed.
"""

from __future__ import annotations

import importlib.util

import re
from dataclasses import dataclass
from pathlib import Path

import fontpkg

from typeset.diagnostics import TypesetError, did_you_mean, error
from typeset.model import SourcePos

FONT_URL = re.compile(r"""url\(\s*["']?fontpkg:([^"')]+)["']?\s*\)""")
FONT_FACE = re.compile(r"@font-face\s*{[^}]*}")
UNICODE_RANGE = re.compile(r"unicode-range\s*:\s*([^;}]+)")
THEME_CSS = "theme.css"


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    stylesheets: tuple[Path, ...]

    @property
    def css(self) -> str:
        return "\n".join(p.read_text(encoding="utf-8") for p in self.stylesheets)

    def font_files(self) -> list[Path]:
        """Every font file the theme's CSS names, resolved through fontpkg; faces with a unicode-range are `borrowed_characters`."""
        whole = FONT_FACE.sub(lambda m: "" if UNICODE_RANGE.search(m.group()) else m.group(), self.css)
        return [font_path(spec) for spec in dict.fromkeys(FONT_URL.findall(whole))]

    def borrowed_characters(self) -> frozenset[str]:
        """What @font-face rules with a `unicode-range` draw (U+02BB from another family): the range, not the whole font."""
        ranges = [r for face in FONT_FACE.findall(self.css) for r in UNICODE_RANGE.findall(face)]
        return frozenset(chr(c) for spec in ranges for part in spec.split(",") for c in _code_points(part.strip()))


def _code_points(spec: str) -> range:
    """`U+02BB`, `U+0400-04FF` or `U+04??` → its code points."""
    low, _, high = spec.upper().removeprefix("U+").partition("-")
    return range(int(low.replace("?", "0"), 16), int((high or low).replace("?", "F"), 16) + 1)


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
    for folder in ([direct] if direct else []) + [f / name for f in folders]:
        if (folder / THEME_CSS).is_file():
            return Theme(name, folder.resolve(), (folder.resolve() / THEME_CSS, *extra_css))
    known = sorted({p.name for f in folders for p in f.iterdir() if (p / THEME_CSS).is_file()})
    raise TypesetError(
        [
            error(
                "theme.unknown",
                pos or SourcePos(issue_root / "issue.yaml"),
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
