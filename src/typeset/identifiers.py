"""Check digits of the identifiers a periodical prints and cites: ISSN, ISBN-10 and ISBN-13, EAN-13.

`check` verifies the ISSN and the ISBNs of sources with them; `render.barcode` computes the
check digit of the serial's EAN-13 (an ISBN-13 is an EAN-13 too).
"""

from __future__ import annotations


def mod11_check_digit(body: str) -> str:
    """The ISO mod-11 check character of ISSN (7 digits) and ISBN-10 (9 digits): weights n+1 … 2."""
    total = sum(int(d) * w for d, w in zip(body, range(len(body) + 1, 1, -1), strict=True))
    check = -total % 11
    return "X" if check == 10 else str(check)


def ean_check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit of the first 12 digits of an EAN-13 or ISBN-13: weights 3 and 1 alternating from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str(-total % 10)
