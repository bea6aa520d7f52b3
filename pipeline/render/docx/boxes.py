"""A note's box round what is not in its style: an admonition is a run of
paragraphs in one bordered, shaded style (`Note`, `Warning` …), which Word
draws as one box; a list inside it has its own list styles and would fall
out of the box (a callout's bullet points, a <details> list). Its
paragraphs take the box's border and shading as direct formatting, and
its indent, on top of their own, so they stand inside it."""

from __future__ import annotations

import copy

from docx.oxml.ns import qn

from pipeline.render.docx.state import State

# w:pPr's children in schema order (CT_PPrBase), to put borders and indents where they belong.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange")


def boxed(elements: list, box_style: str, state: State) -> None:
    """The list paragraphs among `elements` (the admonition's, at its top
    level) put inside the box of `box_style`."""
    box = state.package.styles[box_style].element.find(qn("w:pPr"))
    if box is None:
        return
    borders, shading = box.find(qn("w:pBdr")), box.find(qn("w:shd"))
    box_ind = box.find(qn("w:ind"))
    box_left = int(box_ind.get(qn("w:left"), "0")) if box_ind is not None else 0
    box_right = box_ind.get(qn("w:right")) if box_ind is not None else None
    for p in elements:
        properties = p.find(qn("w:pPr")) if p.tag == qn("w:p") else None
        if properties is None or not listed(properties, state):
            continue
        left, hanging = own_indent(properties, state)
        for element in (borders, shading):
            if element is not None:
                put(properties, copy.deepcopy(element))
        ind = properties.find(qn("w:ind"))
        if ind is None:
            ind = properties.makeelement(qn("w:ind"), {})
            put(properties, ind)
        ind.set(qn("w:left"), str(box_left + left))
        if hanging:
            ind.set(qn("w:hanging"), str(hanging))
        if box_right is not None:
            ind.set(qn("w:right"), box_right)


def listed(properties, state: State) -> bool:
    """A list item's paragraph, or one that continues an item."""
    style = properties.find(qn("w:pStyle"))
    name = next((n for n, i in state.style_ids.items() if style is not None and i == style.get(qn("w:val"))), "")
    return properties.find(qn("w:numPr")) is not None or name.startswith(("List ", "Compact"))


def own_indent(properties, state: State) -> tuple[int, int]:
    """A paragraph's left indent and hanging, in twips: its numbering
    level's, else its style's."""
    numbering = properties.find(qn("w:numPr"))
    if numbering is not None:
        level = numbering.find(qn("w:ilvl"))
        num_id = numbering.find(qn("w:numId"))
        ind = level_indent(state, int(num_id.get(qn("w:val"))) if num_id is not None else 0,
                           int(level.get(qn("w:val"))) if level is not None else 0)
    else:
        style = properties.find(qn("w:pStyle"))
        ind = None
        if style is not None:
            for candidate in state.package.styles.element.iterfind(qn("w:style")):
                if candidate.get(qn("w:styleId")) == style.get(qn("w:val")):
                    ind = candidate.find(f"{qn('w:pPr')}/{qn('w:ind')}")
                    break
    if ind is None:
        return 0, 0
    return int(ind.get(qn("w:left"), "0")), int(ind.get(qn("w:hanging"), "0"))


def level_indent(state: State, num_id: int, level: int):
    numbering = state.package.part.numbering_part.element
    nums = numbering.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
    if not nums:
        return None
    found = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{nums[0]}"]/w:lvl[@w:ilvl="{level}"]/w:pPr/w:ind')
    return found[0] if found else None


def put(properties, element) -> None:
    """`element` into a w:pPr in schema order, in place of one of its kind."""
    name = element.tag.split("}")[1]
    old = properties.find(element.tag)
    if old is not None:
        properties.replace(old, element)
        return
    later = PPR_ORDER[PPR_ORDER.index(name) + 1:]
    for child in properties:
        if child.tag.split("}")[1] in later:
            child.addprevious(element)
            return
    properties.append(element)
