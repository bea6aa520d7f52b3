"""model.Document -> PDF: the HTML backend's markup with the print
templates, as a print job that pipeline/weasy/typeset.py hands to WeasyPrint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from pipeline import model as m
from pipeline.problems import Reporter
from pipeline.render.context import RenderContext
from pipeline.render.attachments import ENCLOSURE_MARGINS_MM, attachment_pages, enclosure_pages, read_checked
from pipeline.render.html import page, stylesheets
from pipeline.render.printjob import PrintJob


def render(doc: m.Document, ctx: RenderContext, reporter: Reporter) -> PrintJob:
    """The PDF backend's entry point: everything WeasyPrint needs to make the
    PDF of `doc`, as plain data; weasy/typeset.py typesets it, here or in
    the PDF worker."""
    styles = stylesheets(ctx.templates, ("html/theme.css", "html/style.css", "print/print.css"))
    boxes = margins(doc.meta, root_properties(styles).get("--sans", "sans-serif"))
    markup = page(doc, ctx, "print/page.html.j2", resolve_custom_properties(styles),
                  footnotes_in_place=True, margins=boxes,
                  enclosures=enclosure_pages(doc, styles), enclosure_margins=ENCLOSURE_MARGINS_MM,
                  attachments=attachment_pages(doc, styles, lambda text: running_head(
                      text, doc.meta, root_properties(styles).get("--sans", "sans-serif"), boxes)))
    return PrintJob(markup=markup, path=doc.path,
                    variant=ctx.pdf_variant, lang=doc.meta.lang,
                    classification=doc.meta.classification, markings=ctx.properties,
                    made=ctx.made, source=doc.source,
                    enclosures=tuple(read_checked(e.path) for e in doc.enclosures))


# The page's text width, as print/print.css sets its @page margins (36 mm a
# side); the running head, the banner and the page number share it in the
# top and bottom margins.
TEXT_WIDTH_MM = {"a4": 210 - 72, "letter": 215.9 - 72}
MM = 72 / 25.4  # points in a millimetre
BANNER_SIZE, BANNER_TRACKING, BANNER_PADDING_MM = 11, 0.06, 4  # print.css's @top-center
HEAD_SIZE = 8  # points, print.css's @top-left
SIDE_MM = (25, 80)  # the narrowest and widest the side boxes get


@dataclass(frozen=True)
class Margins:
    """What the print page's margin boxes hold, measured to fit: the running
    head on one line (shortened after a whole word), the width of the side
    boxes (running head, page number) in mm, and the banner's lines."""
    running_head: str
    side: float
    centre: float  # the banner's box, in mm: what the side boxes leave
    banner_lines: int


def margins(meta: m.Meta, sans: str) -> Margins:
    from pipeline.render import measure

    family = measure.first_family(sans)
    bold = measure.face(family, bold=True)
    marking = meta.classification.upper()
    padding = 2 * BANNER_PADDING_MM * MM
    text_width = TEXT_WIDTH_MM.get(meta.paper, TEXT_WIDTH_MM["a4"]) * MM
    banner = bold.width(marking, BANNER_SIZE, BANNER_TRACKING) + padding
    side = min(max((text_width - banner) / 2 - 3 * MM, SIDE_MM[0] * MM), SIDE_MM[1] * MM)
    lines = wrapped_lines(marking, text_width - 2 * side - padding,
                          lambda text: bold.width(text, BANNER_SIZE, BANNER_TRACKING))
    head = measure.shorten(meta.running_title, side, measure.face(family), HEAD_SIZE)
    return Margins(running_head=head, side=round(side / MM, 1),
                   centre=round((text_width - 2 * side) / MM - 0.2, 1), banner_lines=lines)


def running_head(text: str, meta: m.Meta, sans: str, boxes: Margins) -> str:
    """An annex's running head, shortened as the briefing's to its box."""
    from pipeline.render import measure

    return measure.shorten(text, 0.92 * boxes.side * MM, measure.face(measure.first_family(sans)), HEAD_SIZE)


def wrapped_lines(text: str, width: float, measure_width) -> int:
    """How many lines `text` takes, broken where a browser may break a
    marking: after a space, a slash or a hyphen."""
    lines, line = 1, ""
    for piece in re.split(r"(?<=[ /-])", text):
        if line and measure_width((line + piece).rstrip()) > width:
            lines, line = lines + 1, piece
        else:
            line += piece
    return lines


def root_properties(css: str) -> dict[str, str]:
    """The custom properties `:root` rules set: `--sans` and the like."""
    values: dict[str, str] = {}
    for rule in ROOT_RULE.finditer(css):
        values.update(DECLARATION.findall(rule[1]))
    return values


ROOT_RULE = re.compile(r":root\s*\{([^{}]*)\}")
DECLARATION = re.compile(r"(--[\w-]+)\s*:\s*([^;{}]+?)\s*(?:;|$|(?=\}))")
USE = re.compile(r"var\(\s*(--[\w-]+)\s*\)")


def resolve_custom_properties(css: Markup) -> Markup:
    """Put the values of `:root { --name: value }` where `var(--name)` stands.

    WeasyPrint resolves var() for every element and property, a third of
    its layout time for our stylesheets; the values are fixed for a print,
    so we substitute them once. A var() with a fallback, or a name no :root
    rule defines, is left to WeasyPrint.
    """
    values: dict[str, str] = {}
    for rule in ROOT_RULE.finditer(css):
        values.update(DECLARATION.findall(rule[1]))
    # A property some other rule sets (a banner colour per level) varies by
    # element: leave it to WeasyPrint.
    outside_root = ROOT_RULE.sub("", css)
    for name in {name for name, _ in DECLARATION.findall(outside_root)}:
        values.pop(name, None)
    for _ in range(3):  # values may themselves use var()
        values = {name: USE.sub(lambda use: values.get(use[1], use[0]), value)
                  for name, value in values.items()}
    return Markup(USE.sub(lambda use: values.get(use[1], use[0]), css))
