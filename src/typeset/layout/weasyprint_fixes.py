"""Work-arounds for WeasyPrint bugs that would damage an issue, applied once at import.

Each fix names the WeasyPrint version it was found in; remove it when upstream fixes the bug.
"""

from __future__ import annotations

from typing import Any

import weasyprint
from weasyprint.layout import block


def _keep_footnotes_of_kept_lines() -> None:
    """WeasyPrint 70 drops a footnote whose call sits on a line kept on the page by orphans/widows.

    When such a line overflows, `_linebox_layout` moves earlier footnotes to the next page to
    make room and keeps the line, but returns before handling the line's own footnotes: the
    call is printed and the note never is. We move any such note to the next page, where the
    page maker places reported footnotes first (as it would have done itself).
    """
    original = block._linebox_layout

    def linebox_layout(context: Any, box: Any, index: Any, child: Any, new_children: list[Any], *args: Any) -> Any:
        result = original(context, box, index, child, new_children, *args)
        abort, stop, _, _, new_footnotes, _ = result
        if stop and not abort and new_children and context.footnotes:
            for descendant in new_children[-1].descendants():
                note = descendant.footnote
                if note is not None and note in context.footnotes:
                    context.footnotes.remove(note)
                    context.reported_footnotes.append(note)
                    new_footnotes.append(note)
        return result

    block._linebox_layout = linebox_layout


if weasyprint.__version__.split(".")[0] in {"66", "67", "68", "69", "70"}:
    _keep_footnotes_of_kept_lines()
