"""A PDF → its print faults, each with its page, and what its PDF/X or PDF/A claim rests on.

Three readers, each where it is exact: pikepdf walks every content stream with its
transformation matrix (fonts used, .notdef glyphs, image resolution at its printed size, RGB
colours, annotations, the document structure; qpdf's own syntax check), PDFium (pypdfium2)
gives the text boxes and renders the pages (artwork that stops at the trim, empty pages).
These are checks of the rules listed in README ("Preflight"), not a validation against the
whole of ISO 15930 or 19005: for that, use veraPDF or a RIP's preflight.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import cast

import pikepdf
import pypdfium2
from pikepdf import Name
from PIL import Image

from typeset.diagnostics import Diagnostic, error
from typeset.measures import POINTS_PER_INCH, POINTS_PER_MM, PRINT_PPI
from typeset.model import SourcePos
from typeset.output.cmyk import rgb_space
from typeset.output.metadata import NS
from typeset.output.pdfobjects import entry, instructions
from typeset.theme import Theme

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_ON_PAGE = re.compile(r"page (\d+):")
_CLAIM_RULES = {
    "PDF/X": {"preflight.claim", "preflight.syntax", "preflight.font-not-embedded", "preflight.rgb"},
    "PDF/A": {"preflight.claim", "preflight.syntax", "preflight.font-not-embedded", "preflight.missing-glyph"},
}
# Schemas PDF/A predefines (ISO 19005-1 6.7.8, XMP 2004); anything else needs a pdfaExtension description.
_PREDEFINED = {NS[p] for p in ("dc", "xmp", "xmpMM", "pdf", "pdfaid", "rdf", "x")} | {
    "http://ns.adobe.com/xap/1.0/rights/",
    "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/exif/1.0/",
    "http://ns.adobe.com/tiff/1.0/",
    "http://www.aiim.org/pdfa/ns/extension/",
    "http://www.aiim.org/pdfa/ns/schema#",
    "http://www.aiim.org/pdfa/ns/property#",
    "http://www.aiim.org/pdfa/ns/type#",
    "http://www.aiim.org/pdfa/ns/field#",
}


@dataclass
class _Page:
    """What one page draws, as the content walk finds it."""

    number: int
    fonts: dict[str, pikepdf.Object] = field(default_factory=dict)
    notdef: set[tuple[str, str]] = field(default_factory=set)
    images: list[tuple[int, int, float]] = field(default_factory=list)  # width, height, ppi
    rgb: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Report:
    """Preflight of one file: its faults, and what was checked for the conformance it claims."""

    path: Path
    pages: int
    claim: str
    checked: tuple[str, ...]
    findings: tuple[Diagnostic, ...]

    @property
    def backed(self) -> bool:
        """No fault breaks a rule of the claimed standard (fonts embedded, no RGB in PDF/X, no .notdef in PDF/A…)."""
        rules = _CLAIM_RULES.get(self.claim[:5], set())
        return bool(self.claim) and not any(d.code in rules for d in self.findings)


def preflight(data: bytes, path: Path, *, theme_fonts: frozenset[str] = frozenset()) -> Report:
    """Check a PDF (`path` names it in messages); `theme_fonts` are family names, so other fonts count as fallbacks."""
    pdf = pikepdf.open(BytesIO(data))
    where = SourcePos(path)
    findings = [error("preflight.syntax", where, f"qpdf: {problem}") for problem in pdf.check_pdf_syntax()]
    xmp = _xmp(pdf)
    claim = _claim(pdf, xmp)
    cmyk_asked = claim.startswith("PDF/X") or _cmyk_intent(pdf)
    pages = [_walk_page(page, number) for number, page in enumerate(pdf.pages, start=1)]
    for page in pages:
        findings += _page_findings(page, where, theme_fonts, cmyk_asked)
    findings += _rendered_findings(data, pdf, where, claim)
    checked: list[str] = []
    if claim.startswith("PDF/X"):
        checked, faults = _pdfx(pdf, xmp, claim)
        findings += [error("preflight.claim", where, f"claims {claim}, but {fault}") for fault in faults]
    elif claim.startswith("PDF/A"):
        checked, faults = _pdfa(pdf, xmp, claim)
        findings += [error("preflight.claim", where, f"claims {claim}, but {fault}") for fault in faults]
    by_page = sorted(findings, key=lambda d: int(m.group(1)) if (m := _ON_PAGE.match(d.message)) else 0)
    return Report(path, len(pdf.pages), claim, tuple(checked), tuple(by_page))


def theme_families(theme: Theme) -> frozenset[str]:
    """The font families the theme's @font-face rules define: text in any other font is a fallback."""
    return frozenset(face.family for face in theme.font_faces())


# ---- The content walk -------------------------------------------------------------------------


def _walk_page(page: pikepdf.Page, number: int) -> _Page:
    facts = _Page(number)
    _walk(page.obj, entry(page.obj, "/Resources"), pikepdf.Matrix(), facts, 0)
    for annot in page.obj.get("/Annots", []):
        for appearance in entry(annot, "/AP").values():
            if isinstance(appearance, pikepdf.Stream):
                _walk(appearance, entry(appearance, "/Resources"), pikepdf.Matrix(), facts, 1)
    return facts


def _walk(owner: pikepdf.Object, resources: pikepdf.Object, ctm: pikepdf.Matrix, facts: _Page, depth: int) -> None:
    """Follow one content stream: q/Q/cm for the matrix, fonts shown, images and forms drawn, colours set."""
    if depth > 12:
        return
    stack: list[pikepdf.Matrix] = []
    font: pikepdf.Object | None = None
    spaces = entry(resources, "/ColorSpace")
    if _group_rgb(owner):
        facts.rgb.add("a transparency group blends in RGB")
    for operands, name in instructions(owner):
        if name == "q":
            stack.append(ctm)
        elif name == "Q" and stack:
            ctm = stack.pop()
        elif name == "cm":
            ctm = pikepdf.Matrix(*(float(v) for v in operands)) @ ctm
        elif name == "Tf":
            font = entry(resources, "/Font").get(str(operands[0]))
            if font is not None:
                facts.fonts[str(font.get("/BaseFont", operands[0]))] = font
        elif name in ("Tj", "'", '"', "TJ") and font is not None:
            _notdefs(font, operands, facts)
        elif name in ("rg", "RG"):
            facts.rgb.add("RGB fill and stroke colours")
        elif name in ("cs", "CS") and rgb_space(spaces.get(str(operands[0]), operands[0])):
            facts.rgb.add("an RGB colour space")
        elif name == "sh":
            shading = entry(resources, "/Shading").get(str(operands[0]))
            if shading is not None and rgb_space(shading.get("/ColorSpace")):
                facts.rgb.add("an RGB shading")
        elif name in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
            _pattern(resources, str(operands[-1]), facts, depth)
        elif name == "Do":
            _draw(resources, str(operands[0]), ctm, facts, depth)


def _draw(resources: pikepdf.Object, name: str, ctm: pikepdf.Matrix, facts: _Page, depth: int) -> None:
    xobject = entry(resources, "/XObject").get(name)
    if xobject is None:
        return
    if xobject.get("/Subtype") == Name.Image:
        if xobject.get("/ImageMask"):
            return
        printed_in = math.hypot(ctm.a, ctm.b) / POINTS_PER_INCH
        ppi = int(xobject.Width) / printed_in if printed_in else math.inf
        facts.images.append((int(xobject.Width), int(xobject.Height), ppi))
        if rgb_space(xobject.get("/ColorSpace")):
            facts.rgb.add(f"an RGB image ({xobject.Width}×{xobject.Height} px)")
    elif xobject.get("/Subtype") == Name.Form:
        matrix = pikepdf.Matrix(*(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])))
        _walk(xobject, xobject.get("/Resources", resources), matrix @ ctm, facts, depth + 1)


def _pattern(resources: pikepdf.Object, name: str, facts: _Page, depth: int) -> None:
    """A tiling pattern is content of its own, placed by its matrix in the page's default space."""
    pattern = entry(resources, "/Pattern").get(name)
    if pattern is None:
        return
    matrix = pikepdf.Matrix(*(float(v) for v in pattern.get("/Matrix", [1, 0, 0, 1, 0, 0])))
    if pattern.get("/PatternType") == 1:
        _walk(pattern, pattern.get("/Resources", resources), matrix, facts, depth + 1)
    elif rgb_space(entry(pattern, "/Shading").get("/ColorSpace")):
        facts.rgb.add("an RGB shading")


def _group_rgb(owner: pikepdf.Object) -> bool:
    group = owner.get("/Group")
    return group is not None and rgb_space(group.get("/CS"))


def _notdefs(font: pikepdf.Object, operands: list[pikepdf.Object], facts: _Page) -> None:
    """Glyph codes the font maps to CID 0, .notdef: the text has a character no font could draw."""
    missing = _notdef_codes(font)
    if not missing:
        return
    strings = [o for o in operands if isinstance(o, pikepdf.String)]
    strings += [o for arr in operands if isinstance(arr, pikepdf.Array) for o in arr if isinstance(o, pikepdf.String)]
    for s in strings:
        raw = bytes(s)
        for i in range(0, len(raw) - 1, 2):
            code = int.from_bytes(raw[i : i + 2], "big")
            if code in missing:
                facts.notdef.add((_family(font), missing[code]))


def _notdef_codes(font: pikepdf.Object) -> dict[int, str]:
    """Code → the character meant, for codes drawn as .notdef by a two-byte (Type0) font."""
    if font.get("/Subtype") != Name.Type0:
        return {}
    encoding = font.get("/Encoding")
    missing: set[int] = set()
    if isinstance(encoding, pikepdf.Stream):
        for block in re.findall(rb"begincidchar(.*?)endcidchar", encoding.read_bytes(), re.DOTALL):
            missing |= {int(code, 16) for code, cid in re.findall(rb"<([0-9a-fA-F]+)>\s+(\d+)", block) if int(cid) == 0}
    elif encoding == Name("/Identity-H"):
        missing.add(0)
    if not missing:
        return {}
    meant = {code: f"U+{code:04X}?" for code in missing}
    to_unicode = font.get("/ToUnicode")
    if isinstance(to_unicode, pikepdf.Stream):
        for code, text in re.findall(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", to_unicode.read_bytes()):
            if int(code, 16) in meant:
                char = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
                meant[int(code, 16)] = f"'{char}' (U+{ord(char[0]):04X})"
    return meant


def _family(font: pikepdf.Object) -> str:
    return _SUBSET.sub("", str(font.get("/BaseFont", "?")).lstrip("/"))


def _embedded(font: pikepdf.Object) -> bool:
    if font.get("/Subtype") == Name.Type3:
        return True
    target = font.DescendantFonts[0] if font.get("/Subtype") == Name.Type0 else font
    descriptor = entry(target, "/FontDescriptor")
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _page_findings(page: _Page, where: SourcePos, theme_fonts: frozenset[str], cmyk_asked: bool) -> list[Diagnostic]:
    on = f"page {page.number}"
    out = [
        error(
            "preflight.font-not-embedded",
            where,
            f"{on}: font {_family(f)} is not embedded",
            "embed every font (WeasyPrint always does; this PDF was changed or made elsewhere)",
        )
        for f in page.fonts.values()
        if not _embedded(f)
    ]
    families = {f.replace(" ", "") for f in theme_fonts}
    if theme_fonts:
        for font in page.fonts.values():
            family = _family(font)
            if not any(family.replace("-", "").startswith(f) for f in families):
                out.append(
                    error(
                        "preflight.fallback-font",
                        where,
                        f"{on}: text set in {family}, a fallback font outside the theme",
                        "some character has no glyph in the theme's fonts: find it with `typeset check`",
                    )
                )
    for family, char in sorted(page.notdef):
        out.append(
            error(
                "preflight.missing-glyph",
                where,
                f"{on}: {char} is drawn as .notdef (an empty box) in {family}",
                "no font has that character: replace it or add a font that has it",
            )
        )
    for width, height, ppi in page.images:
        if ppi < PRINT_PPI - 1:
            out.append(
                error(
                    "preflight.low-resolution",
                    where,
                    f"{on}: an image of {width}×{height} px prints at {ppi:.0f} ppi, under {PRINT_PPI}",
                    "use a larger image or print it smaller",
                )
            )
    if cmyk_asked and page.rgb:
        out.append(
            error(
                "preflight.rgb",
                where,
                f"{on}: RGB where the output intent is CMYK: " + "; ".join(sorted(page.rgb)),
                "build with --profile print, which converts colours to the press profile",
            )
        )
    return out


# ---- What the pages look like -----------------------------------------------------------------


def _rendered_findings(data: bytes, pdf: pikepdf.Pdf, where: SourcePos, claim: str) -> list[Diagnostic]:
    """Empty pages, text crossing the trim, and artwork that stops at the trim instead of running into the bleed."""
    out: list[Diagnostic] = []
    document = pypdfium2.PdfDocument(data)
    try:
        for number, page in enumerate(document, start=1):
            trim, media = page.get_trimbox(), page.get_mediabox()
            bled = trim != media or claim.startswith("PDF/X")
            scale = 36 / POINTS_PER_INCH if bled else 9 / POINTS_PER_INCH
            image = page.render(scale=scale).to_pil().convert("RGB")
            inside = image.crop(_pixels(trim, media, scale))
            if all(low == high for low, high in inside.getextrema()):
                out.append(
                    error(
                        "preflight.empty-page",
                        where,
                        f"page {number}: nothing is printed on it",
                        "remove the page, or pad with settings.pad_to, which fills with ruled notes pages",
                    )
                )
            if bled:
                out += [
                    error(
                        "preflight.trim-text", where, f"page {number}: text crosses the {edge} trim edge: '{text}'", "keep text at least 3 mm inside the trim"
                    )
                    for edge, text in _text_over_trim(page, trim)
                ]
                out += [
                    error(
                        "preflight.no-bleed",
                        where,
                        f"page {number}: {what}",
                        "let backgrounds and pictures that touch the edge run 3 mm past it (the theme's print.css)",
                    )
                    for what in _stops_at_trim(image, trim, media, scale)
                ]
            page.close()
    finally:
        document.close()
    return out


def _pixels(box: tuple[float, float, float, float], media: tuple[float, float, float, float], scale: float) -> tuple[int, int, int, int]:
    """A PDF box as a pixel box (left, top, right, bottom) of the page rendered at `scale`."""
    left, bottom, right, top = box
    return (round((left - media[0]) * scale), round((media[3] - top) * scale), round((right - media[0]) * scale), round((media[3] - bottom) * scale))


def _text_over_trim(page: pypdfium2.PdfPage, trim: tuple[float, float, float, float]) -> list[tuple[str, str]]:
    text = page.get_textpage()
    out = []
    for i in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(i)
        edges = [
            e
            for e, crosses in (
                ("left", left < trim[0] < right),
                ("right", left < trim[2] < right),
                ("bottom", bottom < trim[1] < top),
                ("top", bottom < trim[3] < top),
            )
            if crosses
        ]
        if edges:
            out.append((edges[0], text.get_text_bounded(left, bottom, right, top).strip()[:40]))
    return out


def _stops_at_trim(image: Image.Image, trim: tuple[float, float, float, float], media: tuple[float, float, float, float], scale: float) -> list[str]:
    """Edges where the colour 1.5 mm inside the trim is ink and 1.5 mm outside it is something else.

    Such artwork ends exactly at the cut: the slightest shift of the knife leaves a white
    sliver. Samples every 1 mm along each edge, 6 mm clear of the corners and their crop marks.
    """
    px = image.load()
    assert px is not None
    left, top, right, bottom = _pixels(trim, media, scale)
    step = 1.5 * POINTS_PER_MM * scale
    out = []
    along_x = [left + (6 + i) * POINTS_PER_MM * scale for i in range(int((trim[2] - trim[0]) / POINTS_PER_MM) - 12)]
    along_y = [top + (6 + i) * POINTS_PER_MM * scale for i in range(int((trim[3] - trim[1]) / POINTS_PER_MM) - 12)]
    edges = {
        "left": [((left + step, y), (left - step, y)) for y in along_y],
        "right": [((right - step, y), (right + step, y)) for y in along_y],
        "top": [((x, top + step), (x, top - step)) for x in along_x],
        "bottom": [((x, bottom - step), (x, bottom + step)) for x in along_x],
    }
    width, height = image.size
    for edge, samples in edges.items():
        bad = []
        for i, (inner, outer) in enumerate(samples):
            a = cast(tuple[int, ...], px[min(width - 1, max(0, int(inner[0]))), min(height - 1, max(0, int(inner[1])))])
            b = cast(tuple[int, ...], px[min(width - 1, max(0, int(outer[0]))), min(height - 1, max(0, int(outer[1])))])
            if min(a) < 235 and max(abs(x - y) for x, y in zip(a, b)) > 48:
                bad.append(6 + i)
        runs = _runs(bad)
        if runs:
            where = ", ".join(f"{a}–{b} mm" for a, b in runs)
            out.append(f"artwork stops at the {edge} trim edge without bleed ({where} from the {'top' if edge in ('left', 'right') else 'left'})")
    return out


def _runs(values: list[int], least: int = 3) -> list[tuple[int, int]]:
    """Consecutive runs of at least `least` values, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for v in values:
        if runs and runs[-1][1] == v - 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return [(a, b) for a, b in runs if b - a + 1 >= least]


# ---- Claims ------------------------------------------------------------------------------------


def _xmp(pdf: pikepdf.Pdf) -> ET.Element | None:
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return None
    try:
        return ET.fromstring(metadata.read_bytes().decode("utf-8").strip().split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    except (ET.ParseError, IndexError, UnicodeDecodeError):
        return None


def _xmp_value(xmp: ET.Element | None, prefix: str, name: str) -> str:
    """A simple property, or the first item of an Alt/Seq/Bag one; as element or attribute."""
    if xmp is None:
        return ""
    tag = f"{{{NS[prefix]}}}{name}"
    for desc in xmp.iter(f"{{{NS['rdf']}}}Description"):
        if tag in desc.attrib:
            return desc.attrib[tag]
        node = desc.find(tag)
        if node is not None:
            item = node.find(f".//{{{NS['rdf']}}}li")
            return (item.text if item is not None else node.text) or ""
    return ""


def _claim(pdf: pikepdf.Pdf, xmp: ET.Element | None) -> str:
    pdfx = _xmp_value(xmp, "pdfxid", "GTS_PDFXVersion") or str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    if pdfx:
        return pdfx
    part = _xmp_value(xmp, "pdfaid", "part")
    return f"PDF/A-{part}{_xmp_value(xmp, 'pdfaid', 'conformance')}" if part else ""


def _cmyk_intent(pdf: pikepdf.Pdf) -> bool:
    intents = entry(pdf.Root, "/OutputIntents")
    return isinstance(intents, pikepdf.Array) and any(int(entry(i, "/DestOutputProfile").get("/N", 0)) == 4 for i in intents)


def _common(pdf: pikepdf.Pdf, xmp: ET.Element | None, intent: Name, components: int) -> tuple[list[str], list[str]]:
    """What PDF/X and PDF/A both require of the file's structure."""
    checked = [
        "qpdf syntax check",
        "file ID",
        "no encryption",
        "XMP metadata",
        f"{intent} output intent with an embedded ICC profile",
        "fonts embedded",
        "no JavaScript",
    ]
    faults = []
    if "/ID" not in pdf.trailer:
        faults.append("the trailer has no file ID")
    if pdf.is_encrypted:
        faults.append("the file is encrypted")
    if xmp is None:
        faults.append("there is no readable XMP metadata")
    intents = [i for i in pdf.Root.get("/OutputIntents", pikepdf.Array()) if i.get("/S") == intent]
    profile = intents[0].get("/DestOutputProfile") if intents else None
    if profile is None:
        faults.append(f"there is no {intent} output intent with an embedded profile")
    elif int(profile.get("/N", 0)) != components:
        faults.append(f"the output intent's profile has {profile.get('/N')} components, not {components}")
    if "/JavaScript" in entry(pdf.Root, "/Names") or "/AA" in pdf.Root:
        faults.append("it carries JavaScript or additional actions")
    return checked, faults


def _pdfx(pdf: pikepdf.Pdf, xmp: ET.Element | None, claim: str) -> tuple[list[str], list[str]]:
    """ISO 15930-7 (PDF/X-4) rules on the file's structure that pikepdf can see."""
    checked, faults = _common(pdf, xmp, Name.GTS_PDFX, 4)
    checked += [
        "PDF version ≤ 1.6",
        "TrimBox and BleedBox on every page, nested in the MediaBox",
        "Title and Trapped in info and XMP",
        "no annotations inside the BleedBox",
        "no RGB (device colour matches the CMYK output intent)",
    ]
    if claim != "PDF/X-4":
        faults.append(f"only PDF/X-4 is checked here, not {claim}")
    if pdf.pdf_version > "1.6":
        faults.append(f"the PDF version is {pdf.pdf_version}, PDF/X-4 allows up to 1.6")
    if not str(pdf.docinfo.get("/Title", "")) or not _xmp_value(xmp, "dc", "title"):
        faults.append("the title is missing from the info dictionary or XMP")
    if str(pdf.docinfo.get("/Trapped", "")) not in ("/True", "/False") or not _xmp_value(xmp, "pdf", "Trapped"):
        faults.append("Trapped is not True or False in the info dictionary and XMP")
    for number, page in enumerate(pdf.pages, start=1):
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.get("/ArtBox", []))]
        bleed = [float(v) for v in page.obj.get("/BleedBox", media)]
        if not trim:
            faults.append(f"page {number} has no TrimBox")
        elif not (_inside(trim, bleed) and _inside(bleed, media)):
            faults.append(f"page {number}: TrimBox {trim} ⊄ BleedBox {bleed} ⊄ MediaBox {media}")
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") not in (Name.PrinterMark, Name.TrapNet) and _overlaps([float(v) for v in annot.Rect], bleed):
                faults.append(f"page {number} has a {annot.get('/Subtype')} annotation inside the BleedBox")
    return checked, faults


def _pdfa(pdf: pikepdf.Pdf, xmp: ET.Element | None, claim: str) -> tuple[list[str], list[str]]:
    """ISO 19005-2 (PDF/A-2b) rules on the file's structure that pikepdf can see."""
    checked, faults = _common(pdf, xmp, Name.GTS_PDFA1, 3)
    checked += ["info dictionary equivalent to XMP", "XMP uncompressed, extension schemas declared", "annotations printable", "no embedded files", "no LZW"]
    if claim not in ("PDF/A-2B", "PDF/A-2U", "PDF/A-2A"):
        faults.append(f"only PDF/A-2 is checked here, not {claim}")
    metadata = pdf.Root.get("/Metadata")
    if isinstance(metadata, pikepdf.Stream) and "/Filter" in metadata:
        faults.append("the XMP metadata stream is compressed")
    pairs = {
        "/Title": ("dc", "title"),
        "/Author": ("dc", "creator"),
        "/Subject": ("dc", "description"),
        "/Keywords": ("pdf", "Keywords"),
        "/Creator": ("xmp", "CreatorTool"),
        "/Producer": ("pdf", "Producer"),
    }
    for key, (prefix, name) in pairs.items():
        if key in pdf.docinfo and str(pdf.docinfo[key]) != _xmp_value(xmp, prefix, name):
            faults.append(f"info {key} differs from XMP {prefix}:{name}")
    if xmp is not None:
        declared = {el.text for el in xmp.iter(f"{{{NS['pdfaSchema']}}}namespaceURI")}
        used = {tag[1:].split("}")[0] for el in xmp.iter() for tag in [el.tag, *el.attrib] if tag.startswith("{")}
        for uri in sorted(used - _PREDEFINED - declared - {"http://www.w3.org/XML/1998/namespace"}):
            faults.append(f"XMP uses {uri} without a pdfaExtension schema")
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", []):
            if not int(annot.get("/F", 0)) & 4:
                faults.append(f"page {number} has an annotation without the Print flag")
    if "/EmbeddedFiles" in entry(pdf.Root, "/Names"):
        faults.append("it embeds files")
    if any(isinstance(o, pikepdf.Stream) and o.get("/Filter") == Name.LZWDecode for o in pdf.objects):
        faults.append("a stream is LZW-compressed")
    return checked, faults


def _inside(inner: list[float], outer: list[float], slack: float = 0.01) -> bool:
    return inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack


def _overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
