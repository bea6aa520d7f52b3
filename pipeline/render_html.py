"""model.Document -> one self-contained HTML page, through Jinja templates.

The walk is Python (`match` on node kinds, `assert_never` at the end); what
each node looks like is a macro in `templates/html/blocks.html.j2`. The PDF
backend reuses this markup with the print templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, assert_never

from markupsafe import Markup

from pipeline import __version__
from pipeline import model as m
from pipeline.templating import Templates


@dataclass(frozen=True)
class Context:
    macros: Any  # the module of blocks.html.j2


def render_html(doc: m.Document, templates: Templates) -> str:
    styles = stylesheets(templates, ("html/style.css", "html/screen.css"))
    return page(doc, templates, "html/page.html.j2", styles)


def stylesheets(templates: Templates, names: tuple[str, ...]) -> Markup:
    return Markup("\n").join(templates.text(name) for name in names)


def page(doc: m.Document, templates: Templates, template: str, styles: Markup) -> str:
    """A whole page; `template` and `styles` choose screen or print."""
    ctx = Context(macros=templates.macros("html/blocks.html.j2"))
    body = blocks(doc.blocks, ctx) + Markup("").join(section(s, ctx) for s in doc.sections)
    toc = templates.macros("html/toc.html.j2").entries(toc_entries(doc.sections, ctx))
    return templates.render(
        template, meta=doc.meta, body=body, toc=toc if doc.sections else "",
        styles=styles,
        labels=templates.labels(), version=__version__)


def toc_entries(sections: tuple[m.Section, ...], ctx: Context) -> list[dict[str, Any]]:
    return [{"id": s.id, "number": s.number, "title": inlines(s.title, ctx, links=False),
             "children": toc_entries(s.children, ctx)} for s in sections]


def section(node: m.Section, ctx: Context) -> Markup:
    # The page title is the only <h1>; sections start at <h2>.
    level = min(node.level + 1, 6)
    children = Markup("").join(section(child, ctx) for child in node.children)
    return ctx.macros.section(level, node.id, node.number, inlines(node.title, ctx),
                              blocks(node.blocks, ctx), children)


def blocks(nodes: tuple[m.Block, ...], ctx: Context) -> Markup:
    return Markup("").join(block(node, ctx) for node in nodes)


def block(node: m.Block, ctx: Context) -> Markup:
    match node:
        case m.Paragraph(inlines=content):
            return ctx.macros.paragraph(inlines(content, ctx))
        case m.ListBlock(ordered=ordered, start=start, items=items):
            return ctx.macros.list(ordered, start, [list_item(item, ctx) for item in items])
        case m.Quote(blocks=content):
            return ctx.macros.quote(blocks(content, ctx))
        case m.CodeBlock(lang=lang, text=text):
            return ctx.macros.code_block(text, lang)
        case m.Rule():
            return ctx.macros.rule()
        case m.Admonition(kind=kind, title=title, blocks=content):
            return ctx.macros.admonition(kind, inlines(title, ctx), blocks(content, ctx))
        case _:
            assert_never(node)


def list_item(item: m.ListItem, ctx: Context) -> Markup:
    # An item of one paragraph, maybe with sub-lists, reads better without
    # the <p> around its text (a tight list).
    match item.blocks:
        case (m.Paragraph(inlines=content), *rest) if all(isinstance(b, m.ListBlock) for b in rest):
            return inlines(content, ctx) + blocks(tuple(rest), ctx)
        case _:
            return blocks(item.blocks, ctx)


def inlines(nodes: tuple[m.Inline, ...], ctx: Context, links: bool = True) -> Markup:
    return Markup("").join(inline(node, ctx, links) for node in nodes)


def inline(node: m.Inline, ctx: Context, links: bool) -> Markup:
    match node:
        case m.Text(text=text):
            return Markup.escape(text)
        case m.Emph(children=children):
            return ctx.macros.emph(inlines(children, ctx, links))
        case m.Strong(children=children):
            return ctx.macros.strong(inlines(children, ctx, links))
        case m.Code(text=text):
            return ctx.macros.code(text)
        case m.Link(target=target, children=children, title=title):
            if not links:  # a link inside a TOC entry would nest <a> in <a>
                return inlines(children, ctx, links)
            return ctx.macros.link(target, inlines(children, ctx), title, node.internal)
        case m.LineBreak():
            return ctx.macros.line_break()
        case _:
            assert_never(node)
