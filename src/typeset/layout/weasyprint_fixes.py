"""Work-arounds for WeasyPrint bugs that would damage an issue, applied once at import.

Each fix names the WeasyPrint version it was found in; remove it when upstream fixes the bug.
"""

from __future__ import annotations

from typing import Any

import weasyprint
from weasyprint.layout import block


def _keep_notes_with_their_calls() -> None:
    """WeasyPrint 70 sends page-foot notes to the next page to keep a line that orphans require.

    When the line that completes a paragraph's `orphans` overflows, `_linebox_layout` moves the
    notes of earlier lines to the next page to make room, keeps the line, and returns before
    handling that line's own notes (the call is printed and the note never is). A note belongs on
    the page of its call: here the paragraph goes to the next page instead, with its notes, as it
    would had orphans not applied, and the notes moved come back. Only the first paragraph of a
    page must stay whatever happens; its kept line's notes then go to the next page, where the
    page maker sets reported notes first, so none is lost.
    """
    original = block._linebox_layout

    def linebox_layout(context: Any, box: Any, index: Any, child: Any, new_children: list[Any], page_is_empty: bool, *args: Any) -> Any:
        before = list(context.footnotes), list(context.current_page_footnotes), list(context.reported_footnotes)
        kept = len(new_children)
        result = original(context, box, index, child, new_children, page_is_empty, *args)
        abort, stop, _, position_y, new_footnotes, max_lines = result
        if not stop or abort or not new_children:
            return result
        moved = [note for note in context.reported_footnotes if note not in before[2]]
        if moved and not page_is_empty:
            absolute_boxes, fixed_boxes = args[0], args[1]
            block.remove_placeholders(context, new_children[kept:], absolute_boxes, fixed_boxes)
            del new_children[kept:]
            context.footnotes[:], context.current_page_footnotes[:], context.reported_footnotes[:] = before
            context._update_footnote_area()
            return True, False, None, position_y, [], max_lines
        for descendant in new_children[-1].descendants():
            note = descendant.footnote
            if note is not None and note in context.footnotes:
                context.footnotes.remove(note)
                context.reported_footnotes.append(note)
                new_footnotes.append(note)
        return result

    block._linebox_layout = linebox_layout


if weasyprint.__version__.split(".")[0] in {"66", "67", "68", "69", "70"}:
    _keep_notes_with_their_calls()
