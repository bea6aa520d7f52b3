"""The inline walk: the model's inlines as Word runs, hyperlinks, REF fields
and footnote references; and the paragraphs made of them (a styled
paragraph, a numbered caption).

`marks` are the formatting around an inline (emph, strong, code, link),
passed down the walk and spent by `run`.
"""

from __future__ import annotations

import re
from typing import assert_never

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from pipeline.model import (ATTACHMENT_KINDS, VISUALLY_HIDDEN, Abbr, Anchor, Cite, Code, Emph, FootnoteRef, Image,
                            Inline, LineBreak, Link, Math, Ref, Span, Strike, Strong, Sub, Sup, Text)
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import (bookmark, bookmark_name, bookmarked, complex_field,
                                         label_bookmark_name, set_text, simple_field,
                                         styled_paragraph, text_run)
from pipeline.model.walk import nested_inlines
from pipeline.render.docx.math import math_xml
from pipeline.render.docx.package import style_font
from pipeline.render.docx.pictures import picture_run
from pipeline.render.docx.state import Env, State

# Run marks, innermost formatting first: a run gets the first one present as
# its character style, the rest as plain bold/italic, since a Word run can
# carry only one character style (pandoc, too, writes nested emphasis as w:i).
CHAR_STYLES = (("code", "Verbatim Char"), ("link", "Hyperlink"),
               ("strong", "Strong"), ("emph", "Emphasis"))

PORTION_RUNS = 2  # what portion_run makes: the mark, then a space

# Run marks that are direct formatting: the run property each sets, in the
# order OOXML's schema wants them in a w:rPr.
RUN_PROPERTIES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("smallcaps", "w:smallCaps", {}), ("strike", "w:strike", {}),
    ("mark", "w:highlight", {"w:val": "yellow"}), ("underline", "w:u", {"w:val": "single"}),
    ("sub", "w:vertAlign", {"w:val": "subscript"}), ("sup", "w:vertAlign", {"w:val": "superscript"}))
# A span's classes that are run marks (a key is shown as code).
SPAN_MARKS = {"smallcaps": "smallcaps", "underline": "underline", "mark": "mark", "kbd": "code"}


def inlines_xml(inlines: tuple[Inline, ...], env: Env, state: State,
                marks: frozenset[str]) -> list:
    return [element for inline in inlines for element in inline_xml(inline, env, state, marks)]


def inline_xml(inline: Inline, env: Env, state: State, marks: frozenset[str]) -> list:
    match inline:
        case Text(text=text):
            # A newline in source text is a soft break: a space, not a w:br.
            return [run(state, text.replace("\n", " "), marks)]
        case Emph(children=children):
            return inlines_xml(children, env, state, marks | {"emph"})
        case Strong(children=children):
            return inlines_xml(children, env, state, marks | {"strong"})
        case Code(text=text):
            return [run(state, text.replace("\n", " "), marks | {"code"})]
        case Link(target=target, children=children):
            return [hyperlink(env, state, target,
                              inlines_xml(children, env, state, marks | {"link"}))]
        case LineBreak():
            line_break = OxmlElement("w:r")
            line_break.append(OxmlElement("w:br"))
            return [line_break]
        case FootnoteRef(number=number, first=first):
            return footnote_reference(number, first, state)
        case Abbr(text=text):
            return [run(state, text, marks)]  # Word has no abbreviation markup; the list explains
        case Ref() as ref:
            return [hyperlink(env, state, f"#{ref.id}",
                              cross_reference(ref, env, state, marks | {"link"}))]
        case Image(path=path, data=data, mime=mime, width=width, height=height, alt=alt):
            return [picture_run(path, data, mime, width, height, alt, env, state,
                                (inline.display_width, inline.display_height))]
        case Strike(children=children):
            return inlines_xml(children, env, state, marks | {"strike"})
        case Sub(children=children):
            return inlines_xml(children, env, state, marks | {"sub"})
        case Sup(children=children):
            return inlines_xml(children, env, state, marks | {"sup"})
        case Span(classes=classes, children=children, id=ident):
            inner = [] if VISUALLY_HIDDEN in classes else inlines_xml(
                children, env, state, marks | {SPAN_MARKS[c] for c in classes if c in SPAN_MARKS})
            return bookmarked(inner, bookmark_name(ident), state.bookmark_id()) if ident else inner
        case Anchor(id=ident):
            return bookmarked([], bookmark_name(ident), state.bookmark_id())
        case Math(tex=tex, display=display):
            return math_xml(tex, display, env, state)
        case Cite(children=children, id=ident):  # as the style words it, its items links to their entries
            words = inlines_xml(children, env, state, marks)
            # A hidden bookmark round it: what `briefing import` writes back as the citation.
            return bookmarked(words, cite_bookmark(ident), state.bookmark_id()) if ident and words else words
        case _:
            assert_never(inline)


def cite_bookmark(ident: str) -> str:
    """The hidden bookmark (a leading `_`) round a citation's words."""
    return "_Cite_" + re.sub(r"\W", "_", ident, flags=re.ASCII)[:30]


def run(state: State, text: str, marks: frozenset[str]):
    r = OxmlElement("w:r")
    styled = next((name for mark, name in CHAR_STYLES if mark in marks), None)
    if styled:
        r.style = state.style(styled)
    if "strong" in marks and styled != "Strong":
        r.get_or_add_rPr().get_or_add_b()
    if "emph" in marks and styled != "Emphasis":
        r.get_or_add_rPr().get_or_add_i()
    for mark, tag, values in RUN_PROPERTIES:
        if mark in marks and not (mark == "sub" and "sup" in marks):  # the innermost would win: keep one
            r.get_or_add_rPr().append(OxmlElement(tag, {qn(k): v for k, v in values.items()}))
    set_text(r, text)
    return r


def hyperlink(env: Env, state: State, target: str, runs: list):
    """`#id` jumps to the heading bookmark; anything else is an external URL,
    related from the part the link sits in (the body, or the notes)."""
    link = OxmlElement("w:hyperlink")
    if target.startswith("#"):
        link.set(qn("w:anchor"), bookmark_name(target[1:]))
    else:
        part = state.notes if env.in_note and state.notes else state.package.part
        link.set(qn("r:id"), part.relate_to(target, RT.HYPERLINK, is_external=True))
    link.set(qn("w:history"), "1")
    link.extend(runs)
    return link


def cross_reference(ref: Ref, env: Env, state: State, marks: frozenset[str]) -> list:
    """A REF field, as Word's Insert Cross-reference writes it, so Word
    updates the words when the target is renumbered; its cached result is
    what shows until then. A numbered section: "Section " and its heading's
    paragraph number (`\\r`); a table or figure: the bookmarked label and
    number of its caption ("Table 1"); anything unnumbered: its title."""
    target = bookmark_name(ref.id)
    if ref.prefix is not None and ref.number:
        # Quarto's own wording (`[Fig. @fig-x]`, `[-@fig-x]`): as words, since
        # a REF field would repeat the caption's label when Word updates it.
        return [run(state, f"{ref.prefix} {ref.number}".strip(), marks)]
    if ref.kind == "equation" and ref.number:  # its number is bookmarked inside "(1)"
        return [run(state, f"{env.labels[ref.kind]} ", marks),
                *complex_field(f" REF {label_bookmark_name(ref.id)} ", [run(state, ref.number, marks)])]
    if ref.kind in ATTACHMENT_KINDS:  # "Annex B": its letter, in the link to its heading
        return [run(state, f"{env.labels[ref.kind]} {ref.number}", marks)]
    if ref.within and ref.number:  # a sub-figure: its group's "Figure 3", then its "(a)"
        number, _, letter = ref.number.partition("\u00a0")
        return [*complex_field(f" REF {label_bookmark_name(ref.within)} ",
                               [run(state, f"{env.labels[ref.kind]} {number}", marks)]),
                run(state, "\u00a0", marks),
                *complex_field(f" REF {label_bookmark_name(ref.id)} ", [run(state, letter, marks)])]
    if ref.kind == "paragraph" and ref.id in env.cited:  # numbering: military, "paragraph 3b(2)"
        # A field per level, each the number of a heading without its
        # trailing period (`\\n`): Word and LibreOffice both say "3b(2)".
        return [run(state, f"{env.labels[ref.kind]} ", marks),
                *(element for ident, part in env.cited[ref.id] for element in complex_field(
                    f" REF {bookmark_name(ident)} \\n \\h ", [run(state, part, marks)]))]
    if ref.kind == "section" and ref.number:
        return [run(state, f"{env.labels[ref.kind]} ", marks),
                *complex_field(f" REF {target} \\r ", [run(state, ref.number, marks)])]
    if ref.number:
        return complex_field(f" REF {label_bookmark_name(ref.id)} ",
                             [run(state, f"{env.labels[ref.kind]} {ref.number}", marks)])
    return complex_field(f" REF {target} ", inlines_xml(ref.title, env, state, marks))


def footnote_reference(number: int, first: bool, state: State) -> list:
    """A real Word footnote reference; Word numbers them in order, as we do.
    A second reference to the same note is Word's NOTEREF field to the first,
    formatted as a footnote reference (`\\f`), so that it follows the note's
    number when Word renumbers the notes: typed as text, it went stale."""
    r = OxmlElement("w:r")
    r.style = state.style("Footnote Reference")
    name = f"_Note{number}"  # hidden (a leading `_`), and apart from the captions' `_Ref…`
    if first:
        r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(number)}))
        return bookmarked([r], name, state.bookmark_id())
    t = OxmlElement("w:t")
    t.text = str(number)
    r.append(t)
    return complex_field(f" NOTEREF {name} \\f \\h ", [r])


# Paragraphs of inlines ----------------------------------------------------

def paragraph(env: Env, state: State, style: str, inlines: tuple[Inline, ...],
              portion: str | None = None):
    p = styled_paragraph(state.style(style))
    if portion:
        p.extend(portion_run(state, portion))
    p.extend(inlines_xml(inlines, env, state, frozenset()))
    if style in LARGE_STYLES and any(isinstance(item, Code) for item in nested_inlines(inlines)):
        scale_code(p, style, state)
    return p


# Styles whose type is larger than the body's, where code keeps its share of it.
LARGE_STYLES = frozenset(("Title", "Subtitle", *(f"Heading {level}" for level in range(1, 7))))


def scale_code(p, style: str, state: State) -> None:
    """Code in a heading or the title as large beside its words as in the
    body: Verbatim Char sets a size of its own (9.5 points by 10), which in
    a 16-point heading was half the words' size. Each code run gets the
    style's size in that proportion, as the HTML's `0.9em` does."""
    if style not in state.code_sizes:
        code, body = (style_font(state.package, name)[1] for name in ("Verbatim Char", "Normal"))
        size = style_font(state.package, style)[1] * code / body
        state.code_sizes[style] = round(2 * size) if size > code else None
    half_points = state.code_sizes[style]
    if half_points is None:
        return
    verbatim = state.style("Verbatim Char")
    for r in p.iter(qn("w:r")):
        if r.rPr is not None and r.rPr.rStyle is not None and r.rPr.rStyle.val == verbatim:
            r.rPr.get_or_add_sz().set(qn("w:val"), str(half_points))


def portion_run(state: State, portion: str) -> list:
    """A portion mark such as (S//NF), in its own character style, and the
    space after it (PORTION_RUNS runs)."""
    r = text_run(f"({portion})")
    r.style = state.style("Portion Mark")
    return [r, text_run(" ")]


def numbered_caption(env: Env, state: State, label: str, sequence: str, number: int | None,
                     caption: tuple[Inline, ...], ident: str, portion: str | None, prefix: str = ""):
    """"Table 1: ..." in Word's Caption style; the number is a SEQ field, so
    Word renumbers and lists it in a Table of Figures. In an annex, "Table
    A-1": the annex's prefix, and the sequence starts again at its first."""
    p = styled_paragraph(state.style("Caption"))
    if number is not None:
        restart = " \\r 1" if prefix and number == 1 else ""
        label_and_number = [text_run(f"{env.labels[label]} {prefix}"),
                            simple_field(f" SEQ {sequence} \\* ARABIC{restart} ", str(number))]
        colon = text_run(f"{env.labels.get('colon', ':')} ")
        if "Caption Label" in state.style_ids:  # bold in the accent colour, as in the PDF
            for r in (label_and_number[0], label_and_number[1][0], colon):
                r.style = state.style("Caption Label")
        if ident:  # what a cross-reference's REF field repeats, as in Word
            label_and_number = bookmarked(label_and_number, label_bookmark_name(ident),
                                          state.bookmark_id())
        p.extend([*label_and_number, colon])
    if portion:
        p.extend(portion_run(state, portion))
    p.extend(inlines_xml(caption, env, state, frozenset()))
    if ident:
        bookmark(p, bookmark_name(ident), state.bookmark_id())
    return p
