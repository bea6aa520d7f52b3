"""The DOCX backend: a model.Document as Word paragraphs on a reference.docx.

Every look comes from the reference document's named styles (pandoc's names
where pandoc has one; see tools/make_reference_docx.py); the backend only
picks style names, so a user's own reference.docx restyles the output.

Split by concern, as pandoc splits its Docx writer:

  state.py    Env, the read-only inputs passed down; State, the package being
              filled and its counters (pandoc's WriterEnv and WriterState)
  reference.py  the reference document rebuilt of the parts we need, as an input
  package.py  the reference document, styles, parts, properties, the zip
  fields.py   Word fields and bookmarks, and the bare runs they sit in
  inlines.py  the inline walk, and paragraphs and captions made of inlines
  blocks.py   the block walk: sections, lists, footnotes, abbreviations
  tables.py, figures.py
  front.py    the title page or block, marking blocks, table of contents
  page.py     page size, headers and footers, watermark

The model is walked with `match`, one function per level, as in every
backend; `render` below is the one entry point, as the build calls every
backend: (document, RenderContext, Reporter).
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from pipeline import model
from pipeline.problems import Reporter
from pipeline.render.context import RenderContext
from pipeline.render.docx.blocks import (ABBREVIATIONS_ID, abbreviations_xml, add_footnotes, attachments_xml,
                                         blocks_xml,
                                         number_headings, section_xml)
from pipeline.render.docx.bibliography import REFERENCES_ID, references_title
from pipeline.render.docx.bibliography import section_xml as bibliography_xml
from pipeline.render.docx.firstpage import first_page_footer_blocks
from pipeline.render.docx.front import abstract_xml, front_xml, marking_blocks_xml, toc_xml
from pipeline.render.docx.package import (append_body, clear_body, core_properties,
                                          custom_properties, open_reference, save,
                                          set_language, stable_zip)
from pipeline.render.docx.memo import OFFICE_SYMBOL, closing_xml, head_xml, memo_page
from pipeline.render.docx.minute import FILE_REFERENCE
from pipeline.render import stafflook
from pipeline.render.docx.pages import fill_page_numbers
from pipeline.render.docx.reference import clean_reference
from pipeline.render.docx.roundtrip import add_hints, hints, marking_properties
from pipeline.render.docx.page import add_watermark, page_break, page_setup, short_title
from pipeline.render.docx.sections import close_sections
from pipeline.render.docx.state import State, Where, environment, start
from pipeline.transform.paragraphs import chains


def render(doc: model.Document, ctx: RenderContext, reporter: Reporter) -> bytes:
    """The DOCX file for `doc`, styled by the reference document; a style it
    lacks is taken from ours, with a warning naming it."""
    cleaned = clean_reference(ctx.reference_doc)
    state = start(open_reference(ctx.reference_doc, cleaned.data), str(ctx.reference_doc))
    write(doc, ctx, state)
    if cleaned.dropped:
        reporter.warning(None, "docx.reference-dropped", "DOCX: left out of the reference document: "
                         + ", ".join(cleaned.dropped), path=state.reference)
    for name in state.borrowed:
        reporter.warning(None, "docx.reference-style", f"DOCX: the reference document has no "
                         f"style {name!r}; briefing's own was used", path=state.reference)
    return stable_zip(save(state.package))


def keep_with_next(content: list) -> None:
    """The last paragraph of the text kept on the page of what follows it:
    with widow control, at least its last two lines go over with the
    signature block (AR 25-50 and JSP 101 leave no block alone on a page)."""
    from docx.oxml.ns import qn

    from pipeline.render.docx.boxes import set_child

    last = next((e for e in reversed(content) if e.tag == qn("w:p")), None)
    if last is not None:
        set_child(last.get_or_add_pPr(), "w:keepNext")


def write(doc: model.Document, ctx: RenderContext, state: State) -> None:
    """Fill the package: page, front matter, body, notes, properties."""
    meta = doc.meta
    body = state.package.element.body
    clear_body(body)
    page_setup(meta, ctx.labels, state)  # first: figures and tables fit its text width
    env = environment(state, ctx.labels, meta)
    if meta.military:
        env = replace(env, cited=MappingProxyType(chains(doc)))
    if meta.draft:
        add_watermark(state.package, env.labels["draft"])
    if meta.memo:  # type: memo: AR 25-50's heading in place of the title block
        memo_page(state, meta, meta.memo, env.labels, stafflook.font(ctx.templates, meta.memo))
        content = [*head_xml(meta, meta.memo, env, state)]
        first_page_footer_blocks(ctx.first_page, env, state)  # at the foot of page 1
    else:
        content = [*front_xml(doc, env, state), *marking_blocks_xml(ctx.first_page, env, state)]
    if meta.title_page and (doc.blocks or doc.sections or doc.abstract):
        content.append(page_break(state))
    content.extend(abstract_xml(doc.abstract, env, state))
    if meta.toc and doc.sections:
        appendix = (((REFERENCES_ID, references_title(meta, env)),) if doc.bibliography else ()) + \
            (((ABBREVIATIONS_ID, env.labels["abbreviations"]),) if doc.abbreviations else ())
        content.extend(toc_xml(doc.sections, env, state, appendix))
    content.extend(blocks_xml(doc.blocks, env, state, Where()))
    if meta.numbering:  # w:num ids follow the order lists are made in: keep it
        number_headings(state)
    body_sections = [s for s in doc.sections if not s.attachment]
    for section in body_sections:
        content.extend(section_xml(section, env, state))
    if doc.bibliography:  # the works cited close the main body, before its annexes
        content.extend(bibliography_xml(doc.bibliography, meta, env, state))
    attached = [s for s in doc.sections if s.attachment]
    if meta.memo:  # a staff product's closing, with its Encl list or tabs
        closing = closing_xml(meta.memo, env, state, meta.date, stafflook.look(ctx.templates, meta.memo))
        if closing and meta.memo.signature:  # the signature block never stands on a page alone
            keep_with_next(content)
        content.extend(closing)
    elif doc.enclosures or attached:  # their list closes the main body; the annexes follow it
        content.extend(attachments_xml(doc.sections, doc.enclosures, env, state))
    for section in attached:
        content.extend(section_xml(section, env, state))
    append_body(body, content)
    close_sections(state)
    if doc.abbreviations:
        append_body(body, abbreviations_xml(doc.abbreviations, dict(doc.abbreviation_marks),
                                            env, state))
    if doc.footnotes:
        add_footnotes(doc.footnotes, env, state)
    if meta.toc and doc.sections:  # the contents' page numbers, as the pages will fall
        fill_page_numbers(state, body)
    set_language(state.package, meta.lang)
    core_properties(state.package, meta, ctx.made)
    custom_properties(state.package, [*ctx.properties,
                                      ("ShortTitle", short_title(meta, state.package)),
                                      ("Organization", meta.organization or ""),
                                      *([("DocumentDate", meta.date)] if meta.date else []),
                                      *([(OFFICE_SYMBOL, meta.memo.office_symbol)]
                                        if meta.memo and meta.memo.office_symbol else []),
                                      *([(FILE_REFERENCE, meta.memo.reference)]
                                        if meta.memo and meta.memo.reference else []),
                                      *marking_properties(meta)])
    add_hints(state.package, hints(doc, ctx.labels))  # what `briefing import` needs back
