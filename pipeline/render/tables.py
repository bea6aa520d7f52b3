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
    return sum(len(m.block_text(block)) for cell in table.head for block in cell) > LONG_HEAD
