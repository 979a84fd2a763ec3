"""Bad input gets one clear message with file:line:col and a hint, exit code 1, no traceback,
and the previous PDF is left as it was."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOTS

from typeset.cli import main


def run_build(issue: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output  # 3 would be an internal error
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """tests/roots/minimal built by the command once for the module: the output folder each test
    copies, and what the command printed."""
    out = tmp_path_factory.mktemp("first-build") / "out"
    code, output = run_build(ROOTS / "minimal", out)
    assert code == 0, output
    return out, output


@pytest.fixture
def built_once(minimal: Path, first_build: tuple[Path, str], tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A copy of the minimal issue and of a build of it: the PDF a faulty build must leave as it was."""
    out = tmp_path / "out"
    shutil.copytree(first_build[0], out, symlinks=True)
    pdf = next(out.glob("*.pdf"))
    return minimal, out, pdf.read_bytes()


# (file, old text, new text, a line the build prints): also run through `check` by
# tests/hardening/test_check_finds.py, which expects the same rule.
FAULTS = [
    (
        "articles/one.yaml",
        "authors: [Bea Author]",
        "authors: [Bea Author",
        "articles/one.yaml:3:14: error[yaml.syntax]: YAML syntax error: expected ',' or ']'",
    ),
    (
        "articles/one.yaml",
        "title: 'A Test Article: With a Colon'\n",
        "",
        "articles/one.yaml:1:1: error[schema.missing-field]: article is missing the required field 'title'",
    ),
    ("articles/one.yaml", "key_takeaways:", "key_takeways:", "articles/one.yaml:3:1: warning[schema.unknown-field]: unknown field 'key_takeways' in article"),
    ("issue.yaml", "  region: Nowhere", "  region: no", "issue.yaml:3:11: error[yaml.ambiguous-value]: 'region: no' was read as the boolean false"),
    ("issue.yaml", "  region: Nowhere", "  region: 1.10", "issue.yaml:3:11: error[yaml.ambiguous-value]: 'region: 1.10' was read as the number 1.1"),
    ("articles/one.yaml", "images/fig.png", "images/nofig.png", "articles/one.yaml:11:3: error[image.missing]: figure 1 'images/nofig.png' not found"),
    ("articles/one.yaml", "[@icrc-2013, p 1-3]\n", "[@icrc-2031, p 1-3]\n", "articles/one.yaml:8:65: error[cite.unknown-id]: no reference with id 'icrc-2031'"),
    (
        "articles/one.yaml",
        "images/fig.png",
        "../../etc/passwd",
        "articles/one.yaml:11:3: error[path.outside-issue]: figure 1 '../../etc/passwd' is outside the issue folder",
    ),
    (
        "articles/one.yaml",
        "images/fig.png",
        "file:///etc/passwd",
        "articles/one.yaml:11:3: error[path.outside-issue]: figure 1 'file:///etc/passwd' is outside the issue folder",
    ),
    (
        "issue.yaml",
        "image: images/cover.png",
        "image: /etc/passwd",
        "issue.yaml:19:10: error[path.outside-issue]: cover image '/etc/passwd' is outside the issue folder",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), FAULTS)
def test_fault_is_reported_at_its_place_and_old_pdf_survives(built_once: tuple[Path, Path, bytes], file: str, old: str, new: str, expected: str) -> None:
    issue, out, before = built_once
    edit(issue / file, old, new)
    code, output = run_build(issue, out)
    lines = [line.replace(str(issue) + "/", "") for line in output.splitlines()]
    assert any(expected in line for line in lines), output
    if "error[" in expected:
        assert code == 1, output
        assert "hint:" in output
        assert next(out.glob("*.pdf")).read_bytes() == before
    else:
        assert "did you mean 'key_takeaways'?" in output


def test_unknown_field_suggests_the_nearest_name(built_once: tuple[Path, Path, bytes]) -> None:
    issue, out, _ = built_once
    edit(issue / "issue.yaml", "  publisher: Test Press", "  publsher: Test Press")
    code, output = run_build(issue, out)
    assert code == 1
    assert "warning[schema.unknown-field]: unknown field 'publsher' in publication" in output
    assert "did you mean 'publisher'?" in output
    assert "error[schema.missing-field]: publication is missing the required field 'publisher'" in output


def test_script_in_content_cannot_reach_the_html_edition(built_once: tuple[Path, Path, bytes]) -> None:
    issue, out, _ = built_once
    edit(
        issue / "articles/one.yaml",
        "A claim with a source.",
        'A claim <script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3)) with a source.',
    )
    edit(issue / "articles/one.yaml", "title: 'A Test Article: With a Colon'", "title: 'A Test <script>alert(4)</script> Article'")
    code, output = run_build(issue, out)
    assert code == 0, output
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<img src=x" not in html and 'onerror="alert' not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_renderer_fetches_nothing_outside_the_issue(built_once: tuple[Path, Path, bytes]) -> None:
    """An SVG that names a file outside the issue is refused on its own line (check finds it too);
    one that names a web image builds, the image refused by the fetcher without --allow-network."""
    issue, out, before = built_once
    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="170mm" height="90mm">\n<image href="{}" width="10" height="10"/></svg>'
    (issue / "images/chart.svg").write_text(svg.format("file:///etc/hostname"))
    code, output = run_build(issue, out)
    assert code == 1 and "images/chart.svg:2:14: error[path.outside-issue]: the SVG names 'file:///etc/hostname'" in output, output
    assert next(out.glob("*.pdf")).read_bytes() == before
    (issue / "images/chart.svg").write_text(svg.format("https://example.org/x.png"))
    code, output = run_build(issue, out)
    assert code == 0, output
    assert "https://example.org/x.png" in output and "network access is off" in output


def test_missing_issue_folder_is_a_clear_error(tmp_path: Path) -> None:
    code, output = run_build(tmp_path / "nope", tmp_path / "out")
    assert code == 1
    assert "error[issue.not-found]" in output


def test_help_and_version() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0 and "build" in result.output
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("folio, version ")
    result = runner.invoke(main, ["build", "--help"])
    assert result.exit_code == 0 and "--output" in result.output


def test_build_reports_pages_notes_and_time(first_build: tuple[Path, str]) -> None:
    _, output = first_build
    assert re.search(r"^wrote \S+\.pdf \(\d+ pages\)", output, re.MULTILINE), output
    assert re.search(r"notes per article: 5; \d+\.\d s$", output, re.MULTILINE), output


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--no-such-option"])
    assert result.exit_code == 2


def test_unknown_locator_label_is_named_with_close_labels(built_once: tuple[Path, Path, bytes]) -> None:
    issue, out, _before = built_once
    edit(issue / "articles/one.yaml", "[@brett-2003, p 861]", "[@brett-2003, parra 861]")
    code, output = run_build(issue, out)
    assert code == 1
    assert "articles/one.yaml:15:82: error[cite.unknown-label]: cannot read citation [@brett-2003, parra 861]: unknown locator label 'parra'" in output.replace(
        str(issue) + "/", ""
    )
    assert "did you mean 'para'" in output
