"""An RGB PDF → the same PDF in a press's CMYK: images, vector colours, shadings and transparency groups.

WeasyPrint writes sRGB for everything but `device-cmyk()` colours, and leaves images RGB. A
press separates CMYK with its own characterisation, so each RGB value here goes through
LittleCMS (Pillow's ImageCms) from sRGB to the press's ICC profile, relative colorimetric with
black point compensation, the usual prepress choice. Neutral greys become black ink alone,
so grey text and rules never print in four registered colours.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from io import BytesIO
from typing import Any

import pikepdf
from pikepdf import Name
from PIL import Image, ImageCms

from typeset.output.pdfobjects import entry

RGB_SPACES = (Name.DeviceRGB, Name.CalRGB)


class Converter:
    """sRGB (or an image's own RGB profile) → the output profile's CMYK."""

    def __init__(self, icc: bytes) -> None:
        self.output = ImageCms.ImageCmsProfile(BytesIO(icc))
        self._transform = self._make(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")))

    def _make(self, source: ImageCms.ImageCmsProfile) -> ImageCms.ImageCmsTransform:
        return ImageCms.buildTransform(source, self.output, "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC, ImageCms.Flags.BLACKPOINTCOMPENSATION)

    def colour(self, r: float, g: float, b: float) -> tuple[float, float, float, float]:
        return _cmyk(self._transform, round(r * 255), round(g * 255), round(b * 255))

    def image(self, image: Image.Image, icc: bytes | None = None) -> Image.Image:
        transform = self._transform
        if icc:  # a broken profile in the image: read its colours as sRGB, as a browser would
            with contextlib.suppress(OSError, ImageCms.PyCMSError):
                transform = self._make(ImageCms.ImageCmsProfile(BytesIO(icc)))
        return ImageCms.applyTransform(image.convert("RGB"), transform) or image


@lru_cache(maxsize=4096)
def _cmyk(transform: ImageCms.ImageCmsTransform, r: int, g: int, b: int) -> tuple[float, float, float, float]:
    if r == g == b:
        return (0.0, 0.0, 0.0, round(1 - r / 255, 4))
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), (r, g, b)), transform)
    assert pixel is not None
    c, m, y, k = pixel.getpixel((0, 0))  # type: ignore[misc]
    return (round(c / 255, 4), round(m / 255, 4), round(y / 255, 4), round(k / 255, 4))


def convert_to_cmyk(pdf: pikepdf.Pdf, icc: bytes) -> None:
    """Convert every RGB colour of every page (and everything the pages draw) to CMYK, in place.

    Images are converted and compressed on threads (LittleCMS and zlib release the GIL).
    """
    convert = Converter(icc)
    seen: set[tuple[int, int]] = set()
    images: list[pikepdf.Stream] = []
    for page in pdf.pages:
        _rewrite_content(pdf, page.obj, convert)
        _convert_group(page.obj)
        for obj in _drawables(page.obj.get("/Resources"), seen):
            if obj.get("/Subtype") == Name.Image:
                if isinstance(obj, pikepdf.Stream) and not obj.get("/ImageMask") and rgb_space(obj.get("/ColorSpace")):
                    images.append(obj)
            else:
                _convert_object(pdf, obj, convert)
    decoded = [(pikepdf.PdfImage(image).as_pil_image(), _embedded_profile(image)) for image in images]
    with ThreadPoolExecutor() as pool:
        converted = pool.map(lambda job: zlib.compress(convert.image(*job).tobytes(), 6), decoded)
        for image, data in zip(images, converted):
            image.write(data, filter=Name.FlateDecode)
            image.ColorSpace = Name.DeviceCMYK
            image.BitsPerComponent = 8
            for key in ("/Decode", "/DecodeParms"):
                if key in image:
                    del image[key]


def _drawables(resources: pikepdf.Object | None, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Object]:
    """Every image, form, pattern, shading and soft-mask group reachable from `resources`, once."""
    if resources is None:
        return
    found: list[pikepdf.Object] = []
    for kind in ("/XObject", "/Pattern", "/Shading"):
        found += list(entry(resources, kind).values())
    for state in entry(resources, "/ExtGState").values():
        smask = state.get("/SMask")
        if isinstance(smask, pikepdf.Dictionary) and "/G" in smask:
            found.append(smask.G)
    for obj in found:
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        yield obj
        yield from _drawables(obj.get("/Resources"), seen)
        if "/Shading" in obj:  # a shading pattern
            yield obj.Shading


def _convert_object(pdf: pikepdf.Pdf, obj: pikepdf.Object, convert: Converter) -> None:
    """A shading, or a form XObject or tiling pattern (content of its own)."""
    if "/ShadingType" in obj:
        _convert_shading(obj, convert)
    elif isinstance(obj, pikepdf.Stream):  # a form XObject or a tiling pattern
        _rewrite_content(pdf, obj, convert)
        _convert_group(obj)


def rgb_space(space: pikepdf.Object | None) -> bool:
    """DeviceRGB, CalRGB, a 3-component ICC profile, or a palette over one of them."""
    if space is None:
        return False
    if isinstance(space, pikepdf.Name):
        return space in RGB_SPACES
    if isinstance(space, pikepdf.Array) and len(space) > 1:
        family = space[0]
        if family == Name.ICCBased:
            return int(space[1].get("/N", 0)) == 3
        if family == Name.CalRGB:
            return True
        if family == Name.Indexed:
            return rgb_space(space[1])
    return False


def _embedded_profile(image: pikepdf.Object) -> bytes | None:
    """The image's own ICC profile, if it has one: the colours are in that space, not sRGB."""
    space = image.ColorSpace
    if isinstance(space, pikepdf.Array) and space[0] == Name.Indexed:
        space = space[1]
    if isinstance(space, pikepdf.Array) and space[0] == Name.ICCBased:
        return bytes(space[1].read_bytes())
    return None


def _convert_shading(shading: pikepdf.Object, convert: Converter) -> None:
    """Axial and radial shadings with exponential (type 2) functions, stitched or not: what WeasyPrint writes."""
    if not rgb_space(shading.get("/ColorSpace")):
        return
    functions = [shading.Function]
    if shading.Function.get("/FunctionType") == 3:
        functions = list(shading.Function.Functions)
    if any(f.get("/FunctionType") != 2 for f in functions):
        return  # left RGB: preflight reports it
    for function in functions:
        for key in ("/C0", "/C1"):
            rgb = [float(v) for v in function.get(key, [0, 0, 0] if key == "/C0" else [1, 1, 1])]
            function[key] = pikepdf.Array(convert.colour(*rgb))
    shading.ColorSpace = Name.DeviceCMYK


def _convert_group(obj: pikepdf.Object) -> None:
    group = obj.get("/Group")
    if group is not None and rgb_space(group.get("/CS")):
        group.CS = Name.DeviceCMYK


def _rewrite_content(pdf: pikepdf.Pdf, owner: pikepdf.Object, convert: Converter) -> None:
    """`r g b rg` → `c m y k k` (and RG → K); `/DeviceRGB cs` with its `sc`/`scn` values likewise."""
    spaces = entry(entry(owner, "/Resources"), "/ColorSpace")
    out: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    changed = False
    rgb_fill = rgb_stroke = False
    for instruction in pikepdf.parse_content_stream(owner):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        operands: list[Any] = list(instruction.operands)
        name = str(instruction.operator)
        if name in ("rg", "RG"):
            operands, name = list(convert.colour(*(float(v) for v in operands))), "k" if name == "rg" else "K"
            changed = True
        elif name in ("cs", "CS"):
            space = spaces.get(str(operands[0]), operands[0])
            is_rgb = rgb_space(space) and not (isinstance(space, pikepdf.Array) and space[0] == Name.Indexed)
            if name == "cs":
                rgb_fill = is_rgb
            else:
                rgb_stroke = is_rgb
            if is_rgb:
                operands, changed = [Name.DeviceCMYK], True
        elif (name in ("sc", "scn") and rgb_fill) or (name in ("SC", "SCN") and rgb_stroke):
            operands = list(convert.colour(*(float(v) for v in operands)))
        out.append(pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(name)))
    if changed:
        data = zlib.compress(pikepdf.unparse_content_stream(out))
        if isinstance(owner, pikepdf.Stream):
            owner.write(data, filter=Name.FlateDecode)
        else:
            owner.Contents = pdf.make_stream(data, Filter=Name.FlateDecode)
