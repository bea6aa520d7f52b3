"""A lead-in: a short paragraph that announces what follows it, kept on
its page in every output, as a heading is.

Authors label a code sample, a list or a table with a bold line
(`**Template**`) or a sentence ending in a colon (`For example:`); the PDF
left cds-snc's "For example: / Template" at a page's foot and the code
they announced on the next. A list item's short first line above more of
the item's blocks is one too (the OCI image spec's `- **author** _string_,
OPTIONAL`, its description on the next page).
"""

from __future__ import annotations

from pipeline import model as m

LONGEST = 120  # characters: a line or so; a longer paragraph is text of its own


def lead_in(paragraph: m.Paragraph) -> bool:
    """Whether the paragraph is a bold or italic label alone, or a short
    one that ends in a colon."""
    text = m.plain_text(paragraph.inlines).strip()
    if not text or len(text) > LONGEST:
        return False
    if text.endswith(":"):
        return True
    shown = [item for item in paragraph.inlines if not (isinstance(item, m.Text) and not item.text.strip())]
    return len(shown) == 1 and isinstance(shown[0], (m.Strong, m.Emph))


def item_lead(blocks: tuple[m.Block, ...]) -> bool:
    """Whether a list item opens with a short paragraph that more of its
    blocks follow (a field's name over its description)."""
    return len(blocks) > 1 and isinstance(blocks[0], m.Paragraph) \
        and len(m.plain_text(blocks[0].inlines).strip()) <= LONGEST
