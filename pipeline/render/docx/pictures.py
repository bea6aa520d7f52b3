"""Pictures, of a figure or in the line (a badge, an icon): a run holding
the image, related from the part it stands in; an SVG goes in beside a PNG
drawn from it, as Word 2016 stores one."""

from __future__ import annotations

import io
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.shape import CT_Inline
from docx.shared import Emu

from pipeline.model import Length
from pipeline.problems import BriefingError
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.sizes import emu_size
from pipeline.render.svg import drawable
from pipeline.render.docx.state import Env, State


def picture_run(path: str, data: bytes, mime: str, width_px: int, height_px: int, alt: str,
                env: Env, state: State, size: tuple[Length | None, Length | None] = (None, None),
                room: int | None = None, decorative: bool = False):
    """A run holding a picture (`data`, the bytes the reader checked; `path`
    only names it) at `width_px` CSS pixels (96 to the inch), or at the
    `size` its author set (`{width=50%}`: of `room`, the width it stands
    in, by default the text's), at most `room` wide and a page's text high,
    related from the part it stands in (the body or the notes); the alt
    text is its description, or, when `decorative` (the text beside it says
    what it shows), it has none and Word's decorative mark. An SVG goes in
    beside a PNG drawn from it, as Word 2016 stores one."""
    shown = emu_size((width_px, height_px), size[0], size[1],
                     (room or env.text_width, env.text_height), env.body_size)
    width, height = Emu(shown[0]), Emu(shown[1])
    svg = drawable(data) if mime == "image/svg+xml" else None
    part = state.notes if env.in_note and state.notes else state.package.part
    image_part = state.package.part.package.get_or_add_image_part(
        io.BytesIO(svg_fallback(svg, path, width_px, height_px, width) if svg else data))
    rid = part.relate_to(image_part, RT.IMAGE)
    # Our own count of shape ids: python-docx counts those in the body,
    # which these are not in yet.
    inline = CT_Inline.new_pic_inline(state.shape_id(), rid, Path(path).name, width, height)
    for side in ("distT", "distB", "distL", "distR"):  # no gap round it in the line (LibreOffice adds one)
        inline.set(side, "0")
    if svg:
        attach_svg(inline, svg, part)
    inline.docPr.set("name", Path(path).name)
    if decorative:
        inline.docPr.append(parse_xml(f'<a:extLst {nsdecls("a")}><a:ext uri="{DECORATIVE}">'
                                      f'<adec:decorative xmlns:adec="{DECORATIVE_NS}" val="1"/>'
                                      '</a:ext></a:extLst>'))
    else:
        inline.docPr.set("descr", alt)
    run = OxmlElement("w:r")
    drawing = OxmlElement("w:drawing")
    drawing.append(inline)
    run.append(drawing)
    return run


# Word 365's "Mark as decorative": a screen reader passes the picture by.
DECORATIVE = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


# Word 2016 and later draw the SVG; older Word, LibreOffice and pandoc the PNG.
SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_MAIN = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
FALLBACK_SCALE = 2  # PNG pixels per CSS pixel shown, for a sharp print
FALLBACK_MAX = 4000  # pixels on the long side


def svg_fallback(svg: bytes, path: str, width_px: int, height_px: int, width: Emu) -> bytes:
    """The PNG that Word needs beside an SVG, drawn by CairoSVG (imported
    here only: few briefings have SVG figures). The SVG was checked safe by
    pipeline.read.svg; CairoSVG's own safe mode refuses entities and fetching."""
    shown = width / 9525  # EMU per CSS pixel
    scale = min(FALLBACK_SCALE * shown / width_px, FALLBACK_MAX / max(width_px, height_px))
    try:
        import cairosvg
        return cairosvg.svg2png(bytestring=svg, output_width=max(1, round(width_px * scale)),
                                output_height=max(1, round(height_px * scale)))
    except Exception as error:  # CairoSVG raises many kinds; all mean "cannot draw it"
        raise BriefingError.one(path, None, "docx.figure", "DOCX: cannot draw the PNG that "
                                f"Word shows in place of this SVG: {type(error).__name__}: {error}"
                                ) from None


def attach_svg(inline, svg: bytes, part) -> None:
    """The SVG as its own media part, named in the picture's blip by the
    extension Word 2016 writes; the blip's own image stays the PNG."""
    package = part.package
    svg_part = Part(package.next_partname("/word/media/image%d.svg"), "image/svg+xml", svg, package)
    rid = part.relate_to(svg_part, RT.IMAGE)
    blip = inline.xpath(".//a:blip")[0]
    blip.append(parse_xml(f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_BLIP}">'
                          f'<asvg:svgBlip xmlns:asvg="{SVG_MAIN}" r:embed="{rid}"/>'
                          '</a:ext></a:extLst>'))
