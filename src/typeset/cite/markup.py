"""Rich text of the cite stage: CSL field markup → marked text → safe HTML, escaped exactly once.

citeproc-py builds HTML by string concatenation and never escapes field values (a `<script>`
in a title passes through, a `<https://…>` URL vanishes). We render through citeproc-py with
a formatter that marks italics, quotes, links… with private-use characters instead of tags,
so every character that came from the data stays plain text until `to_html` escapes it once
and only then turns the marks into tags. The marks also let us do what citeproc-js does at
the seams: nested quotes alternate (flip-flop), punctuation moves inside quotes when the
locale says so, and doubled punctuation is merged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from citeproc.string import MixedString, NoCase, String

# One private-use character per mark; case changes (`upper()`) leave them alone.
ITALIC, ITALIC_END = "\ue000", "\ue001"
BOLD, BOLD_END = "\ue002", "\ue003"
SMALL_CAPS, SMALL_CAPS_END = "\ue004", "\ue005"
SUP, SUP_END = "\ue006", "\ue007"
SUB, SUB_END = "\ue008", "\ue009"
UNDERLINE, UNDERLINE_END = "\ue00a", "\ue00b"
LIGHT, LIGHT_END = "\ue00c", "\ue00d"
QUOTE, QUOTE_END = "\ue00e", "\ue00f"
URL, URL_END = "\ue010", "\ue011"
DOI, DOI_END = "\ue012", "\ue013"
QUOTE_SINGLE = "\ue014"  # a quote opened by a straight ' in the data: same output, but title case skips its word

# mark → (tag, closing tag, tag used when nested in the same mark: citeproc-js's flip-flop)
_TAGS: dict[str, tuple[str, str, str]] = {
    ITALIC: ("<i>", "</i>", '<span style="font-style:normal;">'),
    BOLD: ("<b>", "</b>", '<span style="font-weight:normal;">'),
    SMALL_CAPS: (
        '<span style="font-variant:small-caps;">',
        "</span>",
        '<span style="font-variant:normal;">',
    ),
    SUP: ("<sup>", "</sup>", "<sup>"),
    SUB: ("<sub>", "</sub>", "<sub>"),
    UNDERLINE: ('<span style="text-decoration:underline;">', "</span>", "<span>"),
    LIGHT: ('<span style="font-weight:lighter;">', "</span>", "<span>"),
}
_OPENERS = {
    ITALIC: ITALIC_END,
    BOLD: BOLD_END,
    SMALL_CAPS: SMALL_CAPS_END,
    SUP: SUP_END,
    SUB: SUB_END,
    UNDERLINE: UNDERLINE_END,
    LIGHT: LIGHT_END,
    QUOTE: QUOTE_END,
}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
MARKS = "".join(_OPENERS) + "".join(_CLOSERS) + URL + URL_END + DOI + DOI_END + QUOTE_SINGLE
_CLOSING = "".join(_CLOSERS) + URL_END + DOI_END


def _wrapper(start: str, end: str) -> Callable[[object], str]:
    def wrap(text: object) -> str:
        return start + str(text) + end

    return wrap


class MarkFormatter:
    """A citeproc-py formatter (the interface of `citeproc.formatter.html`) that emits marks, not tags."""

    Italic = staticmethod(_wrapper(ITALIC, ITALIC_END))
    Oblique = Italic
    Bold = staticmethod(_wrapper(BOLD, BOLD_END))
    Light = staticmethod(_wrapper(LIGHT, LIGHT_END))
    Underline = staticmethod(_wrapper(UNDERLINE, UNDERLINE_END))
    Superscript = staticmethod(_wrapper(SUP, SUP_END))
    Subscript = staticmethod(_wrapper(SUB, SUB_END))
    SmallCaps = staticmethod(_wrapper(SMALL_CAPS, SMALL_CAPS_END))

    @staticmethod
    def preformat(text: object) -> str:
        """Values stay raw here: `to_html` escapes everything once at the end."""
        return str(text)


# --- field values: the CSL-JSON rich-text subset → marks ---------------------------------

_FIELD_TAGS = re.compile(r'<(/?)(i|b|sup|sub|sc)>|<span\s+(class="nocase"|style="font-variant:\s*small-caps;?")\s*>|</span>')
_TAG_MARK = {"i": ITALIC, "b": BOLD, "sup": SUP, "sub": SUB, "sc": SMALL_CAPS}


def parse_field(value: str) -> MixedString | String:
    """A CSL field value → citeproc-py string with marks.

    The tags citeproc-js understands in fields (`<i> <b> <sup> <sub> <sc>`, small-caps and
    `nocase` spans) become marks or NoCase parts; straight quotes become quote marks (they
    alternate with the style's quotes) and apostrophes curl. Any other `<…>` is text.
    """
    parts: list[String] = []
    spans: list[str] = []  # what each open <span> closes with ("" for nocase)
    nocase = 0
    pos = 0
    buf = ""

    def flush() -> None:
        nonlocal buf
        if buf:
            parts.append(NoCase(buf) if nocase else String(buf))
            buf = ""

    for m in _FIELD_TAGS.finditer(value):
        buf += _quotes(value[pos : m.start()])
        pos = m.end()
        closing, tag, span = m.group(1), m.group(2), m.group(3)
        if tag:
            buf += _OPENERS[_TAG_MARK[tag]] if closing else _TAG_MARK[tag]
        elif span is not None:
            if span.startswith("class"):
                flush()
                nocase += 1
                spans.append("")
            else:
                buf += SMALL_CAPS
                spans.append(SMALL_CAPS_END)
        elif spans:
            end = spans.pop()
            if end:
                buf += end
            else:
                flush()
                nocase -= 1
        else:
            buf += m.group(0)
    buf += _quotes(value[pos:])
    flush()
    if len(parts) == 1 and not isinstance(parts[0], NoCase):
        return parts[0]
    return MixedString(parts)


_DOUBLE = re.compile(r'"([^"]*)"|“([^”]*)”')
_SINGLE = re.compile(r"(?<![\w’])'(?=\S)([^']*?\S)'(?!\w)")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def _quotes(text: str) -> str:
    """Straight and curly double quotes, and paired single quotes, → quote marks; apostrophes curl."""
    text = _APOSTROPHE.sub("’", text)
    text = _DOUBLE.sub(lambda m: QUOTE + (m.group(1) or m.group(2) or "") + QUOTE_END, text)
    text = _SINGLE.sub(lambda m: QUOTE_SINGLE + m.group(1) + QUOTE_END, text)
    return text.replace("'", "’")


# --- marked text → HTML -------------------------------------------------------------------


@dataclass(frozen=True)
class Quotes:
    """The locale's quote terms and whether punctuation goes inside them (en-US)."""

    open: str = "“"
    close: str = "”"
    inner_open: str = "‘"
    inner_close: str = "’"
    punctuation_inside: bool = False


_PIQ = re.compile(f"([{re.escape(_CLOSING)}]*{QUOTE_END}[{re.escape(_CLOSING)}]*)([.,])")
_DOUBLED = re.compile(f"([.,;:!?])([{re.escape(_CLOSING)} ]*)([.,;:!?])")
_DOI_LINK = re.compile(f"((?:https?://(?:dx\\.)?doi\\.org/)?){DOI}(.*?){DOI_END}")
_URL_LINK = re.compile(f"(&#60;)?{URL}(.*?){URL_END}(&#62;)?")
WORD_JOINER = "\u2060"
"""Invisible, and no line may break on either side of it."""
_ADDRESS_BREAKS = frozenset("/.-?&=")
_ADDRESS_PIECE = re.compile(r"&#\d+;|.", re.DOTALL)  # a character of escaped text
_LONGEST_RUN = 24
"""Word characters in a row beyond which an address may break anyway (a long id would overflow a note's line)."""


def to_html(text: str, quotes: Quotes, links: bool = True) -> str:
    """Marked text → HTML: merge punctuation at seams, escape once, then marks → tags."""
    if quotes.punctuation_inside:
        text = _PIQ.sub(lambda m: m.group(2) + m.group(1), text)
    text = _DOUBLED.sub(_merge_punctuation, text)
    text = escape(text)
    if links:
        text = _DOI_LINK.sub(
            lambda m: _link("https://doi.org/" + m.group(2), m.group(1) + m.group(2)),
            text,
        )
        text = _URL_LINK.sub(lambda m: _link(m.group(2), m.group(2), m.group(1) or "", m.group(3) or ""), text)
    text = text.translate(_NO_LINK_MARKS)
    return _tags(text, quotes)


def _merge_punctuation(m: re.Match[str]) -> str:
    """`..` → `.`, `?.` → `?` across closing marks (a title ending in "?" before the layout's ".")."""
    first, between, second = m.group(1), m.group(2), m.group(3)
    if " " in between:
        return m.group(0)
    if first == second or (first in "!?" and second == "."):
        return first + between
    return m.group(0)


def _link(href: str, text: str, before: str = "", after: str = "") -> str:
    """A link whose printed address breaks only after / . - ? & = (no hyphen added), the style's
    brackets around it (`before`, `after`) inside, so no line ends on a bracket alone.

    `href` is already escaped for text; quotes must go too inside an attribute."""
    return f'<a href="{href.replace(chr(34), "&#34;")}">{before}{_printed_address(text)}{after}</a>'


def _in_word(piece: str) -> bool:
    """A letter, digit or underscore: Unicode's line breaking never breaks between these."""
    return piece.isalnum() or piece == "_"


def _printed_address(escaped: str) -> str:
    """Between two characters: nothing in a word (but every `_LONGEST_RUN` letters, digits and underscores),
    `<wbr>` after a run of / . - ? & =, else a word joiner (around `,` `%` `:` `~` …, where Unicode's
    line breaking would otherwise allow a break)."""
    pieces = ["&" if p == "&#38;" else p for p in _ADDRESS_PIECE.findall(escaped)]
    out = []
    run = 0  # letters and digits since the last break point
    for piece, after in zip(pieces, [*pieces[1:], ""], strict=True):
        out.append("&#38;" if piece == "&" else piece)
        run = run + 1 if _in_word(piece) else 0
        if not after:
            continue
        if _in_word(piece) and _in_word(after):
            if run >= _LONGEST_RUN:  # an id too long for a line: a break point now and then, not an overflow
                out.append("<wbr>")
                run = 0
            continue
        out.append("<wbr>" if piece in _ADDRESS_BREAKS and after not in _ADDRESS_BREAKS else WORD_JOINER)
    return "".join(out)


def escape(text: str) -> str:
    """Escape for HTML text the way citeproc-js does (numeric entities), once."""
    return text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")


def _tags(text: str, quotes: Quotes) -> str:
    """Marks → tags, flip-flopping nested marks of the same kind (italic in italic → normal)."""
    out: list[str] = []
    stack: list[tuple[str, str]] = []  # (mark, closing html)
    for ch in text.replace(QUOTE_SINGLE, QUOTE):
        if ch in _OPENERS:
            nested = any(mark == ch for mark, _ in stack)
            if ch == QUOTE:
                depth = sum(1 for mark, _ in stack if mark == QUOTE)
                start, end = (quotes.open, quotes.close) if depth % 2 == 0 else (quotes.inner_open, quotes.inner_close)
            else:
                tag, end, flip = _TAGS[ch]
                start = flip if nested else tag
                end = "</span>" if nested and flip.startswith("<span") else end
            stack.append((ch, end))
            out.append(start)
        elif ch in _CLOSERS:
            opener = _CLOSERS[ch]
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == opener:
                    out.append(stack.pop(i)[1])
                    break
        else:
            out.append(ch)
    out.extend(end for _, end in reversed(stack))
    return "".join(out)


_NO_MARKS = {ord(c): None for c in MARKS}
_NO_LINK_MARKS = {ord(c): None for c in URL + URL_END + DOI + DOI_END}


def plain(text: str) -> str:
    """Marked text without marks, for sort keys and comparisons."""
    return text.translate(_NO_MARKS)
