"""`notes: footnotes` puts each note at the foot of the page of its call, linked both ways."""

from __future__ import annotations

from pathlib import Path

from pdfread import internal_links, page_texts

from typeset.pipeline import Built, build


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


def test_sample_in_footnote_mode_puts_every_note_on_its_call_page(sample_footnotes_build: Built) -> None:
    """Every note of the sample at the foot of its call's page, a line kept by orphans/widows included
    (WeasyPrint sent such notes to the next page: see layout.compat)."""
    built = sample_footnotes_build
    assert not [d for d in built.diagnostics if d.code == "render.note-lost"]
    calls = {name: (src, dst) for src, name, dst in internal_links(built.pdf)}
    notes = [f"{a.slug}-n{n.number}" for a in built.issue.articles for n in a.notes]
    assert len(notes) == 264
    assert {name: calls[name] for name in notes if calls[name][0] != calls[name][1]} == {}
