"""Split the YAML front matter off a source and check it against the schema.

YAML is read strictly: no aliases (they can blow up size or form cycles), no
duplicate keys, no custom tags, and no YAML 1.1 surprises passed on silently:
`NO` or `1.10` where text is expected is a type error that says to quote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any

import yaml

from pipeline.problems import Reporter
from pipeline.markings.rules import SCHEMES
from pipeline.model import PAPER_SIZES, Meta
from pipeline.read.source import Source, check_characters

FENCE = "---"
END_FENCES = ("---", "...")


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate keys."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not allowed",
                                       problem_mark=mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise yaml.MarkedYAMLError(problem="a key must be a plain value, not a list "
                                           "or mapping", problem_mark=key_node.start_mark)
            if key in seen:
                raise yaml.MarkedYAMLError(problem=f"duplicate key '{key}'",
                                           problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


# Checkers take the YAML value and return the Meta value or raise TypeError
# with what was expected.

def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError("text")
    return value.strip()


def upper_text(value: Any) -> str:
    return text(value).upper()


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("true or false")
    return value


def text_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (text(value),)
    if not isinstance(value, list) or not value:
        raise TypeError("text or a list of text")
    try:
        return tuple(text(item) for item in value)
    except TypeError:
        raise TypeError("a list of text") from None


def one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value.strip().lower() not in choices:
            raise TypeError(" or ".join(choices))
        return value.strip().lower()
    return check


LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def language(value: Any) -> str:
    if not isinstance(value, str) or not LANG.match(value.strip()):
        raise TypeError("a language tag such as en, en-GB or fr")
    return value.strip()


SCHEMA: dict[str, Callable[[Any], Any]] = {
    "title": text,
    "classification": text,
    "subtitle": text,
    "date": text,
    "version": text,
    "status": text,
    "authors": text_list,
    "organization": text,
    "poc": text,
    "distribution": upper_text,
    "distribution_reason": text,
    "distribution_date": text,
    "controlling_office": text,
    "controlled_by": text_list,
    "cui_category": text_list,
    "dissemination": upper_text,
    "classified_by": text,
    "derived_from": text,
    "classification_reason": text,
    "declassify_on": text,
    "short_title": text,
    "title_page": flag,
    "toc": flag,
    "numbering": flag,
    "portion_marking": flag,
    "lang": language,
    "paper": one_of(*PAPER_SIZES),
    "marking_scheme": one_of(*SCHEMES),
}
REQUIRED = ("title", "classification")


def describe(value: Any) -> str:
    match value:
        case bool():
            return f"the boolean {str(value).lower()} (YAML reads yes/no/on/off that way; quote it)"
        case int() | float():
            return f"the number {value} (quote it to keep it as written)"
        case list():
            return "a list"
        case dict():
            return "a mapping"
        case None:
            return "nothing"
        case _:
            return repr(value)


def split(source: Source) -> tuple[list[str], int]:
    """The front matter lines and the line number where the body starts."""
    if not source.lines or source.lines[0].rstrip() != FENCE:
        raise source.error(1, "no front matter: a briefing starts with '---', then YAML with at "
                           "least title and classification, then '---'", "meta.missing")
    for index, line in enumerate(source.lines[1:], start=1):
        if line.rstrip() in END_FENCES:
            return list(source.lines[1:index]), index + 2
    raise source.error(1, "front matter is not closed: add a line '---' after it", "meta.unclosed")


def read_meta(source: Source, reporter: Reporter | None = None) -> tuple[Meta, int]:
    """The checked Meta, and the line where the Markdown body starts. Every
    key's problem is reported at once; with any, the build ends here."""
    reporter = reporter or Reporter(source.name)
    lines, body_line = split(source)
    root = compose(source, lines)
    if root is None:
        raise source.error(1, "front matter is empty: it needs title and classification", "meta.empty")
    if not isinstance(root, yaml.MappingNode):
        raise source.error(root.start_mark.line + 2, "front matter must be key: value lines",
                           "meta.not-a-mapping")
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    def problem(line: int, code: str, message: str) -> None:
        reporter.error(line, f"meta.{code}", message, path=source.name)

    loader = StrictLoader("")
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 2
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in SCHEMA:
            problem(line, "unknown-key", unknown_key(key))
            continue
        if key in key_lines:
            problem(line, "duplicate-key", f"duplicate key '{key}' (first on line {key_lines[key]})")
            continue
        key_lines[key] = line
        try:
            raw = written_value(loader, value_node)
            values[key] = SCHEMA[key](raw)
        except TypeError as expected:
            problem(line, "type", f"'{key}' must be {expected}, not {describe(raw)}")
            continue
        except yaml.YAMLError as error:
            problem(line, "yaml", f"'{key}': {yaml_problem(error)}")
            continue
        for item in values[key] if isinstance(values[key], tuple) else (values[key],):
            if isinstance(item, str):
                check_characters(item, source.name, line)
    for key in REQUIRED:
        if key not in key_lines:
            problem(1, "required", f"front matter lacks '{key}', which every briefing needs")
    reporter.check()
    # The classification is checked with the other markings, so that every
    # marking problem is reported at once.
    return Meta(**values, key_lines=tuple(key_lines.items())), body_line


def written_value(loader: StrictLoader, node: yaml.Node) -> Any:
    """The value of a node; a date or time stays as written (YAML would turn
    `2026-11-25 10:00` into a datetime and print it back differently)."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    return loader.construct_object(node, deep=True)


def compose(source: Source, lines: list[str]) -> yaml.Node | None:
    """The YAML node tree (aliases are refused here, while composing)."""
    try:
        loader = StrictLoader("\n".join(lines))
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise source.error(line, f"invalid YAML: {yaml_problem(error)}", "meta.yaml") from None


def yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if "could not determine a constructor" in problem:
        return "YAML tags such as !!python/object are not allowed"
    return problem


def unknown_key(key: str | None) -> str:
    if key is None:
        return "front matter keys must be plain words"
    import difflib  # only for a mistake: slow to import for every build

    close = difflib.get_close_matches(key, SCHEMA, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(SCHEMA)}"
    return f"unknown front-matter key '{key}'{hint}"
