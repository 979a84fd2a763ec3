"""CSL `text-case="title"` as citeproc-js does it (citeproc-py capitalises "between", "than"…).

A title is split into words at spaces, hyphens, slashes and dots inside a word; lower-case words
are capitalised, except stop words after the first; words with a capital and `NoCase` parts stay.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.string import MixedString, NoCase

from typeset.cite.markup import QUOTE_SINGLE, plain

# citeproc-js's CSL.SKIP_WORDS (single words): kept lower case inside a title-cased title
_SKIP_WORDS = frozenset(
    [
        "about",
        "above",
        "across",
        "afore",
        "after",
        "against",
        "al",
        "along",
        "alongside",
        "amid",
        "amidst",
        "among",
        "amongst",
        "anenst",
        "apropos",
        "apud",
        "around",
        "as",
        "aside",
        "astride",
        "at",
        "athwart",
        "atop",
        "barring",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "but",
        "by",
        "circa",
        "despite",
        "down",
        "during",
        "et",
        "except",
        "for",
        "forenenst",
        "from",
        "given",
        "in",
        "inside",
        "into",
        "lest",
        "like",
        "modulo",
        "near",
        "next",
        "notwithstanding",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "over",
        "per",
        "plus",
        "pro",
        "qua",
        "sans",
        "since",
        "than",
        "through",
        "thru",
        "throughout",
        "thruout",
        "till",
        "to",
        "toward",
        "towards",
        "under",
        "underneath",
        "until",
        "unto",
        "up",
        "upon",
        "versus",
        "vs.",
        "v.",
        "vs",
        "v",
        "via",
        "vis-à-vis",
        "with",
        "within",
        "without",
        "or",
        "yet",
        "so",
        "and",
        "nor",
        "a",
        "an",
        "the",
        "de",
        "d'",
        "von",
        "van",
        "c",
        "ca",
    ]
)
_TITLE_TOKENS = re.compile(r"(\s+|[-–—/]|(?<=\w)\.(?=\w))")  # "Dunyo.info" → "Dunyo.Info", as citeproc-js


def title_case(text: Any) -> Any:
    """CSL title case as citeproc-js does it: lower-case words capitalised except stop words;
    hyphenated parts count as words; words with any capital (iPhone, COVID) and NoCase parts
    are left alone."""
    parts = list(text) if isinstance(text, MixedString) else [text]
    start = True
    out = []
    for part in parts:
        if isinstance(part, NoCase):
            out.append(part)
            start = False
            continue
        tokens = _TITLE_TOKENS.split(str(part))
        for i, tok in enumerate(tokens):
            if not tok or _TITLE_TOKENS.fullmatch(tok):
                continue
            bare = plain(tok).strip("\"'‘’“”([")
            quoted = tok[0] in (
                QUOTE_SINGLE,
                "'",
                "‘",
            )  # citeproc-js leaves a 'quoted' word as it is
            if bare.islower() and not quoted and (start or (len(bare) > 1 and bare not in _SKIP_WORDS)):
                j = next(k for k, ch in enumerate(tok) if ch.isalpha())
                tokens[i] = tok[:j] + tok[j].upper() + tok[j + 1 :]
            start = plain(tok).rstrip("\"'’”)]")[-1:] in (":", "?", "!", ".")
        out.append(type(part)("".join(tokens)))
    return MixedString(out) if isinstance(text, MixedString) else out[0]
