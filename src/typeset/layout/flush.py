"""Full pages: the text of a page that continues overleaf reaches the foot of the page (flush bottom).

Books set in justified type end every full page on the same line; WeasyPrint ends a page where
the next block no longer fits, and a heading kept with its first lines, a paragraph kept whole
by orphans and widows, or a long note kept with its call can leave several lines empty. Here,
once WeasyPrint has laid out such a page, the space left is shared out between its blocks, as
TeX's flush bottom does: more before a heading, nothing after one (a heading stays with its
text), nothing inside a figure, a box kept whole, or columns. Only boxes move; no line changes.
Pages that end an article (a forced break, the end of the document) keep their natural height;
no gap opens by more than `MAX_UNIT`.

A theme turns it off with `--page-bottom: ragged` on the root element.
"""

from __future__ import annotations

import functools
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import page

BOTTOM_PROPERTY = "__page_bottom"  # `--page-bottom` as WeasyPrint stores custom properties
MAX_UNIT = 12 / 0.75
"""At most this much (12pt, in CSS pixels) more space per unit of weight: between paragraphs, a
little less than a line; before a heading, twice that. A gap larger than these allow is only
narrowed: wider spacing would show more than the gap does."""
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _ragged(root: Any) -> bool:
    return any(getattr(token, "value", None) == "ragged" for token in root.style[BOTTOM_PROPERTY] or [])


def _stacks(box: Any) -> bool:
    """Whether `box` stacks block children that may move apart (a plain block of blocks)."""
    return (
        isinstance(box, boxes.BlockBox)
        and bool(box.children)
        and box.element_tag != "figure"
        and box.style["break_inside"] not in ("avoid", "avoid-page")
        and box.style["column_width"] == "auto"
        and box.style["column_count"] == "auto"
        and all(isinstance(child, boxes.BlockLevelBox) and not child.is_column for child in box.children)
    )


def _bottom(box: Any) -> float:
    """The lowest edge of what `box` shows: its last line or leaf box, not a height stretched to the page foot."""
    if isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox) and box.children:
        inner = max((_bottom(child) for child in box.children), default=0.0)
        return float(inner + box.padding_bottom + box.border_bottom_width)
    return float(box.position_y + box.margin_height() - box.margin_bottom)


def _weight(before: Any, after: Any) -> float:
    if before.element_tag in _HEADINGS or not before.height or not after.height:
        return 0.0
    return 2.0 if after.element_tag in _HEADINGS else 1.0


def _weights(box: Any) -> float:
    if not _stacks(box):
        return 0.0
    own = sum(_weight(a, b) for a, b in zip(box.children, box.children[1:]))
    return own + sum(_weights(child) for child in box.children)


def _spread(box: Any, offset: float, unit: float) -> float:
    """Move `box` down by `offset` and open its gaps by `unit` per weight; return how much it grew."""
    if not _stacks(box):
        box.translate(dy=offset)
        return 0.0
    box.position_y += offset
    shift = offset
    for i, child in enumerate(box.children):
        if i:
            shift += unit * _weight(box.children[i - 1], child)
        shift += _spread(child, shift, unit)
    box.height += shift - offset
    return shift - offset


def fill_page(context: Any, root: Any) -> None:
    """Spread the space left at the foot of the page over the gaps between its blocks."""
    gap = context.page_bottom - _bottom(root)
    weights = _weights(root)
    if gap > 0 and weights:
        _spread(root, 0.0, min(gap / weights, MAX_UNIT))


def _make_page(original: Any) -> Any:
    @functools.wraps(original)
    def make_page(context: Any, root_box: Any, page_type: Any, *args: Any) -> Any:
        made = original(context, root_box, page_type, *args)
        laid, resume_at, next_page = made
        if resume_at is not None and next_page["break"] == "any" and not page_type.blank and not _ragged(root_box):
            fill_page(context, laid.children[0])
        return made

    return make_page


def install() -> None:
    """Patch WeasyPrint's page maker (called once, by `layout.compat`, after the figure floats')."""
    page.make_page = _make_page(page.make_page)
