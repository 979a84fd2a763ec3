"""Print the average advance width, in em, of Liberation Serif and Sans on `WIDTH_SAMPLE`, for
`typeset.web.fonts.FALLBACKS`: Liberation shares its widths with Times New Roman and Arial, the
fallbacks a reader's machine most likely has. Needs Debian's fonts-liberation (a Chromium dependency).
"""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

from typeset.web.fonts import WIDTH_SAMPLE

FOLDER = Path("/usr/share/fonts/truetype/liberation")

for family in ("Serif", "Sans"):
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        font = TTFont(FOLDER / f"Liberation{family}-{style}.ttf", lazy=True)
        cmap, widths = font.getBestCmap(), font["hmtx"].metrics
        width = sum(widths[cmap[ord(c)]][0] for c in WIDTH_SAMPLE) / len(WIDTH_SAMPLE) / font["head"].unitsPerEm
        print(f"Liberation {family} {style}: {width:.4f}")
