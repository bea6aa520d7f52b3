"""A staff product's first-page marking blocks in Word, where the
regulations put them: in the first page's own footer, above the banner,
so they stand at the foot of page 1 only and Word grows the footer
upward (the text above never runs under them). The classification
authority block at the left (DoDM 5200.01 Vol. 2, Encl. 3: at the lower
left of the first page), the CUI designation indicator at the right
(DoDI 5200.48: its lower right), each boxed in the left or right half of
the column; the distribution statement written out beneath, across the
column (DoDI 5230.24). They stay paragraphs of their own styles (Marking
Block, Distribution Statement), which a writer edits in the footer."""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml.ns import qn

from pipeline.markings.blocks import MarkingBlock
from pipeline.render.docx.front import marking_blocks_xml
from pipeline.render.docx.package import text_width
from pipeline.render.docx.state import Env, State

EMU_PER_TWIP = 635
INSET = 113  # twips: the box's left line clear of the margin, as Marking Block's own indent


def first_page_footer_blocks(blocks: Sequence[MarkingBlock], env: Env, state: State) -> None:
    """The blocks at the head of the first page's footer, before its banner."""
    if not blocks:
        return
    half = text_width(state.package) // EMU_PER_TWIP // 2
    footer = state.package.sections[0].first_page_footer._element
    paragraphs = []
    for block in blocks:
        made = marking_blocks_xml([block], env, state)
        for p in made:
            if block.kind == "authority":  # the left half
                indent(p, left=INSET, right=half)
            elif block.kind == "cui":  # the right half
                indent(p, left=half + INSET, right=0)
        paragraphs.extend(made)
    for p in reversed(paragraphs):
        footer.insert(0, p)


def indent(p, left: int, right: int) -> None:
    ind = p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:left"), str(left))
    ind.set(qn("w:right"), str(right))
