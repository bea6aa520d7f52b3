"""Word sections: a `::: landscape` div is a landscape section of its own,
and an annex starts a section with its own headers, footers and page
numbers (A-1), as a writer makes them with Layout > Breaks > Next Page.

A w:sectPr describes the section that ends where it stands (in the last
paragraph's properties, or the body's own for the last section), so the
writer keeps the properties of the section it is writing in `state.section`
and, at a break, closes it with a paragraph holding them. A section without
header or footer references of its own shows those of the section before
(Word's "Link to Previous"): the landscape pages keep the banners, the
running head and "Page X of Y", which are fields over document properties
and pages, so they stay right on any page.
"""

from __future__ import annotations

import copy

from docx.oxml.ns import qn
from docx.section import Section

from pipeline.markings.rules import level_class
from pipeline.model import Attachment
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import simple_field, styled_paragraph, text_run
from pipeline.render.docx.state import State

REFERENCES = (qn("w:headerReference"), qn("w:footerReference"))


def body_section(state: State):
    return state.package.element.body.find(qn("w:sectPr"))


def current(state: State):
    """The properties of the section being written: at first, the body's."""
    if state.section is None:
        state.section = copy.deepcopy(body_section(state))
    return state.section


def next_section(state: State, properties) -> object:
    """A paragraph that ends the section being written; `properties` (a
    w:sectPr) describe the one that starts after it."""
    ending = current(state)
    p = OxmlElement("w:p")
    p.append(OxmlElement("w:pPr"))
    p.pPr.append(ending)
    state.section = properties
    return p


def continued(state: State, *, landscape: bool | None = None):
    """The properties of a section that goes on as the last one did (its
    headers and footers linked to the previous, no title page of its own),
    turned to `landscape` or back to portrait."""
    properties = copy.deepcopy(current(state))
    for element in list(properties):
        if element.tag in REFERENCES or element.tag == qn("w:titlePg"):
            properties.remove(element)
    for numbering in properties.findall(qn("w:pgNumType")):
        numbering.attrib.pop(qn("w:start"), None)  # the page numbers run on
    if landscape is not None:
        turn(properties, landscape)
    return properties


def turn(properties, landscape: bool) -> None:
    size = properties.find(qn("w:pgSz"))
    if size is None:
        return
    width, height = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
    if landscape != (width > height):
        size.set(qn("w:w"), str(height))
        size.set(qn("w:h"), str(width))
    if landscape:
        size.set(qn("w:orient"), "landscape")
    else:
        size.attrib.pop(qn("w:orient"), None)


def is_landscape(properties) -> bool:
    size = properties.find(qn("w:pgSz"))
    return size is not None and size.get(qn("w:orient")) == "landscape"


def landscape_xml(content: list, state: State) -> list:
    """Content on landscape pages of their own, between two section breaks."""
    before = next_section(state, continued(state, landscape=True))
    after = next_section(state, continued(state, landscape=False))
    return [before, *content, after]


def close_sections(state: State) -> None:
    """The last section's properties as the body's own, once the body has
    more than one."""
    if state.section is None:
        return
    body = body_section(state)
    body.addprevious(state.section)
    body.getparent().remove(body)
    state.section = None


# Annexes, appendices and tabs ---------------------------------------------------

def attachment_section(attachment: Attachment, running_head: str, state: State) -> object:
    """The paragraph that ends what came before an annex (appendix, tab):
    the annex's own section starts on a new page with headers and footers
    of its own: its banner, its heading as the running head, and its page
    numbers, B-1, B-2 (a PAGE field after the prefix, starting at 1)."""
    properties = continued(state, landscape=False)
    numbering = properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        follows = properties.find(qn("w:cols"))  # schema order: … pgNumType before cols
        if follows is not None:
            follows.addprevious(numbering)
        else:
            properties.append(numbering)
    numbering.set(qn("w:start"), "1")
    section = Section(properties, state.package.part)
    banner_style = f"Classification {level_class(attachment.banner)}"
    banner_style = banner_style if banner_style in state.style_ids else "Classification"
    for part in (section.header, section.footer):
        part.is_linked_to_previous = False  # a part of its own, with one paragraph
        banner = part.paragraphs[0]._p
        banner.style = state.style(banner_style)
        banner.append(text_run(attachment.banner))
    head = styled_paragraph(state.style("Header"))
    head.append(text_run(running_head))
    section.header._element.append(head)
    number = styled_paragraph(state.style("Footer"))
    number.extend([text_run(attachment.pages), simple_field(" PAGE \\* MERGEFORMAT ", "1")])
    section.footer._element.append(number)
    return next_section(state, properties)
