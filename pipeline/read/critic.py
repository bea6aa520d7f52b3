"""CriticMarkup, as `briefing import --changes critic` writes a reviewer's
tracked changes and comments (and as other editors write them):

- `{++ added ++}`, `{-- removed --}`, `{~~ old ~> new ~~}`: a change not yet
  accepted or rejected. `briefing check` lists each at its line, and
  `build` refuses the briefing until the author has resolved them all
  (kept the new words, or the old, and taken the markup out);
- `{>> a comment <<}`: never in any output; `check` and `build` list it as
  a warning (`critic.comment`), so an open comment is seen and can be
  silenced;
- `{== highlighted ==}`: the words a comment is about; shown as they are.

Inline patterns of Python-Markdown, so code spans and code blocks keep
their braces; each makes an element the reader (read/markdown.py) turns
into problems and the words a reader sees.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

TAG = "briefing-critic"
# The reader's line marker may stand before a closing `}` at a line's end
# (read/markdown.py mark_line): it is kept, inside the element.
MARK = r"(?P<mark>\t?[\ue000-\uf8ff]{2})?"
PATTERNS = (
    ("insertion", rf"\{{\+\+(?P<body>.*?)\+\+{MARK}\}}"),
    ("deletion", rf"\{{--(?P<body>.*?)--{MARK}\}}"),
    ("substitution", rf"\{{~~(?P<body>.*?~>.*?)~~{MARK}\}}"),  # its `~>` between the old and the new
    ("comment", rf"\{{>>(?P<body>.*?)<<{MARK}\}}"),
    ("highlight", rf"\{{==(?P<body>.*?)=={MARK}\}}"),
)
# In front matter and abbreviations, which are not read as Markdown: any of them.
ANY = re.compile(r"\{(\+\+|--|~~|>>|==)")
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")


class Critic(InlineProcessor):
    def __init__(self, pattern: str, kind: str, md: markdown.Markdown) -> None:
        super().__init__(pattern, md)
        self.kind = kind

    def handleMatch(self, found: re.Match[str], data: str):
        element = etree.Element(TAG, {"kind": self.kind, "raw": found["body"]})
        mark = found["mark"] or ""
        if self.kind == "substitution":
            old, _, new = found["body"].partition("~>")
            element.text = new + mark
            element.set("old", old)
        elif self.kind != "comment":
            element.text = found["body"] + mark
        else:
            element.text = mark  # only the line's marker, which the reader takes off
        return element, found.start(), found.end()


class CriticMarkup(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After code spans (190) and escapes (180), before links and emphasis:
        # the words inside are read as Markdown, code keeps its braces.
        for offset, (kind, pattern) in enumerate(PATTERNS):
            md.inlinePatterns.register(Critic(pattern.replace(".*?", "(?s:.*?)"), kind, md),
                                       f"briefing_critic_{kind}", 176 - offset * 0.1)


def said(kind: str, raw: str, old: str = "") -> str:
    """A change or a comment as a problem's message says it."""
    words = " ".join(raw.split())
    match kind:
        case "insertion":
            return f"tracked change not resolved: \"{words}\" added ({{++ … ++}}); keep the words or " \
                   "drop them, and take the markup out"
        case "deletion":
            return f"tracked change not resolved: \"{words}\" removed ({{-- … --}}); drop the words " \
                   "or keep them, and take the markup out"
        case "substitution":
            new = words.partition("~>")[2].strip()
            return f"tracked change not resolved: \"{' '.join(old.split())}\" replaced by \"{new}\" " \
                   "({~~ … ~> … ~~}); keep one, and take the markup out"
        case _:
            return f"comment: {words}"
