"""Figures: the picture in a paragraph of its own, the caption below; a
figure of sub-figures as a borderless table of its pictures, the caption
below it."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.model import Figure, FigureGroup, caption_repeats_alt
from pipeline.render.docx.boxes import set_child
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import bookmark, bookmark_name, bookmarked, label_bookmark_name, text_run
from pipeline.render.docx.inlines import inlines_xml, numbered_caption, paragraph, portion_run
from pipeline.render.docx.pictures import picture_run
from pipeline.render.docx.state import Env, State

EMU_PER_TWIP = 635
CELL_MARGIN = 85  # twips on each side of a picture in a group (1.5 mm)


def figure_xml(figure: Figure, env: Env, state: State) -> list:
    """The picture in its own paragraph, at most the text's width, with the
    alt text as its description; the caption below in Word's Caption style
    with a SEQ Figure field, as Word's own Insert Caption does. A caption
    that repeats the alt text (`![caption](…)` writes both in one) says it
    for the picture, marked decorative as Word marks one, so a screen
    reader reads the words once."""
    holder = paragraph(env, state, "Figure", ())
    holder.append(picture_run(figure.path, figure.data, figure.mime, figure.width, figure.height,
                              figure.alt, env, state, (figure.display_width, figure.display_height),
                              decorative=caption_repeats_alt(figure)))
    content = [holder]
    if figure.caption:
        content.append(numbered_caption(env, state, "figure", "Figure", figure.number,
                                        figure.caption, figure.id, figure.portion, figure.prefix))
    return content


def figure_group_xml(group: FigureGroup, env: Env, state: State) -> list:
    """A table without borders, `columns` pictures to a row, each over its
    letter and caption ("(a) Site A", centred), kept on one page with the
    group's caption below it: Word's Caption style and a SEQ Figure field,
    as a figure's. The letter is bookmarked, for a cross-reference's REF
    field to repeat after the group's "Figure 3"."""
    columns = max(1, min(group.columns, len(group.figures)))
    total = env.text_width // EMU_PER_TWIP
    width = total // columns
    tbl = OxmlElement("w:tbl")
    borders = "".join(f'<w:{side} w:val="nil"/>' for side in
                      ("top", "left", "bottom", "right", "insideH", "insideV"))
    tbl.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblW w:w="{width * columns}" w:type="dxa"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" '
        'w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr>'))
    grid = OxmlElement("w:tblGrid")
    for _ in range(columns):
        grid.append(OxmlElement("w:gridCol", {qn("w:w"): str(width)}))
    tbl.append(grid)
    room = (width - 2 * CELL_MARGIN) * EMU_PER_TWIP
    for start in range(0, len(group.figures), columns):
        tr = OxmlElement("w:tr")
        tr.append(parse_xml(f'<w:trPr {nsdecls("w")}><w:cantSplit/></w:trPr>'))
        row = group.figures[start:start + columns]
        for figure in (*row, *([None] * (columns - len(row)))):
            tc = OxmlElement("w:tc")
            tc.append(parse_xml(f'<w:tcPr {nsdecls("w")}><w:tcW w:w="{width}" w:type="dxa"/>'
                                '<w:vAlign w:val="bottom"/></w:tcPr>'))
            tc.extend(sub_figure_xml(figure, env, state, room) if figure else [OxmlElement("w:p")])
            tr.append(tc)
        tbl.append(tr)
    for p in tbl.iter(qn("w:p")):  # the pictures on the page of the caption below them
        set_child(p.get_or_add_pPr(), "w:keepNext")
    return [tbl, numbered_caption(env, state, "figure", "Figure", group.number, group.caption,
                                  group.id, group.portion)]


def sub_figure_xml(figure: Figure, env: Env, state: State, room: int) -> list:
    holder = paragraph(env, state, "Figure", ())
    centred(holder)
    holder.append(picture_run(figure.path, figure.data, figure.mime, figure.width, figure.height,
                              f"({figure.letter}) {figure.alt}".rstrip(), env, state,
                              (figure.display_width, figure.display_height), room,
                              decorative=caption_repeats_alt(figure)))
    caption = paragraph(env, state, "Caption", ())
    centred(caption)
    letter = text_run(f"({figure.letter})")
    if "Caption Label" in state.style_ids:
        letter.style = state.style("Caption Label")
    caption.extend(bookmarked([letter], label_bookmark_name(figure.id), state.bookmark_id())
                   if figure.id else [letter])
    if figure.caption or figure.portion:
        caption.append(text_run(" "))
    if figure.portion:
        caption.extend(portion_run(state, figure.portion))
    caption.extend(inlines_xml(figure.caption, env, state, frozenset()))
    if figure.id:
        bookmark(caption, bookmark_name(figure.id), state.bookmark_id())
    return [holder, caption]


def centred(p) -> None:
    p.pPr.append(OxmlElement("w:jc", {qn("w:val"): "center"}))
