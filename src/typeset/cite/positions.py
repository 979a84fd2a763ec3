"""Cite positions over a run of notes → first / subsequent / ibid / ibid-with-locator, near-note, (n N).

citeproc-py treats each citation on its own and compares locators as objects; we compute the
positions ourselves, in note order, the way CSL 1.0.2 and citeproc-js define them, and hand
them to the style as plain data (see `cite.style.CiteItem`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Position = Literal["first", "subsequent", "ibid", "ibid-with-locator"]


@dataclass(frozen=True)
class CiteKey:
    """What decides a cite's position: the source and where in it (locator with its label)."""

    id: str
    locator: str = ""
    label: str = ""


@dataclass(frozen=True)
class Placed:
    """A cite's computed position, as the style's `<if position>` and variables read it."""

    position: Position
    near_note: bool
    first_note: int  # note number of the first cite of this source; 0 on the first cite


def compute_positions(clusters: Iterable[tuple[int, Sequence[CiteKey]]], near_note_distance: int = 5) -> list[tuple[Placed, ...]]:
    """Positions for each cite of each cluster, given clusters as (note number, cites) in document order.

    Several clusters may share a note number (a prose note with two brackets). A cluster is
    "ibid" of the previous one only when that one is in the same or the immediately preceding
    note and cites a single source (CSL spec; citeproc-js's test
    integration_SubsequentWhenInterveningFootnote): an intervening note of prose breaks ibid.
    """
    first_note: dict[str, int] = {}
    last_note: dict[str, int] = {}
    prev_cites: Sequence[CiteKey] = ()
    prev_note = -10
    out: list[tuple[Placed, ...]] = []
    for note, cites in clusters:
        placed: list[Placed] = []
        for j, cite in enumerate(cites):
            if cite.id not in first_note:
                placed.append(Placed("first", False, 0))
                first_note[cite.id] = note
            else:
                before: CiteKey | None = None
                if j > 0:
                    before = cites[j - 1]
                elif len(prev_cites) == 1 and note - prev_note <= 1:
                    before = prev_cites[0]
                near = note - last_note[cite.id] <= near_note_distance
                placed.append(Placed(_repeat_position(cite, before), near, first_note[cite.id]))
            last_note[cite.id] = note
        out.append(tuple(placed))
        if cites:
            prev_cites, prev_note = cites, note
    return out


def _repeat_position(cite: CiteKey, before: CiteKey | None) -> Position:
    """The position of a source cited before, given the cite right before it (if it may be ibid)."""
    if before is None or before.id != cite.id:
        return "subsequent"
    here = (cite.locator, cite.label)
    there = (before.locator, before.label)
    if not cite.locator:
        return "ibid" if not before.locator else "subsequent"
    return "ibid" if here == there else "ibid-with-locator"
