"""`notes: footnotes` puts each note at the foot of the page of its call, linked both ways."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO
from pdfread import internal_links, page_texts

from typeset.pipeline import build


def test_footnotes_sit_on_the_page_of_their_call(minimal: Path, tmp_path: Path) -> None:
    text = (minimal / "issue.yaml").read_text()
    (minimal / "issue.yaml").write_text(text.replace("  style: oscola", "  style: oscola\n  notes: footnotes"))
    built = build(minimal, tmp_path / "out")
    links = internal_links(built.pdf)
    calls = {name: (src, dst) for src, name, dst in links}
    for i in range(1, 6):
        src, dst = calls[f"a1-n{i}"]
        assert src == dst, f"note {i} is on page {dst}, its call on page {src}"
        assert f"a1-nc{i}" in calls
    texts = page_texts(built.pdf)
    assert not any("Notes" in t.split() for t in texts), "footnote mode printed an endnotes section"
    assert "Brett" in texts[calls["a1-n1"][1] - 1]


def test_sample_in_footnote_mode_loses_no_note(tmp_path: Path) -> None:
    """Every note of the sample reaches the foot of its call's page, or the next one when a
    line kept by orphans/widows leaves no room (the WeasyPrint work-around in layout.compat)."""
    issue = tmp_path / "issue"
    shutil.copytree(REPO / "issue", issue)
    text = (issue / "issue.yaml").read_text()
    (issue / "issue.yaml").write_text(text.replace("  notes: endnotes", "  notes: footnotes"))
    built = build(issue, tmp_path / "out")
    assert not [d for d in built.diagnostics if d.code == "render.note-lost"]
    calls = {name: (src, dst) for src, name, dst in internal_links(built.pdf)}
    for article in built.issue.articles:
        for note in article.notes:
            src, dst = calls[f"{article.slug}-n{note.number}"]
            assert dst in (src, src + 1), f"{article.slug} note {note.number}: call on page {src}, note on {dst}"
    moved = [n for n, (s, d) in calls.items() if "-n" in n and "-nc" not in n and s != d]
    assert len(moved) <= 5, moved
