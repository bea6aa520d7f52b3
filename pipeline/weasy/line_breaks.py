"""No word hyphenated alone on a line because of the space after it.

WeasyPrint lays a paragraph out a text box at a time; a text box ends where
an inline element starts (a link, code, emphasis, an identifier kept from
hyphenation), often with the space before it. When all of that text fits
in the line's room but its final space, Pango does not break it (a
trailing space never makes a line), and WeasyPrint 70's `split_first_line`
then takes it for text with no break in it and hyphenates its first word:
"paramet-" stood alone on a line, the rest of the paragraph on the next
(tests/corpus/usgs-dataretrieval-readme.md; more often near identifiers).
Where the word cannot be hyphenated (`hyphens: manual`, a short word) it
stands alone whole: "your" on a line of its own, before `CSS` in a
paragraph of USWDS's migration guide.

`install` wraps the function the inline layout calls: when the text less
its collapsible final spaces fits the width, the text is taken whole, as
it would be were the space not there; the layout then ends the line there.

Like pipeline/weasy/artifacts.py this reaches into WeasyPrint's internals,
checked first (pipeline/weasy/versions.py); tests/test_fidelity.py reads
the lines of the PDF back.
"""

from __future__ import annotations

from pipeline.weasy.versions import Need, Patch, Skipped

SIGNATURE = ("text", "style", "context", "max_width", "justification_spacing", "is_line_start",
             "minimum")
PATCH = Patch("line breaks", written_for={"weasyprint": "70.0"}, needs=(
    Need("weasyprint.text.line_break", "split_first_line", SIGNATURE),
    # The inline layout calls it through its module's global, which we replace.
    Need("weasyprint.layout.inline", "split_text_box", uses=("split_first_line",)),
    Need("weasyprint.layout.inline", "split_first_line", SIGNATURE),
), cost="a word before an inline element may be hyphenated alone on a line")

COLLAPSING = ("normal", "pre-line")  # white-space values whose final spaces collapse at a line's end


def install() -> Skipped | None:
    """Patch WeasyPrint once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    from weasyprint.layout import inline

    split = inline.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        result = split(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        length, resume_index = result[1], result[2]
        trimmed = text.rstrip(" ")
        if (resume_index is None or max_width is None or trimmed == text or " " not in trimmed
                or style["white_space"] not in COLLAPSING
                or length > len(trimmed[:trimmed.index(" ")].encode())):
            return result  # broken after a later word: the case below never is
        # Does all of it fit but the space at its end?
        whole = split(text, style, context, None, justification_spacing, is_line_start, minimum)
        alone = split(trimmed, style, context, None, justification_spacing, is_line_start, minimum)
        if whole[2] is None and alone[3] <= max_width < whole[3]:
            return whole
        return result

    PATCH.replace(inline, "split_first_line", split_first_line)
    return None
