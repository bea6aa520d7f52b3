"""pandoc's tables for Python-Markdown: simple, multiline and grid tables,
with or without a header row, and `Table: caption` before or after a table.

Python-Markdown reads pipe tables only (its `tables` extension, kept for
them), and no extension reads pandoc's others with pandoc's rules, so these
block processors follow pandoc's reader (Text.Pandoc.Readers.Markdown):

- simple: a header line over dashes in groups, one row a line, ended by a
  blank line; without the header it opens and closes with dashed lines;
- multiline: between two lines of dashes, a header over dashes in groups,
  rows that may take several lines, parted by blank lines;
- grid: rows between `+---+` lines, `+===+` under the header, cells that
  hold blocks (paragraphs, lists) and colons for alignment; a cell may
  span rows and columns (pandoc 3), its border round them.

The dashes' groups cut each line into cells and give alignment (from where
the header's text stands under them, as pandoc reads it) and, in multiline
and grid tables, the columns' relative widths (the share of a 72-character
line, as pandoc's --columns), carried on the `<table>` as `data-widths`.

What the processors make is the element tree Python-Markdown's tables make
(`thead`, `tbody`, `th`, `td`, `style="text-align: …"`), with the cells of
multiline and grid tables holding blocks. A caption (`Table: …` or `: …`,
Quarto's form) next to any table becomes a `<caption>` element beside it,
which the reader joins to its table.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.util import nearing_recursion_limit

COLUMNS = 72  # pandoc's --columns: what a table's dashes are a share of
# read/markdown.py marks each source line with two Private Use Area
# characters (its number), maybe after a tab: at its end, or before what
# closes it (a grid row's last `|`). Never text: taken off to read the
# table's shape, and given back to the cells' text.
LINE_MARK = re.compile("\t?[\ue000-\uf8ff]{2}")
DASH_GROUPS = re.compile(r"[ ]*-+(?:[ ]+-+)+[ ]*$")  # two columns or more
FULL_DASHES = re.compile(r"-{3,}[ ]*$")
GRID_LINE = re.compile(r"\+(?:[-=:]+\+)+[ ]*$")
GRID_TOP = re.compile(r"\+(?::?-+:?\+)+[ ]*$")
CAPTION = re.compile("[ ]{0,3}(?:[Tt]able)?:[ ]+(?=(?:\t?[\ue000-\uf8ff]{2})?[^\\s\ue000-\uf8ff])")


def split_mark(line: str) -> tuple[str, str]:
    """A line without the marker read/markdown.py gave it, and the marker."""
    found = LINE_MARK.search(line)
    if found is None:
        return line.rstrip(), ""
    return (line[:found.start()] + line[found.end():]).rstrip(), found[0].lstrip("\t")


def dashes_only(line: str) -> bool:
    """Whether a line holds nothing but dashes and spaces (and its marker):
    what a simple or multiline table's dashed lines are, and a list item's
    `- ` is not. A first look, before split_mark and the patterns."""
    rest = line.strip(" -\t")
    return "-" in line and (not rest or len(rest) == 2 and all("\ue000" <= c <= "\uf8ff" for c in rest))


def marked(text: str, mark: str) -> str:
    """A cell's piece of a line, ending in the line's marker when it has
    text, so each cell's text keeps its own line."""
    return text + mark if text.strip() and mark else text


# Columns -----------------------------------------------------------------------

def dash_columns(line: str) -> tuple[list[int], list[int]]:
    """Where each group of dashes starts, and each group's length with the
    spaces after it (pandoc's dashedLine)."""
    starts, widths = [], []
    for found in re.finditer(r"-+[ ]*", line):
        starts.append(found.start())
        widths.append(len(found[0]))
    return starts, widths


def cut(line: str, starts: list[int]) -> list[str]:
    """A line cut into its columns' pieces: each from its group's start to
    the next group's (pandoc's splitStringByIndices)."""
    return [line[start:end] if end is not None else line[start:]
            for start, end in zip(starts, [*starts[1:], None])]


def alignment(texts: list[str], dashes: int) -> str | None:
    """pandoc's alignType: from the longest of a column's header lines,
    whether it leaves room before it and room after it under the dashes."""
    filled = [text.rstrip() for text in texts if text.strip()]
    if not filled:
        return None
    longest = max(filled, key=len)
    before, after = longest[:1] == " ", len(longest) < dashes
    return {(True, False): "right", (False, True): "left", (True, True): "center"}.get((before, after))


def relative_widths(lengths: list[int]) -> list[float]:
    """Each column's share of the text width: its characters over a
    72-character line, or over the table's own width when it is wider."""
    total = max(sum(lengths), COLUMNS)
    return [length / total for length in lengths]


# The tree ------------------------------------------------------------------------

Cell = list[tuple[str, str]]  # a cell's lines, each with its line's marker


class TableBuilder:
    """Makes the `<table>` element; a cell's text is parsed as inlines
    (simple tables) or as blocks (multiline and grid tables)."""

    def __init__(self, parser, parent: etree.Element, aligns: list[str | None], blocks: bool,
                 first: tuple[str, str]) -> None:
        self.parser = parser
        self.aligns = aligns
        self.blocks = blocks
        self.table = etree.SubElement(parent, "table")
        if first[1]:
            self.table.set("data-mark", first[1])  # its first line's, read before its rows

    def widths(self, widths: list[float]) -> None:
        self.table.set("data-widths", " ".join(f"{width:.4f}" for width in widths))

    def row(self, cells: list[Cell], head: bool) -> list[etree.Element]:
        section = self.table.find("thead" if head else "tbody")
        if section is None:
            section = etree.SubElement(self.table, "thead" if head else "tbody")
        tr = etree.SubElement(section, "tr")
        marks = [mark for cell in cells for _, mark in cell if mark]
        if marks:
            tr.set("data-mark", marks[0])  # the row's first line
        for cell, align in zip(cells, self.aligns):
            element = etree.SubElement(tr, "th" if head else "td")
            if align:
                element.set("style", f"text-align: {align};")
            self.fill(element, cell)
        return list(tr)

    def fill(self, element: etree.Element, cell: Cell) -> None:
        lines = [text for text, _ in cell]
        if not self.blocks:
            element.text = " ".join(marked(text.strip(), mark) for text, mark in cell if text.strip())
            return
        indent = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
        text = "\n".join(marked(line[indent:].rstrip(), mark) for line, mark in cell)
        if text.strip():
            # A cell's blocks are read as the document's are: its fenced code
            # too, which the document's preprocessor could not see behind `|`.
            fences = self.parser.md.preprocessors["briefing_fenced"]
            self.parser.parseChunk(element, "\n".join(fences.run(text.strip("\n").split("\n"))))


def columns_of(lines: list[tuple[str, str]], starts: list[int]) -> list[Cell]:
    """The lines of a row (or header), cut into its cells' lines."""
    cells: list[Cell] = [[] for _ in starts]
    for text, mark in lines:
        for cell, piece in zip(cells, cut(text, starts)):
            cell.append((piece, mark))
    return cells


# Simple and multiline tables -------------------------------------------------------

class DashedTable(BlockProcessor):
    """Simple and multiline tables, with or without a header."""

    def __init__(self, parser) -> None:
        super().__init__(parser)
        # For each kind of multiline table (with a header or not): a list of
        # blocks, and how many of its last ones hold no closing line.
        self.unclosed: dict[bool, tuple[list[str], int]] = {}

    def test(self, parent: etree.Element, block: str) -> bool:
        head = block.split("\n", 3)[:3]
        if not any(map(dashes_only, head[:2])):  # each kind has a line of dashes first or second
            return False
        lines = [split_mark(line)[0] for line in head]
        if len(lines) < 2 or nearing_recursion_limit():
            return False
        first, second = lines[0], lines[1]
        if FULL_DASHES.match(first) and not DASH_GROUPS.match(first):
            # A multiline table's top line: its header, over column dashes, follows.
            return any(DASH_GROUPS.match(split_mark(line)[0]) for line in block.split("\n")[2:])
        if DASH_GROUPS.match(first):
            return bool(second.strip())  # a table without a header
        return bool(first.strip()) and not first.startswith("    ") and bool(DASH_GROUPS.match(second)) \
            and len(lines) > 2

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        raw = blocks[0].split("\n")  # what is left after the table goes back as it was
        lines = [split_mark(line) for line in raw]
        first = lines[0][0]
        if FULL_DASHES.match(first) and not DASH_GROUPS.match(first):
            return self.multiline(parent, blocks, headed=True)
        if DASH_GROUPS.match(first):
            closing = next((i for i, (text, _) in enumerate(lines[1:], 1) if DASH_GROUPS.match(text)), None)
            if closing is None:
                return self.multiline(parent, blocks, headed=False)  # rows parted by blank lines
            blocks.pop(0)
            self.simple(parent, lines[:closing + 1], headed=False)
            if rest := raw[closing + 1:]:
                blocks.insert(0, "\n".join(rest))
            return None
        blocks.pop(0)
        # A headed simple table ends at a blank line, or at a dashed line.
        closing = next((i for i, (text, _) in enumerate(lines[2:], 2) if DASH_GROUPS.match(text)), None)
        self.simple(parent, lines[:closing + 1] if closing else lines, headed=True)
        if closing and (rest := raw[closing + 1:]):
            blocks.insert(0, "\n".join(rest))
        return None

    def simple(self, parent: etree.Element, lines: list[tuple[str, str]], headed: bool) -> None:
        dashes = lines[1][0] if headed else lines[0][0]
        starts, widths = dash_columns(dashes)
        head = [lines[0]] if headed else []
        body = lines[2:] if headed else lines[1:]
        if body and DASH_GROUPS.match(body[-1][0]):
            body = body[:-1]  # the closing line
        # Without a header, alignment comes from the first row.
        model = columns_of(head or body[:1], starts)
        aligns = [alignment([text for text, _ in cell], width - (len(piece) - len(piece.rstrip())))
                  for cell, width, piece in zip(model, widths, cut(dashes, starts))]
        builder = TableBuilder(self.parser, parent, aligns, blocks=False, first=lines[0])
        if head:
            builder.row(columns_of(head, starts), head=True)
        for line in body:
            builder.row(columns_of([line], starts), head=False)

    def multiline(self, parent: etree.Element, blocks: list[str], headed: bool) -> bool | None:
        """A multiline table runs over blank lines, so over several of
        Python-Markdown's blocks: taken whole, or left alone. Blocks found
        to hold no closing line are remembered, so that many openings
        never closed cost one look at the blocks after them, not one each."""
        lines: list[tuple[str, str]] = []
        raw: list[str] = []
        taken = 0
        closing = None
        opening = FULL_DASHES if headed else DASH_GROUPS
        unclosed = self.unclosed.get(headed)
        if unclosed is not None and unclosed[0] is blocks and len(blocks) <= unclosed[1]:
            return False  # no closing line in any of these blocks: looked already
        for block in blocks:
            start = len(lines)
            if taken:
                lines.append(("", ""))  # the blank line between blocks
                raw.append("")
            raw.extend(block.split("\n"))
            lines.extend(split_mark(line) for line in block.split("\n"))
            taken += 1
            closing = next((i for i, (text, _) in enumerate(lines[max(start, 1):], max(start, 1))
                            if (FULL_DASHES.match(text) if headed else DASH_GROUPS.match(text))
                            and not (headed and DASH_GROUPS.match(text))), None)
            if closing is not None:
                break
        if closing is None:
            self.unclosed[headed] = (blocks, len(blocks) - 1)  # none after this block either
            return False  # not a table: the other processors have it
        if not opening.match(lines[0][0]):
            return False
        separator = 0  # the line of column dashes: the first, without a header
        if headed:
            separator = next((i for i, (text, _) in enumerate(lines[1:closing], 1)
                              if DASH_GROUPS.match(text)), 0)
            if separator < 2:
                return False  # no header over column dashes
        del blocks[:taken]
        dashes = lines[separator][0]
        starts, lengths = dash_columns(dashes)
        head_lines = lines[1:separator] if headed else []
        body = lines[separator + 1:closing]
        rows: list[list[tuple[str, str]]] = [[]]
        for line in body:
            if line[0].strip():
                rows[-1].append(line)
            elif rows[-1]:
                rows.append([])
        rows = [row for row in rows if row]
        model = columns_of(head_lines or rows[0][:1] if rows else head_lines, starts)
        aligns = [alignment([text for text, _ in cell], length - (len(piece) - len(piece.rstrip())))
                  for cell, length, piece in zip(model, lengths, cut(dashes, starts))]
        builder = TableBuilder(self.parser, parent, aligns, blocks=True, first=lines[0])
        # pandoc counts the last column one wider (it ends past its dashes).
        builder.widths(relative_widths([*lengths[:-1], lengths[-1] + 1]))
        if head_lines:
            builder.row(columns_of(head_lines, starts), head=True)
        for row in rows:
            builder.row(columns_of(row, starts), head=False)
        if rest := raw[closing + 1:]:
            blocks.insert(0, "\n".join(rest))
        return None


# Grid tables --------------------------------------------------------------------------

class GridTable(BlockProcessor):
    """pandoc's grid tables, cells spanning rows or columns too (pandoc 3)."""

    def test(self, parent: etree.Element, block: str) -> bool:
        first = block.split("\n", 1)[0]
        if "+" not in first:  # most blocks: no grid, and no need to look further
            return False
        first = split_mark(first)[0]
        return bool(GRID_TOP.match(first)) and grid_end(block.split("\n")) > 0 \
            and not nearing_recursion_limit()

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        raw = blocks.pop(0).split("\n")
        end = grid_end(raw)
        lines = [split_mark(line) for line in raw[:end + 1]]
        if rest := raw[end + 1:]:
            blocks.insert(0, "\n".join(rest))
        top = lines[0][0]
        bounds = [i for i, char in enumerate(top) if char == "+"]
        if spanning(lines, bounds):
            spanned_grid(self.parser, parent, lines)
            return None
        separators = [i for i, (text, _) in enumerate(lines) if text.startswith("+")]
        header_at = next((i for i in separators if "=" in lines[i][0]), None)
        align_line = lines[header_at][0] if header_at is not None else top
        aligns = [grid_alignment(align_line[a + 1:b]) for a, b in zip(bounds, bounds[1:])]
        builder = TableBuilder(self.parser, parent, aligns, blocks=True, first=lines[0])
        builder.widths(relative_widths([b - a for a, b in zip(bounds, bounds[1:])]))
        for start, stop in zip(separators, separators[1:]):
            cells: list[Cell] = [[] for _ in bounds[1:]]
            for text, mark in lines[start + 1:stop]:
                for cell, (a, b) in zip(cells, zip(bounds, bounds[1:])):
                    cell.append((text[a + 1:b], mark))
            builder.row(cells, head=header_at is not None and stop <= header_at)
        return None


def spanned_grid(parser, parent: etree.Element, lines: list[tuple[str, str]]) -> None:
    """A grid whose cells span rows or columns, read as pandoc's gridtables
    reads one: the columns are where any border has a corner, the rows
    where any border runs; each cell from its top left corner right to the
    first border down its first line, and down to the first border under
    it from corner to corner. Its place on that grid, and how many rows and
    columns it takes, go to the reader as an HTML table's do (read/rawhtml.py)."""
    from pipeline.read.rawhtml import COVERED, SPAN

    texts = [text for text, _ in lines]
    width = max(len(text) for text in texts)
    texts = [text.ljust(width) for text in texts]
    columns = sorted({x for text in texts for x, char in enumerate(text) if char == "+"})
    rows = [y for y, text in enumerate(texts) if HORIZONTAL.search(text)]
    header_at = next((y for y in rows if "=" in texts[y]), None)
    align_line = texts[header_at] if header_at is not None else texts[0]
    aligns = [grid_alignment(align_line[a + 1:b].strip()) for a, b in zip(columns, columns[1:])]
    builder = TableBuilder(parser, parent, aligns, blocks=True, first=lines[0])
    builder.widths(relative_widths([b - a for a, b in zip(columns, columns[1:])]))
    grid: list[list[tuple[Cell, str] | None]] = [[None] * (len(columns) - 1) for _ in rows[:-1]]
    covered: set[tuple[int, int]] = set()
    for row, top in enumerate(rows[:-1]):
        for column, left in enumerate(columns[:-1]):
            if (row, column) in covered or texts[top][left] != "+" or top + 1 >= len(texts) \
                    or texts[top + 1][left] not in "|+":
                continue
            right = next((c for c in columns[column + 1:] if texts[top + 1][c] in "|+"), None)
            if right is None:
                continue
            bottom = next((y for y in rows[row + 1:] if texts[y][left] == "+" and texts[y][right] == "+"
                           and all(char in "-=:+" for char in texts[y][left + 1:right])), None)
            if bottom is None:
                continue
            across, down = columns.index(right) - column, rows.index(bottom) - row
            for place in ((r, c) for r in range(row, row + down) for c in range(column, column + across)):
                covered.add(place)
            cell = [(texts[y][left + 1:right], lines[y][1]) for y in range(top + 1, bottom)]
            grid[row][column] = (cell, f"{down} {across}" if down > 1 or across > 1 else "")
    for row, cells in enumerate(grid):
        made = builder.row([cell[0] if cell else [] for cell in cells],
                           head=header_at is not None and rows[row + 1] <= header_at)
        for element, placed in zip(made, cells):
            if placed is None:
                element.set(COVERED, "1")
            elif placed[1]:
                element.set(SPAN, placed[1])


HORIZONTAL = re.compile(r"\+[-=:]+\+")  # a border's run between two corners


def grid_end(lines: list[str]) -> int:
    """The index of a grid table's last border line (0: it has none but its top)."""
    end = 0
    for index, line in enumerate(lines):
        text = split_mark(line)[0]
        if not text.startswith(("|", "+")):
            break
        if text.startswith("+"):
            end = index
    return end


def grid_alignment(segment: str) -> str | None:
    left, right = segment.startswith(":"), segment.endswith(":")
    return {(True, False): "left", (False, True): "right", (True, True): "center"}.get((left, right))


def spanning(lines: list[tuple[str, str]], bounds: list[int]) -> bool:
    """Whether a cell of the grid spans rows or columns: a border whose
    corners are not the top line's, or a row without a bar at each of them."""
    for text, _ in lines:
        if text.startswith("+"):
            if [x for x, char in enumerate(text) if char == "+"] != bounds or not GRID_LINE.match(text.rstrip()):
                return True
        elif not all(len(text) > b and text[b] == "|" for b in bounds):
            return True
    return False


# Captions ---------------------------------------------------------------------------

class Caption(BlockProcessor):
    """`Table: text` or `: text` (Quarto), in a paragraph of its own just
    before or after a table: the table's caption. Anywhere else it is left
    to the other processors (`: text` is then a definition)."""

    def __init__(self, parser, is_table: Callable[[etree.Element, str], bool]) -> None:
        super().__init__(parser)
        self.is_table = is_table

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(CAPTION.match(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        after = self.lastChild(parent)
        follows = after is not None and after.tag == "table" and not after.get("data-captioned")
        precedes = len(blocks) > 1 and self.is_table(parent, blocks[1])
        if not (follows or precedes):
            return False
        block = blocks.pop(0)
        found = CAPTION.match(block)
        assert found
        caption = etree.SubElement(parent, "caption")
        caption.text = block[found.end():].strip()
        if follows and after is not None:
            after.set("data-captioned", "1")
        return None


class PandocTables(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        parser = md.parser.blockprocessors
        grid, dashed = GridTable(md.parser), DashedTable(md.parser)
        parser.register(grid, "briefing_grid_table", 77)
        parser.register(dashed, "briefing_dashed_table", 76)

        def is_table(parent: etree.Element, block: str) -> bool:
            pipe = parser["table"] if "table" in parser else None
            return grid.test(parent, block) or dashed.test(parent, block) or bool(
                pipe and pipe.test(parent, block))

        # Before def_list (25), which reads `: text` as a definition.
        parser.register(Caption(md.parser, is_table), "briefing_table_caption", 26)
