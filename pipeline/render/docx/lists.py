"""Ordered lists numbered as their author wrote them (`a)`, `(iv)`, `A.`),
on real Word numbering, and a task list's boxes.

A list in the house style (`1.`) takes `List Number`'s own definition, whose
levels count 1., a., i.; one written otherwise gets a copy of that
definition in its own number format and punctuation, made once per style
and shared, as Word's Define New Number Format makes one.
"""

from __future__ import annotations

import copy
import zlib

from docx.oxml.ns import qn

from pipeline.render.docx.fields import text_run
from pipeline.render.docx.state import Env, State

NUMBER_FORMATS = {"decimal": "decimal", "lower-alpha": "lowerLetter", "upper-alpha": "upperLetter",
                  "lower-roman": "lowerRoman", "upper-roman": "upperRoman"}
AROUND = {"period": ("", "."), "paren": ("", ")"), "parens": ("(", ")")}


def numbering_abstract(env: Env, state: State, style: str, delimiter: str) -> int:
    """The w:abstractNum for lists numbered in `style` with `delimiter`."""
    if (style, delimiter) == ("decimal", "period") or style not in NUMBER_FORMATS:
        return env.number_abstract
    key = f"{style} {delimiter}"
    if key in state.list_abstracts:
        return state.list_abstracts[key]
    numbering = state.package.part.numbering_part.element
    [source] = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{env.number_abstract}"]')
    abstract = copy.deepcopy(source)
    ident = max(int(i) for i in numbering.xpath("w:abstractNum/@w:abstractNumId")) + 1
    abstract.set(qn("w:abstractNumId"), str(ident))
    for nsid in abstract.findall(qn("w:nsid")):  # Word tells list definitions apart by it
        nsid.set(qn("w:val"), f"{zlib.crc32(key.encode()):08X}")
    before, after = AROUND.get(delimiter, AROUND["period"])
    for level in abstract.findall(qn("w:lvl")):
        number = int(level.get(qn("w:ilvl"))) + 1
        level.find(qn("w:numFmt")).set(qn("w:val"), NUMBER_FORMATS[style])
        level.find(qn("w:lvlText")).set(qn("w:val"), f"{before}%{number}{after}")
    numbering.findall(qn("w:num"))[0].addprevious(abstract)  # definitions before instances
    state.list_abstracts[key] = ident
    return ident


def task_box(paragraph, done: bool, env: Env, state: State) -> None:
    """A task item's box, ☐ or ☑, before its text (and its portion mark)."""
    box = env.labels["task_done" if done else "task_todo"]
    run = text_run(box)
    run.style = state.style("Task Box")  # a font that has the boxes
    paragraph.pPr.addnext(run)
    run.addnext(text_run(" "))
