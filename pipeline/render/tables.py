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
