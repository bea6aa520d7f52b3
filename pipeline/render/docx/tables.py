"""Tables: the caption above, then a Word table in the reference's `Table`
style, its columns shared out by their contents."""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline import model
from pipeline.model import Inline, Table
from pipeline.render.docx.inlines import numbered_caption, paragraph
from pipeline.render import measure
from pipeline.render.docx.package import style_font
from pipeline.render.docx.state import Env, State

EMU_PER_TWIP = 635
CELL_MARGINS = 2 * 85 + 60  # twips: the Table style's left and right cell margins, and some air
MIN_COLUMN = 567  # twips, 1 cm


def table_xml(table: Table, env: Env, state: State) -> list:
    """The caption above (Word's Caption style and a SEQ Table field, so Word
    renumbers tables and lists them in a Table of Figures), then the table
    in the reference's `Table` style with a header row that repeats."""
    content = ([numbered_caption(env, state, "table", "Table", table.number, table.caption,
                                 table.id, table.portion)] if table.caption else [])
    tbl = OxmlElement("w:tbl")
    widths = column_widths(table, env.text_width // EMU_PER_TWIP, state)
    # As wide as its columns want, up to the text width: a table of two
    # short columns is not stretched across the page with its columns stranded.
    tbl.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblStyle w:val="{state.style("Table")}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'))
    grid = OxmlElement("w:tblGrid")
    for width in widths:
        grid.append(OxmlElement("w:gridCol", {qn("w:w"): str(width)}))
    tbl.append(grid)
    tbl.append(table_row(table.head, table.aligns, widths, env, state, header=True, keep=True))
    # Never one row alone: the first kept with the second (not alone under
    # the header at a page's foot), the last with the one before it (not
    # alone under the repeated header); Word keeps a row whose paragraphs
    # are "keep with next" on the page of the next row.
    last = len(table.rows) - 1
    for index, row in enumerate(table.rows):
        tbl.append(table_row(row, table.aligns, widths, env, state, header=False,
                             keep=index == 0 and last > 0 or index == last - 1 and last > 1))
    content.append(tbl)
    return content


def column_widths(table: Table, total: int, state: State) -> list[int]:
    """Each column's width in twips: what its widest cell needs on one line
    (measured in the table style's font, with the cell margins) when the
    columns fit the text width so; else each column's share of the text
    width by the length of its longest cell (capped, so one long cell wraps
    rather than starving the rest), as a browser's automatic table layout
    shares it. Word and LibreOffice would otherwise make every column as
    wide, or the first one widest."""
    family, size, _ = style_font(state.package, "Table")
    regular, bold = measure.face(family), measure.face(family, bold=True)
    columns = list(zip(table.head, *table.rows))
    natural = [max(max((bold if row == 0 else regular).width(model.plain_text(cell), size)
                       for row, cell in enumerate(column)) * 20 + CELL_MARGINS, MIN_COLUMN)
               for column in columns]
    if sum(natural) <= total:
        return [int(width) + 1 for width in natural]
    weights = [min(max(len(model.plain_text(cell)) for cell in column), 60) + 4
               for column in columns]
    return [total * weight // sum(weights) for weight in weights]


def table_row(cells: tuple[tuple[Inline, ...], ...], aligns: tuple[str | None, ...],
              widths: list[int], env: Env, state: State, header: bool, keep: bool = False):
    tr = OxmlElement("w:tr")
    if header:  # repeats at the top of each page the table runs onto
        tr.append(parse_xml(f'<w:trPr {nsdecls("w")}><w:tblHeader/><w:cantSplit/></w:trPr>'))
    else:
        tr.append(parse_xml(f'<w:trPr {nsdecls("w")}><w:cantSplit/></w:trPr>'))
    for cell, align, width in zip(cells, aligns, widths):
        tc = OxmlElement("w:tc")
        tc.append(parse_xml(f'<w:tcPr {nsdecls("w")}><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'))
        p = paragraph(env, state, "Compact", cell)
        if keep:  # w:keepNext comes right after w:pStyle (CT_PPrBase's order)
            p.pPr.find(qn("w:pStyle")).addnext(OxmlElement("w:keepNext"))
        if align:  # the column's alignment is content, as in pandoc's writer
            p.get_or_add_pPr().append(OxmlElement("w:jc", {qn("w:val"): align}))  # same words
        tc.append(p)
        tr.append(tc)
    return tr
