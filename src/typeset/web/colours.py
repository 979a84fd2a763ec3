"""The theme's colours for screens, each pair of text and background held to WCAG 2.1 AA contrast.

Print tolerates a gold region name on a blue cover; a screen reader of low vision may not. The
web palette starts from the theme's custom properties (`:root` in its CSS) and darkens or lightens
a text colour, in small steps keeping its hue, only until it reaches 4.5:1 against its background
(3:1 for large text). `Palette.adjusted` says which colours had to move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ROOT = re.compile(r":root\s*{([^}]*)}")
_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^)]+))?\)")
_NAMED = {"white": "#ffffff", "black": "#000000"}

NORMAL, LARGE = 4.5, 3.0  # WCAG 2.1 1.4.3: text, and text from 18.66 px bold or 24 px


def custom_properties(css: str) -> dict[str, str]:
    """Every `--name: value` of the CSS's :root rules (later wins), with var() references resolved."""
    props: dict[str, str] = {}
    for block in _ROOT.findall(re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)):
        props.update((k, v.strip()) for k, v in _PROPERTY.findall(block))

    def resolve(value: str, depth: int = 0) -> str:
        if depth > 10:
            return value
        return _VAR.sub(lambda m: resolve(props.get(m.group(1), m.group(2) or ""), depth + 1), value)

    return {k: resolve(v) for k, v in props.items()}


def rgb(colour: str) -> tuple[int, int, int] | None:
    """#rgb, #rrggbb or white/black → (r, g, b); None for anything else (a gradient, a CMYK colour)."""
    colour = _NAMED.get(colour.strip().lower(), colour.strip().lower())
    if re.fullmatch(r"#[0-9a-f]{3}", colour):
        return (int(colour[1] * 2, 16), int(colour[2] * 2, 16), int(colour[3] * 2, 16))
    if re.fullmatch(r"#[0-9a-f]{6}", colour):
        return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))
    return None


def hex_colour(c: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*c)


def luminance(c: tuple[int, int, int]) -> float:
    """WCAG relative luminance."""

    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(text: tuple[int, int, int], background: tuple[int, int, int], ratio: float) -> tuple[int, int, int]:
    """`text` moved towards black or white (whichever its background is farther from) until it reaches `ratio`."""
    target = (0, 0, 0) if luminance(background) > 0.18 else (255, 255, 255)
    colour = text
    for step in range(1, 101):
        if contrast(colour, background) >= ratio:
            return colour
        t = step / 100
        colour = (round(text[0] + (target[0] - text[0]) * t), round(text[1] + (target[1] - text[1]) * t), round(text[2] + (target[2] - text[2]) * t))
    return colour


# The web palette: name → (the theme's property and its fallback, background name or None, minimum ratio).
# Backgrounds come first; each text colour is held against the background it is drawn on.
ROLES: tuple[tuple[str, tuple[str, ...], str | None, float], ...] = (
    ("paper", ("--paper", "white"), None, 0),
    ("tint", ("--accent-tint", "#eef2f6"), None, 0),
    ("cover", ("--cover-background", "--accent-colour", "#1c4f7c"), None, 0),
    ("ink", ("--ink", "#1d1d1b"), "paper", NORMAL),
    ("muted", ("--muted", "#5a5f66"), "paper", NORMAL),
    ("accent", ("--accent-colour", "#1c4f7c"), "paper", NORMAL),
    ("accent-on-tint", ("--accent-colour", "#1c4f7c"), "tint", NORMAL),
    ("highlight", ("--highlight-colour", "#c98f1f"), "paper", NORMAL),
    ("cover-text", ("--cover-text", "white"), "cover", NORMAL),
    ("cover-highlight", ("--highlight-colour", "#c98f1f"), "cover", LARGE),
)


@dataclass(frozen=True)
class Palette:
    colours: dict[str, str]
    adjusted: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Role → (the theme's colour, the colour used) for each that had to move to be readable."""

    def css(self) -> str:
        """The palette as custom properties for the web stylesheet."""
        return ":root { " + " ".join(f"--web-{name}: {value};" for name, value in self.colours.items()) + " }\n"


def web_palette(theme_css: str) -> Palette:
    props = custom_properties(theme_css)
    colours: dict[str, tuple[int, int, int]] = {}
    adjusted: dict[str, tuple[str, str]] = {}
    for name, sources, background, ratio in ROLES:
        found = next((c for c in (rgb(props.get(s, s)) for s in sources) if c is not None), (0, 0, 0))
        if background is not None:
            fixed = readable(found, colours[background], ratio)
            if fixed != found:
                adjusted[name] = (hex_colour(found), hex_colour(fixed))
            found = fixed
        colours[name] = found
    return Palette({k: hex_colour(v) for k, v in colours.items()}, adjusted)
