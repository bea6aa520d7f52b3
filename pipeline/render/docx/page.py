"""The page: its size, the classification banner and running head in the
headers, "Page X of Y" in the footers, the DRAFT watermark, and the break
that ends the title page. What changes with the document is a field, so
Word keeps it right when the text or the properties change."""

from __future__ import annotations

from collections.abc import Mapping

from docx.document import Document as Docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Inches

from pipeline import model
from pipeline.markings.rules import level_class
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import simple_field, styled_paragraph, text_run
from pipeline.render import measure
from pipeline.render.docx.package import BUILTIN_REFERENCE, fit_right_tabs, style_font, text_width
from pipeline.render.docx.state import State

PAGE_SIZES = {"a4": (Cm(21), Cm(29.7)), "letter": (Inches(8.5), Inches(11))}


def page_setup(meta: model.Meta, labels: Mapping[str, str], state: State) -> None:
    section = state.package.sections[0]
    # A user's reference document brings its page size and margins; the
    # front matter's `paper`, when written, still wins, and so does its
    # default where the reference names no size (figures fit the width).
    if (meta.line_of("paper") is not None or BUILTIN_REFERENCE.samefile(state.reference)
            or section.page_width is None or section.page_height is None):
        before = text_width(state.package)
        section.page_width, section.page_height = PAGE_SIZES.get(meta.paper, PAGE_SIZES["a4"])
        # The contents' page numbers stay at the right margin of this page.
        after = text_width(state.package)
        for style in state.package.styles.element.findall(qn("w:style")):
            fit_right_tabs(style, before, after)
    # The classification banner on every page, top and bottom, as on paper,
    # coloured by level where the reference document has a style for it.
    coloured = f"Classification {level_class(meta.classification)}"
    banner_style = coloured if coloured in state.style_ids else "Classification"
    # Fields, so the banner and running head follow the document properties.
    # The first page (the title page, or the title block) has a header and
    # footer of its own: the banner, but no running head over the title.
    section.different_first_page_header_footer = True
    for part in (section.header, section.footer, section.first_page_header,
                 section.first_page_footer):
        part.is_linked_to_previous = True  # drops whatever the reference had
        part.is_linked_to_previous = False  # a fresh part with one paragraph
        banner = part.paragraphs[0]._p
        banner.style = state.style(banner_style)
        banner.append(simple_field(" DOCPROPERTY Classification \\* MERGEFORMAT ",
                                   meta.classification))
    running_head = styled_paragraph(state.style("Header"))
    running_head.append(simple_field(" DOCPROPERTY ShortTitle \\* MERGEFORMAT ",
                                     short_title(meta, state.package)))
    section.header._element.append(running_head)
    for footer in (section.footer, section.first_page_footer):
        footer._element.append(page_numbers(labels, state))


def short_title(meta: model.Meta, package: Docx) -> str:
    """The running head: the short title, or the title, after its portion
    mark when it has one, shortened after a whole word to stay on one line
    of the header's width."""
    family, size, bold = style_font(package, "Header")
    return measure.shorten(meta.running_title, text_width(package) / 12700,
                           measure.face(family, bold=bold), size)


def page_numbers(labels: Mapping[str, str], state: State):
    """"Page X of Y" from Word fields, so Word keeps them right as text moves."""
    p = OxmlElement("w:p")
    p.style = state.style("Footer")
    p.extend([text_run(f"{labels['page']} "),
              simple_field(" PAGE \\* MERGEFORMAT ", "1"),
              text_run(f" {labels['of']} "),
              simple_field(" NUMPAGES \\* MERGEFORMAT ", "1")])
    return p


def page_break(state: State):
    """The title page ends here, as a writer ends one in Word (Ctrl+Enter)."""
    p = OxmlElement("w:p")
    p.style = state.style("Body Text")
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:br", {qn("w:type"): "page"}))
    p.append(r)
    return p


# Word's own "DRAFT" watermark (Design > Watermark): a WordArt text path in
# the header, centred on the page's margins, behind the text, rotated.
WATERMARK = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
 path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>
<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>
<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>
<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom"
 o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottom" xrange="6629,14971"/>
</v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:150pt;rotation:315;
 z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;
 mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f"
 fillcolor="#b3261e" stroked="f"><v:fill opacity=".15"/>
<v:textpath style="font-family:&quot;Noto Sans&quot;;font-size:1pt" string=""/>
<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>"""


def add_watermark(package: Docx, text: str) -> None:
    """`status: draft`: the watermark in every page header, as Word puts it."""
    headers = [header for section in package.sections
               for header in (section.header, section.first_page_header)]
    for number, header in enumerate(headers, start=1):
        shape = parse_xml(WATERMARK)
        drawn = shape.find(".//{urn:schemas-microsoft-com:vml}shape")
        # Each a shape of its own, numbered as Word numbers them.
        drawn.set("id", f"PowerPlusWaterMarkObject{number}")
        drawn.set("{urn:schemas-microsoft-com:office:office}spid", f"_x0000_s{2048 + number}")
        drawn.find("{urn:schemas-microsoft-com:vml}textpath").set("string", text)
        header.paragraphs[0]._p.append(shape)
