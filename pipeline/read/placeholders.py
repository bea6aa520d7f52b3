"""Python-Markdown's own placeholders, where its inline patterns left them.

Python-Markdown marks what its patterns have taken with strings between
U+0002 and U+0003: a backslash escape (`\\x0296\\x03` for `` \\` ``), an
element set aside (`\\x02klzzwxh:0001\\x03`), stashed HTML and entities
(`\\x02wzxhzdk:3\\x03`, which the reader resolves), a mail link's `&`
(`\\x02amp\\x03`, which the reader decodes), the footnotes' own. Tangled
markup makes some survive into the tree: a code span found inside a
link's text after the escapes were taken (`[*`\\``*](#x)`), or an
emphasis that swallows half a placeholder. No author text holds U+0002
or U+0003 (the source check refuses both), so whatever is left is
Python-Markdown's: an escape is turned back into its character, and what
cannot be is taken out, the element noted so that the reader can say
where.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions.footnotes import FN_BACKLINK_TEXT, NBSP_PLACEHOLDER
from markdown.util import AMP_SUBSTITUTE

# What the reader itself resolves later: stashed HTML and entities, a mail
# link's `&`, the footnotes' backlink and no-break space.
KEPT = re.compile("(" + "|".join(("\x02wzxhzdk:[0-9]+\x03", re.escape(AMP_SUBSTITUTE),
                                  re.escape(FN_BACKLINK_TEXT), re.escape(NBSP_PLACEHOLDER))) + ")")
ESCAPE = re.compile("\x02([0-9]+)\x03")
# An element set aside and never put back, whole or in part, or a lone mark.
LEFT = re.compile("\x02?klzzwxh:[0-9]+\x03?|[\x02\x03]")


def settle(root: etree.Element) -> list[etree.Element]:
    """Resolve or remove every placeholder left in the tree; return the
    elements that lost one (their text is then not all the author wrote)."""
    lost: list[etree.Element] = []
    for element in root.iter():
        code = element.tag == "code"
        changed = False
        for name in ("text", "tail"):
            value = getattr(element, name)
            if isinstance(value, str) and ("\x02" in value or "\x03" in value):
                settled, damaged = resolved(value, code and name == "text")
                setattr(element, name, type(value)(settled))  # an AtomicString stays one
                changed |= damaged
        for name, value in element.items():  # an extension may leave a None
            if isinstance(value, str) and ("\x02" in value or "\x03" in value):
                settled, damaged = resolved(value, False)
                element.set(name, settled)
                changed |= damaged
        if changed:
            lost.append(element)
    return lost


def resolved(text: str, code: bool) -> tuple[str, bool]:
    """`text` with its escapes turned back into characters (in code, with
    the backslash the author wrote) and every other placeholder but the
    reader's taken out; and whether anything was taken out."""
    parts = KEPT.split(text)
    damaged = False
    for index in range(0, len(parts), 2):  # between the placeholders the reader resolves
        part = ESCAPE.sub(lambda found: escaped(int(found[1]), code, found[0]), parts[index])
        cleaned = LEFT.sub("", part)
        damaged |= cleaned != part
        parts[index] = cleaned
    return "".join(parts), damaged


def escaped(number: int, code: bool, placeholder: str) -> str:
    if number > 0x10FFFF:  # no escape Python-Markdown makes: left for LEFT to take out
        return placeholder
    return ("\\" if code else "") + chr(number)
