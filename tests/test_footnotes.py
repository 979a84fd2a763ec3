"""`notes: footnotes` puts each note at the foot of the page of its call, linked both ways."""

from __future__ import annotations

from pathlib import Path

from pdfread import internal_links, page_texts
from typeset.build import build


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
