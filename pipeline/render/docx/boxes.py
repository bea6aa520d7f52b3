"""What a box holds stays in it: a list, code, a definition list, a table
or a quotation inside a note (Note, Warning … a shaded box with a bar at its
left) or inside a quotation (a bar at its left) stands in that box, as in the
HTML page and the PDF.

Word draws a paragraph's border and shading round the paragraph, and
consecutive paragraphs with the same border as one box. A note's own
paragraphs take the box from their style; the writer gives every other
paragraph made inside the note the box's border and shading, and moves it in
by the box's indent. Word draws a left border `space` points left of the
paragraph's leftmost line (a list item's number hangs there), so a paragraph
whose text stands further in (a list's continuation, code) takes a wider
space, to keep the bar where the box's own paragraphs have it. A box inside
the box (a quotation in a quotation) keeps its own look and moves in.
"""

from __future__ import annotations

import copy

from docx.oxml.ns import qn

from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.package import based_on_chain
from pipeline.render.docx.state import State

MAX_SPACE = 31  # points: the most a border's w:space may say
# w:pPr's children in the schema's order (CT_PPr), as far as w:ind.
PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
             "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
             "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
             "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
             "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
             "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
             "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
             "w:pPrChange")


def boxed(elements: list, box: str, state: State, own_look: bool = False) -> list:
    """`elements`, made for a block inside a box whose paragraphs are in
    style `box`: moved in by the box's indent and, unless `own_look` (a box
    inside the box, drawn as its own), in the box's border and shading.
    Paragraphs already in the box's style are the box's own: left as they are."""
    box_id = state.style(box)
    left, right, first = indent_of(box_id, None, state)
    borders, shading = inherited(box_id, "w:pBdr", state), inherited(box_id, "w:shd", state)
    for element in elements:
        if element.tag == qn("w:tbl"):
            move_table(element, left)
            continue
        if element.tag != qn("w:p"):
            continue
        ppr = element.get_or_add_pPr()
        style = ppr.pStyle.val if ppr.pStyle is not None else None
        if style == box_id and not own_look:
            continue
        own_left, own_right, own_first = indent_of(style, ppr, state)
        if not own_look and inherited(style, "w:pBdr", state) is not None:
            own_left = own_first = 0  # code: its indent kept its text off its own border, now the box's
        ind = set_child(ppr, "w:ind")
        ind.set(qn("w:left"), str(left + own_left))
        ind.set(qn("w:right"), str(max(right, own_right)))
        if own_first < 0:
            ind.set(qn("w:hanging"), str(-own_first))
        elif own_first > 0:
            ind.set(qn("w:firstLine"), str(own_first))
        if own_look or borders is None:
            continue
        bdr = set_child(ppr, "w:pBdr", box_borders(borders, inherited(style, "w:pBdr", state)))
        # The bar where the box's own paragraphs have it: this text stands
        # further in by its own indent (less a hanging number's width).
        further = (own_left + min(own_first, 0) - min(first, 0)) / 20
        for side in bdr.findall(qn("w:left")):
            side.set(qn("w:space"), str(round(min(int(side.get(qn("w:space"), "0")) + further, MAX_SPACE))))
        if shading is not None:
            set_child(ppr, "w:shd", copy.deepcopy(shading))
    return elements


BORDER_SIDES = ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar")  # CT_PBdr's order


def box_borders(borders, own):
    """The box's w:pBdr, and "nil" for each side that the paragraph's own
    style draws (code's frame) and the box does not."""
    box = {child.tag: child for child in borders}
    style = {child.tag for child in own} if own is not None else set()
    made = OxmlElement("w:pBdr")
    for side in BORDER_SIDES:
        if qn(side) in box:
            made.append(copy.deepcopy(box[qn(side)]))
        elif qn(side) in style:
            made.append(OxmlElement(side, {qn("w:val"): "nil"}))
    return made


def indent_of(style_id: str | None, ppr, state: State) -> tuple[int, int, int]:
    """(left, right, first line) in twips a paragraph takes: its own w:ind,
    else its list level's, else its style's (through the styles it is based
    on). The first line is negative when it hangs."""
    chain = [ppr] if ppr is not None else []
    num = ppr.find(f"{qn('w:numPr')}/{qn('w:numId')}") if ppr is not None else None
    level = ppr.find(f"{qn('w:numPr')}/{qn('w:ilvl')}") if ppr is not None else None
    if num is not None:
        chain += level_properties(state, num.get(qn("w:val")), level.get(qn("w:val")) if level is not None else "0")
    chain += style_chain(style_id, "pPr", state)
    for properties in chain:
        ind = properties.find(qn("w:ind"))
        if ind is None:
            continue

        def twips(*names: str) -> int:
            for name in names:
                if ind.get(qn(f"w:{name}")) is not None:
                    return int(ind.get(qn(f"w:{name}")))
            return 0
        return (twips("left", "start"), twips("right", "end"),
                twips("firstLine") - twips("hanging"))
    return 0, 0, 0


def inherited(style_id: str | None, tag: str, state: State):
    """The first w:pPr child `tag` along a style's chain, or None."""
    for properties in style_chain(style_id, "pPr", state):
        found = properties.find(qn(tag))
        if found is not None:
            return found
    return None


def style_chain(style_id: str | None, kind: str, state: State) -> list:
    """The w:pPr (or w:rPr) of a style and of those it is based on, nearest first."""
    styles = {s.get(qn("w:styleId")): s for s in state.package.styles.element.findall(qn("w:style"))}
    return based_on_chain(styles, style_id or "", kind)


def level_properties(state: State, num_id: str, level: str) -> list:
    """The w:pPr of a list level, as the list's w:num says it."""
    numbering = state.package.part.numbering_part.element
    nums = numbering.xpath(f'w:num[@w:numId="{num_id}"]')
    if not nums:
        return []
    override = nums[0].xpath(f'w:lvlOverride[@w:ilvl="{level}"]/w:lvl/w:pPr')
    abstract = nums[0].xpath("w:abstractNumId/@w:val")
    defined = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract[0]}"]/w:lvl[@w:ilvl="{level}"]/w:pPr') \
        if abstract else []
    return [*override, *defined]


def set_child(ppr, tag: str, element=None):
    """`ppr`'s child `tag`, replaced by `element` if given, in schema order."""
    old = ppr.find(qn(tag))
    if element is None:
        if old is not None:
            return old
        element = OxmlElement(tag)
    if old is not None:
        ppr.remove(old)
    following = PPR_ORDER[PPR_ORDER.index(tag) + 1:]
    ppr.insert_element_before(element, *following)
    return element


def move_table(tbl, left: int) -> None:
    """A table moved in by `left` twips (w:tblInd, in w:tblPr's order)."""
    properties = tbl.find(qn("w:tblPr"))
    if properties is None:
        return
    ind = properties.find(qn("w:tblInd"))
    if ind is None:
        ind = OxmlElement("w:tblInd", {qn("w:w"): "0", qn("w:type"): "dxa"})
        before = ("w:tblCellSpacing", "w:jc", "w:tblW", "w:tblStyleColBandSize", "w:tblStyleRowBandSize",
                  "w:bidiVisual", "w:tblOverlap", "w:tblpPr", "w:tblStyle")  # the last there first
        anchor = next((properties.find(qn(t)) for t in before if properties.find(qn(t)) is not None), None)
        if anchor is not None:
            anchor.addnext(ind)
        else:
            properties.insert(0, ind)
    ind.set(qn("w:w"), str(int(ind.get(qn("w:w"), "0")) + left))
