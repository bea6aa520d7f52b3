"""Code cells of Quarto and R Markdown: ```` ```{r} ````, ```` ```{python} ````.

A briefing shows a cell as code and never runs it (nothing a source holds
is ever executed). A cell's label still matters: a cross-reference such as
`@tbl-x` names the table the cell would make, and the build says that
nothing makes it. The label is knitr's (```` ```{r tbl-x, echo=FALSE} ````,
```` ```{r, label="tbl-x"} ````) or Quarto's (`#| label: tbl-x` among the
`#|` option lines that open the cell).
"""

from __future__ import annotations

import re

CELL = re.compile(r"\{\s*(?P<engine>[A-Za-z][\w.-]*)(?P<options>[^}]*)\}\s*$")
OPTION_LINE = re.compile(r"\s*#\|\s*(?P<key>[\w.-]+)\s*:\s*(?P<value>.*?)\s*$")


def cell_label(info: str, code: str) -> str:
    """The label of a code cell whose fence says `info` (what follows the
    backticks: `{r tbl-x, echo=FALSE}`), or "" for plain fenced code."""
    found = CELL.match(info.strip())
    if found is None:
        return ""
    for line in code.splitlines():
        option = OPTION_LINE.match(line)
        if option is None:
            break
        if option["key"] == "label":
            return option["value"].strip("'\"")
    parts = [part.strip() for part in found["options"].split(",")]
    for part in parts:
        key, equals, value = part.partition("=")
        if equals and key.strip() == "label":
            return value.strip().strip("'\"")
    first = parts[0].strip("'\"")
    return first if first and "=" not in first and " " not in first else ""
