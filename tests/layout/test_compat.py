"""The WeasyPrint patches of `layout.compat` fit the installed WeasyPrint, and the declared range is the one checked.

`.ci/run` runs tests/layout on the lowest WeasyPrint pyproject.toml allows as well: a patched
internal that changed shape at either end of the range fails here, by name.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from weasyprint.images import RasterImage
from weasyprint.layout import block

from typeset.layout import compat
from typeset.layout.document import write_pdf
from typeset.pipeline import prepare, render_diagnostic
from typeset.theme import find_theme

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("patch", compat.PATCHES, ids=[p.name for p in compat.PATCHES])
def test_each_patched_internal_has_the_shape_the_patch_was_written_for(patch: compat.Patch) -> None:
    assert patch.fits(), f"WeasyPrint {weasyprint.__version__} changed {patch.target}: check the patch '{patch.name}' again"
    assert patch.checked_on == compat.CHECKED_ON


def test_a_changed_internal_no_longer_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks can fail: an internal with another signature, or no longer a static method, does not fit."""

    def linebox_layout(context: Any, box: Any, index: Any) -> Any:
        return None

    monkeypatch.setattr(block, "_linebox_layout", linebox_layout)
    monkeypatch.setattr(RasterImage, "_get_png_data", lambda self, image: b"")
    assert not compat.PATCHES[0].fits() and not compat.PATCHES[1].fits()


def test_install_applies_every_patch_once() -> None:
    applied = compat.install()
    wrapped = block._linebox_layout
    assert applied == tuple(p.name for p in compat.PATCHES)
    assert compat.install() == applied and block._linebox_layout is wrapped
    assert wrapped.__wrapped__ is not wrapped and not hasattr(wrapped.__wrapped__, "__wrapped__")


def test_the_declared_weasyprint_range_is_the_checked_one() -> None:
    """pyproject.toml allows WeasyPrint from the oldest version checked up to the next major after the newest."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    [spec] = [d for d in project["dependencies"] if d.startswith("weasyprint")]
    low, high = re.fullmatch(r"weasyprint>=([\d.]+),<(\d+)", spec).groups()  # type: ignore[union-attr]
    assert low == compat.CHECKED_ON[0]
    assert int(high) == int(compat.CHECKED_ON[-1].split(".")[0]) + 1
    assert weasyprint.__version__.split(".")[0] in {v.split(".")[0] for v in compat.CHECKED_ON}


def test_a_lost_note_is_reported_at_its_source() -> None:
    """WeasyPrint says a note was dropped only in a log message about its missing anchor: a note call
    whose note is not laid out must come back as `render.note-lost`, at the note, on this WeasyPrint."""
    checked = prepare(REPO / "tests" / "roots" / "minimal")
    article = checked.issue.articles[0]
    html = f'<p>A claim.<a class="note-call" href="#{article.slug}-n2">2</a></p>'
    _, _, warnings = write_pdf(html, checked.issue.root, find_theme("default", checked.issue.root))
    diagnostics = [render_diagnostic(checked.issue, w) for w in warnings]
    assert [(d.code, d.pos) for d in diagnostics] == [("render.note-lost", article.notes[1].pos)]
