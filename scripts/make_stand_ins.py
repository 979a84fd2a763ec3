"""Write honest stand-in images for the sample issue's photographs and charts.

The printed issue's photographs are not ours to ship. For every figure (and the cover) whose
file is missing, this draws a plain panel that names the subject and the credit: a PNG at
300 ppi for photographs, an SVG for charts, so both raster and vector handling stay exercised.
Run: python scripts/make_stand_ins.py [ISSUE_DIR]
"""

from __future__ import annotations

import html
import sys
import textwrap
from pathlib import Path

import fontpkg
from PIL import Image, ImageDraw, ImageFont

from typeset.load.reader import load_issue

PPI = 300
WIDTH_MM = 170
COLOURS = [(28, 79, 124), (120, 84, 40), (64, 96, 72), (98, 60, 96), (70, 70, 86), (130, 70, 52)]


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fontpkg.path("PT Sans", 700 if bold else 400)), size)


def png_stand_in(path: Path, subject: str, credit: str, width_mm: float, height_mm: float, colour: tuple[int, int, int]) -> None:
    w, h = round(width_mm / 25.4 * PPI), round(height_mm / 25.4 * PPI)
    img = Image.new("RGB", (w, h), colour)
    draw = ImageDraw.Draw(img)
    light = tuple(min(255, c + 40) for c in colour)
    for x in range(-h, w, 90):  # a quiet diagonal hatch, so it reads as a placeholder
        draw.line([(x, h), (x + h, 0)], fill=light, width=6)
    margin = w // 14
    draw.text((margin, margin), "PHOTOGRAPH STAND-IN", font=_font(w // 40, bold=True), fill=(255, 255, 255))
    y = margin + w // 22
    for line in textwrap.wrap(subject, width=46)[:6]:
        draw.text((margin, y), line, font=_font(w // 26, bold=True), fill=(255, 255, 255))
        y += w // 20
    draw.text((margin, h - margin - w // 34), f"Photo: {credit}", font=_font(w // 38), fill=(235, 235, 235))
    img.save(path, dpi=(PPI, PPI), optimize=True)


def svg_stand_in(path: Path, subject: str, credit: str) -> None:
    lines = textwrap.wrap(subject, width=60)[:5]
    texts = "".join(
        f'<text x="40" y="{120 + 34 * i}" font-family="PT Sans" font-size="26" font-weight="700" fill="#1c4f7c">{html.escape(t)}</text>'
        for i, t in enumerate(lines)
    )
    axis = '<path d="M40 470 H860 M40 470 V260" stroke="#1c4f7c" stroke-width="3" fill="none"/>'
    bars = "".join(
        f'<rect x="{80 + i * 130}" y="{470 - hgt}" width="70" height="{hgt}" fill="#c9d8e6" stroke="#1c4f7c" stroke-dasharray="8 6"/>'
        for i, hgt in enumerate([60, 110, 80, 140, 40, 95])
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 560" width="170mm" height="105.8mm">'
        '<rect width="900" height="560" fill="#f3f6f9"/>'
        '<text x="40" y="70" font-family="PT Sans" font-size="20" letter-spacing="3" fill="#5a5f66">CHART STAND-IN (NO DATA)</text>'
        f"{texts}{axis}{bars}"
        f'<text x="40" y="530" font-family="PT Sans" font-size="18" fill="#5a5f66">Source: {html.escape(credit)}</text></svg>'
    )
    path.write_text(svg, encoding="utf-8")


def main(issue_dir: Path) -> None:
    issue, _ = load_issue(issue_dir)
    # The cover photograph runs 3 mm into the bleed on both sides in print: 216 mm wide, 300 ppi there too.
    wanted = [(issue.cover.image, issue.cover.credit, issue.cover.alt, (216, 150))]
    wanted += [(f.image, f.credit, f.caption, (WIDTH_MM, WIDTH_MM * 9 / 16)) for a in issue.articles for f in a.figures]
    for i, (rel, credit, subject, (w, h)) in enumerate(wanted):
        target = issue.root / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".svg":
            svg_stand_in(target, subject, credit)
        else:
            png_stand_in(target, subject, credit, w, h, COLOURS[i % len(COLOURS)])
        print(f"wrote {target.relative_to(issue.root)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "issue"))
