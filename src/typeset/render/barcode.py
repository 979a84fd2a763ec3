"""The back cover's barcode, as inline SVG: an issue's ISSN EAN-13 with its EAN-2 add-on, or a report's ISBN.

A serial's barcode is GS1 prefix 977, the ISSN's first seven digits, a two-digit price code
(00) and the EAN check digit; the add-on carries the issue number. A book's (a report's) is its
ISBN-13, itself an EAN-13 with prefix 978 or 979 (an ISBN-10 is converted: 978, its first nine
digits, a new check digit). Drawn here from the GS1 General Specifications tables
(python-barcode has no add-ons), as vector bars, so the printer's RIP rasterises them at press
resolution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from typeset.identifiers import ean_check_digit
from typeset.model import Issue

# GS1 General Specifications 5.2.2.4: left-hand odd (L) patterns; R is L inverted, G is R reversed.
_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
_R = tuple(p.translate(str.maketrans("01", "10")) for p in _L)
_G = tuple(p[::-1] for p in _R)
# The first digit of an EAN-13 is not drawn: it picks L or G for digits 2-7.
_EAN13_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")
# EAN-2: the value mod 4 picks the parities of its two digits (GS1 5.2.2.6).
_EAN2_PARITY = ("LL", "LG", "GL", "GG")

MODULE_MM = 0.33  # the nominal module (100 % magnification)
_QUIET_LEFT, _QUIET_RIGHT, _ADDON_GAP = 11, 7, 9  # modules; the add-on gap may be 7-12
_BAR_MM, _GUARD_EXTRA_MM, _DIGIT_ROOM = 22.85, 1.65, 3.0  # mm: bars, guard extension (5 modules), digits


def issn_ean13(issn: str, price_code: str = "00") -> str:
    """`2989-3038` → `9772989303007`: 977, the ISSN without its own check digit, the price code, the EAN check digit."""
    body = "977" + issn.replace("-", "")[:7] + price_code
    return body + ean_check_digit(body)


def isbn_ean13(isbn: str) -> str:
    """`978-3-16-148410-0` → `9783161484100`; an ISBN-10 `0-306-40615-2` → `9780306406157`; "" if it is neither."""
    digits = re.sub(r"[\s-]", "", isbn).upper().removeprefix("ISBN").lstrip(":")
    if re.fullmatch(r"97[89]\d{10}", digits):
        return digits
    if re.fullmatch(r"\d{9}[\dX]", digits):
        return "978" + digits[:9] + ean_check_digit("978" + digits[:9])
    return ""


def issue_addon(number: int) -> str:
    """The EAN-2 add-on: the issue number's last two digits (`8` → `08`)."""
    return f"{number % 100:02d}"


def ean13_modules(code: str) -> str:
    """The 95 modules (1 = bar) of a 13-digit EAN: guards, six left digits by parity, centre, six right digits."""
    parity = _EAN13_PARITY[int(code[0])]
    left = "".join((_L if p == "L" else _G)[int(d)] for p, d in zip(parity, code[1:7]))
    right = "".join(_R[int(d)] for d in code[7:])
    return "101" + left + "01010" + right + "101"


def ean2_modules(addon: str) -> str:
    """The 20 modules of an EAN-2 add-on: guard 1011, digit, delineator 01, digit."""
    parity = _EAN2_PARITY[int(addon) % 4]
    first, second = ((_L if p == "L" else _G)[int(d)] for p, d in zip(parity, addon))
    return "1011" + first + "01" + second


def _bars(modules: str, x0: int) -> list[tuple[int, int]]:
    """(start module, width) of each run of bars."""
    runs: list[tuple[int, int]] = []
    for i, m in enumerate(modules):
        if m == "1":
            if runs and runs[-1][0] + runs[-1][1] == x0 + i:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1)
            else:
                runs.append((x0 + i, 1))
    return runs


def barcode_svg(code: str, addon: str = "") -> Markup:
    """EAN-13 (+ EAN-2 add-on, if any) as an SVG in millimetres, black on a white box that includes the quiet zones.

    Guard bars run longer, digits sit under the main symbol (the first one in the left quiet
    zone) and above the add-on, whose bars start lower, as GS1 draws them.
    """
    x = MODULE_MM
    main = ean13_modules(code)
    add_x0 = _QUIET_LEFT + len(main) + _ADDON_GAP
    add = ean2_modules(addon) if addon else ""
    width = ((add_x0 + len(add) + 5) if addon else (_QUIET_LEFT + len(main) + _QUIET_RIGHT)) * x
    height = 1 + _BAR_MM + _DIGIT_ROOM
    guards = {i for i in range(len(main)) if i < 3 or 45 <= i < 50 or i >= 92}
    rects = []
    for start, run in _bars(main, _QUIET_LEFT):
        h = _BAR_MM + (_GUARD_EXTRA_MM if start - _QUIET_LEFT in guards else 0)
        rects.append(f'<rect x="{start * x:.3f}" y="1" width="{run * x:.3f}" height="{h:.3f}"/>')
    for start, run in _bars(add, add_x0):
        top = 1 + _DIGIT_ROOM
        rects.append(f'<rect x="{start * x:.3f}" y="{top:.3f}" width="{run * x:.3f}" height="{1 + _BAR_MM + _GUARD_EXTRA_MM - top:.3f}"/>')
    base = 1 + _BAR_MM + _DIGIT_ROOM - 0.6
    text = [
        _text(code[0], (_QUIET_LEFT - 4) * x, base),
        _text(code[1:7], (_QUIET_LEFT + 3 + 21) * x, base),
        _text(code[7:], (_QUIET_LEFT + 50 + 21) * x, base),
    ]
    if addon:
        text.append(_text(addon, (add_x0 + 10) * x, _DIGIT_ROOM + 0.4))
    label = f"EAN-13 {code}" + (f" add-on {addon}" if addon else "")
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ean" width="{width:.2f}mm" height="{height:.2f}mm" '
        f'viewBox="0 0 {width:.3f} {height:.3f}" role="img" aria-label="{label}">'
        f'<rect width="{width:.3f}" height="{height:.3f}" fill="#fff"/><g fill="#000">{"".join(rects)}</g>'
        f'<g fill="#000" font-family="PT Sans" font-size="2.75" text-anchor="middle">{"".join(text)}</g></svg>'
    )


def _text(digits: str, centre: float, baseline: float) -> str:
    return f'<text x="{centre:.3f}" y="{baseline:.3f}" letter-spacing="0.45">{digits}</text>'


@dataclass(frozen=True)
class Barcode:
    """What the back cover prints: the identifier over the bars ("ISSN 2989-3038"), and the bars."""

    caption: str
    svg: Markup


def back_cover_barcode(issue: Issue) -> Barcode | None:
    """An issue's ISSN barcode with its number, a report's ISBN barcode; None without a valid identifier
    (`check.issue` reports a faulty one) or for a single article, which has no back cover."""
    issn = issue.publication.issn
    digits = issn.replace("-", "")
    if issue.kind == "issue" and len(digits) == 8 and digits[:7].isdigit():
        return Barcode(f"ISSN {issn}", barcode_svg(issn_ean13(issn), issue_addon(issue.number)))
    code = isbn_ean13(issue.report.isbn) if issue.report else ""
    if code and ean_check_digit(code[:12]) == code[12]:
        return Barcode(f"ISBN {issue.report.isbn}" if issue.report else "", barcode_svg(code))
    return None
