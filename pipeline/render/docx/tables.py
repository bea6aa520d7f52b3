"""Tables: the caption above, then a Word table in the reference's `Table`
style, its columns as wide as the source's dashes say (pandoc's multiline
and grid tables) or as their contents want. A cell's blocks are paragraphs
in `Compact` (lists in their list styles), made by the block walk and
handed in as `cell_xml`."""

from __future__ import annotations

import math
from collections.abc import Callable

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline import model
from pipeline.model import Block, Table
from pipeline.render.docx.boxes import set_child
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.inlines import numbered_caption
from pipeline.render import measure
from pipeline.render.tables import columns, kept_with_next, long_head, shares, tall, widened
from pipeline.render.docx.package import style_font
from pipeline.render.docx.state import Env, State

EMU_PER_TWIP = 635
CELL_MARGINS = 2 * 85 + 60  # twips: the Table style's left and right cell margins, and some air
MIN_COLUMN = 567  # twips, 1 cm

CellXml = Callable[[tuple[Block, ...]], list]


def table_xml(table: Table, env: Env, state: State, cell_xml: CellXml) -> list:
    """The caption above (Word's Caption style and a SEQ Table field, so Word
    renumbers tables and lists them in a Table of Figures), then the table
    in the reference's `Table` style with a header row that repeats."""
    content = ([numbered_caption(env, state, "table", "Table", table.number, table.caption,
                                 table.id, table.portion, table.prefix)] if table.caption else [])
    tbl = OxmlElement("w:tbl")
    widths = column_widths(table, env.text_width // EMU_PER_TWIP, state)
    # As wide as its columns want (or as its dashes say), up to the text
    # width: a table of two short columns is not stretched across the page
    # with its columns stranded. The header row's look (the style's
    # firstRow) only on a table with one; w:val says what the attributes do.
    first_row, look = ("1", "0620") if table.head else ("0", "0600")
    tbl.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblStyle w:val="{state.style("Table")}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblLook w:val="{look}" w:firstRow="{first_row}" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'))
    grid = OxmlElement("w:tblGrid")
    for width in widths:
        grid.append(OxmlElement("w:gridCol", {qn("w:w"): str(width)}))
    tbl.append(grid)
    merges = merged_places(table)
    heads = table.head_rows()
    for index, row in enumerate(heads):
        made = table_row(row, table.aligns, widths, state, cell_xml, header=True, keep=True,
                         whole=not long_head(table), merges=merges[index])
        if index:  # the table style's header look is its first row's: the others in bold
            emboldened(made)
        tbl.append(made)
    # Never one row alone (render/tables.py); Word keeps a row whose
    # paragraphs are "keep with next" on the page of the next row.
    kept = kept_with_next(table.rows)
    top = len(heads)
    for index, row in enumerate(table.rows):
        tbl.append(table_row(row, table.aligns, widths, state, cell_xml, header=False,
                             keep=kept[index], whole=not taller_than_half_a_page(row, widths, env, state),
                             merges=merges[index + top],
                             bold={column for number, column in table.row_heads if number == index + top}))
    content.append(tbl)
    return content


def column_widths(table: Table, total: int, state: State) -> list[int]:
    """Each column's width in twips: its share of the text width from the
    source's dashes, when it has them; else what its widest cell needs on
    one line (measured in the table style's font, with the cell margins)
    when the columns fit the text width so; else each column's share of
    the text width by the length of its longest cell (capped, so one long
    cell wraps rather than starving the rest) and never narrower than its
    longest word, as a browser's automatic table layout shares it. Word
    and LibreOffice would otherwise make every column as wide, or the
    first one widest."""
    if table.widths:  # shares that add up to the text width or less
        return [round(total * width) for width in table.widths]
    family, size, _ = style_font(state.package, "Table")
    regular, bold = measure.face(family), measure.face(family, bold=True)
    heads, row_heads = len(table.head_rows()), set(table.row_heads)
    measured = columns(table)  # a cell over several columns left out of each

    def face(row: int, column: int) -> measure.Face:
        return bold if row < heads or (row, column) in row_heads else regular  # a row's head is bold too

    natural = [max(max((face(row, number).width(cell_text(cell), size) for row, cell in column), default=0)
                   * 20 + CELL_MARGINS, MIN_COLUMN) for number, column in enumerate(measured)]
    if sum(natural) <= total:
        return [int(width) + 1 for width in natural]
    # No column narrower than its longest word, which would break inside
    # it ("Propert / y"): what it lacks comes from the columns with room.
    words = [max(max((face(row, number).width(word, size) for row, cell in column
                      for word in cell_text(cell).split()), default=0)
                 * 20 + CELL_MARGINS, MIN_COLUMN) for number, column in enumerate(measured)]
    return [int(width) for width in widened(shares(table, total), [int(width) + 1 for width in words])]


def emboldened(element) -> None:
    """Every run in `element` bold: a header look Word's table style gives
    only the first row and no row header."""
    for r in element.iter(qn("w:r")):
        r.get_or_add_rPr().get_or_add_b()


def taller_than_half_a_page(row: tuple[tuple[Block, ...], ...], widths: list[int], env: Env, state: State) -> bool:
    """Whether a body row may go on over a page: one with a long cell
    (render/tables.py), or one whose cell, in the Table style's font and
    its column's width, would stand taller than half the text's height.
    Kept whole, a row taller than a page is cut off where the page ends
    (LibreOffice: UK Home Office's decision log lost the end of a cell of
    its eight narrow columns, under 600 letters)."""
    if tall(row):
        return True
    family, size, _ = style_font(state.package, "Table")
    face, half = measure.face(family), env.text_height / 12700 / 2  # points
    for cell, width in zip(row, widths) if half > 0 else ():
        room = max(width - CELL_MARGINS, MIN_COLUMN) / 20  # points
        lines = sum(max(1, math.ceil(face.width(model.block_text(block), size) / room)) for block in cell)
        if lines * size * LINE > half:
            return True
    return False


LINE = 1.25  # a line's height, in its font's size (Word's single spacing, with the style's spacing)


def cell_text(cell: tuple[Block, ...]) -> str:
    return " ".join(model.block_text(block) for block in cell)


# How a place of a row's grid is merged: (columns, vertical merge), where
# the vertical merge is "restart" (a cell over rows), "continue" (a place
# such a cell covers below its own) or "" (none); None: a place a cell to
# its left covers, which has no w:tc of its own.
Merge = tuple[int, str] | None


def merged_places(table: Table) -> list[dict[int, Merge]]:
    """For each row of the grid (the header row first, when there is one),
    the places a span changes: Word merges a cell across columns with
    w:gridSpan in the cell itself, down rows with w:vMerge in a cell of
    each row it covers."""
    rows: list[dict[int, Merge]] = [{} for _ in range(len(table.rows) + len(table.head_rows()))]
    for span in table.spans:
        for row in range(span.row, span.row + span.rows):
            merge = "restart" if row == span.row and span.rows > 1 else "continue" if row > span.row else ""
            rows[row][span.column] = (span.columns, merge)
            for column in range(span.column + 1, span.column + span.columns):
                rows[row][column] = None
    return rows


def table_row(cells: tuple[tuple[Block, ...], ...], aligns: tuple[str | None, ...],
              widths: list[int], state: State, cell_xml: CellXml, header: bool, keep: bool = False,
              whole: bool = True, merges: dict[int, Merge] | None = None, bold: set[int] | None = None):
    """`header`: repeats at the top of each page the table runs onto (as
    Word does it when the row fits a page); `whole`: never split; `merges`:
    the row's places a span changes (merged_places); `bold`: the columns
    whose cell heads its row (Word marks no row header: it is bold, as in
    the HTML and the print)."""
    tr = OxmlElement("w:tr")
    properties = ("<w:tblHeader/>" if header else "") + ("<w:cantSplit/>" if whole else "")
    tr.append(parse_xml(f'<w:trPr {nsdecls("w")}>{properties}</w:trPr>'))
    merges = merges or {}
    for column, (cell, align, width) in enumerate(zip(cells, aligns, widths)):
        merge = merges.get(column, (1, ""))
        if merge is None:
            continue  # the cell to its left spans it
        across, down = merge
        width = sum(widths[column:column + across])
        tc = OxmlElement("w:tc")
        tc.append(parse_xml(f'<w:tcPr {nsdecls("w")}><w:tcW w:w="{width}" w:type="dxa"/>'
                            + (f'<w:gridSpan w:val="{across}"/>' if across > 1 else "")
                            + (f'<w:vMerge w:val="{down}"/>' if down else "") + '</w:tcPr>'))
        content = cell_xml(cell)
        if not content or content[-1].tag != qn("w:p"):  # a cell ends with a paragraph
            content.append(OxmlElement("w:p"))
        if bold and column in bold:
            for element in content:
                emboldened(element)
        paragraphs = [p for p in content if p.tag == qn("w:p")]
        if not keep and (last := paragraphs[-1].pPr) is not None:
            # A lead-in that ends its cell (ASVS's `**2.1.1**`) announces
            # nothing there: kept, it tied its row to the next, each row to
            # the next, and so the table to what follows it.
            for found in last.findall(qn("w:keepNext")):
                last.remove(found)
        for p in paragraphs:
            if keep:  # (a lead-in in the cell may have it already)
                set_child(p.get_or_add_pPr(), "w:keepNext")
            if align and p.find(qn("w:pPr") + "/" + qn("w:numPr")) is None:
                # The column's alignment is content, as in pandoc's writer (same words).
                p.get_or_add_pPr().append(OxmlElement("w:jc", {qn("w:val"): align}))
        tc.extend(content)
        tr.append(tc)
    return tr
