"""MkDocs' content tabs for Python-Markdown: pymdownx.tabbed, which MkDocs
Material's users write them for.

```
=== "Windows"

    Open the installer.

=== "Linux"

    Install the package.
```

Consecutive `===` blocks make one set (`===!` starts a new one, `===+` is
the tab shown first, which a page without scripts has no use for). What
pymdownx makes, `div.tabbed-set` of `input`, `label` (the title) and
`div.tabbed-content`, the reader turns into a model TabSet; no part of it
reaches an output as markup.

The one change, as for pymdownx.details (read/divs.py): read/markdown.py
ends each line with a marker of its line number, after a tab's closing
quote (`=== "Windows"<marker>`); the first line's pattern is widened to let
it stand there, and it goes to the tab's title.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from pymdownx.tabbed import TabbedProcessor

MARK = "\t?[\ue000-\uf8ff]{2}"  # read/markdown.py's line marker
FIRST_LINE_END = '" *(?:\\n|$)'

if TabbedProcessor.START.pattern.count(FIRST_LINE_END) != 1:
    raise RuntimeError("pymdownx.tabbed changed the pattern of a tab's first line")


class Tabbed(TabbedProcessor):
    """pymdownx.tabbed, its first line allowed to end in a line marker."""

    START = re.compile(TabbedProcessor.START.pattern.replace(
        FIRST_LINE_END, f'" *(?P<mark>{MARK})? *(?:\\n|$)'))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        found = self.START.search(blocks[0])
        super().run(parent, blocks)
        tab_set = self.lastChild(parent)
        if found and found["mark"] and tab_set is not None and (labels := tab_set.findall("label")):
            labels[-1].set("data-mark", found["mark"].lstrip("\t"))  # read before its text


class Tabs(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        config = {"alternate_style": False, "slugify": 0}  # labels without ids of their own
        md.parser.blockprocessors.register(Tabbed(md.parser, config), "tabbed", 105)
