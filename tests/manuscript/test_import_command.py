"""`import`: a Word manuscript → an article that builds, its notes as citations, and a clear error for any bad file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from manuscripts import as_endnotes, docx
from PIL import Image
from readback import cites_of, read_note

from typeset.cli import main
from typeset.manuscript import article
from typeset.pipeline import prepare

MANUSCRIPT = """\
---
title: A Tested *Manuscript*
author: [Ann Author, Bob Writer]
---

# Key Takeaways

- Children volunteer when they see no other way.^[Rachel Brett, 'Adolescents Volunteering for Armed Forces or Armed Groups' (2003) 85 IRRC 852, 861.]

# The First Section

Text with *emphasis*, **strength** and a [link](https://example.org/page).^[Ibid, pg. 862.] A remark.^[The author saw this herself in 2023.]

## A Sub-section

1. first
2. second

| Year | Cases |
|------|-------|
| 2022 | 257   |
| 2023 | 342   |

![](fig.png)

Figure 1: A grey panel. Source: Test Press, 2024

### A Third Level

Cited again.^[See Brett (n 1) 860–862.] And another source.^[ICRC, *Children Associated with Armed Forces or Armed Groups* (ICRC 2013) 1–3.]

# Recommendations

- Keep children in school.^[Ibid 2.]
"""


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, ["import", *args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def manuscript(tmp_path: Path) -> Path:
    Image.new("RGB", (2400, 1600), "grey").save(tmp_path / "fig.png")
    return docx(MANUSCRIPT, tmp_path / "manuscript.docx")


def imported(root: Path) -> dict[str, object]:
    (path,) = [p for p in (root / "articles").glob("*.yaml") if p.name != "one.yaml"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_word_manuscript_becomes_an_article_that_checks_clean(manuscript: Path, minimal: Path) -> None:
    result = run(str(manuscript), str(minimal))
    assert result.exit_code == 0, result.output
    data = imported(minimal)
    assert data["title"] == "A Tested Manuscript"
    assert data["authors"] == ["Ann Author", "Bob Writer"]
    body = str(data["body"])
    assert "## The First Section" in body and "### A Sub-section" in body and "#### A Third Level" in body
    assert "*emphasis*" in body and "**strength**" in body and "[link](https://example.org/page)" in body
    assert "1. first\n2. second" in body
    assert "| Year | Cases |\n|---|---|\n| 2022 | 257 |" in body
    assert "^[The author saw this herself in 2023.]" in body
    assert "[@brett-2003, 862]" in body and "[See @brett-2003, 860–862]" in body and "[@icrc-2013, 1–3]" in body
    assert data["key_takeaways"] == ["Children volunteer when they see no other way.[@brett-2003, 861]"]
    assert data["recommendations"] == ["Keep children in school.[@icrc-2013, 2]"]
    (figure,) = [line for line in body.splitlines() if line.startswith("![")]
    image = figure[figure.index("](") + 2 : figure.index(")")]
    assert figure == f'![A grey panel]({image}){{credit="Test Press, 2024"}}'
    assert Image.open(minimal / image).size == (2400, 1600)
    assert f"- articles/{imported_name(minimal)}" in (minimal / "issue.yaml").read_text(encoding="utf-8")
    checked = prepare(minimal)
    assert not checked.errors, [d.text() for d in checked.errors]
    assert [d.code for d in checked.diagnostics] == ["image.no-alt"]


def imported_name(root: Path) -> str:
    return next(p.name for p in (root / "articles").glob("*.yaml") if p.name != "one.yaml")


def test_the_table_lists_every_note_by_number(manuscript: Path, minimal: Path) -> None:
    lines = run(str(manuscript), str(minimal)).output.splitlines()
    rows = {int(line.split()[0]): line.split()[1] for line in lines if line.strip()[:1].isdigit()}
    assert rows == {1: "matched", 2: "matched", 3: "unmatched", 4: "matched", 5: "matched", 6: "matched"}
    assert "notes: 6; 5 matched, 0 partial, 0 ambiguous, 1 unmatched" in lines


def test_endnotes_are_notes_too(manuscript: Path, minimal: Path, tmp_path: Path) -> None:
    endnotes = as_endnotes(manuscript, tmp_path / "endnotes.docx")
    assert "word/endnotes.xml" in zipfile.ZipFile(endnotes).namelist()
    assert run(str(endnotes), str(minimal)).exit_code == 0
    body = str(imported(minimal)["body"])
    assert "[@brett-2003, 862]" in body and "^[The author saw this herself in 2023.]" in body


def test_an_article_is_not_overwritten_unless_asked(manuscript: Path, minimal: Path) -> None:
    assert run(str(manuscript), str(minimal)).exit_code == 0
    again = run(str(manuscript), str(minimal))
    assert again.exit_code == 1 and "error[import.exists]" in again.output
    assert run(str(manuscript), str(minimal), "--overwrite").exit_code == 0


BIB = """@article{brett2003,
  author = {Brett, Rachel},
  title = {Adolescents Volunteering for Armed Forces or Armed Groups},
  journal = {International Review of the Red Cross},
  volume = {85}, pages = {852--870}, year = {2003}
}
"""
RIS = "TY  - JOUR\nID  - brett2003\nAU  - Brett, Rachel\nTI  - Adolescents Volunteering for Armed Forces or Armed Groups\nT2  - International Review of the Red Cross\nVL  - 85\nSP  - 852\nPY  - 2003\nER  - \n"
CSL_JSON = json.dumps(
    [
        {
            "id": "brett2003",
            "type": "article-journal",
            "author": [{"family": "Brett", "given": "Rachel"}],
            "title": "Adolescents Volunteering for Armed Forces or Armed Groups",
            "issued": {"date-parts": [[2003]]},
        }
    ]
)


@pytest.mark.parametrize(("name", "content"), [("refs.bib", BIB), ("refs.ris", RIS), ("refs.json", CSL_JSON)])
def test_a_library_given_with_refs_is_converted_to_csl_yaml_and_used(tmp_path: Path, name: str, content: str) -> None:
    root = tmp_path / "folder"
    root.mkdir()
    (tmp_path / name).write_text(content, encoding="utf-8")
    note = "Rachel Brett, 'Adolescents Volunteering for Armed Forces or Armed Groups' (2003) 85 IRRC 852, 861."
    source = docx(f"# An Article\n\nA claim.^[{note}]\n", tmp_path / "m.docx")
    result = run(str(source), str(root), "--refs", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    data = imported(root)
    assert data["references"] == ["references/01-an-article.yaml"]
    library = yaml.safe_load((root / "references" / "01-an-article.yaml").read_text(encoding="utf-8"))
    (item,) = library["references"]
    assert (item["id"], item["title"].casefold()) == (
        "brett2003",
        "adolescents volunteering for armed forces or armed groups",
    )  # pandoc sentence-cases BibTeX titles
    (cite,) = cites_of(read_note(str(data["body"]).split("A claim.")[1].strip()))
    assert (cite.id, cite.locator) == ("brett2003", "861")


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code", "rule"),
    [
        ("empty.docx", b"", 1, "import.empty"),
        ("noise.docx", b"\x00\xffnot a zip at all" * 100, 1, "import.unreadable"),
        ("other.docx", _zip({"hello.txt": b"hi"}), 1, "import.unreadable"),
        ("broken.docx", _zip({"word/document.xml": b"<w:document><w:body><w:p>"}), 1, "import.unreadable"),
        ("notes.pdf", b"%PDF-1.4", 2, "import.format"),
        ("text.odt", b"not an odt", 1, "import.unreadable"),
    ],
)
def test_a_bad_file_is_one_clear_error(tmp_path: Path, minimal: Path, name: str, content: bytes, code: int, rule: str) -> None:
    (tmp_path / name).write_bytes(content)
    result = run(str(tmp_path / name), str(minimal))
    assert result.exit_code == code, result.output
    assert f"error[{rule}]" in result.output and name in result.output
    assert sorted(p.name for p in (minimal / "articles").iterdir()) == ["one.yaml"]


def test_a_truncated_word_file_is_one_clear_error(manuscript: Path, minimal: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.docx"
    data = manuscript.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    result = run(str(cut), str(minimal))
    assert result.exit_code == 1 and "error[import.unreadable]" in result.output


def test_a_manuscript_without_text_is_refused(tmp_path: Path, minimal: Path) -> None:
    empty = docx("", tmp_path / "blank.docx")
    result = run(str(empty), str(minimal))
    assert result.exit_code == 1 and "error[import.empty]" in result.output


def test_a_missing_file_is_a_usage_error(tmp_path: Path, minimal: Path) -> None:
    result = run(str(tmp_path / "absent.docx"), str(minimal))
    assert result.exit_code == 2 and "error[file.missing]" in result.output


def test_a_zip_bomb_and_a_huge_file_are_refused_before_pandoc_reads_them(manuscript: Path, minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(article, "MAX_UNPACKED", 1000)
    result = run(str(manuscript), str(minimal))
    assert result.exit_code == 1 and "error[import.too-large]" in result.output and "unpacks to more than" in result.output
    monkeypatch.setattr(article, "MAX_BYTES", 1000)
    result = run(str(manuscript), str(minimal))
    assert result.exit_code == 1 and "error[import.too-large]" in result.output


def test_markdown_and_html_manuscripts_are_read_too(tmp_path: Path, minimal: Path) -> None:
    (tmp_path / "m.md").write_text(
        "# From Markdown\n\nA claim.[^1]\n\n[^1]: ICRC, 'Children Associated with Armed Forces or Armed Groups' (ICRC 2013) 2.\n", encoding="utf-8"
    )
    (tmp_path / "h.html").write_text("<h1>From HTML</h1><p>Some <em>text</em> &amp; more.</p>", encoding="utf-8")
    assert run(str(tmp_path / "m.md"), str(minimal)).exit_code == 0
    assert "A claim.[@icrc-2013, 2]" in str(yaml.safe_load((minimal / "articles" / "01-from-markdown.yaml").read_text(encoding="utf-8"))["body"])
    assert run(str(tmp_path / "h.html"), str(minimal)).exit_code == 0
    assert yaml.safe_load((minimal / "articles" / "02-from-html.yaml").read_text(encoding="utf-8"))["body"] == "Some *text* & more.\n"
