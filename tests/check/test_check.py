"""`folio check`: one tiny broken issue per rule, each diagnostic asserted by rule id and file:line:col;
an issue with many faults asserted whole; the sample issue; the command's exit codes and formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from typeset.check.images import PrintSize, print_size
from typeset.check.refs import isbn_problem
from typeset.cli import main
from typeset.diagnostics import sorted_diagnostics
from typeset.pipeline import Prepared, prepare
from typeset.theme import Theme, find_theme

REPO = Path(__file__).resolve().parents[2]
ROOTS = Path(__file__).parents[1] / "roots"

Where = tuple[str, str, int, int]  # rule id, file relative to the issue folder, line, column


def found(root: Path) -> list[Where]:
    return [(d.code, d.pos.path.relative_to(root.resolve()).as_posix(), d.pos.line, d.pos.col) for d in sorted_diagnostics(prepare(root).diagnostics)]


ART, ISS, REF = "articles/one.yaml", "issue.yaml", "references/refs.yaml"

# tests/roots/<root> laid over tests/roots/check-clean → everything check reports, in order.
RULES: dict[str, list[Where]] = {
    "check-clean": [],
    "check-yaml-syntax": [("yaml.syntax", ART, 3, 14)],
    "check-yaml-ambiguous-value": [("yaml.ambiguous-value", ISS, 3, 11), ("yaml.ambiguous-value", REF, 8, 11), ("yaml.ambiguous-value", REF, 9, 9)],
    "check-schema-missing-field": [("schema.missing-field", ART, 1, 1)],
    "check-schema-empty-field": [("schema.empty-field", ART, 1, 1)],
    "check-schema-unknown-field": [("schema.unknown-field", ART, 3, 1)],
    "check-schema-type": [("schema.type", ISS, 10, 11)],
    "check-schema-choice": [("schema.choice", ISS, 29, 10)],
    "check-schema-date": [("schema.date", ISS, 11, 9)],
    "check-issn-format": [("issn.format", ISS, 5, 9)],
    "check-issn-check-digit": [("issn.check-digit", ISS, 5, 9)],
    "check-ref-duplicate-id": [("ref.duplicate-id", REF, 20, 7)],
    "check-ref-bad-url": [("ref.bad-url", REF, 12, 8), ("ref.bad-url", REF, 20, 8)],
    "check-ref-bad-doi": [("ref.bad-doi", REF, 11, 8)],
    "check-ref-bad-isbn": [("ref.bad-isbn", REF, 12, 9)],
    "check-ref-no-accessed": [("ref.no-accessed", REF, 12, 3)],
    "check-ref-future-accessed": [("ref.future-accessed", REF, 18, 13)],
    "check-ref-unused": [("ref.unused", REF, 20, 3)],
    "check-cite-empty": [("cite.empty", ART, 8, 83), ("cite.empty", ART, 9, 21)],
    "check-image-missing": [("image.missing", ART, 11, 3)],
    "check-image-no-alt": [("image.no-alt", ART, 11, 3)],
    "check-image-unreadable": [("image.unreadable", ART, 11, 3), ("image.unreadable", ART, 13, 3), ("image.unreadable", ART, 15, 3)],
    "check-image-format": [("image.format", ART, 11, 3), ("image.format", ART, 13, 3)],
    "check-image-low-resolution": [("image.low-resolution", ART, 11, 3), ("image.low-resolution", ART, 13, 3)],
    # The style path is also a file cite.py cannot find: two faults, two diagnostics.
    "check-path-outside-issue": [
        ("path.outside-issue", ART, 9, 61),
        ("path.outside-issue", ART, 11, 3),
        ("cite.unknown-style", ISS, 28, 10),
        ("path.outside-issue", ISS, 28, 10),
    ],
    "check-link-scheme": [("link.scheme", ART, 9, 95), ("link.scheme", ART, 9, 120)],
    "check-text-missing-glyph": [
        ("text.missing-glyph", ART, 1, 28),
        ("text.missing-glyph", ART, 8, 10),
        ("text.missing-glyph", REF, 16, 50),
        ("text.missing-glyph", REF, 16, 51),
    ],
}


@pytest.mark.parametrize(("root", "expected"), RULES.items(), ids=list(RULES))
def test_each_rule_reports_its_fault_at_its_place(check_root: Callable[[str], Path], root: str, expected: list[Where]) -> None:
    issue = check_root(root)
    assert found(issue) == expected
    assert all(d.hint for d in prepare(issue).diagnostics)


@pytest.mark.parametrize(
    ("root", "words"),
    [
        ("check-text-missing-glyph", ["'ﬀ' (U+FB00 LATIN SMALL LIGATURE FF)", "write 'ff' instead", "'中' (U+4E2D", "'‐' (U+2010 HYPHEN)"]),
        ("check-image-low-resolution", ["600 px wide: 116 ppi at its printed width of 131 mm", "290 ppi", "at least 1552 px wide"]),
        (
            "check-image-unreadable",
            [
                "'images/garbage.png' cannot be decoded: it is not an image file",
                "image file is truncated",
                "'images/broken.svg' cannot be decoded: not well-formed",
            ],
        ),
        ("check-image-format", ["'images/photo.gif' is not a supported image format", "'images/photo.png' is a JPEG image, not PNG"]),
        ("check-ref-bad-url", ["'www.icrc.org/en/irrc' has no https:// in front", "contains white space"]),
        ("check-ref-bad-isbn", ["has check digit 2, expected 6"]),
        ("check-yaml-ambiguous-value", ["'volume: 010' was read as the number 8", "'page: 12:30' was read as the number 750", 'quote it: page: "12:30"']),
        ("check-schema-unknown-field", ["did you mean 'key_takeaways'?"]),
        ("check-link-scheme", ["'javascript:alert(1)' uses the 'javascript:' scheme"]),
        ("check-cite-empty", ["citation '[@]' names no reference", "empty note '^[]'"]),
    ],
)
def test_messages_name_the_value_and_the_fix(check_root: Callable[[str], Path], root: str, words: list[str]) -> None:
    text = "\n".join(d.text() for d in prepare(check_root(root)).diagnostics)
    for word in words:
        assert word in text


def test_severities(check_root: Callable[[str], Path]) -> None:
    """Below 300 ppi warns, below 150 ppi fails; a URL without https:// still prints, so it only warns."""
    low = prepare(check_root("check-image-low-resolution")).diagnostics
    assert [d.severity for d in sorted_diagnostics(low)] == ["error", "warning"]
    url = prepare(check_root("check-ref-bad-url")).diagnostics
    assert [d.severity for d in sorted_diagnostics(url)] == ["warning", "error"]


MANY_FAULTS: list[Where] = [
    ("text.missing-glyph", "articles/01-first.yaml", 1, 26),
    ("cite.unknown-id", "articles/01-first.yaml", 4, 56),
    ("cite.empty", "articles/01-first.yaml", 4, 83),
    ("path.outside-issue", "articles/01-first.yaml", 6, 20),
    ("link.scheme", "articles/01-first.yaml", 6, 50),
    ("image.no-alt", "articles/01-first.yaml", 8, 3),
    ("image.missing", "articles/01-first.yaml", 10, 3),
    ("schema.unknown-field", "articles/02-second.yaml", 2, 1),
    ("image.low-resolution", "articles/02-second.yaml", 7, 3),
    ("schema.missing-field", "issue.yaml", 3, 3),
    ("yaml.ambiguous-value", "issue.yaml", 4, 11),
    ("schema.unknown-field", "issue.yaml", 5, 3),
    ("issn.check-digit", "issue.yaml", 6, 9),
    ("image.low-resolution", "issue.yaml", 14, 10),
    ("schema.choice", "issue.yaml", 23, 10),
    ("yaml.ambiguous-value", "references/refs.yaml", 8, 11),
    ("ref.bad-doi", "references/refs.yaml", 10, 8),
    ("ref.no-accessed", "references/refs.yaml", 11, 3),
    ("ref.bad-url", "references/refs.yaml", 14, 8),
    ("ref.bad-isbn", "references/refs.yaml", 18, 9),
    ("ref.future-accessed", "references/refs.yaml", 23, 13),
    ("ref.unused", "references/refs.yaml", 25, 3),
    ("ref.duplicate-id", "references/refs.yaml", 28, 7),
]


def test_many_faults_are_all_reported_in_one_run() -> None:
    assert found(ROOTS / "check-many-faults") == MANY_FAULTS


@pytest.fixture(scope="module")
def sample() -> Prepared:
    return prepare(REPO / "issue")


def test_sample_issue_has_no_errors(sample: Prepared) -> None:
    assert [d.text() for d in sample.errors] == []


def test_sample_issue_checks_clean(sample: Prepared) -> None:
    """Zero diagnostics; the web sources Issue 8 printed without access dates are accepted in
    issue.yaml with a reason, and only those."""
    assert [d.text() for d in sample.diagnostics] == []
    assert {d.code for d in sample.accepted} == {"ref.no-accessed"}


def test_an_acceptance_covers_only_its_rule_and_files_and_goes_stale(check_root: Callable[[str], Path]) -> None:
    root = check_root("check-ref-no-accessed")
    with (root / "issue.yaml").open("a", encoding="utf-8") as fh:
        fh.write("check:\n  accept:\n    - {rule: ref.no-accessed, files: [references/*.yaml], reason: printed so}\n    - {rule: ref.unused, reason: stale}\n")
    checked = prepare(root)
    assert [d.code for d in checked.accepted] == ["ref.no-accessed"]
    assert [(d.code, d.pos.line) for d in checked.diagnostics] == [("check.unused-accept", _line_of(root / "issue.yaml", "rule: ref.unused"))]


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def _theme(tmp_path: Path, css: str) -> Theme:
    sheet = tmp_path / "theme.css"
    sheet.write_text(css, encoding="utf-8")
    return Theme("test", tmp_path, (sheet,))


def test_print_size_comes_from_the_page_size_and_the_theme() -> None:
    default = find_theme("default", REPO / "issue")
    assert print_size(default, "A4") == PrintSize(172.0, 74.0, 210.0)
    assert print_size(default, "A5") == PrintSize(110.0, 74.0, 148.0)


def test_print_size_takes_the_widest_text_block(tmp_path: Path) -> None:
    css = "@page { margin: 10mm 25mm 10mm 15mm } @page :right { margin-right: 0.5cm } @page cover { margin: 0 } figure img { max-height: 4in }"
    assert print_size(_theme(tmp_path, css), "A4") == pytest.approx(PrintSize(190.0, 101.6, 210.0))
    assert print_size(_theme(tmp_path, "@page { margin: 10% }"), "A4").figure_width == pytest.approx(168.0)


@pytest.mark.parametrize(
    ("isbn", "problem"),
    [
        ("0-521-80899-5", None),
        ("978 0 19 852663 6", None),
        ("0-8044-2957-X", None),
        ("0-19-852663-6 (hbk), 978-0-19-852663-6 (pbk)", None),
        ("0-521-80899-X", "has check digit X, expected 5"),
        ("978-0-521-80899-2", "has check digit 2, expected 6"),
        ("0-19-852663-6, 978-0-19-852663-5", "'978-0-19-852663-5' has check digit 5, expected 6"),
        ("12345", "is not an ISBN of 10 or 13 digits"),
    ],
)
def test_isbn_check_digits(isbn: str, problem: str | None) -> None:
    result = isbn_problem(isbn)
    assert result is None if problem is None else problem in (result or "")


# --- the command line ---------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2), result.output  # 3 would be an internal error
    return result.exit_code, result.stdout, result.stderr


def test_clean_issue_exits_0(check_root: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(check_root("check-clean"))
    code, out, err = run(".")
    assert (code, out) == (0, "")
    assert err.startswith("0 errors, 0 warnings")


def test_errors_exit_1_with_every_diagnostic_and_a_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOTS / "check-many-faults")
    code, out, err = run()  # the default folder is issue/: here there is none
    assert code == 2
    code, out, err = run(".")
    assert code == 1
    assert out.startswith("articles/01-first.yaml:1:26: error[text.missing-glyph]: no font of the theme 'default' can draw '★' (U+2605 BLACK STAR)\n  hint: ")
    assert out.count("error[") == 17 and out.count("warning[") == 6
    assert err.startswith("17 errors, 6 warnings")


def test_warnings_fail_only_with_strict(check_root: Callable[[str], Path]) -> None:
    issue = str(check_root("check-ref-unused"))
    assert run(issue)[0] == 0
    assert run(issue, "--strict")[0] == 1


def test_json_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOTS / "check-many-faults")
    code, out, _ = run(".", "--format", "json")
    assert code == 1
    rows = json.loads(out)
    assert [(r["code"], r["file"], r["line"], r["col"]) for r in rows] == MANY_FAULTS
    assert rows[1]["severity"] == "error" and rows[1]["hint"]


def test_github_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOTS / "check-many-faults")
    code, out, _ = run(".", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == len(MANY_FAULTS)
    assert lines[0].startswith("::error file=articles/01-first.yaml,line=1,col=26,title=text.missing-glyph::no font of the theme")
    assert lines[4].startswith("::warning file=articles/01-first.yaml,line=6,col=50,title=link.scheme::")


def test_could_not_run_exits_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing"))[0] == 2  # no such folder (click)
    code, _, err = run(str(tmp_path))  # a folder without issue.yaml
    assert code == 2 and "error[file.missing]" in err
    assert run(str(tmp_path), "--format", "xml")[0] == 2  # usage


def test_broken_issue_yaml_is_a_content_error(check_root: Callable[[str], Path]) -> None:
    issue = check_root("check-clean")
    (issue / "issue.yaml").write_text("publication: [unclosed\n", encoding="utf-8")
    code, out, _ = run(str(issue))
    assert code == 1 and "issue.yaml:2:1: error[yaml.syntax]" in out
