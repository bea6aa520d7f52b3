"""One set of page styles per kind of page, not one per page.

WeasyPrint computes the styles of a page and of its margin boxes for every
page, because a page's type carries its index (for `@page :nth()` rules).
Each of those styles then works out its properties anew: about 8 ms a page
with our banners, half a second of the 74-page benchmark briefing. Without
an :nth() rule, pages after the first on the same side, equally blank and
of the same name match the same rules, so `install` has them share the
styles computed for the first page of their kind.

Like pipeline/weasy/artifacts.py this reaches into the pinned WeasyPrint's
internals (the page layout's style setter, the style cascade's page rules);
tests/test_page_styles.py compares PDFs made with and without it, byte for
byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PATCHED = "_briefing_page_styles"


def install() -> None:
    """Patch WeasyPrint once (again is harmless)."""
    from weasyprint.layout import page

    if getattr(page, PATCHED, False):
        return
    compute = page.set_page_type_computed_styles

    def compute_once_per_kind(page_type, html, style_for):
        shared = vars(style_for).get(PATCHED)
        if shared is None:
            shared = vars(style_for)[PATCHED] = Shared(has_nth_rule(style_for))
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

    page.set_page_type_computed_styles = compute_once_per_kind
    setattr(page, PATCHED, True)


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
