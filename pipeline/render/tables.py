"""What every backend decides alike about a table."""

from __future__ import annotations

import functools
from collections.abc import Callable

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
    return longest_cell(row) > TALL_ROW


def longest_cell(row: tuple[tuple[m.Block, ...], ...]) -> int:
    return max((sum(len(m.block_text(block)) for block in cell) for cell in row), default=0)


# No row alone: the first is kept with the second (not alone under the
# caption and header at a page's foot), the last with the one before it
# (not alone under the repeated header), when both rows of the pair are
# short. Two rows of a third of a page each and more bound so could not
# share a page: WeasyPrint then left the table's first page empty, and its
# header off the next (UK Home Office's decision log).
SHORT_ROW = 200


def kept_with_next(rows: tuple[tuple[tuple[m.Block, ...], ...], ...]) -> list[bool]:
    """For each body row, whether it stays on the page of the row after it."""
    short = [longest_cell(row) <= SHORT_ROW for row in rows]
    last = len(rows) - 1
    return [(index == 0 and last > 0 or index == last - 1 and last > 1) and short[index] and short[index + 1]
            for index in range(len(rows))]


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
# that break anyway), are wider than the text (a briefing's 138 mm on A4,
# the narrowest the print sets: 391 points) with the cells' padding, the
# words measured in the print's sans-serif face at its 9 points: then its
# cells' words may break anywhere, or the PDF would run the table off the
# page and lose its last columns. A table whose words, reckoned at an
# average letter (0.55 em), come to less than half the width is not
# measured: no word of letters as wide as W's reaches twice that. A table
# wider than the text by less than OVERHANG reaches into the margin (of
# 102 points at least) by no more than its last cell's padding and a
# little: better than breaking "AUSTRALIA" and "CDRUSINDOPACOM".
TEXT_WIDTH, LETTER, TABLE_SIZE, OVERHANG = 391.0, 0.55 * 9, 9.0, 12.0
# A cell's padding: 0.6 rem each side at the print's 12-point rem, and a
# little for the columns' widths being rounded to tenths of a per cent.
CELL_PADDING = 15.0
WIDEST = 2.0  # a word's width in the face against its reckoning: "WWW" is 1.7


Measure = Callable[[str, bool], float]  # a word's width in points, bold or not


def crowded(table: m.Table, sans: str) -> bool:
    """Whether its columns' longest words are wider than the text, set in
    the first face of the CSS font stack `sans`."""
    if sum(word_widths(table, reckoned)) * WIDEST <= TEXT_WIDTH:
        return False
    return sum(word_widths(table, in_face(sans))) > TEXT_WIDTH + OVERHANG


def reckoned(word: str, bold: bool) -> float:
    """A word's width at an average letter."""
    return (BOLD if bold else 1) * len(word) * LETTER


@functools.cache
def in_face(sans: str) -> Measure:
    """Widths in the face fontconfig gives for the first family of `sans`
    (capitals are wide: "USINDOPACOM" measures 67 points, 55 reckoned, and
    a column of them broke their letters over two lines)."""
    from pipeline.render import measure

    family = measure.first_family(sans)
    faces = {False: measure.face(family), True: measure.face(family, bold=True)}
    return lambda word, bold: faces[bold].width(word, TABLE_SIZE)


def word_widths(table: m.Table, measured: Measure, size: float = TABLE_SIZE) -> list[float]:
    """Each column's longest word (those that break anyway left out), set
    in `size` points, in points with the cell's padding; a header's is bold."""
    heads, scale = len(table.head_rows()), size / TABLE_SIZE
    return [max((measured(word, row < heads) * scale + CELL_PADDING
                 for row, cell in column for block in cell for word in m.block_text(block).split()
                 if len(word) <= LONG_WORD), default=CELL_PADDING) for column in columns(table)]


# A crowded table is printed smaller, down to this size, so that its
# columns' longest words fit the text's width whole, as an author in Word
# shrinks a table of long names: six commands' names (USINDOPACOM …) broke
# in every column at 9 points and stand whole at 7.4.
SMALLEST = 7.0


def fitting_size(table: m.Table, sans: str) -> float:
    """The size, in points, from SMALLEST to the print's 9, at which a
    table's longest words fit the text's width: those that cannot break."""
    words = word_widths(table, in_face(sans))
    padding = CELL_PADDING * len(words)
    fitting = TABLE_SIZE * (TEXT_WIDTH - padding) / max(sum(words) - padding, 1)
    return max(SMALLEST, min(TABLE_SIZE, int(fitting * 10) / 10))


BOLD = 1.08  # Noto Sans Bold's letters against its regular ones


def shares(table: m.Table, total: float) -> list[float]:
    """`total` shared between the columns by the length of each one's
    middle cell (the median), capped, so that a column of sentences gets
    the room and a column of short values does not, for one long value in
    it: DoD Platform One's settings table gave its descriptions a quarter
    of the width, beside a column of `false` and `[]` that held one JSON
    object of 2,000 characters."""
    weights = [min(median([cell_length(cell) for _, cell in column]), 60) + 4 for column in columns(table)]
    return [total * weight / sum(weights) for weight in weights]


def median(lengths: list[int]) -> float:
    """The middle one (of an even count, the mean of the two); 0 for none.
    As statistics.median, whose loading (fractions, decimal: 7 ms) every
    process that renders a table would pay."""
    ordered = sorted(lengths)
    middle = len(ordered) // 2
    if not ordered:
        return 0
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def cell_length(cell: tuple[m.Block, ...]) -> int:
    return sum(len(m.block_text(block)) for block in cell) + max(len(cell) - 1, 0)


def widened(shares: list[float], least: list[float]) -> list[float]:
    """`shares` with each column at least its `least` (its longest word),
    what those lacking get taken from the others in proportion to the room
    they have above theirs. When the words alone are wider than the whole,
    the narrow ones keep theirs and the widest are cut to one width: as few
    words break as may, rather than the narrowest column's a letter a line
    ("C / at / eg / or / y")."""
    total, needed = sum(shares), sum(least)
    if needed >= total:
        return levelled(least, total)
    if all(share >= need for share, need in zip(shares, least)):
        return shares
    room = [max(share - need, 0) for share, need in zip(shares, least)]
    spare = total - needed
    return [need + spare * extra / sum(room) for need, extra in zip(least, room)]


def levelled(least: list[float], total: float) -> list[float]:
    """Each of `least`, those over one level cut to it, the level such that
    they add up to `total`."""
    left, count = total, len(least)
    for need in sorted(least):
        if need * count > left:
            break
        left, count = left - need, count - 1
    level = left / count if count else 0
    return [min(need, level) for need in least]


def crowded_widths(table: m.Table, sans: str, size: float = TABLE_SIZE) -> list[float]:
    """A crowded table's columns set in `size` points, as fractions of the
    text width: each at least its longest word (measured as `crowded`
    measures them), the rest shared as `shares` shares it. The print lays
    them out so (a fixed table layout): left to its automatic layout, a
    table whose words may break anywhere gave its narrowest column a
    letter a line."""
    return [width / TEXT_WIDTH for width in widened(shares(table, TEXT_WIDTH), word_widths(table, in_face(sans), size))]
