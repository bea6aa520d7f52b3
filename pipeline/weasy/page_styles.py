"""One set of page styles per kind of page, not one per page.

WeasyPrint computes the styles of a page and of its margin boxes for every
page, because a page's type carries its index (for `@page :nth()` rules).
Each of those styles then works out its properties anew: about 8 ms a page
with our banners, half a second of the 74-page benchmark briefing. Without
an :nth() rule, pages after the first on the same side, equally blank and
of the same name match the same rules, so `install` has them share the
styles computed for the first page of their kind.

Like pipeline/weasy/artifacts.py this reaches into WeasyPrint's internals
(the page layout's style setter, the style cascade's page rules), checked
first (pipeline/weasy/versions.py); tests/test_page_styles.py compares PDFs
made with and without it, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.weasy.versions import Need, Patch, Skipped

PATCH = Patch("page styles", written_for={"weasyprint": "70.0"}, needs=(
    Need("weasyprint.layout.page", "set_page_type_computed_styles", ("page_type", "html", "style_for")),
    # Its caller goes through the module's global, which we replace.
    Need("weasyprint.layout.page", "remake_page", uses=("set_page_type_computed_styles",)),
    Need("weasyprint.layout.page", "PageType", has=("side", "blank", "name", "index")),
    Need("weasyprint.css:StyleFor", "get_computed_styles", ("self",)),
    # Where the page rules that has_nth_rule reads are kept.
    Need("weasyprint.css:StyleFor", "add_page_declarations", ("self", "page_type"),
         uses=("_sheets", "page_rules")),
    Need("weasyprint.css", "PageSelectorType", has=("index",)),
), cost="the PDF is the same, made more slowly")

SHARED = "_briefing_page_styles"  # where a document's style cascade keeps its Shared


def install() -> Skipped | None:
    """Patch WeasyPrint once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    from weasyprint.layout import page

    compute = page.set_page_type_computed_styles

    def compute_once_per_kind(page_type, html, style_for):
        shared = vars(style_for).get(SHARED)
        if shared is None:
            shared = vars(style_for)[SHARED] = Shared(has_nth_rule(style_for))
        if shared.nth:
            return compute(page_type, html, style_for)
        if page_type.index == 0:
            # Making the first page sets the sizes that vw and vh in @page
            # rules refer to, for the pages after it: when it is made
            # again, they share anew.
            shared.kinds.clear()
            return compute(page_type, html, style_for)
        kind = (page_type.side, page_type.blank, page_type.name)
        styles = style_for.get_computed_styles()
        if kind not in shared.kinds:
            compute(page_type, html, style_for)
            shared.kinds[kind] = page_type, [pseudo for key, pseudo in styles if key == page_type]
            return
        first, pseudo_types = shared.kinds[kind]
        for pseudo_type in pseudo_types:  # the page itself (None) and its margin boxes
            styles[page_type, pseudo_type] = styles[first, pseudo_type]

    PATCH.replace(page, "set_page_type_computed_styles", compute_once_per_kind)
    return None


@dataclass
class Shared:
    """What one document's pages share: whether an :nth() rule forbids it,
    and per kind of page, its first page and the pseudo-elements styled."""
    nth: bool
    kinds: dict = field(default_factory=dict)


def has_nth_rule(style_for) -> bool:
    """Whether an @page rule of the stylesheets selects pages by index."""
    return any(page_selector.index is not None
               for sheet, _, _ in style_for._sheets
               for _, selectors, _ in sheet.page_rules
               for _, _, page_selector in selectors)
