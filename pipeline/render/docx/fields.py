"""Word fields and bookmarks, and the bare paragraphs and runs they sit in:
OOXML made from nothing but the arguments, no document state.

A field is an instruction Word evaluates (PAGE, NUMPAGES, DOCPROPERTY, REF,
PAGEREF, SEQ, TOC), shown with the result we computed until Word updates
it. A simple field is one element; a complex field is a run of runs
(begin, instruction, separate, result, end) and can span paragraphs, as
the TOC does. Bookmarks name the targets of links and REF fields.
"""

from __future__ import annotations

import hashlib
import re

from docx.oxml.ns import qn

from pipeline.render.docx.elements import OxmlElement


def styled_paragraph(style_id: str):
    """An empty w:p in a style, built directly: python-docx's `p.style =`
    looks up the schema order for each element it adds, six times slower."""
    p = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    properties.append(OxmlElement("w:pStyle", {qn("w:val"): style_id}))
    p.append(properties)
    return p


def text_run(text: str):
    """A run of plain text, in the paragraph's own style."""
    r = OxmlElement("w:r")
    set_text(r, text)
    return r


def set_text(r, text: str) -> None:
    if "\t" in text or "\n" in text:
        r.text = text  # python-docx makes w:tab and w:br of these
    else:  # python-docx's setter walks the text a character at a time
        t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
        t.text = text
        r.append(t)


def tab_run():
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:tab"))
    return r


# Fields -------------------------------------------------------------------

def simple_field(instruction: str, shown: str):
    """A Word field with the result it shows until Word updates it."""
    field = OxmlElement("w:fldSimple", {qn("w:instr"): instruction})
    field.append(text_run(shown))
    return field


def complex_field(instruction: str, result: list) -> list:
    """The runs of a whole complex field, showing `result` until Word updates it."""
    return [*field_start(instruction), *result, field_char("end")]


def field_start(instruction: str) -> list:
    """The runs that open a complex field up to its (cached) result."""
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = instruction
    run_with_instr = OxmlElement("w:r")
    run_with_instr.append(instr)
    return [field_char("begin"), run_with_instr, field_char("separate")]


def field_char(kind: str):
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    return r


# Bookmarks ----------------------------------------------------------------

def bookmark(p, name: str, ident: int, skip: int = 0) -> None:
    """Wrap the paragraph's text in a bookmark, the target of `#name` links,
    leaving out its first `skip` runs (a portion mark: a REF field that
    repeats a heading repeats its words, not its mark)."""
    start, end = bookmarked([], name, ident)
    p.pPr.addnext(start)
    for _ in range(skip):
        start.addprevious(start.getnext())
    p.append(end)


def bookmarked(elements: list, name: str, ident: int) -> list:
    """`elements` between the start and end of a bookmark."""
    return [OxmlElement("w:bookmarkStart", {qn("w:id"): str(ident), qn("w:name"): name}),
            *elements, OxmlElement("w:bookmarkEnd", {qn("w:id"): str(ident)})]


def label_bookmark_name(ident: str) -> str:
    """The hidden bookmark (a leading `_`, as Word's own `_Ref…`) around a
    caption's "Table 1", the text a REF field to that caption shows."""
    return f"_Ref{hashlib.sha1(ident.encode('utf-8')).hexdigest()[:12]}"


def bookmark_name(section_id: str) -> str:
    """A name Word keeps: at most 40 letters, digits, `_` or `-` (as pandoc
    writes them), starting with a letter; Word cuts longer names on save,
    which would break links. Other ids get a short hash to stay unique."""
    name = re.sub(r"[^\w-]", "_", section_id, flags=re.ASCII)
    if name == section_id and len(name) <= 40 and name[:1].isalpha():
        return name
    digest = hashlib.sha1(section_id.encode("utf-8")).hexdigest()[:8]
    return f"b{name[:30]}_{digest}"
