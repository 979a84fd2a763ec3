"""Valid Markdown is accepted (issue 10, item 8): only a bracket with `@` is a citation, so `[sic]`
and reference links (`[the report][r]` with `[r]: https://…`) build, and the link is a link."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from cases import Case, body, run_case
from harness import assert_kept_promise


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links += [v or "" for k, v in attrs if k == "href"]


def _html(tmp_path: Path, text: str) -> str:
    run = run_case(Case("valid Markdown", body(text), "", ""), tmp_path)
    assert_kept_promise(run)
    assert run.code == 0, run.output
    return (tmp_path / "out" / "the-test-monitor-issue-3.html").read_text(encoding="utf-8")


def test_sic_in_brackets(tmp_path: Path) -> None:
    html = _html(tmp_path, "They wrote it thus [sic] and [sic.] in the report.[@brett-2003]")
    assert "thus [sic] and [sic.] in" in html


def test_reference_links(tmp_path: Path) -> None:
    html = _html(
        tmp_path, "Read [the report][r] and [the annex][].[@brett-2003]\n\n  [r]: https://example.org/report\n  [the annex]: https://example.org/annex"
    )
    parser = _Links()
    parser.feed(html)
    assert {"https://example.org/report", "https://example.org/annex"} <= set(parser.links)
    assert "[the report]" not in html
