"""Issues, reports and single articles from one model: `folio new` folders and the seed examples
check clean and build, and their PDFs print every field they name and no field left empty."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import REPO
from pdfread import outline, page_texts

from typeset.check.text import theme_characters
from typeset.cli import main
from typeset.load.json_schema import json_schema
from typeset.model import KINDS
from typeset.pipeline import Built, build, prepare
from typeset.scaffold import new_publication
from typeset.theme import find_theme

pytestmark = pytest.mark.slow

# A label the PDF prints only with its value after it: "ISSN 2989-3038", "Issue 8", "Cover photo: …".
EMPTY_LABELS = re.compile(r"\b(?:ISSN|ISBN|Issue)\b(?! ?[\d(])|(?:Cover photo|contact):\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def new_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Each kind as `folio new` writes it, built once."""
    built = {}
    for kind in KINDS:
        folder = tmp_path_factory.mktemp(f"new-{kind}")
        new_publication(folder / kind, kind)
        built[kind] = build(folder / kind, folder / "output")
    return built


@pytest.fixture(scope="module")
def example_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """The seed examples: a report (seed 001) and a comment printed as one article (seed 002)."""
    return {name: build(REPO / "examples" / name, tmp_path_factory.mktemp(name)) for name in ("report", "comment")}


def lines(built: Built) -> list[str]:
    """Every line of text on every page, as pdftotext-like extraction gives it."""
    return [line for page in pikepdf.open(built.pdf).pages for line in _page_lines(built.pdf, page.index)]


def _page_lines(pdf: Path, index: int) -> list[str]:
    from pypdf import PdfReader

    return (PdfReader(pdf).pages[index].extract_text() or "").splitlines()


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_folder_checks_clean_and_builds(new_builds: dict[str, Built], kind: str) -> None:
    built = new_builds[kind]
    assert prepare(built.issue.root).diagnostics == ()
    assert built.diagnostics == ()
    assert built.pages == {"issue": 6, "report": 6, "article": 1}[kind]  # a report's back cover on a left-hand page


@pytest.mark.parametrize("kind", KINDS)
def test_no_label_is_printed_without_its_value(new_builds: dict[str, Built], kind: str) -> None:
    text = "\n".join(lines(new_builds[kind]))
    assert EMPTY_LABELS.search(text) is None, EMPTY_LABELS.search(text)
    if kind != "issue":  # nothing of a periodical's on a report or an article
        assert "ISSN" not in text and not re.search(r"\bIssue\b", text)


def test_each_kind_has_the_pages_of_its_kind(new_builds: dict[str, Built]) -> None:
    issue, report, article = (page_texts(new_builds[k].pdf) for k in KINDS)
    assert issue[0].startswith("TITLE OF THE PERIODICAL") and "Issue 1" in issue[0]
    assert "Table of contents" in issue[2] and issue[-1].startswith("TITLE OF THE PERIODICAL")
    assert report[0].startswith("Title of the Report A subtitle") and "First Author, Second Author" in report[0]
    assert "Executive summary" in report[2] and not any("Table of contents" in p for p in report)  # one chapter, one section
    assert article[0].startswith("NAME OF THE MAGAZINE OR BLOG Title of the Article One or two sentences")


def test_every_heading_level_is_a_bookmark_nested_under_its_parent(new_builds: dict[str, Built]) -> None:
    entries = [(level, title) for level, title, _ in outline(new_builds["article"].pdf)]
    assert entries[:4] == [(1, "Title of the Article"), (2, "A section heading"), (3, "A sub-section"), (4, "A sub-sub-section")]


def test_list_styles_print_their_markers_in_the_theme_fonts(new_builds: dict[str, Built]) -> None:
    import pdfplumber

    with pdfplumber.open(new_builds["article"].pdf) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["fontname"])
    first = {w["text"]: w for w in words}
    for marker, item in (("a.", "first"), ("b.", "second"), ("✓", "done."), ("☐", "open.")):
        assert abs(first[marker]["top"] - first[item]["top"]) < 2 and first[marker]["x1"] < first[item]["x0"], marker  # before its item, on its line
    for theme in ("default", "modern"):  # each marker a list style prints is a glyph of the theme's fonts
        styled = find_theme(theme, REPO)
        markers = set("".join(re.findall(r'list-style-type:\s*"([^"]*)"', styled.css))) - {" "}
        assert markers == {"✓", "☐"} and markers <= theme_characters(tuple(styled.font_files())) | styled.borrowed_characters()
    html = new_builds["article"].html.read_text(encoding="utf-8")
    assert '<ol class="list-lower-alpha">' in html and '<li class="task-done">' in html and '<li class="task-open">' in html


def test_undated_report_carries_no_creation_date_and_no_invented_identifier(example_builds: dict[str, Built]) -> None:
    with pikepdf.open(example_builds["report"].pdf) as pdf:
        assert "/CreationDate" not in pdf.docinfo
        meta = pdf.open_metadata()
        assert "dc:identifier" not in meta and "xmp:CreateDate" not in meta
        assert "{http://prismstandard.org/namespaces/basic/2.0/}issn" not in meta
        assert str(pdf.docinfo.Title) == "Retreating Rights: Human rights in Kyrgyzstan, Tajikistan and Kazakhstan"


def test_seed_examples_build_clean(example_builds: dict[str, Built]) -> None:
    report, comment = example_builds["report"], example_builds["comment"]
    assert report.diagnostics == () and comment.diagnostics == ()
    pages = page_texts(report.pdf)
    assert pages[0].startswith("Retreating Rights Human rights in Kyrgyzstan") and "Foreign Policy Centre" in pages[0]
    contents = pages[2]
    assert "Key recommendations for Tajikistan, Kyrgyzstan and Kazakhstan" in contents  # a one-chapter report lists its sections
    text = " ".join(pages)
    assert text.count("✓") == 9 and all(f" {n}. " in text for n in ("a", "h", "i", "ii", "iii"))  # a check list, lettered and roman lists
    [page] = page_texts(comment.pdf)[:1]
    assert "COMMENT & ANALYSIS Central Asia needs a new approach to security" in page and "13 March 2023" in page
    assert "Figure 1: A security checkpoint in Almaty" in page and "(Sergey Ponomarev/The New York Times)" in page
    assert '<figure id="a1-fig1" class="no-image"><figcaption>' in comment.html.read_text(encoding="utf-8")  # framed, no <img>


def test_an_image_less_figure_is_framed_and_warned(tmp_path: Path) -> None:
    root = tmp_path / "comment"
    shutil.copytree(REPO / "examples" / "comment", root)
    issue = root / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").split("check:")[0], encoding="utf-8")  # no acceptance
    [diag] = prepare(root).diagnostics
    assert (diag.code, diag.severity, diag.pos.path.name, diag.pos.line) == ("image.none", "warning", "central-asia-security.yaml", 11)


def test_fields_of_another_kind_are_refused_by_loader_and_schema(tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    root = tmp_path / "report"
    new_publication(root, "report")
    issue = root / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + "issue:\n  number: 4\n  date: 2024-06\n", encoding="utf-8")
    [diag] = [d for d in prepare(root).diagnostics if d.severity == "error"]
    assert (diag.code, diag.message) == ("schema.wrong-kind", "'issue' belongs to kind: issue, and this is kind: report")
    import yaml

    assert list(Draft202012Validator(json_schema("issue")).iter_errors(yaml.safe_load(issue.read_text(encoding="utf-8").replace("2024-06", "'2024-06'"))))


def test_an_issue_still_needs_its_number(tmp_path: Path) -> None:
    root = tmp_path / "issue"
    new_publication(root, "issue")
    issue = root / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("  number: 1\n", ""), encoding="utf-8")
    assert [d.message for d in prepare(root).diagnostics] == ["issue is missing the required field 'number'"]
    issue.write_text(issue.read_text(encoding="utf-8").replace("  publisher: Name of the Publisher\n", ""), encoding="utf-8")
    assert "publication is missing the required field 'publisher' (required for kind: issue)" in [d.message for d in prepare(root).diagnostics]


def test_folio_new_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(tmp_path), "--kind", "report"])
    assert result.exit_code == 2 and (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
    made = CliRunner().invoke(main, ["new", str(tmp_path / "fresh"), "--kind", "article"])
    assert made.exit_code == 0 and (tmp_path / "fresh" / "issue.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=schema/issue.schema.json\n"
    )


def test_every_field_of_the_kind_is_in_the_new_file_with_its_comment(tmp_path: Path) -> None:
    from typeset.load.schema import SECTIONS

    new_publication(tmp_path / "r", "report")
    text = (tmp_path / "r" / "issue.yaml").read_text(encoding="utf-8")
    for f in SECTIONS["report"].values():
        assert re.search(rf"^  (# )?{f.name}:", text, re.MULTILINE), f.name
        assert f"# {f.doc.split()[0]}" in text
    assert "isbn:" in text and not re.search(r"^\s*isbn: \S", text, re.MULTILINE)  # offered, never filled in


def test_a_theme_whose_fonts_lack_its_list_markers_is_reported_at_its_css(tmp_path: Path) -> None:
    theme = tmp_path / "styles" / "plain" / "theme.css"
    theme.parent.mkdir(parents=True)
    css = (REPO / "styles" / "default" / "theme.css").read_text(encoding="utf-8")
    theme.write_text(css.replace("unicode-range: U+02BB, U+2610, U+2713;", "unicode-range: U+02BB;"), encoding="utf-8")
    root = tmp_path / "report"
    shutil.copytree(REPO / "examples" / "report", root)
    found = [d for d in prepare(root, theme="plain").diagnostics if d.code == "text.missing-glyph"]
    assert [(d.pos.path, d.message.split(" in ")[0]) for d in found] == [
        (theme, "the theme 'plain' prints '✓' (U+2713 CHECK MARK)"),
        (theme, "the theme 'plain' prints '☐' (U+2610 BALLOT BOX)"),
    ]
