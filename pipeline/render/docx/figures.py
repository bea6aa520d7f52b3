"""Figures: the picture in a paragraph of its own, the caption below; an SVG
goes in beside a PNG drawn from it, as Word 2016 stores one."""

from __future__ import annotations

import io
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Emu
from docx.text.paragraph import Paragraph as DocxParagraph

from pipeline.model import Figure
from pipeline.problems import BriefingError
from pipeline.render.docx.inlines import numbered_caption, paragraph
from pipeline.render.docx.state import Env, State


def figure_xml(figure: Figure, env: Env, state: State) -> list:
    """The picture in its own paragraph, at most the text's width, with the
    alt text as its description; the caption below in Word's Caption style
    with a SEQ Figure field, as Word's own Insert Caption does."""
    holder = paragraph(env, state, "Figure", ())
    width = min(Emu(int(figure.width * 914400 / 96)), Emu(env.text_width))  # 96 px to the inch
    svg = Path(figure.path).read_bytes() if figure.mime == "image/svg+xml" else None
    image = io.BytesIO(svg_fallback(svg, figure, width)) if svg else figure.path
    picture = DocxParagraph(holder, state.package.part).add_run().add_picture(image, width=width)
    if svg:
        attach_svg(picture, svg, state)
    doc_pr = picture._inline.docPr
    # python-docx counts shape ids in the body, which these are not in yet.
    doc_pr.set("id", str(state.shape_id()))
    doc_pr.set("descr", figure.alt)
    doc_pr.set("name", Path(figure.path).name)
    content = [holder]
    if figure.caption:
        content.append(numbered_caption(env, state, "figure", "Figure", figure.number,
                                        figure.caption, figure.id, figure.portion))
    return content


# Word 2016 and later draw the SVG; older Word, LibreOffice and pandoc the PNG.
SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_MAIN = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
FALLBACK_SCALE = 2  # PNG pixels per CSS pixel shown, for a sharp print
FALLBACK_MAX = 4000  # pixels on the long side


def svg_fallback(svg: bytes, figure: Figure, width: Emu) -> bytes:
    """The PNG that Word needs beside an SVG, drawn by CairoSVG (imported
    here only: few briefings have SVG figures). The SVG was checked safe by
    pipeline.read.svg; CairoSVG's own safe mode refuses entities and fetching."""
    shown = width / 9525  # EMU per CSS pixel
    scale = min(FALLBACK_SCALE * shown / figure.width,
                FALLBACK_MAX / max(figure.width, figure.height))
    try:
        import cairosvg
        return cairosvg.svg2png(bytestring=svg, output_width=max(1, round(figure.width * scale)),
                                output_height=max(1, round(figure.height * scale)))
    except Exception as error:  # CairoSVG raises many kinds; all mean "cannot draw it"
        raise BriefingError.one(figure.path, None, "docx.figure", "DOCX: cannot draw the PNG that "
                                f"Word shows in place of this SVG: {type(error).__name__}: {error}"
                                ) from None


def attach_svg(picture, svg: bytes, state: State) -> None:
    """The SVG as its own media part, named in the picture's blip by the
    extension Word 2016 writes; the blip's own image stays the PNG."""
    document_part = state.package.part
    package = document_part.package
    part = Part(package.next_partname("/word/media/image%d.svg"), "image/svg+xml", svg, package)
    rid = document_part.relate_to(part, RT.IMAGE)
    blip = picture._inline.xpath(".//a:blip")[0]
    blip.append(parse_xml(f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_BLIP}">'
                          f'<asvg:svgBlip xmlns:asvg="{SVG_MAIN}" r:embed="{rid}"/>'
                          '</a:ext></a:extLst>'))
