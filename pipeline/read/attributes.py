"""Attribute lists (`{#id .class key=value}`, `{-}` for `{.unnumbered}`)
where pandoc reads them: at the end of a heading's line, and right after
an inline element (an image's `{width=50%}`, a span's `{.smallcaps}`), and
only of what pandoc reads as attributes: `## Budget for {FY25}` keeps its
braces as text.

Python-Markdown's attr_list also takes a `{…}` that ends a paragraph, a
list item, a definition's term or a table cell, and drops it. pandoc has
no attributes there: the braces are text, and often the words that matter
(`{YOUR_API_KEY}`, a template's `{% image "x.png" %}` in a handbook page).
kramdown's own `{: …}` lines are read before this (inlines.KramdownLines).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, isheader


# What pandoc reads as attributes: `#id`, `.class`, `key=value` (the value
# bare or quoted) and `-` (unnumbered), nothing else; `{FY25}`, `{A, B or C}`
# and a template's `{% data x %}` are text.
TOKEN = r"""(?:[#.][^\s{}#=]+|-|[\w:.-]+=(?:"[^"]*"|'[^']*'|[^\s"'{}]+))"""
PANDOC_ATTRIBUTES = re.compile(rf"\s*:?\s*{TOKEN}(?:\s+{TOKEN})*\s*")
UNNUMBERED = re.compile(r"(?<!\S)-(?=[\ue000-\uf8ff\t]*(?:\s|$))")  # pandoc's `{-}`: `{.unnumbered}`
MARKERS = re.compile("[\ue000-\uf8ff]")  # read/markdown.py's line markers, which may stand inside


class HeadingAttributes(AttrListTreeprocessor):
    def run(self, doc: etree.Element) -> None:
        for parent in list(doc.iter()):  # with_code takes elements out
            if self.md.is_block_level(parent.tag) and isheader(parent):
                self.heading(parent)
            for element in list(parent):
                if not self.md.is_block_level(element.tag):
                    self.after_inline(element, parent)

    def heading(self, element: etree.Element) -> None:
        """`## Title {#id}`: the list ends its last child's tail, else its
        text (as Python-Markdown looks for it)."""
        last = element[-1] if len(element) and element[-1].tail else None
        text = last.tail if last is not None else element.text
        if not text or not (found := self.HEADER_RE.search(text)) or not pandocs(found[1]):
            return
        if self.assign_attrs(element, UNNUMBERED.sub(".unnumbered", found.group(1)), strict=True):
            return  # not all attributes: the text stays as written
        kept = text[:found.start()].rstrip("#").rstrip()
        if last is not None:
            last.tail = kept
        else:
            element.text = kept

    def after_inline(self, element: etree.Element, parent: etree.Element | None = None) -> None:
        """`![a](b.png){width=50%}`: the list starts the element's tail."""
        if element.tail and element.tail.startswith("{") and "}" not in element.tail and parent is not None:
            self.with_code(element, parent)
        if element.tail and (found := self.INLINE_RE.match(element.tail)) and pandocs(found[1]):
            remainder = self.assign_attrs(element, found.group(1))
            element.tail = element.tail[found.end():] + remainder

    def with_code(self, element: etree.Element, parent: etree.Element) -> None:
        """A list whose quoted value holds code (Quarto's `{fig-alt="… `cars`
        …"}`), which the code spans have taken apart by now: its pieces put
        back together, backquotes and all, as pandoc keeps them."""
        siblings = list(parent)
        start = siblings.index(element) + 1
        text = element.tail or ""
        for end, code in enumerate(siblings[start:], start):
            if code.tag != "code" or not isinstance(code.text, str):
                return
            text += f"`{html.unescape(code.text)}`{code.tail or ''}"
            if "}" in (code.tail or ""):
                if (found := self.INLINE_RE.match(text)) and pandocs(found[1]):
                    for consumed in siblings[start:end + 1]:
                        parent.remove(consumed)
                    element.tail = text
                return


def pandocs(attributes: str) -> bool:
    """Whether pandoc reads `attributes` (what stands between the braces) as attributes."""
    return bool(PANDOC_ATTRIBUTES.fullmatch(MARKERS.sub("", attributes)))


class Attributes(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(HeadingAttributes(md), "attr_list", 8)
        md.registerExtension(self)
