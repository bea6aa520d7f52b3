"""pandoc's title block: up to three lines starting with `%` at the top of
a document, the title, the authors and the date.

```
% Quarterly Readiness Review
% J. Analyst; B. Officer
% 1 October 2026
```

As pandoc reads it: a field may go on over lines that start with a space;
authors are parted by `;` or by a new line; a field left empty (`%` alone)
is skipped. A briefing takes it as it takes `title`, `authors` and `date`
from its YAML front matter, before or after which it may stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FIELDS = ("title", "authors", "date")


@dataclass(frozen=True, slots=True)
class TitleBlock:
    values: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # field -> its first line
    end: int = 1  # the first line after the block (1-based)


def starts_title_block(line: str) -> bool:
    """`%` then a space or nothing (`%20 of units` is text)."""
    return line.startswith("%") and line[1:2] in ("", " ", "\t")


def read_title_block(lines: tuple[str, ...] | list[str], start: int) -> TitleBlock:
    """The title block whose first line is `start` (1-based; it starts with `%`)."""
    fields: list[tuple[int, list[str]]] = []  # (line, its lines)
    index = start - 1
    while index < len(lines) and len(fields) < len(FIELDS):
        line = lines[index]
        if line.startswith("%"):
            fields.append((index + 1, [line[1:].strip()]))
        elif fields and line[:1] in (" ", "\t") and line.strip():
            fields[-1][1].append(line.strip())
        else:
            break
        index += 1
    # Continuation lines of the last field (a third author line, say).
    while fields and index < len(lines) and lines[index][:1] in (" ", "\t") and lines[index].strip():
        fields[-1][1].append(lines[index].strip())
        index += 1
    values: dict[str, str | tuple[str, ...]] = {}
    where: dict[str, int] = {}
    for name, (first, parts) in zip(FIELDS, fields):
        if name == "authors":
            authors = tuple(author.strip() for part in parts for author in part.split(";")
                            if author.strip())
            if authors:
                values[name], where[name] = authors, first
        elif text := " ".join(part for part in parts if part):
            values[name], where[name] = text, first
    return TitleBlock(values=values, lines=where, end=index + 1)
