"""The theme's own fonts for the web: each @font-face of the PDF, subset to the characters the
pages use and written as WOFF2, with a local fallback face whose metrics are pulled close.

The fonts are the pinned fontpkg packages the PDF embeds, never the machine's. fontTools'
subsetter cuts them and writes WOFF2 (with the `brotli` package, fontTools' `woff` extra). Until
a web font arrives (`font-display: swap`), text is set in a metric-compatible system font (Times
New Roman, Arial or their Liberation twins) scaled with `size-adjust` to the web font's average
width and given its ascent and descent, so the text hardly moves when the font swaps in.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTFont

from typeset.layout.cache import digest
from typeset.store import Store
from typeset.theme import Theme, font_path

WIDTH_SAMPLE = "The quick brown fox jumps over the lazy dog, while 2024 reports on Central Asia follow. ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""Text whose average advance width compares a web font with its fallback (the fallback's constants below were measured on it)."""


@dataclass(frozen=True)
class Fallback:
    """A system font metric-compatible with one of the classic faces, by its local() names, and its width on WIDTH_SAMPLE."""

    generic: str
    names: tuple[str, ...]  # local() full names of the regular face; other styles add " Bold", " Italic"
    em_width: dict[tuple[bool, bool], float]  # (bold, italic) → average advance on WIDTH_SAMPLE, in em


# Measured by scripts/fallback_metrics.py on Liberation Serif and Sans 2.1, which share every
# advance width with Times New Roman and Arial.
FALLBACKS = {
    "serif": Fallback(
        "serif",
        ("Times New Roman", "Liberation Serif", "Tinos"),
        {(False, False): 0.4692, (True, False): 0.4946, (False, True): 0.4581, (True, True): 0.4742},
    ),
    "sans-serif": Fallback(
        "sans-serif",
        ("Arial", "Liberation Sans", "Arimo"),
        {(False, False): 0.4968, (True, False): 0.5254, (False, True): 0.4968, (True, True): 0.5254},
    ),
}

ALWAYS = frozenset(chr(c) for c in range(0x20, 0x7F)) | frozenset("\u00a0–—‘’“”•…·→←↑")
"""Drawn whatever the text says: ASCII (numbers, CSS-generated labels, hyphens), list bullets, typographic punctuation, arrows."""


@dataclass(frozen=True)
class Face:
    """One @font-face of the theme: what the CSS asks for and the fontpkg spec of its file."""

    family: str
    weight: int
    italic: bool
    spec: str  # "PT Serif/700/italic"
    unicode_range: tuple[range, ...] = ()


@dataclass(frozen=True)
class WebFont:
    face: Face
    file: str  # name under the fonts folder, content-hashed
    data: bytes


def theme_faces(theme: Theme) -> list[Face]:
    """The theme's @font-face rules that name a fontpkg font, in order."""
    return [Face(f.family, f.weight, f.italic, f.fonts[0], f.unicode_range) for f in theme.font_faces() if f.fonts]


def web_fonts(faces: Iterable[Face], characters: Iterable[str], store: Store) -> list[WebFont]:
    """Each face subset to `characters` (and ALWAYS), as WOFF2; faces left with nothing to draw are dropped."""
    used = set(ALWAYS) | set(characters)
    out = []
    made: dict[tuple[Path, frozenset[int]], tuple[str, bytes]] = {}
    for face in faces:
        wanted = {ord(c) for c in used}
        if face.unicode_range:
            wanted = {c for c in wanted if any(c in r for r in face.unicode_range)}
        key = (font_path(face.spec), frozenset(wanted))
        if key not in made:  # a variable font serves several faces: one subset, one file, one download
            made[key] = _web_font_file(*key, store)
        file, data = made[key]
        if data:
            out.append(WebFont(face, file, data))
    return out


def _web_font_file(path: Path, codepoints: frozenset[int], store: Store) -> tuple[str, bytes]:
    """(file name, WOFF2 bytes) of the font cut to `codepoints`, from the store when it was cut before; b"" if it draws none."""
    key = digest(path.read_bytes(), ",".join(map(str, sorted(codepoints))), fontTools.version)
    data = store.get(f"fonts/{key}.woff2", lambda: _subset(path, codepoints))
    name = re.sub(r"[^a-z0-9]+", "-", path.stem.lower())
    return f"{name}.{hashlib.sha256(data).hexdigest()[:10]}.woff2", data


def _subset(path: Path, codepoints: frozenset[int]) -> bytes:
    """The font at `path` cut to `codepoints`, as WOFF2; empty if it draws none of them.

    A variable font stays variable: the browser sets its weight axis from the face's
    `font-weight`, and one file serves every weight (pinning instances costs seconds a face).
    """
    font = TTFont(path, recalcTimestamp=False)
    drawn = codepoints & font.getBestCmap().keys()
    if not drawn:
        return b""
    options = subset.Options()
    options.hinting = False  # screens today render without the TrueType instructions; a third of the size
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and names the licence asks to travel with the font
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=drawn)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue()


def font_face_css(fonts: Iterable[WebFont], url: str) -> str:
    """@font-face rules for the web fonts (at `url` + file name) and, per family, their metric-close local fallbacks.

    The theme's family names stay as they are, so its `font-family` declarations work; each family
    gets a `"<family> fallback"` face for the stacks (see `family_stack`).
    """
    rules = []
    fallbacks: dict[tuple[str, int, bool], str] = {}
    for font in fonts:
        face = font.face
        style = "italic" if face.italic else "normal"
        rule = (
            f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; font-style: {style}; '
            f'font-display: swap; src: url("{url}{font.file}") format("woff2");'
        )
        if face.unicode_range:
            rule += " unicode-range: " + ", ".join(f"U+{r.start:04X}" + (f"-{r.stop - 1:04X}" if len(r) > 1 else "") for r in face.unicode_range) + ";"
        rules.append(rule + " }")
        key = (face.family, face.weight, face.italic)
        if not face.unicode_range and key not in fallbacks:
            fallbacks[key] = _fallback_rule(face)
    return "\n".join(rules + list(fallbacks.values())) + "\n"


def generic_family(face: Face) -> str:
    """serif or sans-serif, from the font's PANOSE serif style (11–13: sans)."""
    os2 = TTFont(font_path(face.spec), lazy=True)["OS/2"]
    return "sans-serif" if os2.panose.bSerifStyle in (11, 12, 13) else "serif"


def family_stack(family: str, faces: Iterable[Face]) -> str:
    """`"PT Serif", "PT Serif fallback", serif`: the web font, its metric-close fallback, the generic family."""
    face = next((f for f in faces if f.family == family and not f.unicode_range), None)
    generic = generic_family(face) if face else "serif"
    return f'"{family}", "{family} fallback", {generic}'


def _fallback_rule(face: Face) -> str:
    font = TTFont(font_path(face.spec), lazy=True)
    fallback = FALLBACKS[generic_family(face)]
    bold, italic = face.weight >= 600, face.italic
    upm = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    widths = font["hmtx"].metrics
    own = sum(widths[cmap[ord(c)]][0] for c in WIDTH_SAMPLE if ord(c) in cmap) / len(WIDTH_SAMPLE) / upm
    adjust = own / fallback.em_width[(bold, italic)]
    hhea = font["hhea"]
    suffix = " ".join(w for w, on in (("Bold", bold), ("Italic", italic)) if on)
    names = ", ".join(f'local("{name} {suffix}")' if suffix else f'local("{name}")' for name in fallback.names)
    return (
        f'@font-face {{ font-family: "{face.family} fallback"; font-weight: {face.weight}; '
        f"font-style: {'italic' if italic else 'normal'}; src: {names}; size-adjust: {adjust:.2%}; "
        f"ascent-override: {hhea.ascent / upm / adjust:.2%}; descent-override: {-hhea.descent / upm / adjust:.2%}; "
        f"line-gap-override: {hhea.lineGap / upm / adjust:.2%}; }}"
    )
