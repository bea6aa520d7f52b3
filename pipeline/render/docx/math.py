"""Mathematics in Word: Office Math (OMML) that Word edits as its own
equations, converted in render/math.py; where that cannot be made, a
picture of the formula drawn as for the PDF, described by its TeX."""

from __future__ import annotations

import io

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu

from pipeline.model import Equation
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import bookmark, bookmark_name, bookmarked, label_bookmark_name, text_run
from pipeline.render.docx.fields import styled_paragraph
from pipeline.render.docx.state import Env, State
from pipeline.render.math import drawing
from pipeline.render.omml import omml

EMU_PER_TWIP = 635
EM = 11  # points: the body text's size, to size a picture of a formula


def math_xml(tex: str, display: bool, env: Env, state: State) -> list:
    """A formula within a paragraph: inline, or (display) a math paragraph of its own line."""
    written = omml(tex, display)
    if written is None:
        return [picture(tex, display, env, state)]
    equation = parse_xml(f"<m:wrap {nsdecls('m', 'w')}>{written}</m:wrap>")[0]
    if not display:
        return [equation]
    paragraph = OxmlElement("m:oMathPara")
    paragraph.append(equation)
    return [paragraph]


def equation_xml(block: Equation, env: Env, state: State) -> list:
    """Display mathematics in a paragraph of its own, centred; a numbered
    one has its number at the right margin, "(1)", bookmarked for the REF
    fields of cross-references to it."""
    p = styled_paragraph(state.style("Body Text"))
    if not block.number:
        p.pPr.append(OxmlElement("w:jc", {qn("w:val"): "center"}))
        p.extend(math_xml(block.tex, True, env, state))
    else:
        width = env.text_width // EMU_PER_TWIP
        tabs = OxmlElement("w:tabs")
        tabs.append(OxmlElement("w:tab", {qn("w:val"): "center", qn("w:pos"): str(width // 2)}))
        tabs.append(OxmlElement("w:tab", {qn("w:val"): "right", qn("w:pos"): str(width)}))
        p.pPr.append(tabs)
        number = [text_run(str(block.number))]
        if block.id:
            number = bookmarked(number, label_bookmark_name(block.id), state.bookmark_id())
        p.extend([tab(), *math_xml(block.tex, False, env, state), tab(), text_run("("), *number,
                  text_run(")")])
    if block.id:
        bookmark(p, bookmark_name(block.id), state.bookmark_id())
    return [p]


def tab():
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:tab"))
    return r


def picture(tex: str, display: bool, env: Env, state: State):
    """The formula as a picture (a PNG drawn from its SVG), its TeX as the
    description; in a footnote, whose pictures would need their own part,
    the TeX in code style."""
    drawn = drawing(tex, display)
    if env.in_note:
        r = text_run(tex)
        r.style = state.style("Verbatim Char")
        return r
    import cairosvg  # only for the rare formula Word's converter cannot take

    png = cairosvg.svg2png(bytestring=drawn.svg.encode("utf-8"), scale=4)
    width, height = (Emu(int(size * EM * 12700)) for size in (drawn.width, drawn.height))
    inline = state.package.part.new_pic_inline(io.BytesIO(png), width, height)
    inline.docPr.set("id", str(state.shape_id()))
    inline.docPr.set("descr", tex)
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:drawing"))
    r[-1].append(inline)
    return r
