"""Read an imported note back the way `folio build` will: the content format's own Markdown parser."""

from __future__ import annotations

from pathlib import Path

import yaml

from typeset.load.markdown import new_parser, note_parts
from typeset.manuscript.match import Library
from typeset.model import Cite, Cluster, NotePart, SourcePos

REPO = Path(__file__).resolve().parents[2]
_HERE = SourcePos(Path("note"))


def sample_items() -> list[dict[str, object]]:
    """The sample issue's 197 CSL items: the library the tests match notes against."""
    items = []
    for path in sorted((REPO / "issue" / "references").glob("*.yaml")):
        items += yaml.safe_load(path.read_text(encoding="utf-8"))["references"]
    return items


def sample_library() -> Library:
    return Library(sample_items())


def read_note(markdown: str) -> tuple[NotePart, ...]:
    """The parts (prose and citation clusters) of the one note in `markdown`, as the loader reads them."""
    tokens = new_parser().parse("Text" + markdown)
    notes = [t for block in tokens for t in block.children or [] if t.type in ("cite_note", "text_note")]
    assert len(notes) == 1, f"{markdown!r} holds {len(notes)} notes"
    return note_parts(notes[0], lambda _: _HERE)


def cites_of(parts: tuple[NotePart, ...]) -> list[Cite]:
    return [c for p in parts if isinstance(p, Cluster) for c in p.cites]
