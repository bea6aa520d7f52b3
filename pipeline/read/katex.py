"""Formulas a site generator rendered with KaTeX before the Markdown was
written (Hugo's and blogdown's pages: rOpenSci's blog), read back as the
TeX they were made from.

KaTeX writes each formula as `<span class="katex">` holding its MathML,
whose `<annotation encoding="application/x-tex">` is the TeX as written,
and beside it the same formula drawn in some twenty levels of nested
spans. Read as raw HTML, the MathML's tags were shown as text and the
drawing nested past the reader's limit: the page was refused. Here each
becomes `$TEX$`, or `$$TEX$$` for KaTeX's display (`katex-display`), which
the reader checks and shows as any formula. The source keeps its lines:
a formula's TeX stands on as many lines as KaTeX's markup did, else it is
left as it was.
"""

from __future__ import annotations

import html
import re

START = re.compile(r'<span class="katex(?P<display>-display)?">')
SPAN = re.compile(r"<span\b[^>]*>|</span\s*>")
ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)


def unrendered(lines: list[str]) -> list[str]:
    """`lines` with each KaTeX formula as its TeX between dollar signs."""
    text = "\n".join(lines)
    if 'class="katex' not in text:
        return lines
    out, position = [], 0
    for found in START.finditer(text):
        if found.start() < position:
            continue  # inside a formula already read
        end = span_end(text, found.start())
        tex = ANNOTATION.search(text, found.start(), end) if end else None
        if not end or not tex:
            continue
        formula = html.unescape(tex[1]).strip()
        if formula.count("\n") != text.count("\n", found.start(), end) or "$" in formula:
            continue  # its lines would move, or its dollars end it
        fence = "$$" if found["display"] else "$"
        out += [text[position:found.start()], fence, formula, fence]
        position = end
    out.append(text[position:])
    return "".join(out).split("\n")


def span_end(text: str, start: int) -> int | None:
    """Where the span opening at `start` closes (after its `</span>`)."""
    depth = 0
    for tag in SPAN.finditer(text, start):
        depth += -1 if tag[0].startswith("</") else 1
        if depth == 0:
            return tag.end()
    return None
