"""Word manuscripts for the tests, made by pandoc from Markdown (`^[...]` makes real Word footnotes)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from typeset.manuscript.pandoc import run_pandoc


def docx(markdown: str, target: Path, resources: Path | None = None) -> Path:
    """A .docx of `markdown`; images are read from `resources` (default: the target's folder)."""
    source = target.with_suffix(".md")
    source.write_text(markdown, encoding="utf-8")
    run_pandoc(["-f", "markdown", "-t", "docx", f"--resource-path={resources or target.parent}", "-o", str(target), str(source)], source, sandbox=False)
    return target


def as_endnotes(source: Path, target: Path) -> Path:
    """The same document with its footnotes made endnotes (Word keeps them in word/endnotes.xml)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                data = data.decode("utf-8").replace("footnote", "endnote").replace("Footnote", "Endnote").encode("utf-8")
            zout.writestr(info.filename.replace("footnotes", "endnotes"), data)
    return target
