"""model.Document -> one self-contained HTML page, through Jinja templates.

The walk is Python (`match` on node kinds, `assert_never` at the end); what
each node looks like is a macro in `templates/html/blocks.html.j2`. The PDF
backend reuses this markup with the print templates.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace
from typing import Any, assert_never

from markupsafe import Markup

from pipeline import __version__
from pipeline import model as m
from pipeline.markings.blocks import MarkingBlock
from pipeline.problems import Reporter
from pipeline.render.context import RenderContext
from pipeline.render.leadins import item_lead, lead_in
from pipeline.render import sizes, stafflook
from pipeline.render.svg import drawable
from pipeline.render.tables import (LONG_WORD, TABLE_SIZE, crowded, crowded_widths, fitting_size, kept_with_next,
                                    long_head, tall)
from pipeline.render.math import drawing, mathml
from pipeline.render.templates import Templates
from pipeline.transform.paragraphs import UNDERLINED


# A table caption of at most this many characters stays on one line above
# the table, however narrow the table: about two thirds of a line of text.
SHORT_CAPTION = 64

# A date as W3C-DTF (ISO 8601) writes it, which document metadata can carry.
W3C_DATE = re.compile(r"\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?)?)?$")


@dataclass(frozen=True)
class Context:
    """The walk's read-only environment."""
    macros: Any  # the module of blocks.html.j2
    labels: dict[str, str]
    # For print: each footnote's text, set where it is first referenced so
    # WeasyPrint floats it to the foot of that page. None on screen, where
    # the notes are listed after the text.
    print_notes: dict[int, Markup] | None = None
    # For print: mathematics as SVG images (WeasyPrint lays out no MathML),
    # and a collapsible block open, as a note.
    printing: bool = False
    sans: str = "sans-serif"  # the theme's sans-serif font stack, a table's (render/tables.py)


def render(doc: m.Document, ctx: RenderContext, reporter: Reporter) -> bytes:
    """The HTML backend's entry point: one self-contained page."""
    styles = stylesheets(ctx.templates, ("html/theme.css", "html/style.css", "html/screen.css",
                                         *type_styles(ctx.templates, doc.meta, printing=False)))
    return page(doc, ctx, "html/page.html.j2", styles).encode("utf-8")


def type_styles(templates: Templates, meta: m.Meta, printing: bool) -> tuple[str, ...]:
    """A staff product's own look (templates/<type>/ and its style's), after the briefing's."""
    if meta.memo is None:
        return ()
    return stafflook.stylesheets(templates, meta.memo, printing)


def stylesheets(templates: Templates, names: tuple[str, ...]) -> Markup:
    return Markup("\n").join(templates.text(name) for name in names)


def root_properties(css: str) -> dict[str, str]:
    """The custom properties `:root` rules set: `--sans` and the like."""
    values: dict[str, str] = {}
    for rule in ROOT_RULE.finditer(css):
        values.update(DECLARATION.findall(rule[1]))
    return values


ROOT_RULE = re.compile(r":root\s*\{([^{}]*)\}")
DECLARATION = re.compile(r"(--[\w-]+)\s*:\s*([^;{}]+?)\s*(?:;|$|(?=\}))")


def page(doc: m.Document, context: RenderContext, template: str, styles: Markup,
         footnotes_in_place: bool = False, **extra: Any) -> str:
    """A whole page; `template` and `styles` choose screen or print, and
    `footnotes_in_place` puts each note's text at its reference (for print);
    `extra` goes to the template as it is (the print page's running head)."""
    templates = context.templates
    ctx = Context(macros=templates.macros("html/blocks.html.j2"), labels=context.labels,
                  sans=root_properties(templates.text("html/theme.css")).get("--sans", "sans-serif"))
    if footnotes_in_place:
        ctx = replace(ctx, printing=True)
        ctx = replace(ctx, print_notes={note.number: note_text(note, ctx) for note in doc.footnotes})
    body = blocks(doc.blocks, ctx) + Markup("").join(section(s, ctx) for s in doc.sections
                                                     if not s.attachment)
    if doc.bibliography:  # the works cited close the main body, before its annexes
        body += ctx.macros.references_section(references_title(doc.meta, ctx.labels),
                                              block(doc.bibliography, ctx))
    # The list of annexes and enclosures closes the main body (a memo's
    # closing, with its Encl list, closes a memo's); the annexes follow it.
    memo = doc.meta.memo
    memo_macros = templates.macros(f"{stafflook.folder(memo)}/{stafflook.folder(memo)}.html.j2") if memo else None
    marking_blocks = unbroken_dates(context.first_page, doc.meta)
    signature = (stafflook.signature_lines(memo.signature, ctx.labels["memo_signature_lines"])
                 if memo and memo.signature else [])
    body += (memo_macros.closing(doc.meta, memo, ctx.labels, signature=signature) if memo_macros
             else attachments_list(doc, ctx)) + Markup("").join(section(s, ctx) for s in doc.sections
                                                         if s.attachment)
    if doc.abbreviations:
        marks = dict(doc.abbreviation_marks)
        body += ctx.macros.abbreviations([(short, long, marks.get(short))
                                          for short, long in doc.abbreviations], ctx.labels)
    if doc.footnotes and not footnotes_in_place:
        body += ctx.macros.footnotes([(note.number, blocks(note.blocks, ctx)) for note in doc.footnotes],
                                     ctx.labels)
    entries = toc_entries(doc.sections, ctx)
    if doc.bibliography:  # a section of the templates', beside the top sections
        entries.append({"id": "references-title", "number": None,
                        "title": Markup.escape(references_title(doc.meta, ctx.labels)), "children": []})
    if doc.abbreviations:  # a section of the templates', beside the top sections
        entries.append({"id": "abbreviations-title", "number": None,
                        "title": Markup.escape(ctx.labels["abbreviations"]), "children": []})
    toc = (templates.macros("html/toc.html.j2").entries(entries)
           if doc.meta.toc and doc.sections else "")
    abstract = ctx.macros.abstract(blocks(doc.abstract, ctx), ctx.labels) if doc.abstract else ""
    created = doc.meta.date if doc.meta.date and W3C_DATE.match(doc.meta.date) else None
    return templates.render(
        template, meta=doc.meta, body=body, toc=toc, abstract=abstract, created=created,
        title=inlines(doc.shown_title(), ctx), subtitle=inlines(doc.shown_subtitle(), ctx),
        authors=[inlines(author, ctx) for author in doc.shown_authors()],
        styles=styles,
        level=context.level,
        marking_blocks=marking_blocks,
        # A staff product's first-page blocks: at the foot of page 1 in print
        # (from its heading), after the text on screen.
        memo_head=memo_macros.head(doc.meta, memo, ctx.labels, marking_blocks if footnotes_in_place
                                   else []) if memo_macros else "",
        markings_after_text=marking_blocks if memo_macros and not footnotes_in_place else [],
        marking_properties=list(context.properties),
        labels=ctx.labels, version=__version__, **extra)


def references_title(meta: m.Meta, labels: dict[str, str]) -> str:
    """The bibliography's heading: `reference-section-title`, or the templates' word."""
    return meta.reference_section_title or labels["references"]


def unbroken_dates(blocks: tuple[MarkingBlock, ...], meta: m.Meta) -> list[MarkingBlock]:
    """The marking blocks with the distribution statement's date kept on
    one line ("2026-11-25" broke after a hyphen, "25 November 2026" at a
    space)."""
    date = meta.distribution_date or meta.date
    if not date:
        return list(blocks)

    def unbroken(line: str) -> str:
        before, found, after = line.partition(date)
        if not found:
            return line
        return (Markup.escape(before) + Markup('<span class="unbroken">%s</span>') % date
                + Markup.escape(after))
    return [MarkingBlock(block.kind, tuple(unbroken(line) for line in block.lines))
            if block.kind == "distribution" else block for block in blocks]


# A word that is an identifier, a URL, a path or an address: letters and
# digits mixed, an underscore, a capital inside a word, two capitals, a dot
# or @ between letters, a slash; a file's name after a dot (.Renviron), an
# option after its dashes (--verbose, which smart punctuation makes
# –verbose). Print hyphenates words; never these.
IDENTIFIER = re.compile(r"[A-Za-z][0-9]|[0-9][A-Za-z]|_|[a-z][A-Z]|[A-Z]{2}|\w[.@]\w|/"
                        r"|(?<![\w.])\.\w|(?<!\S)[-\u2013\u2014]+\w")
WORDS = re.compile(r"(\s+)")
# A name ending in plus or hash signs (C++, C#, g++): Pango may break
# between two plus signs, and F Prime's guide printed "C+" over "+".
SIGNED = re.compile(r"\w[+#]+(?!\w)")


# A word that opens with a full stop after a space (`upload .pdf, .csv, …`):
# the Unicode line-breaking rules (UAX #14, LB13) allow no break before it,
# so a list of file types was one run, over the edge of its table column
# (the Canadian Digital Service's error table). A zero-width space after
# the space allows one, where three or more stand in a text (one `.NET`
# makes no long run; and a heading's, in the PDF's bookmarks, keeps its
# text as written).
STOP_AFTER_SPACE = re.compile(r"(?<= )(?=\.\w)")
STOPS_IN_A_LIST = 3


def unhyphenated(text: str) -> Markup:
    """Text for print: its identifiers, URLs and paths in a span that
    print.css keeps from being hyphenated, its long words in one that may
    break anywhere, names such as C++ in one never broken."""
    if text.count(" .") >= STOPS_IN_A_LIST:
        text = STOP_AFTER_SPACE.sub("\u200b", text)
    if not IDENTIFIER.search(text) and not SIGNED.search(text) \
            and not any(len(word) > LONG_WORD for word in text.split()):
        return Markup.escape(text)
    out, space = [], ""
    for piece in WORDS.split(text):
        if piece.isspace():
            space = piece
            continue
        kind = word_class(piece)
        if kind == "unhyphenated":
            # The space before the word goes inside its span: WeasyPrint
            # breaks a line at a space between a bold run's text and a span
            # in it no more, and broke "**Risk ID**" as "Risk I" over "D".
            out.append(Markup('<span class="%s">%s</span>') % (kind, held_hyphens(space + piece)))
        else:
            out.append(Markup.escape(space) + (Markup('<span class="%s">%s</span>') % (kind, piece)
                                               if kind else Markup.escape(piece)))
        space = ""
    return Markup("").join(out) + Markup.escape(space)


# A word's leading hyphens and the character after them (`-U_FORTIFY_SOURCE`,
# `--verbose`, `-O2`): Pango breaks a line after such a hyphen, and
# OpenSSF's compiler guide printed "prepending -" over "U_FORTIFY_SOURCE".
LEADING_HYPHENS = re.compile(r"(?<!\S)-+\w")


def held_hyphens(text: str) -> Markup:
    """`text` escaped, each word's leading hyphens held to what follows."""
    if "-" not in text:
        return Markup.escape(text)
    out, position = [], 0
    for found in LEADING_HYPHENS.finditer(text):
        out += [Markup.escape(text[position:found.start()]), Markup('<span class="unbroken">%s</span>') % found[0]]
        position = found.end()
    return Markup("").join(out) + Markup.escape(text[position:])


# print.css hyphenates no word shorter than this (hyphenate-limit-chars):
# an identifier as short ("ID", "TR22") needs no span to keep it whole.
SHORTEST_HYPHENATED = 7


def word_class(word: str) -> str:
    """The print classes of one word: "" for an ordinary one."""
    classes = (["unhyphenated"] if len(word) >= SHORTEST_HYPHENATED and IDENTIFIER.search(word) else []) + \
        (["breakable"] if len(word) > LONG_WORD else ["unbroken"] if SIGNED.search(word) else [])
    return " ".join(classes)


def note_text(note: m.Footnote, ctx: Context) -> Markup:
    """A footnote as phrasing content, to sit inside a <span> in a paragraph:
    its paragraphs' text, one line each; other blocks as plain text."""
    lines = []
    for block in note.blocks:
        match block:
            case m.Paragraph(inlines=content, portion=portion):
                lines.append(marked(portion, inlines(content, ctx), ctx))
            case _:
                lines.append(Markup.escape(" ".join(m.block_text(block).split())))
    return ctx.macros.line_break().join(lines)


def data_uri(data: bytes, mime: str) -> str:
    """The image inside the page itself: the HTML stays one file, and the
    PDF's fetcher needs nothing but data: URLs. The bytes the reader
    checked, never the file read again (an SVG as it is drawn: render/svg.py)."""
    if mime == "image/svg+xml":
        data = drawable(data)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def toc_entries(sections: tuple[m.Section, ...], ctx: Context) -> list[dict[str, Any]]:
    return [{"id": s.id, "number": s.number, "title": inlines(m.reused(s.title), ctx),
             "children": toc_entries(s.children, ctx)} for s in sections]


def section(node: m.Section, ctx: Context) -> Markup:
    # The page title is the only <h1>; the top sections (level 1, as the
    # Contents, Abbreviations and Notes the templates add) are <h2>.
    level = min(node.level + 1, 6)
    children = Markup("").join(section(child, ctx) for child in node.children)
    if node.attachment:  # an annex, appendix or tab: pages of its own in print
        return ctx.macros.attachment(level, node.id, node.attachment, page_name(node.attachment),
                                     ctx.macros.portion(node.portion) if node.portion else Markup(""),
                                     blocks(node.blocks, ctx), children, node.aliases)
    return ctx.macros.section(level, node.id, node.number,
                              marked(node.portion, inlines(node.title, ctx), ctx),
                              blocks(node.blocks, ctx), children, node.aliases,
                              node.paragraph_level in UNDERLINED)


def page_name(attachment: m.Attachment) -> str:
    """The print page an attachment's pages are (print/page.html.j2): att-b-1."""
    return "att-" + attachment.pages.rstrip("-").lower()


def attachments_list(doc: m.Document, ctx: Context) -> Markup:
    """At the end of the main body, as FM 6-0 closes an order: its annexes
    (letter and title) and its enclosures."""
    annexes = [(s.id, s.attachment.label, inlines(m.reused(s.title), ctx)) for s in doc.sections
               if s.attachment and s.attachment.kind == "annex"]
    enclosures = [(e.number, e.title, e.classification) for e in doc.enclosures]
    if not annexes and not enclosures:
        return Markup("")
    return ctx.macros.attachments_list(annexes, enclosures, ctx.labels)


def blocks(nodes: tuple[m.Block, ...], ctx: Context) -> Markup:
    return Markup("").join(block(node, ctx) for node in nodes)


def block(node: m.Block, ctx: Context) -> Markup:
    match node:
        case m.Paragraph(inlines=content, portion=portion, number=str(number), level=level):
            # `numbering: military`: the number, then the portion mark (1. (U) Text).
            return ctx.macros.numbered_paragraph(number, level, level in UNDERLINED,
                                                 marked(portion, inlines(content, ctx), ctx))
        case m.Paragraph(inlines=content, portion=portion):
            return ctx.macros.paragraph(marked(portion, inlines(content, ctx), ctx), lead_in(node))
        case m.ListBlock(ordered=ordered, start=start, style=style, delimiter=delimiter, items=items,
                         loose=loose):
            # A loose list's items keep their paragraphs, as pandoc writes them;
            # a tight list's item opens with its text bare (pandoc's Plain).
            item_content = blocks if loose else tight_item
            return ctx.macros.list(ordered, start, [(led_item(item.blocks, ctx, loose) if item_lead(item.blocks)
                                                     else item_content(item.blocks, ctx), item.task)
                                                    for item in items],
                                   numbering(ordered, style, delimiter), ctx.labels)
        case m.Quote(blocks=content, attribution=attribution, attribution_portion=portion):
            return ctx.macros.quote(blocks(content, ctx),
                                    marked(portion, inlines(attribution, ctx), ctx))
        case m.DefinitionList(items=items):
            return ctx.macros.definition_list(
                [(marked(item.portion, inlines(item.term, ctx), ctx),
                  [definition(d, ctx) for d in item.definitions]) for item in items])
        case m.CodeBlock(lang=lang, text=text):
            return ctx.macros.code_block(text, lang)
        case m.Rule():
            return ctx.macros.rule()
        case m.PageBreak():
            return ctx.macros.page_break()
        case m.Admonition(kind=kind, title=title, blocks=content, portion=portion,
                          default_title=default_title, folded=folded):
            shown = (marked(portion, inlines(title, ctx), ctx) if title
                     else Markup.escape(ctx.labels[f"admonition_{kind}"]) if default_title or folded is not None
                     else Markup(""))
            return ctx.macros.admonition(kind, shown, blocks(content, ctx),
                                         None if ctx.printing else folded)
        case m.TabSet(tabs=tabs):
            return ctx.macros.tab_set([(marked(tab.portion, inlines(tab.title, ctx), ctx), blocks(tab.blocks, ctx))
                                       for tab in tabs])
        case m.Div(formats=formats) if formats and ("pdf" if ctx.printing else "html") not in formats:
            return Markup("")  # Quarto's content for other formats
        case m.Div(classes=classes, id=ident, blocks=content):
            return ctx.macros.div(classes, ident, blocks(content, ctx))
        case m.Equation(tex=tex, id=ident, number=number):
            return ctx.macros.equation(math(tex, True, ctx), ident, number)
        case m.Bibliography(entries=entries, hanging=hanging):
            return ctx.macros.bibliography([(entry.id, marked(entry.portion, inlines(entry.inlines, ctx), ctx),
                                             () if ctx.printing else entry.cited_by) for entry in entries],
                                           hanging, ctx.labels)
        case m.Figure(data=data, mime=mime, alt=alt, caption=caption, id=ident, number=number,
                      portion=portion):
            return ctx.macros.figure(data_uri(data, mime), alt,
                                     marked(portion, inlines(caption, ctx), ctx), ident,
                                     f"{node.prefix}{number}" if number else number, ctx.labels,
                                     sizes.css(node.display_width, node.display_height),
                                     m.caption_repeats_alt(node))
        case m.FigureGroup(figures=figures, columns=columns, caption=caption, id=ident, number=number,
                           portion=portion):
            return ctx.macros.figure_group(
                [(data_uri(f.data, f.mime), f.alt, marked(f.portion, inlines(f.caption, ctx), ctx), f.id,
                  f.letter, sizes.css(f.display_width, f.display_height),
                  m.caption_repeats_alt(f) or not f.caption) for f in figures],
                columns, marked(portion, inlines(caption, ctx), ctx), ident, number, ctx.labels)
        case m.Table(head=head, rows=rows, aligns=aligns, widths=widths, caption=caption, id=ident,
                     number=number, portion=portion):
            number = f"{node.prefix}{number}" if number else number  # "A-1" in an annex
            words = f"{ctx.labels['table']} {number}: {f'({portion}) ' if portion else ''}{m.plain_text(caption)}"
            squeezed = crowded(node, ctx.sans)
            size = fitting_size(node, ctx.sans) if squeezed and ctx.printing else TABLE_SIZE
            return ctx.macros.table([definition(cell, ctx) for cell in head],
                                    [[definition(cell, ctx) for cell in row] for row in rows],
                                    aligns, marked(portion, inlines(caption, ctx), ctx), ident,
                                    number, ctx.labels, len(words) <= SHORT_CAPTION,
                                    [round(100 * width, 1) for width in widths or
                                     (crowded_widths(node, ctx.sans, size) if squeezed else ())],
                                    long_head(node), row_classes(rows),
                                    {(s.row, s.column): (s.rows, s.columns) for s in node.spans},
                                    node.covered(),
                                    [[definition(cell, ctx) for cell in row] for row in node.head_more],
                                    squeezed, frozenset(node.row_heads), size if size < TABLE_SIZE else None,
                                    not ctx.printing)
        case _:
            assert_never(node)


def row_classes(rows: tuple[tuple[m.Cell, ...], ...]) -> list[str]:
    """Each body row's classes for the print (render/tables.py): `tall`, it
    may go on over a page; `kept`, it stays on the page of the next."""
    return [" ".join(name for name, yes in (("tall", tall(row)), ("kept", kept)) if yes)
            for row, kept in zip(rows, kept_with_next(rows))]


def numbering(ordered: bool, style: str, delimiter: str) -> str | None:
    """An ordered list's numbering as written (`a)`, `(iv)`), or None for
    `1.`, which follows the house style of each level (1., a., i.)."""
    if not ordered or (style, delimiter) == ("decimal", "period"):
        return None
    return f"{style}-{delimiter}"


def tight_item(content: tuple[m.Block, ...], ctx: Context) -> Markup:
    """A tight list's item: its opening paragraph's text without a <p>,
    whatever follows it (a sub-list, code, a table)."""
    match content:
        case (m.Paragraph(inlines=lead, portion=portion), *rest):
            return marked(portion, inlines(lead, ctx), ctx) + blocks(tuple(rest), ctx)
        case _:
            return blocks(content, ctx)


def led_item(content: tuple[m.Block, ...], ctx: Context, loose: bool) -> Markup:
    """An item whose short first paragraph leads its other blocks: kept on
    their page (leadins.py), a paragraph in a loose list, bare text's block
    in a tight one."""
    lead, rest = content[0], content[1:]
    assert isinstance(lead, m.Paragraph)
    text = marked(lead.portion, inlines(lead.inlines, ctx), ctx)
    return ctx.macros.item_lead(text, loose) + blocks(rest, ctx)


def definition(content: tuple[m.Block, ...], ctx: Context) -> Markup:
    """A definition's or a table cell's blocks. One paragraph, maybe with
    sub-lists, reads better without the <p> around its text, as a tight item."""
    if all(isinstance(b, m.ListBlock) for b in content[1:]):
        return tight_item(content, ctx)
    return blocks(content, ctx)


def marked(portion: str | None, content: Markup, ctx: Context) -> Markup:
    """Text after its portion mark, when it has one."""
    return ctx.macros.portion(portion) + content if portion else content


def inlines(nodes: tuple[m.Inline, ...], ctx: Context) -> Markup:
    return Markup("").join(inline(node, ctx) for node in nodes)


def inline(node: m.Inline, ctx: Context) -> Markup:
    match node:
        case m.Text(text=text):
            return unhyphenated(text) if ctx.print_notes is not None else Markup.escape(text)
        case m.Emph(children=children):
            return ctx.macros.emph(inlines(children, ctx))
        case m.Strong(children=children):
            return ctx.macros.strong(inlines(children, ctx))
        case m.Code(text=text):
            if ctx.print_notes is None:
                return ctx.macros.code(text)
            # Print may break its long words anywhere, but never after an option's leading hyphen.
            return ctx.macros.code(held_hyphens(text), any(len(word) > LONG_WORD for word in text.split()))
        case m.Link(target=target, children=children, title=title):
            return ctx.macros.link(target, inlines(children, ctx), title, node.internal)
        case m.LineBreak():
            return ctx.macros.line_break()
        case m.Abbr(text=text, title=title):
            return ctx.macros.abbr(text, title)
        case m.Ref(id=ident, kind=kind, number=number, title=title, prefix=prefix):
            label = ctx.labels[kind] if prefix is None else prefix
            words = Markup.escape(f"{label} {number}".strip()) if number else inlines(title, ctx)
            return ctx.macros.cross_ref(ident, words)
        case m.Image(data=data, mime=mime, alt=alt, width=width, height=height, title=title):
            return ctx.macros.image(data_uri(data, mime), alt, width, height, title,
                                    sizes.css(node.display_width, node.display_height))
        case m.FootnoteRef(number=number, first=first):
            if ctx.print_notes is not None and first:
                return ctx.macros.footnote_in_place(ctx.print_notes[number])
            return ctx.macros.footnote_ref(number, first, ctx.print_notes is None)
        case m.Strike(children=children):
            return ctx.macros.strike(inlines(children, ctx))
        case m.Sub(children=children):
            return ctx.macros.sub(inlines(children, ctx))
        case m.Sup(children=children):
            return ctx.macros.sup(inlines(children, ctx))
        case m.Span(classes=classes, children=children, id=ident):
            return ctx.macros.span(classes, ident, inlines(children, ctx))
        case m.Anchor(id=ident):
            return ctx.macros.anchor(ident)
        case m.Math(tex=tex, display=display):
            return math(tex, display, ctx)
        case m.Cite(id=ident, children=children):
            return ctx.macros.citation(ident, inlines(children, ctx))
        case _:
            assert_never(node)


def math(tex: str, display: bool, ctx: Context) -> Markup:
    """MathML on screen; in print, an SVG drawn from it (WeasyPrint lays
    out no MathML). Both come from MathML that read/tex.py checked."""
    if ctx.printing:
        drawn = drawing(tex, display)
        return ctx.macros.math_image(drawn.data_uri, tex, drawn.width, drawn.height, drawn.depth,
                                     display)
    return Markup(mathml(tex, display))  # noqa: S704 - parsed and allowlisted in read/tex.py
