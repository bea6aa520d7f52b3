"""The style cascade's memory: a pseudo-element's style computed when the
layout asks for it, not for every element, and each declaration the
cascade gives many elements kept once.

WeasyPrint's user-agent stylesheet styles `::marker`, `::footnote-call`,
`::footnote-marker`, `::note-call`, `::note-marker` and `::note-callback`
of every element, and its style cascade computes a style for each of them
as soon as the document is parsed: six styles an element, 91% of the
styles of the 71-page benchmark, each about a kilobyte, held until the PDF
is written. The layout asks for a handful: the markers of list items and
the calls of notes. `install` has the cascade keep what each would be
computed from (its cascaded declarations) and compute it when first asked
for (`StyleFor.__call__`), from the same parent style, in the same way.

A pseudo-element whose declarations set an anchor (`-weasy-anchor`) is
computed at once, as before: computing it registers the anchor, which links
and target-counter() look up before layout.

Each element's (or pseudo-element's) declarations are kept, for its style to
compute its properties from as they are asked for, each as a pair of the
declared value and its weight in the cascade, made anew for every element a
rule matches: 240,000 pairs at 980 pages, of 1,926 different ones. Once the
cascade is done, `share_pairs` has equal pairs (the same value, an equal
weight) be one, as the tuples they are cannot tell.

At 980 pages the PDF worker's peak is about 40 MB lower. Sharing the pairs
takes about 80 ms there, about what computing fewer styles saves: the
71-page benchmark's PDF takes as long as before.

Like the other modules of pipeline/weasy, it checks first that WeasyPrint is
what it was written for (pipeline/weasy/versions.py); tests/test_style_memory.py
makes the same PDFs with and without it, byte for byte.
"""

from __future__ import annotations

from typing import Any

from pipeline.weasy.versions import Need, Patch, Skipped

PATCH = Patch("style memory", written_for={"weasyprint": "70.0"}, needs=(
    # The cascade calls set_computed_styles on itself for each pseudo-element
    # with declarations, and keeps them in _cascaded_styles until it clears it.
    Need("weasyprint.css:StyleFor", "__init__",
         ("self", "html", "sheets", "presentational_hints", "font_config", "target_collector"),
         uses=("set_computed_styles", "_cascaded_styles", "clear")),
    Need("weasyprint.css:StyleFor", "set_computed_styles",
         ("self", "element", "parent", "root", "pseudo_type", "base_url", "target_collector"),
         uses=("get_cascaded_styles",)),
    Need("weasyprint.css:StyleFor", "__call__", ("self", "element", "pseudo_type"), uses=("_computed_styles",)),
), cost="the PDF is the same; every element's pseudo-element styles are computed, and every "
   "declaration kept for each element it applies to")

DEFERRED = "_briefing_deferred"  # where a cascade keeps the pseudo-elements not computed yet


def install() -> Skipped | None:
    """Patch WeasyPrint once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    from weasyprint.css import StyleFor

    cascade, compute, look_up = StyleFor.__init__, StyleFor.set_computed_styles, StyleFor.__call__

    def cascade_deferring(self, *args: Any, **kwargs: Any) -> None:
        deferred: dict[tuple, tuple] = {}
        vars(self)[DEFERRED] = deferred

        def defer(element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None):
            cascaded = self._cascaded_styles.get((element, pseudo_type), {})
            if pseudo_type is None or parent is not element or "anchor" in cascaded:
                return compute(self, element, parent, root, pseudo_type, base_url, target_collector)
            deferred[element, pseudo_type] = (cascaded, root, base_url, target_collector)
            return None

        self.set_computed_styles = defer  # what the cascade calls, for its own pass only
        try:
            cascade(self, *args, **kwargs)
        finally:
            del self.set_computed_styles
        share_pairs(self, deferred)

    def look_up_computing(self, element, pseudo_type=None):
        deferred = vars(self).get(DEFERRED)
        if deferred and (element, pseudo_type) in deferred:
            compute_deferred(self, compute, deferred, element, pseudo_type)
        return look_up(self, element, pseudo_type)

    PATCH.replace(StyleFor, "__init__", cascade_deferring)
    PATCH.replace(StyleFor, "__call__", look_up_computing)
    return None


def compute_deferred(style_for, compute, deferred: dict, element, pseudo_type) -> None:
    """Compute a deferred pseudo-element's style as the cascade would have:
    its declarations put back where set_computed_styles reads them."""
    cascaded, root, base_url, target_collector = deferred.pop((element, pseudo_type))
    key = (element, pseudo_type)
    style_for._cascaded_styles[key] = cascaded
    try:
        compute(style_for, element, element, root, pseudo_type, base_url, target_collector)
    finally:
        del style_for._cascaded_styles[key]


def share_pairs(style_for, deferred: dict) -> None:
    """Each (value, weight) pair of the cascade's declarations once, in
    every element's declarations that hold an equal one."""
    shared: dict[tuple, tuple] = {}  # (id of the value, weight) -> the pair kept
    seen: set[int] = set()
    held = [getattr(style, "cascaded", None) for style in style_for._computed_styles.values()]
    for cascaded in (*held, *(entry[0] for entry in deferred.values())):
        if not cascaded or id(cascaded) in seen:
            continue
        seen.add(id(cascaded))
        for name, pair in cascaded.items():
            # The pair holds its value, so no other value takes its id meanwhile.
            cascaded[name] = shared.setdefault((id(pair[0]), pair[1]), pair)
