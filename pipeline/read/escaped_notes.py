"""An escaped footnote marker, `\\[^name]` or `[\\^name]`, is text, as pandoc
and GitHub show it, never a reference to a note.

Python-Markdown keeps an escaped character as a placeholder until its last
tree step puts the character back; by then `[^name]` reads like a note
that has no definition, and the build was refused (rust-lang/rfcs: there
was no way to write the words). Before that step, the escaped bracket or
caret of such a marker becomes what `&#91;` or `&#94;` becomes: a stashed
character, which the reader shows as it shows an entity.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX

BRACKET = f"{STX}{ord('[')}{ETX}"
CARET = f"{STX}{ord('^')}{ETX}"
ESCAPED_MARKER = re.compile(re.escape(BRACKET) + r"(?=\^|" + re.escape(CARET) + r")|(?<=\[)" + re.escape(CARET))
ENTITIES = {BRACKET: "&#91;", CARET: "&#94;"}
CODE = frozenset(("code", "pre"))


class EscapedNotes(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag not in CODE:
                element.text = self.stashed(element.text)
            element.tail = self.stashed(element.tail)

    def stashed(self, text: str | None) -> str | None:
        if not text or STX not in text:
            return text
        return ESCAPED_MARKER.sub(lambda found: self.md.htmlStash.store(ENTITIES[found[0]]), text)


def register(md: markdown.Markdown) -> None:
    """After the inline patterns (20), before Python-Markdown unescapes (0)."""
    md.treeprocessors.register(EscapedNotes(md), "briefing_escaped_notes", 1)
