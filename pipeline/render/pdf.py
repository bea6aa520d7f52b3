"""model.Document -> PDF: the HTML backend's markup with the print
templates, as a print job that pipeline/weasy/typeset.py hands to WeasyPrint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from markupsafe import Markup

from pipeline import model as m
from pipeline.problems import Reporter
from pipeline.render.context import RenderContext
from pipeline.render.attachments import ENCLOSURE_MARGINS_MM, attachment_pages, enclosure_pages, read_checked
from pipeline.render import firstpage
from pipeline.render.html import DECLARATION, ROOT_RULE, page, root_properties, stylesheets, type_styles
from pipeline.render.printjob import PrintJob


def render(doc: m.Document, ctx: RenderContext, reporter: Reporter) -> PrintJob:
    """The PDF backend's entry point: everything WeasyPrint needs to make the
    PDF of `doc`, as plain data; weasy/typeset.py typesets it, here or in
    the PDF worker."""
    styles = stylesheets(ctx.templates, ("html/theme.css", "html/style.css", "print/print.css",
                                         *type_styles(ctx.templates, doc.meta, printing=True)))
    text_width = TEXT_WIDTH_MM.get(doc.meta.paper, TEXT_WIDTH_MM["a4"])
    if doc.meta.memo:  # a staff product's own margins' text width, the banners across it
        margin = STAFF_MARGIN_MM.get(doc.meta.memo.kind, STAFF_MARGIN_MM["memo"])
        text_width += 72 - 2 * margin
    boxes = margins(doc.meta, root_properties(styles).get("--sans", "sans-serif"), text_width)
    if doc.meta.memo:  # a memo's later pages: its office symbol, then its subject, at the margin
        boxes = replace(boxes, head_top=margin, number=page_number_content(ctx.labels["memo_page_number"]))
        boxes = replace(boxes, running_head=continuation_head(doc.meta, doc.meta.memo, ctx.labels,
                                                              root_properties(styles).get("--sans", "sans-serif"),
                                                              boxes))
    markup = page(doc, ctx, "print/page.html.j2", resolve_custom_properties(styles),
                  footnotes_in_place=True, margins=boxes,
                  first_page_room=firstpage.room(ctx.first_page, root_properties(styles).get(
                      "--sans", "sans-serif"), firstpage.column_mm(doc.meta.paper, styles, boxes.width))
                  if doc.meta.memo and ctx.first_page else None,
                  enclosures=enclosure_pages(doc, styles), enclosure_margins=ENCLOSURE_MARGINS_MM,
                  attachments=attachment_pages(doc, styles, lambda text: running_head(
                      text, doc.meta, root_properties(styles).get("--sans", "sans-serif"), boxes)))
    return PrintJob(markup=markup, path=doc.path,
                    variant=ctx.pdf_variant, lang=doc.meta.lang,
                    classification=doc.meta.classification, markings=ctx.properties,
                    made=ctx.made, source=doc.source,
                    enclosures=tuple(read_checked(e.path) for e in doc.enclosures),
                    signature_field=SIGNATURE_ID if doc.meta.memo and doc.meta.memo.signature else None,
                    page_limit=(1, doc.meta.line_of("type")) if doc.meta.memo and doc.meta.memo.kind
                    in ONE_PAGE else None)


ONE_PAGE = ("point-paper", "talking-paper")  # Tongue and Quill: a page at most


SIGNATURE_ID = "memo-signature"  # memo/memo.html.j2's signature block


# The page's text width, as print/print.css sets its @page margins (36 mm a
# side, 24 mm at the top, 22 mm at the foot). The banners run across it in
# the top and bottom margins, the running head under the top one and the
# page number under the bottom one, as the Word file's header and footer
# set them (render/docx/page.py).
TEXT_WIDTH_MM = {"a4": 210 - 72, "letter": 215.9 - 72}
TOP_MARGIN_MM, BOTTOM_GAP_MM = 24, 4  # the page's top margin; from the text to the bottom banner
BANNER_TOP_MM = 10  # from the page's top edge, as Word's header (567 twips)
MM = 72 / 25.4  # points in a millimetre
BANNER_SIZE, BANNER_TRACKING, BANNER_PADDING_MM = 11, 0.06, (0.5, 4)  # print.css's @top-center
HEAD_SIZE = 8  # points, print.css's @top-left
SMALL_LINE_MM = HEAD_SIZE * 1.3 / MM  # a line of the running head or page number
GAP_MM = 1.5  # between a banner and the running head or page number


@dataclass(frozen=True)
class Margins:
    """What the print page's margin boxes hold, measured to fit, in mm:
    the running head on one line across the text width (shortened after a
    whole word), the banner's lines and where the boxes start."""
    running_head: str
    width: float  # the text width: the running head's and page number's boxes
    centre: float  # the banner's text: the text width less its padding
    banner_lines: int
    banner_top: float  # the top banner's distance from the page's top edge
    head_top: float  # the running head's, under the banner
    number_top: float  # the page number's from the text's foot, under the bottom banner
    number: Markup | None = None  # the page number's CSS content, when not "Page X of Y"


def margins(meta: m.Meta, sans: str, width: float) -> Margins:
    """The margin boxes of a page whose text is `width` mm wide."""
    from pipeline.render import measure

    family = measure.first_family(sans)
    bold = measure.face(family, bold=True)
    centre = width - 2 * BANNER_PADDING_MM[1] - 0.2  # a little room for rounding
    lines = wrapped_lines(meta.classification.upper(), centre * MM,
                          lambda text: bold.width(text, BANNER_SIZE, BANNER_TRACKING))
    banner = lines * 1.4 * BANNER_SIZE / MM + 2 * BANNER_PADDING_MM[0]
    # A banner of more lines starts higher, so the running head still fits.
    top = max(min(BANNER_TOP_MM, TOP_MARGIN_MM - 2 - SMALL_LINE_MM - GAP_MM - banner), 2)
    head = measure.shorten(meta.running_title, width * MM, measure.face(family), HEAD_SIZE)
    return Margins(running_head=head, width=round(width - 0.2, 1), centre=round(centre, 1),
                   banner_lines=lines, banner_top=round(top, 1),
                   head_top=round(top + banner + GAP_MM, 1),
                   number_top=round(BOTTOM_GAP_MM + banner + GAP_MM, 1))


def continuation_head(meta: m.Meta, memo: m.Memo, labels: dict[str, str], sans: str,
                      boxes: Margins) -> str:
    """AR 25-50's continuation header: the office symbol, and under it the
    subject (shortened to the box after a whole word)."""
    from pipeline.render import measure

    if memo.kind == "loose-minute":  # JSP 101: its file reference, if any
        return memo.reference or ""
    subject = measure.shorten(f"{labels['memo_subject']} {meta.marked_title}", boxes.width * MM,
                              measure.face(measure.first_family(sans)), CONTINUATION_SIZE)
    return f"{memo.office_symbol}\n{subject}" if memo.office_symbol else subject


CONTINUATION_SIZE = 12  # points, memo/print.css's @top-left: the body's size
# A staff product's margins (memo/print.css, loose-minute/print.css): its
# continuation header starts at the top one, where its text starts on the
# first page; its page number is centred between the side ones.
STAFF_MARGIN_MM = {"memo": 25.4, "loose-minute": 25}


def page_number_content(form: str) -> Markup:
    """A staff product's later pages' number (labels' `memo_page_number`)
    as CSS content: its words quoted, counter(page) and counter(pages)."""
    from pipeline.render.stafflook import page_number_parts
    from pipeline.render.templates import css_string

    return Markup(" ").join(css_string(text) if kind == "text" else Markup(f"counter({kind})")
                            for kind, text in page_number_parts(form))


def running_head(text: str, meta: m.Meta, sans: str, boxes: Margins) -> str:
    """An annex's running head, shortened as the briefing's to its box."""
    from pipeline.render import measure

    return measure.shorten(text, boxes.width * MM, measure.face(measure.first_family(sans)), HEAD_SIZE)


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


USE = re.compile(r"var\(\s*(--[\w-]+)\s*\)")


def resolve_custom_properties(css: Markup) -> Markup:
    """Put the values of `:root { --name: value }` where `var(--name)` stands.

    WeasyPrint resolves var() for every element and property, a third of
    its layout time for our stylesheets; the values are fixed for a print,
    so we substitute them once. A var() with a fallback, or a name no :root
    rule defines, is left to WeasyPrint.
    """
    values = root_properties(css)
    # A property some other rule sets (a banner colour per level) varies by
    # element: leave it to WeasyPrint.
    outside_root = ROOT_RULE.sub("", css)
    for name in {name for name, _ in DECLARATION.findall(outside_root)}:
        values.pop(name, None)
    for _ in range(3):  # values may themselves use var()
        values = {name: USE.sub(lambda use: values.get(use[1], use[0]), value)
                  for name, value in values.items()}
    return Markup(USE.sub(lambda use: values.get(use[1], use[0]), css))
