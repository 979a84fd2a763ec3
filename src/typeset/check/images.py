"""The cover and figures → diagnostics: inside the issue, present, decodable, a supported format, sharp in print.

Sharpness is the effective resolution: the image's pixels over the width it is printed at
(`print_size`). Print wants 300 ppi (below: a warning); below 150 ppi it looks blurred (an
error). SVG is drawn as vectors and has no resolution.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.parsers import expat

import tinycss2
from PIL import Image, ImageFile, UnidentifiedImageError

from typeset.diagnostics import Diagnostic, TypesetError, error, warning
from typeset.filecache import while_unchanged
from typeset.limits import IMAGE_PIXELS
from typeset.load.reader import path_problem, resolve_inside
from typeset.load.source import regular_file
from typeset.measures import MM_PER_INCH, PRINT_PPI
from typeset.model import Issue, SourcePos
from typeset.theme import Theme, declarations, stylesheet

PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "B5": (176.0, 250.0), "letter": (215.9, 279.4)}
MIN_PPI = 150
RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "q": 0.25, "in": MM_PER_INCH, "pt": MM_PER_INCH / 72, "pc": MM_PER_INCH / 6, "px": MM_PER_INCH / 96}


@dataclass(frozen=True)
class PrintSize:
    """Where images print, in mm: figures across the text width and at most `figure_height` tall; the cover across the page."""

    figure_width: float
    figure_height: float | None
    cover_width: float


@dataclass(frozen=True)
class _Image:
    """An image the issue prints, as written, and the box it is printed in."""

    name: str
    pos: SourcePos
    what: str
    width_mm: float
    height_mm: float | None = None


@dataclass(frozen=True)
class _Decoded:
    format: str
    width: int = 0
    height: int = 0
    problem: str = ""
    rule: str = "image.unreadable"  # of the problem
    references: tuple[tuple[str, int], ...] = ()  # files an SVG names, with their lines


def print_size(theme: Theme, page_size: str) -> PrintSize:
    """The print size of figures and the cover, from the page size and the theme's CSS.

    The text width is the page width less the left and right margins of the theme's `@page`
    rules: the wider of `:left` and `:right` pages (every page is one of them), each with the
    margins of the plain `@page` that it does not set itself (170 mm for the default theme on A4). A figure is no taller than the `max-height` of the theme's `figure img`
    rule, so a tall one prints narrower. The cover fills the page width (210 mm on A4).
    Unknown page sizes count as A4, as `schema` allows only the four listed.
    """
    page_width = PAGE_SIZES_MM.get(page_size, PAGE_SIZES_MM["A4"])[0]
    margins: dict[str, dict[str, float]] = {"": {}, ":left": {}, ":right": {}}
    figure_height = None
    rules = stylesheet(theme.css)
    variables = _root_properties(rules)
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None:
            selector = tinycss2.serialize(rule.prelude).strip()
            for decl in declarations(rule.content) if selector in margins else ():
                margins[selector].update(_side_margins(decl, page_width, variables))
        elif rule.type == "qualified-rule" and "figure img" in (s.strip() for s in tinycss2.serialize(rule.prelude).split(",")):
            for decl in declarations(rule.content):
                values = _values(decl, variables)
                if decl.lower_name == "max-height" and len(values) == 1 and values[0].type == "dimension":
                    figure_height = _mm(values[0], page_width)
    widths = [page_width - sum({**margins[""], **margins[page]}.values()) for page in (":left", ":right")]  # every page is one of the two
    return PrintSize(max(widths), figure_height, page_width)


def _root_properties(rules: Iterable[tinycss2.ast.Node]) -> dict[str, list[tinycss2.ast.Node]]:
    """The custom properties set on `:root` (themes put their margins there), by name."""
    found: dict[str, list[tinycss2.ast.Node]] = {}
    for rule in rules:
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            found.update((d.name, _values(d, found)) for d in declarations(rule.content) if d.name.startswith("--"))
    return found


def _values(decl: tinycss2.ast.Declaration, variables: dict[str, list[tinycss2.ast.Node]]) -> list[tinycss2.ast.Node]:
    """The declaration's value tokens, with `var(--name)` replaced by the value of `:root`'s `--name`."""
    out: list[tinycss2.ast.Node] = []
    for token in decl.value:
        if token.type == "function" and token.lower_name == "var":
            name = next((t.value for t in token.arguments if t.type == "ident"), "")
            out += variables.get(name, [token])
        elif token.type not in ("whitespace", "comment"):
            out.append(token)
    return out


def _side_margins(decl: tinycss2.ast.Declaration, page_width: float, variables: dict[str, list[tinycss2.ast.Node]]) -> dict[str, float]:
    """`margin` (1 to 4 values, CSS order) or `margin-left`/`margin-right` → {"left": mm, "right": mm}."""
    tokens = _values(decl, variables)
    values = [v for v in (_mm(t, page_width) for t in tokens) if v is not None]
    if len(values) != len(tokens):
        return {}  # var(), auto, …: not ours to resolve
    if decl.lower_name in ("margin-left", "margin-right") and len(values) == 1:
        return {decl.lower_name[len("margin-") :]: values[0]}
    if decl.lower_name == "margin" and 1 <= len(values) <= 4:
        right = values[1] if len(values) > 1 else values[0]
        return {"right": right, "left": values[3] if len(values) == 4 else right}
    return {}


def _mm(token: tinycss2.ast.Node, page_width: float) -> float | None:
    """A CSS length in mm; percentages of margins refer to the page width. None for what isn't a length."""
    if token.type == "dimension" and token.lower_unit in _MM_PER_UNIT:
        return float(token.value) * _MM_PER_UNIT[token.lower_unit]
    if token.type == "percentage":
        return float(token.value) / 100 * page_width
    if token.type == "number" and token.value == 0:
        return 0.0
    return None


def validate_images(issue: Issue, theme: Theme) -> list[Diagnostic]:
    size = print_size(theme, issue.settings.page_size)
    images = [_Image(issue.cover.image, issue.cover.pos, "cover image", size.cover_width)] if issue.cover else []
    images += [_Image(f.image, f.pos, f"figure {f.number}", size.figure_width, size.figure_height) for a in issue.articles for f in a.figures]
    diags: list[Diagnostic] = []
    found: list[tuple[_Image, Path]] = []
    for image in images:
        if not image.name:
            continue  # load reported the missing field, or the figure that has no image
        target, problems = _locate(issue.root, image)
        diags += problems
        if target is not None:
            found.append((image, target))
    # Decoding is most of check's time; Pillow's decoders release the GIL, so threads help.
    targets = sorted({t for _, t in found})
    with _truncation_is_an_error(), ThreadPoolExecutor(max_workers=4) as pool:
        decoded = dict(zip(targets, pool.map(_decode, targets), strict=True))
    for image, target in found:
        diags += _quality(image, target.suffix.lower(), decoded[target])
    for target in targets:
        diags += _outside_references(issue.root, target, decoded[target].references)
    return diags


def _locate(root: Path, image: _Image) -> tuple[Path | None, list[Diagnostic]]:
    """The image's file if it lies inside the issue, exists and has a supported suffix."""
    name, pos, what = image.name, image.pos, image.what
    target = resolve_inside(root, name)
    if target is None:
        return None, [
            error(
                "path.outside-issue",
                pos,
                f"{what} '{name}' is outside the issue folder",
                "put the image under images/ and use a relative path such as images/photo.png",
            )
        ]
    if not os.path.lexists(target):
        return None, [error("image.missing", pos, f"{what} '{name}' not found", f"add the file at {target} or correct the path (relative to the issue folder)")]
    try:
        regular_file(target, pos)
    except TypesetError as exc:  # a folder, a FIFO (which would block the decoder), a symlink loop
        return None, list(exc.diagnostics)
    if target.suffix.lower() not in (*RASTER_FORMATS, ".svg"):
        return None, [error("image.format", pos, f"{what} '{name}' is not a supported image format", "use PNG, JPEG or SVG")]
    return target, []


@contextlib.contextmanager
def _truncation_is_an_error() -> Iterator[None]:
    """WeasyPrint lets Pillow print truncated images half grey (a process-wide switch); check must see them."""
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


@while_unchanged
def _decode(path: Path) -> _Decoded:
    """Decode the whole image (a truncated file opens fine and fails only here); an SVG is parsed
    and the files it names are kept, with their lines, for `_outside_references`."""
    try:
        if path.suffix.lower() == ".svg":
            return _svg(path)
        with Image.open(path) as im:
            if im.width * im.height > IMAGE_PIXELS.number:
                return _Decoded(
                    im.format or "",
                    im.width,
                    im.height,
                    problem=f"{im.width:,} × {im.height:,} pixels, more than {IMAGE_PIXELS.number:,}",
                    rule=IMAGE_PIXELS.rule,
                )
            im.load()
            return _Decoded(im.format or "", im.width, im.height)
    except UnidentifiedImageError:
        return _Decoded("", problem="it is not an image file")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        return _Decoded("", problem=str(exc) or type(exc).__name__)


_HREFS = {"href", "http://www.w3.org/1999/xlink href"}
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")


def _svg(path: Path) -> _Decoded:
    """An SVG's root element checked, and every file it names with its line: href and xlink:href,
    url() in style attributes and elements. Expat, as ElementTree, but with positions; no entities."""
    found: list[tuple[str, int]] = []
    names: list[str] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        names.append(name)
        line = parser.CurrentLineNumber
        found.extend((value, line) for key, value in attrs.items() if key in _HREFS)
        found.extend((url.strip(), line) for url in _CSS_URL.findall(attrs.get("style", "")))

    def text(data: str) -> None:
        if names and names[-1].endswith("style"):
            found.extend((url.strip(), parser.CurrentLineNumber) for url in _CSS_URL.findall(data))

    def no_entities(*_: object) -> None:
        raise ValueError("it declares entities, which an SVG of the issue may not")

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = no_entities
    try:
        parser.Parse(path.read_bytes(), True)
    except expat.ExpatError as exc:
        return _Decoded("", problem=str(exc))
    if not names or names[0].rpartition(" ")[2] != "svg":
        return _Decoded("", problem=f"its root element is <{names[0].rpartition(' ')[2] if names else ''}>, not <svg>")
    return _Decoded("SVG", references=tuple(found))


def _outside_references(root: Path, svg: Path, references: tuple[tuple[str, int], ...]) -> Iterator[Diagnostic]:
    """Files an SVG names must lie in the issue folder, as the renderer's fetcher requires: refused
    at layout they were a warning on issue.yaml's first line; here they are errors on the SVG's line."""
    lines = svg.read_text(encoding="utf-8", errors="replace").splitlines() if references else []
    for url, line in references:
        scheme = url.partition(":")[0].lower() if ":" in url else ""
        if url.startswith("#") or scheme in ("data", "http", "https"):  # the web is the fetcher's to refuse, unless --allow-network
            continue
        if not scheme and not path_problem(url) and _within(svg.parent / unquote(url.partition("#")[0]), root):
            continue
        col = lines[line - 1].find(url) + 1 if 0 < line <= len(lines) else 1
        hint = "put the file in the issue folder and name it by a path relative to the SVG, or embed it as data:"
        yield error("path.outside-issue", SourcePos(svg, line, max(col, 1)), f"the SVG names '{url}', outside the issue folder", hint)


def _within(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a symlink loop
        return False


def _quality(image: _Image, suffix: str, decoded: _Decoded) -> list[Diagnostic]:
    name, pos, what = image.name, image.pos, image.what
    if decoded.rule == IMAGE_PIXELS.rule:
        return [error(IMAGE_PIXELS.rule, pos, f"{what} '{name}' has {decoded.problem}", IMAGE_PIXELS.fix)]
    if decoded.problem:
        return [error("image.unreadable", pos, f"{what} '{name}' cannot be decoded: {decoded.problem}", "export the image again as PNG, JPEG or SVG")]
    expected = RASTER_FORMATS.get(suffix, "SVG")
    if decoded.format != expected:
        return [
            error(
                "image.format",
                pos,
                f"{what} '{name}' is a {decoded.format} image, not {expected}",
                "convert it to PNG or JPEG (photos) or SVG (charts), named after its format",
            )
        ]
    if expected == "SVG":
        return []
    printed = image.width_mm
    if image.height_mm:
        printed = min(printed, image.height_mm * decoded.width / decoded.height)
    if printed <= 0:  # margins that leave no text width: the stylesheet check said so
        return []
    ppi = round(decoded.width / (printed / MM_PER_INCH))  # rounded: 2480 px across A4, the usual "300 ppi", is 299.96
    if ppi >= PRINT_PPI:
        return []
    needed = round(PRINT_PPI * printed / MM_PER_INCH)
    message = f"{what} '{name}' is {decoded.width} px wide: {ppi} ppi at its printed width of {printed:.0f} mm"
    hint = f"print wants {PRINT_PPI} ppi: use an image at least {needed} px wide, or SVG for a chart"
    return [(error if ppi < MIN_PPI else warning)("image.low-resolution", pos, message, hint)]
