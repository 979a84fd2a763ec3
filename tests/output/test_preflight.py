"""Preflight finds real faults, with their pages, and stays quiet on a clean print PDF."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import ROOTS

from typeset.cli import main
from typeset.layout.document import write_pdf
from typeset.layout.schedule import Layout
from typeset.output.make import make_outputs, wanted
from typeset.output.preflight import Report, preflight
from typeset.output.profiles import GHOSTSCRIPT_CMYK
from typeset.pipeline import Built, build_date, prepare
from typeset.render.html import render_html
from typeset.theme import Theme


def _path(built: Built, profile: str) -> Path:
    return built.pdf.parent / next(o.path for o in built.outputs if o.profile.name == profile)


def _found(report: Report) -> set[tuple[str, str]]:
    return {(d.code, d.message.split(":")[0]) for d in report.findings}


@pytest.fixture(scope="module")
def faulty() -> bytes:
    """tests/roots/preflight-faults laid out for print stage by stage: `pipeline` would refuse it (check finds the faults too)."""
    checked = prepare(ROOTS / "preflight-faults")
    issue = checked.issue
    html = render_html(issue, checked.theme, created=build_date(issue))

    def lay_out(document: str, theme: Theme, tags: bool) -> Layout:
        pdf, pages, warnings = write_pdf(document, issue.root, theme, tags=tags)
        return Layout(pikepdf.open(BytesIO(pdf)), pages, tuple(warnings))

    files, _, _ = make_outputs(html, issue, checked.theme, wanted(issue), lay_out, build_date(issue))
    return files[Path("the-faulty-monitor-issue-4-print.pdf")]


def test_a_clean_print_build_has_no_faults_and_backs_its_claim(all_profiles: Built) -> None:
    report = next(o.preflight for o in all_profiles.outputs if o.preflight)
    assert report is not None and report.findings == () and report.claim == "PDF/X-4" and report.backed
    assert "TrimBox and BleedBox on every page, nested in the MediaBox" in report.checked


def test_archive_backs_its_pdfa_claim(all_profiles: Built) -> None:
    path = _path(all_profiles, "archive")
    report = preflight(path.read_bytes(), path)
    assert report.claim == "PDF/A-2B" and report.findings == () and report.backed
    assert "info dictionary equivalent to XMP" in report.checked


def test_finds_each_planted_fault_on_its_page(faulty: bytes) -> None:
    report = preflight(faulty, Path("faulty.pdf"), theme_fonts=frozenset({"PT Serif", "PT Sans"}))
    assert _found(report) == {
        ("preflight.trim-text", "page 1"),
        ("preflight.no-bleed", "page 1"),
        ("preflight.empty-page", "page 3"),
        ("preflight.low-resolution", "page 6"),
        ("preflight.missing-glyph", "page 6"),
    }
    messages = " ".join(d.message for d in report.findings)
    assert "482×271 px prints at 93 ppi" in messages and "(U+E000) is drawn as .notdef" in messages
    assert "stops at the left trim edge" in messages and "stops at the right trim edge" in messages
    assert "'Issue 4'" in messages


def _changed(data: bytes, change: object) -> bytes:
    pdf = pikepdf.open(BytesIO(data))
    change(pdf)  # type: ignore[operator]
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_finds_a_font_that_is_not_embedded(all_profiles: Built) -> None:
    def unembed(pdf: pikepdf.Pdf) -> None:
        font = next(iter(pdf.pages[4].Resources.Font.values()))
        del font.DescendantFonts[0].FontDescriptor["/FontFile2"]

    report = preflight(_changed(_path(all_profiles, "print").read_bytes(), unembed), Path("x.pdf"))
    assert ("preflight.font-not-embedded", "page 5") in _found(report)
    assert not report.backed


def test_finds_rgb_where_the_output_intent_is_cmyk(all_profiles: Built) -> None:
    def cmyk_intent(pdf: pikepdf.Pdf) -> None:
        profile = pdf.make_stream(GHOSTSCRIPT_CMYK.read_bytes(), N=4)
        pdf.Root.OutputIntents = [pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX, DestOutputProfile=profile)]

    report = preflight(_changed(_path(all_profiles, "screen").read_bytes(), cmyk_intent), Path("x.pdf"))
    rgb = [d.message for d in report.findings if d.code == "preflight.rgb"]
    assert rgb and rgb[0].startswith("page 1: RGB where the output intent is CMYK")
    assert any("an RGB image" in m for m in rgb)


def test_a_claim_the_structure_does_not_back(all_profiles: Built) -> None:
    def drop_intent(pdf: pikepdf.Pdf) -> None:
        del pdf.Root["/OutputIntents"]
        del pdf.pages[0].obj["/TrimBox"]

    report = preflight(_changed(_path(all_profiles, "print").read_bytes(), drop_intent), Path("x.pdf"))
    claims = {d.message for d in report.findings if d.code == "preflight.claim"}
    assert claims == {"claims PDF/X-4, but there is no /GTS_PDFX output intent with an embedded profile", "claims PDF/X-4, but page 1 has no TrimBox"}
    assert not report.backed


def test_cli_exit_status_and_pages(all_profiles: Built, faulty: bytes, tmp_path: Path) -> None:
    bad = tmp_path / "faulty.pdf"
    bad.write_bytes(faulty)
    result = CliRunner().invoke(main, ["preflight", str(bad), "--theme", "default"])
    assert result.exit_code == 1
    assert "error[preflight.low-resolution]: page 6:" in result.output and "6 faults; claims PDF/X-4" in result.output
    clean = CliRunner().invoke(main, ["preflight", str(_path(all_profiles, "print"))])
    assert clean.exit_code == 0 and "no faults; claims PDF/X-4, backed by" in clean.output
