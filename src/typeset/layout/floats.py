"""Figures that float to the top of the next page, as in a real layout engine, inside WeasyPrint's pagination.

WeasyPrint has no page floats: a figure (kept whole by `break-inside: avoid`) that does not fit
the rest of a page moves to the next one with everything after it, and leaves a hole. Here such a
figure waits instead: the text after it goes on filling the page, and the figure is set at the top
of the next page, before the text that continues there. So a figure never comes before the text
written before it, never more than one page after it, and keeps its caption (it is one box).

How, in WeasyPrint's terms (installed once by `layout.compat`, for whole documents and parts
alike, so parts still match the single-document layout):

- `_in_flow_layout` is where a block child of the text is placed. For a figure that does not fit
  (measured by laying it out alone, then undoing what that did), the child is skipped and put on
  the page's waiting list; a later figure of the same page waits too, so figures keep their order.
- `make_page` lays the page out; the figures still waiting behind the point where the next page
  resumes are handed to that page. A page that ends an article (the end of the document or a
  forced break) cannot send figures on, nor one whose figures would not fit on the next page
  together: it is laid out again with figures in the flow, as WeasyPrint places them.
- At the top of the next page, where `make_page` lays out the root box, the waiting figures are
  laid out first, in a block of their own, and the flow starts below them; that block joins the
  page's boxes (drawn, with its anchors and bookmarks, as any other).

A theme turns floating off with `--figure-float: none` on `figure` (or on an ancestor).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from math import inf
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, page

FLOAT_PROPERTY = "__figure_float"  # `--figure-float` as WeasyPrint stores custom properties
TOP_SHARE = 0.7
"""At most this share of a page's height for the figures that wait for its top: the rest is for text."""


@dataclass
class _Floats:
    """What floating knows during one document's layout, by page number."""

    waiting: dict[int, list[tuple[Any, float]]] = field(default_factory=dict)
    """Figures (box, height) that did not fit on the page and wait for the next."""
    top: dict[int, list[Any]] = field(default_factory=dict)
    """Figures set at the top of the page."""
    in_flow: set[int] = field(default_factory=set)
    """Pages laid out with every figure in the flow (they end an article, or their figures would crowd the next page)."""
    crowded: set[int] = field(default_factory=set)
    """Pages whose waiting figures and the next figure would not fit on one page together."""


def _floats(context: Any) -> _Floats:
    state = getattr(context, "typeset_floats", None)
    if state is None:
        state = context.typeset_floats = _Floats()
    return state


def floats(box: Any) -> bool:
    """Whether `box` is a figure that may float (the theme did not say `--figure-float: none`)."""
    if box.element_tag != "figure":
        return False
    tokens = box.style[FLOAT_PROPERTY] or []
    return not any(getattr(token, "value", None) == "none" for token in tokens)


def _measure(context: Any, parent: Any, child: Any, position_y: float, adjoining_margins: list[float]) -> tuple[float, float]:
    """(bottom of the child's border box, its height without top margin) laid out whole from `position_y`.

    The layout is undone: notes its caption calls go back to the waiting list, positions are restored.
    """
    footnotes = list(context.footnotes), list(context.current_page_footnotes), list(context.reported_footnotes)
    position = child.position_x, child.position_y
    laid = block.block_level_layout(context, child, -inf, None, parent, False, [], [], list(adjoining_margins))[0]
    child.position_x, child.position_y = position
    if (context.footnotes, context.current_page_footnotes, context.reported_footnotes) != footnotes:
        context.footnotes[:], context.current_page_footnotes[:], context.reported_footnotes[:] = footnotes
        context._update_footnote_area()  # only then: an area emptied keeps its margin (WeasyPrint 70)
    return laid.border_box_y() + laid.border_height(), laid.margin_height() - laid.margin_top


def _in_flow_layout(original: Any) -> Any:
    @functools.wraps(original)
    def in_flow_layout(context: Any, box: Any, index: int, child: Any, new_children: list[Any], page_is_empty: bool, *args: Any) -> Any:
        state = _floats(context)
        number = context.current_page
        if (page_is_empty and not new_children) or not floats(child) or number in state.in_flow or context.in_column:
            return original(context, box, index, child, new_children, page_is_empty, *args)
        _, _, adjoining_margins, bottom_space, position_y, skip_stack, *_, next_page, max_lines = args
        if skip_stack is not None:
            return original(context, box, index, child, new_children, page_is_empty, *args)
        waiting = state.waiting.setdefault(number, [])
        bottom, height = _measure(context, box, child, position_y, adjoining_margins)
        if not waiting and not context.overflows_page(bottom_space, bottom):
            return original(context, box, index, child, new_children, page_is_empty, *args)
        page_height = context.current_footnote_area.page.height
        if sum(h for _, h in waiting) + height <= page_height * TOP_SHARE:
            waiting.append((child, height))
            return False, False, None, position_y, adjoining_margins, next_page, new_children, max_lines
        if waiting and new_children and sum(h for _, h in waiting) + height <= page_height:
            # It cannot wait, nor go before those that do: it starts the next page, under them.
            return False, True, {index: None}, position_y, adjoining_margins, next_page, new_children, max_lines
        if waiting:
            state.crowded.add(number)  # the figures cannot all go on the next page: lay this one out again, in the flow
        return original(context, box, index, child, new_children, page_is_empty, *args)

    return in_flow_layout


def _path(root: Any, target: Any) -> list[int] | None:
    """Child indexes from `root` down to `target`, or None if it is not in the tree."""
    if root is target:
        return []
    for i, child in enumerate(getattr(root, "children", ())):
        found = _path(child, target)
        if found is not None:
            return [i, *found]
    return None


def _before(path: list[int], resume_at: dict[int, Any] | None) -> bool:
    """Whether the box at `path` lies wholly before where the next page resumes."""
    for step in path:
        if not resume_at:
            return False
        (index, resume_at), *_ = resume_at.items()
        if step != index:
            return step < index
    return False


def _restore(target: Any, saved: Any) -> None:
    """Put the contents of `saved` (a deep copy) back into the mutable containers of `target`."""
    for now, then in zip(target, saved, strict=True):
        if isinstance(now, list):
            now[:] = then
        elif isinstance(now, dict):
            now.clear()
            now.update(then)
        else:
            _restore(now, then)


def _make_page(original: Any) -> Any:
    @functools.wraps(original)
    def make_page(context: Any, root_box: Any, page_type: Any, resume_at: Any, page_number: int, page_state: Any) -> Any:
        state = _floats(context)
        saved = (copy.deepcopy(page_state), list(context.footnotes), list(context.reported_footnotes), dict(context.broken_out_of_flow))
        state.waiting[page_number] = []
        made = original(context, root_box, page_type, resume_at, page_number, page_state)
        _, next_resume_at, next_page = made
        ends_article = next_resume_at is None or next_page["break"] != "any"
        if state.waiting[page_number] and (ends_article or page_number in state.crowded):
            # Its figures have no next page to go to (it ends the article), or would not fit on it.
            _restore(page_state, saved[0])
            context.footnotes[:], context.reported_footnotes[:] = saved[1], saved[2]
            context.broken_out_of_flow = saved[3]
            state.in_flow.add(page_number)
            state.waiting[page_number] = []
            made = original(context, root_box, page_type, resume_at, page_number, page_state)
            _, next_resume_at, next_page = made
        figures = [box for box, _ in state.waiting[page_number]]
        state.top[page_number + 1] = [box for box in figures if _before(_path(root_box, box) or [], next_resume_at)]
        return made

    return make_page


def _block_level_layout(original: Any) -> Any:
    """Lays out the figures waiting for this page at its top, then the flow below them (see the module's docstring)."""

    @functools.wraps(original)
    def block_level_layout(context: Any, box: Any, bottom_space: float, skip_stack: Any, containing_block: Any, *args: Any, **kwargs: Any) -> Any:
        figures = _floats(context).top.get(context.current_page) if box.is_for_root_element else None
        if not figures:
            return original(context, box, bottom_space, skip_stack, containing_block, *args, **kwargs)
        area = boxes.BlockBox.anonymous_from(box, list(figures))
        area.style = area.style.copy()
        area.style["break_inside"] = "avoid"  # one block: nothing moves the figures apart (see `layout.flush`)
        area.position_x, area.position_y = box.position_x, box.position_y
        top, _, _, adjoining_margins, _, _ = original(context, area, 0, None, containing_block, True, [], [], [])
        box.position_y = top.position_y + top.margin_height() + block.collapse_margin(adjoining_margins)
        result = original(context, box, bottom_space, skip_stack, containing_block, *args, **kwargs)
        if result[0] is not None:
            result[0].children.insert(0, top)
        return result

    return block_level_layout


def install() -> None:
    """Patch WeasyPrint's layout (called once, by `layout.compat`)."""
    block._in_flow_layout = _in_flow_layout(block._in_flow_layout)
    page.make_page = _make_page(page.make_page)
    page.block_level_layout = _block_level_layout(page.block_level_layout)
