"""Hugo's TOML front matter, between lines of `+++`, as the YAML nodes
read/frontmatter.py checks: each top-level key at its own line, so that its
problems are reported there, as a YAML key's are. TOML's own types (dates,
true and false, numbers) come as YAML's tags for them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from pipeline.read.source import Source

FENCE = "+++"
POSITION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")


def root(source: Source, lines: list[str], first: int) -> yaml.MappingNode | None:
    """The mapping of the front matter's `lines` (the first on line
    `first`), or None when it holds no key."""
    import tomllib  # here: most briefings have YAML, and every build would load it

    try:
        data = tomllib.loads("\n".join(lines))
    except tomllib.TOMLDecodeError as error:
        found = POSITION.search(str(error))
        line = first + (int(found[1]) - 1 if found and found[1] else len(lines) - 1 if found else 0)
        raise source.error(line, f"front matter (TOML, as Hugo writes it): {POSITION.sub('', str(error))}",
                           "meta.toml") from None
    if not data:
        return None
    pairs = []
    for key, value in data.items():
        mark = at(source, key_line(lines, key))
        pairs.append((yaml.ScalarNode(STR, key, mark, mark), node_of(value, mark)))
    start = at(source, 0)
    return yaml.MappingNode(MAP, pairs, start, start)


STR, MAP, SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def node_of(value: Any, mark: yaml.Mark) -> yaml.Node:
    """A TOML value as the YAML node of the same value, at `mark`. A date
    or date-time is a YAML timestamp written in ISO 8601, as YAML's are (a
    time of day, which YAML has not, is text)."""
    match value:
        case dict():
            return yaml.MappingNode(MAP, [(yaml.ScalarNode(STR, str(key), mark, mark), node_of(item, mark))
                                          for key, item in value.items()], mark, mark)
        case list():
            return yaml.SequenceNode(SEQ, [node_of(item, mark) for item in value], mark, mark)
        case dt.datetime() | dt.date():
            return yaml.ScalarNode("tag:yaml.org,2002:timestamp", value.isoformat(), mark, mark)
        case dt.time():
            return yaml.ScalarNode(STR, value.isoformat(), mark, mark)
    node = yaml.representer.SafeRepresenter().represent_data(value)  # text, a number, true or false
    node.start_mark = node.end_mark = mark
    return node


def key_line(lines: list[str], key: str) -> int:
    """The index of the line that sets `key` (`key = …`, `"key" = …`, or a
    table `[key]` / `[[key]]`); the first line when none is found."""
    name = re.escape(key)
    pattern = re.compile(rf"\s*(?:(?:{name}|\"{name}\"|'{name}')\s*[=.]|\[\[?\s*(?:{name}|\"{name}\")\s*[\].])")
    return next((index for index, line in enumerate(lines) if pattern.match(line)), 0)


def at(source: Source, index: int) -> yaml.Mark:
    return yaml.Mark(source.name, 0, index, 0, None, None)
