"""citeproc's inline styles (cite.markup writes `<span style="font-style:normal;">` and the like)
as classes: the web pages' policy forbids style attributes, and the JATS writer reads the classes."""

from __future__ import annotations

import re

from markupsafe import Markup

STYLE_CLASSES = {
    "font-style:normal;": "cs-roman",
    "font-weight:normal;": "cs-unbold",
    "font-variant:small-caps;": "cs-small-caps",
    "font-variant:normal;": "cs-no-small-caps",
    "text-decoration:underline;": "cs-underline",
    "font-weight:lighter;": "cs-light",
}
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')


def classed(html: str) -> Markup:
    """The cite stage's HTML (escaped once, safe) with each style attribute turned into its class."""
    return Markup(_STYLE_ATTR.sub(lambda m: f' class="{STYLE_CLASSES.get(m.group(1).replace(" ", ""), "")}"', html))
