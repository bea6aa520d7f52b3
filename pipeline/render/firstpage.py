"""The room a staff product's first page keeps at its foot for the marking
blocks (print/staff-markings.css draws them there, in a margin box of page
1 only): measured from the blocks' lines with the fonts' own widths, so
the text above stops short of them and they never reach the bottom banner.
A little more than they need rather than less: what is left over is white
space above the blocks, never text under them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.markings.blocks import MarkingBlock

MM = 72 / 25.4  # points in a millimetre
# print/staff-markings.css's numbers: keep them in step.
SIZE, LEADING = 9, 1.3  # points, and the line's height in ems
BOX_SHARE = 0.48  # a box's widest, of the column
BOX_PADDING_MM = (1.5, 2.5)  # top and bottom, left and right
BOX_BORDER_MM = 0.3
BETWEEN_MM = 2  # under each block but the last
ABOVE_MM = 4  # between the text and the blocks
BELOW_MM = 1  # between the blocks and the bottom margin (the banner's own gap below)


def room(blocks: Sequence[MarkingBlock], sans: str, width_mm: float) -> float:
    """The height in mm to keep at the foot of page 1 for `blocks`, set in
    a column `width_mm` wide (a narrower column than the page's only
    leaves more room)."""
    from pipeline.render import measure

    face = measure.face(measure.first_family(sans))
    line_mm = SIZE * LEADING / MM
    height: float = ABOVE_MM + BELOW_MM + BETWEEN_MM * (len(blocks) - 1)
    for block in blocks:
        boxed = block.kind != "distribution"
        inner = (width_mm * BOX_SHARE - 2 * (BOX_PADDING_MM[1] + BOX_BORDER_MM) if boxed
                 else width_mm)
        lines = sum(wrapped(line, inner * MM, lambda text: face.width(text, SIZE)) for line in block.lines)
        height += lines * line_mm + (2 * (BOX_PADDING_MM[0] + BOX_BORDER_MM) if boxed else 0)
    return round(height + 0.5, 1)


def wrapped(text: str, width: float, measure_width) -> int:
    """How many lines `text` takes in `width` points, broken at spaces (a
    word wider than the line has one of its own)."""
    lines, line = 1, ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and measure_width(trial) > width:
            lines, line = lines + 1, word
        else:
            line = trial
    return lines


PAPER_WIDTH_MM = {"a4": 210.0, "letter": 215.9}
# A page rule's own margin (`@page { margin: 25.4mm; }` or its first lines,
# before any margin box): the last one the stylesheets give wins, as in CSS.
PAGE_MARGIN = re.compile(r"@page\s*\{[^{}]*?(?<![-\w])margin\s*:\s*([^;{}]+)")


def column_mm(paper: str, styles: str, fallback: float) -> float:
    """The text column's width as the stylesheets' last @page margin (in
    mm) leaves it on `paper`; `fallback` when they give none in mm."""
    found = PAGE_MARGIN.findall(styles)
    if not found:
        return fallback
    sides = found[-1].split()
    if not all(re.fullmatch(r"\d+(\.\d+)?mm", side) for side in sides) or not 1 <= len(sides) <= 4:
        return fallback
    right = sides[1] if len(sides) > 1 else sides[0]
    left = sides[3] if len(sides) == 4 else right
    return PAPER_WIDTH_MM.get(paper, PAPER_WIDTH_MM["a4"]) - float(left[:-2]) - float(right[:-2])
