"""Theme name → `Theme`: the folder under `styles/` whose CSS styles the issue, and the fonts it names.

Fonts are Python packages (fontpkg), named in the CSS as `url("fontpkg:PT Serif/700/italic")`,
so a build uses the pinned fonts, never whatever the machine has installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import fontpkg

from .diagnostics import TypesetError, did_you_mean, error
from .model import SourcePos

FONT_URL = re.compile(r"""url\(\s*["']?fontpkg:([^"')]+)["']?\s*\)""")
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
        """Every font file the theme's CSS names, resolved through fontpkg."""
        return [font_path(spec) for spec in dict.fromkeys(FONT_URL.findall(self.css))]


def style_folders(issue_root: Path) -> list[Path]:
    """Where themes are looked for: the issue's own `styles/`, the working folder's, the checkout's."""
    candidates = [issue_root / "styles", issue_root.parent / "styles", Path.cwd() / "styles", Path(__file__).resolve().parents[2] / "styles"]
    return list(dict.fromkeys(p.resolve() for p in candidates if p.is_dir()))


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


def font_path(spec: str) -> Path:
    """`PT Serif/700/italic` → the font file of that installed fontpkg family."""
    family, _, rest = spec.partition("/")
    weight, _, style = rest.partition("/")
    return Path(fontpkg.path(family, int(weight) if weight.isdigit() else 400, style or "normal"))
