"""Hugo's TOML front matter, between lines of `+++`, as the YAML nodes
read/frontmatter.py checks: each top-level key at its own line, so that its
problems are reported there, as a YAML key's are. TOML's own types (dates,
true and false, numbers) come as YAML's tags for them.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from pipeline.read.source import Source

FENCE = "+++"
POSITION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")


def root(source: Source, lines: list[str], first: int) -> yaml.MappingNode | None:
    """The mapping of the front matter's `lines` (the first on line
    `first`), or None when it holds no key."""
    try:
        data = tomllib.loads("\n".join(lines))
    except tomllib.TOMLDecodeError as error:
        found = POSITION.search(str(error))
        line = first + (int(found[1]) - 1 if found and found[1] else len(lines) - 1 if found else 0)
        raise source.error(line, f"front matter (TOML, as Hugo writes it): {POSITION.sub('', str(error))}",
                           "meta.yaml") from None
    if not data:
        return None
    represent = yaml.representer.SafeRepresenter()
    pairs = []
    for key, value in data.items():
        mark = at(source, key_line(lines, key))
        node = represent.represent_data(value)
        marked(node, mark)
        pairs.append((yaml.ScalarNode("tag:yaml.org,2002:str", key, mark, mark), node))
    start = at(source, 0)
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, start, start)


def key_line(lines: list[str], key: str) -> int:
    """The index of the line that sets `key` (`key = …`, `"key" = …`, or a
    table `[key]` / `[[key]]`); the first line when none is found."""
    name = re.escape(key)
    pattern = re.compile(rf"\s*(?:(?:{name}|\"{name}\"|'{name}')\s*[=.]|\[\[?\s*(?:{name}|\"{name}\")\s*[\].])")
    return next((index for index, line in enumerate(lines) if pattern.match(line)), 0)


def at(source: Source, index: int) -> yaml.Mark:
    return yaml.Mark(source.name, 0, index, 0, None, None)


def marked(node: Any, mark: yaml.Mark) -> None:
    """Every node of a value at its key's line."""
    node.start_mark = node.end_mark = mark
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            marked(item, mark)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            marked(key, mark)
            marked(value, mark)
