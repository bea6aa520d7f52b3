"""The block walk: sections as headings, blocks as paragraphs in named
styles, lists on real Word numbering, and the footnotes and abbreviations
that close the document.

Each ordered list gets its own `w:num` that restarts at ListBlock.start;
bullets share the `List Bullet` style's list. Headings are numbered the
same way, by a list bound to the Heading styles.
"""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

from pipeline.model import (Admonition, Bibliography, Block, CodeBlock, DefinitionList, Div, Enclosure,
                            Equation, Figure, FigureGroup, Footnote, Inline, Link, ListBlock, Math, PageBreak,
                            Paragraph, Quote, Rule, Section, Strong, Table, TabSet, Text, reused)
from pipeline.render.docx.boxes import boxed, set_child
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import bookmark, bookmark_name, styled_paragraph, tab_run, text_run
from pipeline.render.docx.figures import figure_group_xml, figure_xml
from pipeline.render.docx.inlines import PORTION_RUNS, inlines_xml, paragraph, portion_run
from pipeline.render.docx.lists import numbering_abstract, task_box
from pipeline.render.docx.math import equation_xml
from pipeline.render.docx.package import footnotes_part
from pipeline.render.docx.paragraphs import (add_abstract, bind, end_order, next_abstract_id, number_paragraph,
                                             start_order, unnumbered)
from pipeline.render.docx.sections import attachment_section, landscape_xml
from pipeline.render.docx.roundtrip import LOOSE_AFTER_TWIPS
from pipeline.render.docx.state import Env, State, Where
from pipeline.render.docx.tables import table_xml
from pipeline.render.leadins import item_lead, lead_in

TABLE = qn("w:tbl")

ADMONITION_STYLES = ("Note", "Warning", "Important", "Tip", "Caution")
ABBREVIATIONS_ID = "abbreviations-title"  # as the HTML's (transform/ids.py reserves it)


def blocks_xml(blocks: tuple[Block, ...], env: Env, state: State, where: Where) -> list:
    out: list = []
    for block in blocks:
        made = block_xml(block, env, state, where)
        if out and made and out[-1].tag == TABLE and made[0].tag == TABLE:
            # Word and LibreOffice join two tables with nothing between them
            # into one, its columns the first's: an empty paragraph keeps
            # them apart, as pandoc writes it.
            out.append(OxmlElement("w:p"))
        out.extend(made)
    return out


def block_xml(block: Block, env: Env, state: State, where: Where) -> list:
    match block:
        case Paragraph(inlines=inlines, portion=portion, number=str(), level=level) if level:
            # `numbering: military`: Word draws the number (1. a. (1) …) before the mark.
            numbered = paragraph(env, state, f"Numbered Paragraph {level}", inlines, portion)
            number_paragraph(numbered, level, state)
            return [numbered]
        case Paragraph(inlines=inlines, portion=portion):
            if any(isinstance(item, Math) and item.display for item in inlines):
                return display_split(inlines, portion, env, state, where)
            made = paragraph(env, state, where.style, inlines, portion)
            if lead_in(block):  # kept on the page of what it announces
                set_child(made.get_or_add_pPr(), "w:keepNext")
            return [made]
        case ListBlock() as list_block:
            return list_xml(list_block, env, state, where)
        case Quote(blocks=blocks, attribution=attribution, attribution_portion=portion):
            said = [attribution_xml(attribution, portion, env, state)] if attribution else []
            return in_box(blocks, "Quote", env, state, where) + said
        case DefinitionList(items=items):
            definition = replace(where, style="Definition")
            return [element for item in items for element in (
                paragraph(env, state, "Definition Term", item.term, item.portion),
                *(e for d in item.definitions for e in blocks_xml(d, env, state, definition)))]
        case CodeBlock(text=text):
            return [code_xml(text, state)]
        case Rule():
            return [paragraph(env, state, "Rule", ())]
        case PageBreak():
            page = paragraph(env, state, where.style, ())
            page.append(parse_xml(f'<w:r {nsdecls("w")}><w:br w:type="page"/></w:r>'))
            return [page]
        case Admonition(kind=kind, title=title, blocks=blocks, portion=portion):
            style = kind.capitalize() if kind.capitalize() in ADMONITION_STYLES else "Note"
            if not title and (block.default_title or block.folded is not None):
                title = (Text(text=env.labels[f"admonition_{kind}"]),)  # the kind's name
            # Its title in the box where the reference has a style for it.
            boxed_title = (f"{style} Title" if f"{style} Title" in state.style_ids
                           else "Admonition Title")
            head = [paragraph(env, state, boxed_title, title, portion)] if title else []
            return head + in_box(blocks, style, env, state, where)
        case TabSet(tabs=tabs):  # each tab's title, then its content
            return [element for tab in tabs for element in (
                *([paragraph(env, state, "Tab Title", tab.title, tab.portion)] if tab.title else []),
                *blocks_xml(tab.blocks, env, state, where))]
        case Div(formats=formats) if formats and "docx" not in formats:
            return []  # Quarto's content for other formats
        case Div(classes=classes, blocks=blocks) if "landscape" in classes and where.depth == 0 \
                and where.style == "Body Text":
            return landscape_xml(blocks_xml(blocks, env, state, where), state)
        case Div(blocks=blocks):
            return blocks_xml(blocks, env, state, where)  # Word has no divs: its blocks as they are
        case Table() as table:
            return table_xml(table, env, state,
                             lambda cell: blocks_xml(cell, env, state, Where(style="Compact")))
        case Figure() as figure:
            return figure_xml(figure, env, state)
        case FigureGroup() as group:
            return figure_group_xml(group, env, state)
        case Equation() as equation:
            return equation_xml(equation, env, state)
        case Bibliography() as bibliography:
            from pipeline.render.docx.bibliography import entries_xml
            return entries_xml(bibliography, env, state)
        case _:
            assert_never(block)


def in_box(blocks: tuple[Block, ...], box: str, env: Env, state: State, where: Where) -> list:
    """The blocks of a note or quotation: its paragraphs in the box's style,
    and what else it holds (lists, code, tables, a box in the box) moved
    into the box (boxes.py)."""
    inside = replace(where, style=box)
    content: list = []
    for block in blocks:
        made = block_xml(block, env, state, inside)
        if not isinstance(block, Paragraph):
            made = boxed(made, box, state, own_look=isinstance(block, Quote | Admonition))
        content.extend(made)
    return content


def display_split(inlines: tuple[Inline, ...], portion: str | None, env: Env, state: State,
                  where: Where) -> list:
    """A paragraph with display mathematics in it (`text $$x$$ text`) as
    Word has it, and pandoc writes it: the formula a centred paragraph of
    its own between the text before and after it."""
    out: list = []
    run: list[Inline] = []
    for item in (*inlines, None):
        if item is None or (isinstance(item, Math) and item.display):
            if run and not (len(run) == 1 and isinstance(run[0], Text) and not run[0].text.strip()):
                out.append(paragraph(env, state, where.style, tuple(run), None if out else portion))
            run = []
            if item is not None:
                out.append(equation_xml(Equation(tex=item.tex, line=item.line or 0), env, state)[0])
        else:
            run.append(item)
    return out


def code_xml(text: str, state: State):
    """One paragraph, lines split by w:br, so spacing and border wrap the block."""
    p = styled_paragraph(state.style("Source Code"))
    r = OxmlElement("w:r")
    r.text = text.rstrip("\n")  # python-docx: \n -> w:br, \t -> w:tab, spaces kept
    p.append(r)
    return p


# Sections -----------------------------------------------------------------

def section_xml(section: Section, env: Env, state: State) -> list:
    if section.attachment:  # an annex: a Word section of its own, its paragraphs from 1.
        mark = f"({section.portion}) " if section.portion else ""
        start = attachment_section(section.attachment, mark + section.attachment.heading, state)
        before = start_order(state)
        heading = paragraph(env, state, f"Heading {min(section.level, 6)}",
                            (Text(text=section.attachment.heading),), section.portion)
        if env.military:
            unnumbered(heading, state)
        bookmark(heading, bookmark_name(section.id), state.bookmark_id(),
                 skip=PORTION_RUNS if section.portion else 0)
        content = [start, heading, *blocks_xml(section.blocks, env, state, Where())]
        for child in section.children:
            content.extend(section_xml(child, env, state))
        end_order(state, before)
        return content
    return plain_section_xml(section, env, state)


def plain_section_xml(section: Section, env: Env, state: State) -> list:
    # The model's level is the section's depth (transform/outline.py): the
    # top sections are Heading 1 however many `#` they had. Numbered sections
    # take their number from the Heading styles' list (see number_headings),
    # so a heading added in Word is numbered too.
    heading = paragraph(env, state, f"Heading {min(section.level, 6)}", section.title,
                        section.portion)
    if section.paragraph_level:  # numbering: military, at its level of the scheme
        number_paragraph(heading, section.paragraph_level, state)
    elif env.military:
        unnumbered(heading, state)
    bookmark(heading, bookmark_name(section.id), state.bookmark_id(),
             skip=PORTION_RUNS if section.portion else 0)
    content = [heading, *blocks_xml(section.blocks, env, state, Where())]
    for child in section.children:
        content.extend(section_xml(child, env, state))
    return content


def number_headings(state: State) -> None:
    """Bind Heading 1-6 to a multilevel list (1, 1.1, 1.1.1 ...): Word
    numbers every heading in those styles, including ones added later."""
    abstract_id = next_abstract_id(state)
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="{state.style(f"Heading {i + 1}")}"/>'
        '<w:suff w:val="space"/>'  # schema order: start numFmt pStyle suff lvlText lvlJc pPr
        f'<w:lvlText w:val="{".".join(f"%{n}" for n in range(1, i + 2))}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>' for i in range(6))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                         f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
    num_id = add_abstract(state, abstract)
    for level in range(1, 7):
        number(state.package.styles[f"Heading {level}"].element, num_id, level - 1)


# Lists --------------------------------------------------------------------

def list_xml(list_block: ListBlock, env: Env, state: State, where: Where) -> list:
    """Numbered paragraphs; an item's later blocks continue it, unnumbered."""
    depth = where.depth + 1
    level = min(depth - 1, 8)  # w:ilvl counts from 0; Word has nine levels
    suffix = "" if depth == 1 else f" {min(depth, 3)}"
    style = f"List {'Number' if list_block.ordered else 'Bullet'}{suffix}"
    abstract = numbering_abstract(env, state, list_block.style, list_block.delimiter)
    num_id = (ordered_num(state, abstract, level, list_block.start) if list_block.ordered
              else env.bullet_num)
    inner = Where(style=f"List Continue{suffix}", depth=depth)
    content = []
    for item in list_block.items:
        first, portion, rest = item_head(item.blocks)
        numbered = paragraph(env, state, style, first, portion)
        number(numbered, num_id, level)
        if item_lead(item.blocks):  # kept on the page of what it leads (leadins.py)
            set_child(numbered.get_or_add_pPr(), "w:keepNext")
        if item.task is not None:
            task_box(numbered, item.task, env, state)
        continued = blocks_xml(rest, env, state, inner)
        if list_block.loose:  # its paragraphs (not a nested list's) spaced as the body's
            continuing = state.style(inner.style)
            for made in (numbered, *(e for e in continued if e.tag == qn("w:p") and e.style == continuing)):
                made.get_or_add_pPr().spacing_after = LOOSE_AFTER
        content.append(numbered)
        content.extend(continued)
    return content


# After each paragraph of a loose list's item: Body Text's space after (6.5
# pt), where a tight list's items keep their style's 3 pt.
LOOSE_AFTER = Twips(LOOSE_AFTER_TWIPS)


def item_head(blocks: tuple[Block, ...]
              ) -> tuple[tuple[Inline, ...], str | None, tuple[Block, ...]]:
    """The inlines that carry the item's number, their portion mark, and
    the blocks after them."""
    match blocks:
        case (Paragraph(inlines=inlines, portion=portion), *rest):
            return inlines, portion, tuple(rest)
        case _:
            # An item that opens with a list or code still needs its number.
            return (), None, blocks


def ordered_num(state: State, abstract: int, level: int, start: int) -> int:
    """A new list instance, so this list restarts at its own start."""
    num = state.package.part.numbering_part.element.add_num(abstract)
    num.add_lvlOverride(ilvl=level).add_startOverride(start)
    return num.numId


def number(p, num_id: int, level: int) -> None:
    bind(p, num_id, level)


# The document's end -------------------------------------------------------

def add_footnotes(notes: tuple[Footnote, ...], env: Env, state: State) -> None:
    """word/footnotes.xml with the notes, in place of any the reference had."""
    part = state.notes = footnotes_part(state.package)
    note_env = replace(env, in_note=True)  # links in notes are the notes part's relationships
    for note in notes:
        footnote = OxmlElement("w:footnote", {qn("w:id"): str(note.number)})
        paragraphs = blocks_xml(note.blocks, note_env, state, Where(style="Footnote Text"))
        mark = OxmlElement("w:r")
        mark.style = state.style("Footnote Reference")
        mark.append(OxmlElement("w:footnoteRef"))
        if not paragraphs or paragraphs[0].tag != qn("w:p"):  # the mark needs a paragraph
            paragraphs.insert(0, paragraph(env, state, "Footnote Text", ()))
        paragraphs[0].pPr.addnext(mark)  # our paragraphs always have a style, so a pPr
        mark.addnext(text_run(" "))
        footnote.extend(paragraphs)
        part.element.append(footnote)


def attribution_xml(attribution: tuple[Inline, ...], portion: str | None, env: Env,
                    state: State):
    """`— (U) Source`: the dash, then the attribution's mark and words."""
    p = paragraph(env, state, "Quote Attribution", (Text(text="— "),))
    if portion:
        p.extend(portion_run(state, portion))
    p.extend(inlines_xml(attribution, env, state, frozenset()))
    return p


def abbreviations_xml(items: tuple[tuple[str, str], ...], marks: dict[str, str], env: Env,
                      state: State) -> list:
    """The automatic list at the end: a heading beside the top sections (its
    style is a Heading 1 that is never numbered: in the Navigation pane and
    the contents), then each abbreviation, a tab, its meaning (after its
    portion mark, with portion marking)."""
    heading = paragraph(env, state, "Abbreviations Heading",
                        (Text(text=env.labels["abbreviations"]),))
    bookmark(heading, bookmark_name(ABBREVIATIONS_ID), state.bookmark_id())
    rows = [heading]
    for short, long in items:
        p = paragraph(env, state, "Abbreviation", (Text(text=short),))
        p.append(tab_run())
        if short in marks:
            p.extend(portion_run(state, marks[short]))
        p.append(text_run(long))
        rows.append(p)
    return rows


def attachments_xml(doc_sections: tuple[Section, ...], enclosures: tuple[Enclosure, ...], env: Env,
                    state: State) -> list:
    """The end of the main body, as an order ends: its annexes (each a link
    to its heading) and its enclosures."""
    annexes = [s for s in doc_sections if s.attachment and s.attachment.kind == "annex"]
    out = []
    for title, rows in ((env.labels["annexes"], [
            (f"#{s.id}", f"{env.labels['annex']} {s.attachment.label}", s.title)
            for s in annexes if s.attachment]),
            (env.labels["enclosures"], [
                (None, f"{env.labels['enclosure']} {e.number}",
                 (Text(text=f"{e.title} ({e.classification})"),)) for e in enclosures])):
        if not rows:
            continue
        out.append(paragraph(env, state, "Body Text", (Strong(children=(Text(text=f"{title}{env.labels.get('colon', ':')}"),)),)))
        for target, name, words in rows:
            name_inline = Link(target=target, children=(Text(text=name),)) if target else Text(text=name)
            out.append(paragraph(env, state, "Compact", (name_inline, Text(text=" – "), *reused(words))))
    return out
