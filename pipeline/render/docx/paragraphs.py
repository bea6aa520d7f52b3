"""`numbering: military` in Word: ONE multilevel list (1. a. (1) (a) 1 a,
the last two underlined) tied to the paragraph styles `Numbered Paragraph
1` … `6` and to `Heading 1` … `6`, so a paragraph a colleague adds in one
of those styles is numbered and everything after it renumbers, as Word's
own multilevel lists behave (pandoc's numbering restarts instead: its
issue 7895).

Every numbered paragraph also carries the list in its own properties, at
its level: a heading's outline level and its level in the scheme differ in
an annex, whose paragraphs count from 1. again: each annex is an instance
(w:num) of the same abstract list that starts again at 1.

A cross-reference to a numbered heading is "paragraph " and a REF field
that shows the heading's number in full context (`\\w`), "3b(2)" until
Word updates it.
"""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.state import State

FORMATS = ("decimal", "lowerLetter", "decimal", "lowerLetter", "decimal", "lowerLetter")
TEXTS = ("%1.", "%2.", "(%3)", "(%4)", "%5", "%6")
INDENT = 360  # twips: a quarter inch a level, on the first line (AR 25-50)
KEY = "military"  # in State.list_abstracts: the abstract list, and each order's w:num
NO_NUMBER = "no number"  # in State.list_abstracts: the w:num of a list that shows none


def abstract_xml(ident: int, state: State) -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{FORMATS[i]}"/>'
        f'<w:pStyle w:val="{state.style(f"Numbered Paragraph {i + 1}")}"/>'
        f'<w:suff w:val="space"/><w:lvlText w:val="{TEXTS[i]}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="0" w:firstLine="{INDENT * i}"/></w:pPr>'
        + ('<w:rPr><w:u w:val="single"/></w:rPr>' if i >= 4 else "")
        + "</w:lvl>" for i in range(6))
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ident}">'
            f'<w:nsid w:val="4D494C31"/><w:multiLevelType w:val="multilevel"/>'
            f'<w:name w:val="Military paragraphs"/>{levels}</w:abstractNum>')


def military_list(state: State) -> int:
    """The abstract list, made once, with the document's own instance bound
    to the paragraph and heading styles; its w:num for the main text."""
    if KEY in state.list_abstracts:
        return state.list_abstracts[f"{KEY} main"]
    ident = next_abstract_id(state)
    num_id = add_abstract(state, parse_xml(abstract_xml(ident, state)))
    state.list_abstracts[KEY] = ident
    state.list_abstracts[f"{KEY} main"] = state.list_abstracts[f"{KEY} current"] = num_id
    for level in range(1, 7):
        for name in (f"Numbered Paragraph {level}", f"Heading {level}"):
            state.style(name)
            bind(state.package.styles[name].element, num_id, level - 1)
    return num_id


def next_abstract_id(state: State) -> int:
    numbering = state.package.part.numbering_part.element
    return max((int(i) for i in numbering.xpath("w:abstractNum/@w:abstractNumId")), default=0) + 1


def add_abstract(state: State, abstract) -> int:
    """A w:abstractNum added to the numbering part, and the w:num of a
    first instance of it."""
    numbering = state.package.part.numbering_part.element
    nums = numbering.findall(qn("w:num"))
    if nums:  # abstract definitions come before the w:num elements
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    return numbering.add_num(int(abstract.get(qn("w:abstractNumId")))).numId


def start_order(state: State) -> int:
    """An annex, appendix or tab: its paragraphs count from 1. again, in an
    instance of the same list that restarts. Returns the instance it
    interrupts, for `end_order`."""
    military_list(state)
    before = state.list_abstracts[f"{KEY} current"]
    num = state.package.part.numbering_part.element.add_num(state.list_abstracts[KEY])
    for level in range(6):
        num.add_lvlOverride(ilvl=level).add_startOverride(1)
    state.list_abstracts[f"{KEY} current"] = num.numId
    return before


def end_order(state: State, before: int) -> None:
    state.list_abstracts[f"{KEY} current"] = before


def number_paragraph(p, level: int, state: State) -> None:
    """A paragraph numbered at `level` (1 to 6) of the order being written."""
    military_list(state)
    bind(p, state.list_abstracts[f"{KEY} current"], level - 1)


def unnumbered(p, state: State) -> None:
    """A heading in a numbered style that has no number (an annex's title):
    in a list whose levels show nothing. (numId 0, Word's own way to say
    "no list", is a reference to no definition, which the OOXML validator
    refuses in the document.)"""
    if NO_NUMBER not in state.list_abstracts:
        levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="none"/>'
                         '<w:suff w:val="nothing"/><w:lvlText w:val=""/><w:lvlJc w:val="left"/>'
                         '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>' for i in range(9))
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{next_abstract_id(state)}">'
                             f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
        state.list_abstracts[NO_NUMBER] = add_abstract(state, abstract)
    bind(p, state.list_abstracts[NO_NUMBER], 0)


def bind(element, num_id: int, ilvl: int) -> None:
    properties = element.get_or_add_pPr()
    num_pr = properties.numPr
    if num_pr is None:  # most paragraphs: made whole, and placed in the pPr once
        num_pr = OxmlElement("w:numPr")
        num_pr.append(OxmlElement("w:ilvl", {qn("w:val"): str(ilvl)}))
        num_pr.append(OxmlElement("w:numId", {qn("w:val"): str(num_id)}))
        insert_numPr(properties, num_pr)
        return
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


# What comes before w:numPr in a w:pPr (CT_PPrBase's sequence); all else after.
BEFORE_NUMPR = frozenset(qn(f"w:{name}") for name in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl"))


def insert_numPr(properties, num_pr) -> None:  # noqa: N802 - OOXML's name
    """`num_pr` where the schema puts it among the paragraph's properties.
    python-docx's `_insert_numPr` looks for each of the thirty elements that
    may follow; a paragraph of ours holds two or three."""
    for index, child in enumerate(properties):
        if child.tag not in BEFORE_NUMPR:
            properties.insert(index, num_pr)
            return
    properties.append(num_pr)
