"""The output profiles read back from their PDFs: what a press, an archive and a library harvester look for."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from click.testing import CliRunner

from typeset.cli import main
from typeset.output.profiles import GHOSTSCRIPT_CMYK
from typeset.pipeline import Built

MM = 72 / 25.4
A4 = (595.276, 841.89)
PRISM = "http://prismstandard.org/namespaces/basic/2.0/"


def opened(built: Built, profile: str) -> pikepdf.Pdf:
    made = next(o for o in built.outputs if o.profile.name == profile)
    return pikepdf.open(built.pdf.parent / made.path)


def xmp(pdf: pikepdf.Pdf, name: str) -> object:
    return pdf.open_metadata().get(name)


def test_print_declares_pdfx4_with_the_press_profile_as_output_intent(all_profiles: Built) -> None:
    pdf = opened(all_profiles, "print")
    [intent] = pdf.Root.OutputIntents
    assert intent.S == pikepdf.Name.GTS_PDFX
    assert intent.DestOutputProfile.N == 4
    assert intent.DestOutputProfile.read_bytes() == GHOSTSCRIPT_CMYK.read_bytes()
    assert str(intent.Info) == "Artifex CMYK SWOP Profile"
    assert pdf.pdf_version == "1.6"
    assert xmp(pdf, "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion") == "PDF/X-4"
    assert pdf.docinfo.Trapped == pikepdf.Name("/False")


def test_print_has_no_rgb_left(all_profiles: Built) -> None:
    pdf = opened(all_profiles, "print")
    images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == pikepdf.Name.Image]
    colour = [o for o in images if o.get("/ColorSpace") != pikepdf.Name.DeviceGray]  # soft masks are grey
    assert colour and all(o.ColorSpace == pikepdf.Name.DeviceCMYK for o in colour)
    streams = [page.obj for page in pdf.pages] + [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == pikepdf.Name.Form]
    operators = {str(i.operator) for s in streams for i in pikepdf.parse_content_stream(s)}
    assert {"k", "K"} & operators and not {"rg", "RG"} & operators
    groups = [o.Group.CS for o in streams if "/Group" in o and "/CS" in o.Group]
    assert groups and all(cs == pikepdf.Name.DeviceCMYK for cs in groups)


def test_print_pages_have_3mm_bleed_and_room_for_crop_marks(all_profiles: Built) -> None:
    for page in opened(all_profiles, "print").pages:
        trim = [float(v) for v in page.TrimBox]
        assert trim == pytest.approx([0, 0, *A4], abs=0.01)
        assert [float(v) for v in page.BleedBox] == pytest.approx([-3 * MM, -3 * MM, A4[0] + 3 * MM, A4[1] + 3 * MM], abs=0.01)
        assert [float(v) for v in page.MediaBox] == pytest.approx([-8 * MM, -8 * MM, A4[0] + 8 * MM, A4[1] + 8 * MM], abs=0.01)
        assert "/Annots" not in page


def test_cover_picture_and_back_cover_colour_run_into_the_bleed(all_profiles: Built) -> None:
    """Pixels 2 mm outside the trim, in the bleed, are the cover picture's and the back cover's own."""
    path = all_profiles.pdf.parent / next(o.path for o in all_profiles.outputs if o.profile.name == "print")
    document = pypdfium2.PdfDocument(path)

    def pixel(page: int, x_mm: float, y_mm: float) -> tuple[int, ...]:
        image = document[page].render(scale=72 / 72).to_pil().convert("RGB")
        return tuple(image.getpixel((round((x_mm + 8) * MM), round((y_mm + 8) * MM))))

    picture, background = pixel(0, 100, 180), pixel(0, 100, 60)
    assert picture != background
    assert pixel(0, -2, 180) == picture and pixel(0, 212, 180) == picture
    last = len(document) - 1
    back = pixel(last, 100, 60)
    assert min(back) < 200 and pixel(last, -2, 60) == back and pixel(last, 100, -2) == back


def test_archive_declares_pdfa2b_and_is_tagged(all_profiles: Built) -> None:
    pdf = opened(all_profiles, "archive")
    [intent] = pdf.Root.OutputIntents
    assert intent.S == pikepdf.Name.GTS_PDFA1 and intent.DestOutputProfile.N == 3
    assert xmp(pdf, "pdfaid:part") == "2" and xmp(pdf, "pdfaid:conformance") == "B"
    assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
    assert "/Filter" not in pdf.Root.Metadata
    assert all(int(a.F) & 4 for page in pdf.pages for a in page.get("/Annots", []))


@pytest.mark.parametrize("profile", ["screen", "print", "archive"])
def test_metadata_names_the_serial_where_harvesters_look(all_profiles: Built, profile: str) -> None:
    pdf = opened(all_profiles, profile)
    assert xmp(pdf, "dc:identifier") == "urn:issn:2989-3038"
    assert xmp(pdf, f"{{{PRISM}}}issn") == "2989-3038"
    assert xmp(pdf, f"{{{PRISM}}}publicationName") == "The Test Monitor – Nowhere"
    assert xmp(pdf, f"{{{PRISM}}}number") == "3"
    assert xmp(pdf, f"{{{PRISM}}}coverDate") == "2024-06"  # dated by month, as the cover prints it
    assert xmp(pdf, "dc:title") == "The Test Monitor – Nowhere, Issue 3 (June 2024)"
    assert xmp(pdf, "dc:language") == {"en-GB"}
    assert xmp(pdf, "dc:publisher") == {"Test Press"}
    assert xmp(pdf, "dc:subject") == {"testing"}
    assert "Bea Author" in str(xmp(pdf, "dc:creator"))
    info = pdf.docinfo
    assert str(info.Title) == "The Test Monitor – Nowhere, Issue 3 (June 2024)"
    assert str(info.Author) == "Bea Author" and str(info.Keywords) == "testing"
    assert "ISSN 2989-3038" in str(info.Subject)
    assert str(info.CreationDate).startswith("D:20240601000000")
    assert str(pdf.Root.Lang) == "en-GB"


def test_screen_keeps_links_and_bookmarks(all_profiles: Built) -> None:
    pdf = opened(all_profiles, "screen")
    assert any(a.Subtype == pikepdf.Name.Link for page in pdf.pages for a in page.get("/Annots", []))
    assert len(pdf.open_outline().root) > 0
    assert "/OutputIntents" not in pdf.Root


def test_pads_with_notes_pages_before_the_back_cover(all_profiles: Built) -> None:
    for made in all_profiles.outputs:
        pdf = pikepdf.open(all_profiles.pdf.parent / made.path)
        assert len(pdf.pages) == 8 and made.padded == 1 and made.pages == 8
        document = pypdfium2.PdfDocument(all_profiles.pdf.parent / made.path)
        assert document[6].get_textpage().get_text_range().strip() == ""  # ruled lines, no text, no folio
        assert "ISSN 2989-3038" in document[7].get_textpage().get_text_range()


def test_cli_writes_the_profiles_asked_for_and_reports_padding(minimal: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(minimal), "-o", str(tmp_path / "out"), "--profile", "print", "--pad-to", "4"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "the-test-monitor-issue-3-print.pdf").is_file()
    assert not (tmp_path / "out" / "the-test-monitor-issue-3.pdf").exists()
    assert "(8 pages) — print: PDF/X-4" in result.output and "1 notes page added before the back cover" in result.output
    assert "1 article, notes per article: 5" in result.output
    assert "preflight: no faults; claims PDF/X-4, backed by" in result.output
