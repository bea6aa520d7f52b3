"""A staff product's page in Word as its regulation has it (AR 25-50,
JSP 101; the PDF's memo/print.css and loose-minute/print.css do the same):
later pages open with the office symbol and SUBJECT (a loose minute's file
reference) at the left margin in the body's type, a blank line before the
text (Memo Continuation); the first page is not numbered, later pages are
at the foot's centre (Memo Page Number, the labels' `memo_page_number`,
Word's PAGE and NUMPAGES fields); and the text is in the font the style's
regulation names (its `docx: font`: Arial, or Times New Roman), where the
house's serif and sans were."""

from __future__ import annotations

from collections.abc import Mapping

from docx.oxml.ns import qn

from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import simple_field, text_run
from pipeline.render.docx.state import State
from pipeline.render.stafflook import page_number_parts

W_P = qn("w:p")
BODY_SIZE = 24  # half-points: 12 pt, the regulations' size
FIELDS = {"page": " PAGE \\* MERGEFORMAT ", "pages": " NUMPAGES \\* MERGEFORMAT "}


def continuation(state: State, header, lines: list) -> None:
    """The continuation header's lines after the banner, then the blank line."""
    for index, line in enumerate([*lines, OxmlElement("w:p")]):
        line.style = state.style("Memo Continuation First" if index == 0 else "Memo Continuation")
        header.append(line)


def later_pages_numbered(state: State, labels: Mapping[str, str]) -> None:
    """No number on the first page (its own footer: the banner alone); on
    later pages the style's form of it, centred."""
    section = state.package.sections[0]
    for footer in (section.footer, section.first_page_footer):
        paragraphs = footer._element.findall(W_P)
        if len(paragraphs) > 1:  # the banner, then page.py's "Page X of Y"
            footer._element.remove(paragraphs[-1])
    number = OxmlElement("w:p")
    number.style = state.style("Memo Page Number")
    for kind, text in page_number_parts(labels["memo_page_number"]):
        number.append(text_run(text) if kind == "text" else simple_field(FIELDS[kind], "1"))
    section.footer._element.append(number)


def staff_font(state: State, font: str | None) -> None:
    """The regulation's font in place of the house's serif and sans (the
    built-in reference document's), and its 12 pt as the body's size; the
    banner keeps the house's sans as the PDF's, code its mono."""
    if not font:
        return
    styles = state.package.styles.element
    house = {fonts.get(qn("w:ascii")) for fonts in styles.iter(qn("w:rFonts"))} & HOUSE_FONTS
    for fonts in styles.iter(qn("w:rFonts")):
        style = fonts.getparent().getparent()
        name = style.find(qn("w:name")) if style.tag == qn("w:style") else None
        if name is not None and (name.get(qn("w:val")) or "").startswith("Classification"):
            continue
        if fonts.get(qn("w:ascii")) in house:
            for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attribute), font)
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None:
        for tag in ("w:sz", "w:szCs"):
            size = defaults.find(qn(tag))
            if size is not None:
                size.set(qn("w:val"), str(BODY_SIZE))


HOUSE_FONTS = {"Noto Serif", "Noto Sans"}  # tools/make_reference_docx.py's BODY_FONT, HEAD_FONT
