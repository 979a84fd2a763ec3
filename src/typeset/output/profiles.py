"""A laid-out PDF + output profile → the finished file: screen, print (PDF/X-4) or archive (PDF/A-2b).

WeasyPrint lays out the pages; what makes a file print- or archive-ready is done here on the
PDF with pikepdf, so it works the same on a PDF assembled from parts:

- every profile gets the full document info and XMP (`output.metadata`);
- print: CMYK through the press's ICC profile (`output.cmyk`), that profile as the PDF/X output
  intent, BleedBox 3 mm outside the TrimBox, no annotations (PDF/X allows none inside the
  bleed); the layout itself comes with the theme's print.css (bleed, crop marks, CMYK colours);
- archive: the sRGB output intent, printable annotations, the PDF/A-2b claim; tagged at layout.

Dates come from the build date and the file ID from the content, so the bytes repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib.resources import files
from io import BytesIO
from pathlib import Path

import pikepdf
from pikepdf import Name
from PIL import ImageCms

from typeset.diagnostics import TypesetError, error
from typeset.load.reader import resolve_inside
from typeset.measures import POINTS_PER_MM
from typeset.model import Issue
from typeset.output.binding import pad
from typeset.output.cmyk import Converter, convert_to_cmyk
from typeset.output.metadata import Description, write_metadata
from typeset.theme import Theme

GHOSTSCRIPT_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian: libgs-common
BLEED_MM = 3.0


@dataclass(frozen=True)
class Profile:
    name: str
    suffix: str  # of the file name: <issue><suffix>.pdf
    stylesheet: str  # a theme stylesheet added for this profile, "" for none
    tags: bool  # tagged PDF: needs the whole issue laid out as one document
    claim: str  # what the file declares it conforms to, "" for nothing
    about: str


PROFILES = {
    "screen": Profile("screen", "", "", False, "", "RGB, links and bookmarks"),
    "print": Profile("print", "-print", "print.css", False, "PDF/X-4", "PDF/X-4, CMYK, 3 mm bleed, crop marks"),
    "archive": Profile("archive", "-archive", "", True, "PDF/A-2B", "PDF/A-2b, tagged"),
}


def theme_for(theme: Theme, profile: Profile) -> Theme:
    """The theme with the profile's own stylesheet (e.g. print.css), if it has one, right after theme.css: an issue's local CSS still comes last."""
    extra = theme.folder / profile.stylesheet
    if not profile.stylesheet or not extra.is_file():
        return theme
    return replace(theme, stylesheets=(theme.stylesheets[0], extra, *theme.stylesheets[1:]))


def press_profile(issue: Issue) -> tuple[bytes, str]:
    """The CMYK ICC profile of the print profile (bytes, description): the issue's own, else Ghostscript's.

    The profile must also make the transform `output.cmyk` makes: LittleCMS opens a profile cut
    short, and fails only there. Faults are reported on the line of `print_profile` (or `profiles`).
    """
    setting = issue.settings.print_profile
    at = issue.settings.at.get("print_profile") or issue.settings.at.get("profiles") or issue.pos
    path = resolve_inside(issue.root, setting) if setting else GHOSTSCRIPT_CMYK
    hint = "set settings.print_profile to your press's CMYK .icc file in the issue folder"
    if path is None or not path.is_file():
        where = f"'{setting}' in the issue folder" if setting else f"{GHOSTSCRIPT_CMYK} (Debian package libgs-common)"
        raise TypesetError([error("print.no-icc-profile", at, f"the print profile needs a CMYK ICC profile: no file {where}", hint)])
    data = path.read_bytes()
    try:
        profile = ImageCms.ImageCmsProfile(BytesIO(data))
    except (OSError, ImageCms.PyCMSError):
        raise TypesetError([error("print.bad-icc-profile", at, f"{path.name} is not an ICC profile", hint)]) from None
    if profile.profile.xcolor_space.strip() != "CMYK":
        raise TypesetError([error("print.bad-icc-profile", at, f"{path.name} is a {profile.profile.xcolor_space.strip()} profile, not CMYK", hint)])
    try:
        Converter(data)
    except (OSError, ImageCms.PyCMSError):
        raise TypesetError(
            [error("print.bad-icc-profile", at, f"{path.name} is a CMYK profile LittleCMS cannot convert to: it may be cut short", hint)]
        ) from None
    return data, ImageCms.getProfileDescription(profile).strip()


def finish(pdf: pikepdf.Pdf, profile: Profile, description: Description, *, press: tuple[bytes, str] | None = None, filler: pikepdf.Pdf | None = None) -> bytes:
    """Apply the profile to a laid-out PDF and return the file's bytes.

    `filler`: a laid-out PDF of pages to put before the back cover (`binding`); `press`: the
    CMYK ICC profile and its description, required for print.
    """
    if filler is not None:
        pad(pdf, filler)
    if profile.name == "print":
        assert press is not None
        _make_print(pdf, *press)
    elif profile.name == "archive":
        _make_archive(pdf)
    write_metadata(pdf, description, profile.claim)
    return save(pdf, version="1.6" if profile.name == "print" else "")


def save(pdf: pikepdf.Pdf, version: str = "") -> bytes:
    """Bytes that depend on the content only: the file ID is a hash of it, streams compressed the same way."""
    out = BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, force_version=version or pdf.pdf_version)
    return out.getvalue()


def _make_print(pdf: pikepdf.Pdf, icc: bytes, description: str) -> None:
    for page in pdf.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
        trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
        media = [float(v) for v in page.mediabox]
        bleed = BLEED_MM * POINTS_PER_MM
        page.obj.BleedBox = pikepdf.Array(
            [max(media[0], trim[0] - bleed), max(media[1], trim[1] - bleed), min(media[2], trim[2] + bleed), min(media[3], trim[3] + bleed)]
        )
        page.obj.TrimBox = pikepdf.Array(trim)
    convert_to_cmyk(pdf, icc)
    _output_intent(pdf, Name.GTS_PDFX, icc, 4, description)


def _make_archive(pdf: pikepdf.Pdf) -> None:
    """sRGB as the PDF/A output intent (the one WeasyPrint ships), and every annotation printable."""
    srgb = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    _output_intent(pdf, Name.GTS_PDFA1, srgb, 3, "sRGB IEC61966-2.1")
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            annot.F = 4


def _output_intent(pdf: pikepdf.Pdf, kind: Name, icc: bytes, components: int, description: str) -> None:
    """One output intent with the profile embedded; 'Custom' because the condition is named by the profile, not the ICC registry."""
    profile = pdf.make_stream(icc, N=components)
    intent = pikepdf.Dictionary(
        Type=Name.OutputIntent,
        S=kind,
        OutputConditionIdentifier=pikepdf.String("Custom" if components == 4 else "sRGB IEC61966-2.1"),
        OutputCondition=pikepdf.String(description),
        Info=pikepdf.String(description),
        RegistryName=pikepdf.String("http://www.color.org"),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = pikepdf.Array([intent])
