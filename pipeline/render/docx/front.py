"""What comes before the body: the title page's head or a title block, the
marking blocks of the first page, and the table of contents (a TOC field
already filled in)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from docx.oxml.ns import qn

from pipeline import model
from pipeline.markings.blocks import MarkingBlock
from pipeline.model import Section, Text
from pipeline.render.docx.blocks import blocks_xml
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import (bookmark_name, complex_field, field_char, field_start,
                                         simple_field, styled_paragraph, tab_run, text_run)
from pipeline.render.docx.inlines import hyperlink, inlines_xml, paragraph
from pipeline.render.docx.state import Env, State, Where


def front_xml(doc: model.Document, env: Env, state: State) -> list:
    """The title page's head (front matter `title_page`, the default) or a
    title block, as the PDF's: its print/title-page.html.j2 and the HTML's
    title block. Pandoc reads the leading paragraphs in its Title, Subtitle,
    Author and Date styles as the document's metadata, and stops at the
    first other paragraph with text in it; a paragraph holding only a simple
    field is blank to it. So the organization above the title is a field,
    and the rows pandoc reads come first, their labels fields too."""
    meta = doc.meta
    head = [paragraph(env, state, style, shown, portion)
            for style, shown, portion in (("Title", doc.shown_title(), meta.title_portion),
                                          ("Subtitle", doc.shown_subtitle(), meta.subtitle_portion))
            if shown]
    rows = [detail_row(state, "Date", env.labels["date"], meta_field=True, value=meta.date),
            detail_row(state, "Author", authors_label(meta, env), meta_field=True,
                       value=", ".join(meta.authors), shown=authors_xml(doc, env, state))]
    if meta.title_page:
        # Its style sets the head down the page, so it stands without an
        # organization too, ready for one (File > Properties > Custom).
        organization = styled_paragraph(state.style("Organization"))
        organization.append(simple_field(" DOCPROPERTY Organization \\* MERGEFORMAT ",
                                         meta.organization or ""))
        head.insert(0, organization)
    else:  # the HTML's title block names the organization among the details
        rows.append(detail_row(state, "Title Details", env.labels["organization"],
                               value=meta.organization))
    rows.extend([detail_row(state, "Title Details", env.labels["version"] if meta.version
                            else env.labels["status"], value=meta.version or meta.status,
                            note=meta.status if meta.version else None),
                 detail_row(state, "Title Details", env.labels["poc"], value=meta.poc)])
    return [*head, *(row for row in rows if row is not None)]


def authors_label(meta: model.Meta, env: Env) -> str:
    return env.labels["authors" if len(meta.authors) > 1 else "author"]


def authors_xml(doc: model.Document, env: Env, state: State) -> list:
    """The authors' runs, each as read (a link in one, `[@MSeal](…)`), apart by commas."""
    runs: list = []
    for number, author in enumerate(doc.shown_authors()):
        runs += ([text_run(", ")] if number else []) + inlines_xml(author, env, state, frozenset())
    return runs


def detail_row(state: State, style: str, label: str, value: str | None,
               meta_field: bool = False, note: str | None = None, shown: list | None = None):
    """"Label<tab>value" in the label column of `style`, the label in its
    muted character style; None without a value. In a row pandoc reads as
    metadata the label is a QUOTE field, which pandoc leaves out of it.
    `shown`: the value's runs, where it has markup."""
    if not value:
        return None
    p = styled_paragraph(state.style(style))
    label_run = text_run(label)
    label_run.style = state.style("Detail Label")
    if meta_field:
        quoted = label.replace("\\", "\\\\").replace('"', '\\"')
        field = OxmlElement("w:fldSimple", {qn("w:instr"): f' QUOTE "{quoted}" '})
        field.append(label_run)
        p.append(field)
    else:
        p.append(label_run)
    p.extend([tab_run(), *(shown or [text_run(value)])])
    if note:  # the status after the version, muted as the labels
        p.append(text_run(" "))
        muted = text_run(f"({note})")
        muted.style = state.style("Detail Label")
        p.append(muted)
    return p


def abstract_xml(abstract: tuple[model.Block, ...], env: Env, state: State) -> list:
    """The front matter's abstract under its label, in pandoc's styles
    (`Abstract Title`, `Abstract`): pandoc reads it back as the abstract."""
    if not abstract:
        return []
    return [paragraph(env, state, "Abstract Title", (Text(text=env.labels["abstract"]),)),
            *blocks_xml(abstract, env, state, Where(style="Abstract"))]


def marking_blocks_xml(blocks: Sequence[MarkingBlock], env: Env, state: State) -> list:
    """The CUI indicator and authority blocks as boxed lines (Word draws one
    box round consecutive paragraphs with the same border), and the
    distribution statement as a paragraph of its own style."""
    styles = {"distribution": "Distribution Statement"}
    paragraphs = []
    for block in blocks:
        for line in block.lines:
            before, date, after = line.partition(env.date) if env.date else (line, "", "")
            p = paragraph(env, state, styles.get(block.kind, "Marking Block"), (Text(text=before),))
            if date and block.kind == "distribution":  # the date kept on one line
                p.extend([unbroken_run(date), text_run(after)])
            elif date:
                p.append(text_run(date + after))
            paragraphs.append(p)
    return paragraphs


def unbroken_run(text: str):
    """`text` in a run Word never breaks: no-break spaces and hyphens."""
    r = OxmlElement("w:r")
    for index, part in enumerate(text.replace(" ", "\u00a0").split("-")):
        if index:
            r.append(OxmlElement("w:noBreakHyphen"))
        if part:
            t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
            t.text = part
            r.append(t)
    return r


# Table of contents --------------------------------------------------------

TOC_DEPTH = 3


def toc_xml(sections: tuple[Section, ...], env: Env, state: State,
            appendix: tuple[tuple[str, str], ...] = ()) -> list:
    """A real Word TOC field whose result is already filled in with an entry
    per heading, each linked to its bookmark, so the contents show before
    anyone updates fields. Page numbers are PAGEREF fields whose results
    pages.py fills in as it expects the pages to fall; Word is not asked to
    update fields on opening, which it would ask the reader about each time."""
    entries = [toc_entry(section.id, section_title(section), depth, env, state)
               for section, depth in toc_sections(sections, 1)]
    # The sections the writer adds (Abbreviations), by bookmark and title.
    entries += [toc_entry(ident, (Text(text=title),), 1, env, state) for ident, title in appendix]
    # The field opens in the first entry, right after its properties (w:pPr).
    for r in reversed(field_start(f' TOC \\o "1-{TOC_DEPTH}" \\h \\z \\u ')):
        entries[0].pPr.addnext(r)
    entries[-1].append(field_char("end"))
    return [paragraph(env, state, "TOC Heading", (Text(text=env.labels["contents"]),)), *entries]


def toc_sections(sections: tuple[Section, ...], depth: int) -> Iterator[tuple[Section, int]]:
    for section in sections:
        yield section, depth
        if depth < TOC_DEPTH:
            yield from toc_sections(section.children, depth + 1)


def section_title(section: Section) -> tuple[model.Inline, ...]:
    return (((Text(text=f"{section.number} "),) if section.number else ())
            + model.reused(section.title))


def toc_entry(ident: str, title: tuple[model.Inline, ...], depth: int, env: Env, state: State):
    p = paragraph(env, state, f"TOC {depth}", ())
    link = hyperlink(env, state, f"#{ident}", [
        *inlines_xml(title, env, state, frozenset()), tab_run(),
        *complex_field(f" PAGEREF {bookmark_name(ident)} \\h ", [])])
    p.append(link)
    return p
