"""What every backend decides alike about a table."""

from __future__ import annotations

from pipeline import model as m

# A header row of more than this many characters is not repeated on each
# page but printed once, where it may break across pages: one taller than a
# page would not be drawn at all in the PDF (WeasyPrint leaves out a header
# that does not fit an empty page) and is cut off by LibreOffice in the DOCX
# (a header row may not break there); a long one repeated fills pages.
LONG_HEAD = 400


def long_head(table: m.Table) -> bool:
    return sum(len(m.block_text(block)) for row in table.head_rows() for cell in row for block in cell) > LONG_HEAD


# A body row whose longest cell holds more than this many characters (a
# dozen lines and more in a column of a third of the text's width) may go
# on over a page, as Word lets any row: kept whole, DoD Platform One's
# licensing table left a third of a page empty before each tall row.
TALL_ROW = 600


def tall(row: tuple[tuple[m.Block, ...], ...]) -> bool:
    return max((sum(len(m.block_text(block)) for block in cell) for cell in row), default=0) > TALL_ROW


def columns(table: m.Table) -> list[list[tuple[int, m.Cell]]]:
    """Each column's cells with their rows (the header rows first), for
    measuring it: a cell over several columns is left out of each."""
    wide = table.across()
    grid = [*table.head_rows(), *table.rows]
    return [[(row, cells[column] if (row, column) not in wide else ()) for row, cells in enumerate(grid)
             if column < len(cells)] for column in range(len(table.aligns))]


# A word longer than a narrow table column (a long identifier or URL): print
# may break it anywhere, where it must (render/html.py marks each longer than
# this), so a table's other columns keep their words whole (print.css: "GIUK"
# stood as "GIU" over "K").
LONG_WORD = 24
# Whether a table's columns, each as wide as its longest word (but those
# that break anyway), are wider than the text (the narrower of A4's and US
# Letter's, 453 points) with the cells' padding, reckoned from the letters
# at the print's 9 points, an average letter 0.55 em: then its cells' words
# may break anywhere, or the PDF would run the table off the page and lose
# its last columns.
TEXT_WIDTH, CELL_PADDING, LETTER = 453.0, 14.0, 0.55 * 9


def crowded(table: m.Table) -> bool:
    longest = [max((len(word) for _, cell in column for block in cell for word in m.block_text(block).split()
                    if len(word) <= LONG_WORD), default=0) for column in columns(table)]
    return sum(length * LETTER + CELL_PADDING for length in longest) > TEXT_WIDTH
