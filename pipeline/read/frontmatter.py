"""Split the YAML front matter off a source and check it against the schema
(Hugo's TOML front matter, between `+++` lines, is read by toml_front.py
into the same form and checked alike).

YAML is read strictly: no aliases (they can blow up size or form cycles), no
duplicate keys, no custom tags, and no YAML 1.1 surprises passed on silently:
`NO` or `1.10` where text is expected is a type error that says to quote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import yaml

from pipeline.problems import BriefingError, Reporter, excerpt
from pipeline.markings.rules import SCHEMES
from pipeline.model import PAPER_SIZES, Meta
from pipeline.read import foreign, staff, toml_front
from pipeline.read.bibliography import FRONT_MATTER as CITATION_KEYS
from pipeline.read.source import Source, check_characters
from pipeline.read.titleblock import TitleBlock, read_title_block, starts_title_block

FENCE = "---"
END_FENCES = ("---", "...")


# How deep YAML may nest: front matter needs three levels (authors: a list of
# mappings); other tools' settings a few more. PyYAML composes by recursion,
# so 2,000 '[' would end in a RecursionError.
MAX_DEPTH = 50
# How many digits a number may have: Python refuses to convert more than
# 4,300 between text and number (sys.int_info.str_digits_check_threshold).
MAX_DIGITS = 4000
# What a value with each tag must be, for a message when it is not.
TAG_NAMES = {"int": "a whole number", "float": "a number", "bool": "true or false",
             "timestamp": "a date", "binary": "base64 data", "set": "a mapping",
             "map": "a mapping", "omap": "a list of one-key mappings",
             "pairs": "a list of one-key mappings", "seq": "a list", "str": "text"}


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, duplicate keys and deep nesting,
    and says what is wrong with a value its tag cannot read (`!!int abc`,
    `!!bool maybe`, a 5,000-digit number, the date 2026-13-45) as a YAML
    error at that value, where PyYAML would raise ValueError, KeyError or
    IndexError from inside its constructors."""

    depth = 0
    key_mark: yaml.Mark | None = None  # the top-level key being composed

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not allowed",
                                       problem_mark=mark)
        if self.depth == 1 and isinstance(index, yaml.Node):
            self.key_mark = index.start_mark
        if self.depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem=f"values nest deeper than {MAX_DEPTH} levels",
                                       problem_mark=self.key_mark or self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_scalar_node(self, anchor):
        tagged = self.peek_event().tag not in (None, "!")  # `!!int abc`, not `abc` read as an int
        node = super().compose_scalar_node(anchor)
        node.tagged = tagged
        return node

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise yaml.MarkedYAMLError(problem="a key must be a plain value, not a list "
                                           "or mapping", problem_mark=key_node.start_mark)
            if key in seen:
                raise yaml.MarkedYAMLError(problem=f"duplicate key '{excerpt(str(key), 40)}'",
                                           problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)

    def construct_object(self, node, deep=False):
        """The value of `node`, or a YAML error that says why its tag cannot
        read it: never another exception."""
        try:
            value = super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError) as error:
            raise yaml.MarkedYAMLError(problem=unreadable(node, error),
                                       problem_mark=node.start_mark) from None
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_DIGITS * 3.33:
            raise yaml.MarkedYAMLError(problem=unreadable(node, None), problem_mark=node.start_mark)
        return value

    def construct_written_timestamp(self, node):
        """A date or time stays as written (YAML would turn `2026-11-25
        10:00` into a datetime and print it back differently), once it is
        known to be one: 2026-13-45 is not."""
        self.construct_yaml_timestamp(node)
        return self.construct_scalar(node)


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_written_timestamp)


def unreadable(node: yaml.Node, error: Exception | None) -> str:
    """What a constructor's own exception means, in the author's terms;
    `error` None: a whole number too long to use."""
    tag = node.tag.removeprefix("tag:yaml.org,2002:")
    what = TAG_NAMES.get(tag, f"a value of the tag !!{tag}")
    if not isinstance(node, yaml.ScalarNode):
        return f"!!{tag} needs {what}, not a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}"
    value = f"'{excerpt(node.value, 40)}'" if node.value else "nothing"
    if error is None or "digits" in str(error):
        problem, aside = f"a number of more than {MAX_DIGITS:,} digits", ", too long to use"
    else:
        problem, aside = f"not {what}", ""
        if tag == "timestamp" and isinstance(error, ValueError):
            aside = f" ({error})"  # month must be in 1..12, day is out of range for month
    if getattr(node, "tagged", False):
        return f"{value} is {problem}{aside}, which its tag !!{tag} asks for"
    if error is None or "digits" in str(error):
        return f"YAML reads {value} as {problem}{aside}: quote it to keep it as text"
    return f"YAML reads {value} as {what}, which it is not{aside}: quote it to keep it as text"


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


def numbering(value: Any) -> bool | str:
    """`numbering: true` (1, 1.1, 1.1.1) or `military` (1., a., (1), (a), 1, a)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() == "military":
        return "military"
    raise TypeError("true, false or military")


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


def enclosure_list(value: Any) -> tuple[tuple[str, str, str], ...]:
    """PDFs appended to the PDF: each `{file: tab-a.pdf, title: …,
    classification: …}`; its marking is declared, since briefing cannot
    read it off the file."""
    if not isinstance(value, list) or not value:
        raise TypeError("a list of enclosures, each a title or a mapping with file, title and classification")
    out = []
    for item in value:
        if isinstance(item, str) and item.strip():  # listed (a memo's Encl), not attached
            out.append(("", item.strip(), ""))
            continue
        if not isinstance(item, dict) or set(item) - {"file", "title", "classification"} \
                or not all(isinstance(item.get(key), str) and item[key].strip()
                           for key in ("file", "classification")):
            raise TypeError("a list of enclosures, each a title or a mapping with file, title and classification "
                            "(the enclosure's own marking, which briefing cannot read)")
        out.append((item["file"].strip(), text(item.get("title") or item["file"]),
                    item["classification"].strip().upper()))
    return tuple(out)


LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def language(value: Any) -> str:
    if not isinstance(value, str) or not LANG.match(value.strip()):
        raise TypeError("a language tag such as en, en-GB or fr")
    return value.strip()


# Keys of ours that other tools use too, with the values that are ours: a
# value far from all of them is the other tool's, and the key is ignored.
SHARED = {"type": staff.TYPES}

SCHEMA: dict[str, Callable[[Any], Any]] = {
    "title": text,
    "classification": text,
    "subtitle": text,
    "date": text,
    "version": text,
    "status": text,
    "authors": foreign.names,
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
    "abstract": text,  # Markdown, read into blocks with the body
    "keywords": text_list,
    "title_page": flag,
    "toc": flag,
    "numbering": numbering,
    "enclosures": enclosure_list,
    "portion_marking": flag,
    "lang": language,
    "paper": one_of(*PAPER_SIZES),
    "marking_scheme": one_of(*SCHEMES),
    # pandoc's citation keys (read/bibliography.py), spelt as pandoc spells them
    **{key: check for key, (_, check) in CITATION_KEYS.items()},
    **staff.SCHEMA,  # `type: memo` and its typed keys (read/staff.py)
}
REQUIRED = ("classification",)  # a title left out is taken from the text


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
        case str():
            return f"'{excerpt(value, 60)}'"
        case _:
            return f"a {type(value).__name__}"


@dataclass(frozen=True, slots=True)
class Parts:
    """Where a source's front matter and body are."""
    yaml: list[str] | None  # the YAML's lines, without fences; None: no YAML
    yaml_line: int  # the line of its first line
    body_line: int  # the line where the Markdown body starts
    title_block: TitleBlock | None = None  # pandoc's `% Title` lines, before or after the YAML
    toml: bool = False  # Hugo's TOML between `+++` lines, not YAML


def split(source: Source) -> Parts:
    """The YAML front matter and pandoc's `%` title block, either or both
    (in either order), and the line where the body starts."""
    lines = source.lines
    block = read_title_block(lines, 1) if lines and starts_title_block(lines[0]) else None
    index = block.end - 1 if block else 0
    if block:
        while index < len(lines) and not lines[index].strip():
            index += 1
        # `---` then a blank line is a rule, not front matter (as pandoc reads it).
        if not (index + 1 < len(lines) and lines[index].rstrip() == FENCE and lines[index + 1].strip()
                and any(line.rstrip() in END_FENCES for line in lines[index + 1:])):
            return Parts(None, 0, block.end, block)
    elif not lines or lines[0].rstrip() not in (FENCE, toml_front.FENCE):
        return Parts(None, 0, 1)  # none: a document written for GitHub (read_meta says what it lacks)
    toml = lines[index].rstrip() == toml_front.FENCE
    for end in range(index + 1, len(lines)):
        if lines[end].rstrip() in ((toml_front.FENCE,) if toml else END_FENCES):
            body = end + 1  # 0-based: the line after the closing fence
            if block is None:
                after = body
                while after < len(lines) and not lines[after].strip():
                    after += 1
                if after < len(lines) and starts_title_block(lines[after]):
                    block = read_title_block(lines, after + 1)
                    body = block.end - 1
            return Parts(list(lines[index + 1:end]), index + 2, body + 1, block, toml)
    if draft := next((number for number, line in enumerate(lines[index + 1:], index + 2)
                      if KRAMDOWN_RFC.match(line)), None):
        raise source.error(index + 1, f"front matter is not closed: line {draft}'s "
                           f"'{lines[draft - 1].strip()}' is kramdown-rfc's (an IETF draft), which briefing "
                           "does not read; put a line '---' after the front matter", "meta.unclosed")
    raise source.error(index + 1, f"front matter is not closed: add a line '{lines[index].rstrip()}' after it",
                       "meta.unclosed")


# kramdown-rfc's parts of an IETF draft, after its front matter.
KRAMDOWN_RFC = re.compile(r"--- (?:abstract|middle|back|note_\w+)\s*$")


def read_meta(source: Source, reporter: Reporter | None = None,
              stop: bool = True, marking: str | None = None) -> tuple[Meta, int]:
    """The checked Meta, and the line where the Markdown body starts. Every
    key's problem is reported at once; with any, the build ends here, or
    (`stop` false) once the body's own problems are found too: the Meta is
    then a stand-in, whatever could be read. `marking` (`--classification`)
    is the classification of a source whose front matter gives none, or
    that has none. A title left out is "" here: the reader takes it from
    the text (read/markdown.py)."""
    reporter = reporter or Reporter(source.name)
    parts = split(source)
    if parts.yaml is None and parts.title_block is None and not marking:
        raise source.error(1, "no front matter: a briefing starts with '---', then YAML with at "
                           "least its classification, then '---' (or give it with --classification)",
                           "meta.missing")
    block = parts.title_block
    try:
        root = (None if parts.yaml is None else toml_front.root(source, parts.yaml, parts.yaml_line)
                if parts.toml else compose(source, parts.yaml, parts.yaml_line))
    except BriefingError as error:
        if stop:
            raise
        # Invalid YAML: said, and the body is still read for its own problems.
        reporter.merge(error)
        return Meta(title="", classification=""), parts.body_line
    if root is None and parts.yaml is not None and not block and not marking:
        raise source.error(1, "front matter is empty: it needs a classification", "meta.empty")
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise source.error(root.start_mark.line + parts.yaml_line, "front matter must be key: value lines",
                           "meta.not-a-mapping")
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    ignored: list[tuple[str, int]] = []  # other tools' keys

    def problem(line: int, code: str, message: str) -> None:
        reporter.error(line, f"meta.{code}", message, path=source.name)

    if block:  # pandoc's `% Title` lines: title, authors, date
        for key, value in block.values.items():
            values[key], key_lines[key] = value, block.lines[key]
            for item in value if isinstance(value, tuple) else (value,):
                check_characters(item, source.name, block.lines[key])

    loader = StrictLoader("")
    aliased: list[tuple[str, int, yaml.Node]] = []
    seen: dict[str, int] = {}

    def take(key: str, line: int, node: yaml.Node, written: str) -> None:
        """The value of `key` (written as `written`), checked by its type."""
        raw: Any = None
        if key in key_lines:
            where = "in the % title block" if block and block.lines.get(key) == key_lines[key] else \
                f"first on line {key_lines[key]}"
            problem(line, "duplicate-key", f"duplicate key '{written}' ({where})")
            return
        key_lines[key] = line
        if (swallowed := runs_over_a_key(node, parts.yaml or [], parts.yaml_line)) is not None:
            quote = node.style if isinstance(node, yaml.ScalarNode) else '"'
            problem(line, "yaml", f"'{written}': its {quote} is not closed on this line, so the "
                    f"value runs on over the key on line {swallowed}: close it with {quote}")
            return
        try:
            raw = loader.construct_object(node, deep=True)
            if key not in REQUIRED and (raw is None or isinstance(raw, str) and not raw.strip()):
                return  # `description:` left empty (OMB's memos, as Jekyll writes them): none, as pandoc reads it
            values[key] = SCHEMA[key](raw)
        except TypeError as expected:
            problem(line, "type", f"'{written}' must be {expected}, not {describe(raw)}")
            return
        except yaml.YAMLError as error:
            problem(line, "yaml", f"'{written}': {yaml_problem(error)}")
            return
        for item in values[key] if isinstance(values[key], tuple) else (values[key],):
            if isinstance(item, str):
                check_characters(item, source.name, line)

    # A staff product's keys are among ours only in one: other tools' memo
    # keys (armymarkdown's officesymbol) stay theirs in a briefing.
    ours = SCHEMA if staff.declared_type(root) else [key for key in SCHEMA if key not in staff.MEMO_KEYS]
    for key_node, value_node in root.value if root is not None else ():
        line = key_node.start_mark.line + parts.yaml_line
        if not isinstance(key_node, yaml.ScalarNode):
            problem(line, "unknown-key", "front matter keys must be plain words")
            continue
        key = str(key_node.value)
        if key in seen and key not in SCHEMA:
            problem(line, "duplicate-key", f"duplicate key '{excerpt(key, 40)}' (first on line {seen[key]})")
            continue
        seen.setdefault(key, line)
        if key in foreign.ALIASES:
            aliased.append((key, line, value_node))
        elif key in SHARED and isinstance(value_node, yaml.ScalarNode) and isinstance(value_node.value, str) \
                and foreign.other_tools_value(value_node.value, SHARED[key]):
            ignored.append((key, line))  # `type: roadmap`, Hugo's: not ours
        elif key in SCHEMA:
            take(key, line, value_node, key)
        elif meant := foreign.foreign_or_typo(key, ours):
            problem(line, "unknown-key", f"unknown front-matter key '{excerpt(key, 40)}'; "
                    f"did you mean '{meant}'?")
        else:
            ignored.append((key, line))
    for key, line, node in aliased:  # after ours: `authors` wins over `author`, `abstract` over `description`
        canonical = foreign.ALIASES[key]
        if canonical in seen and canonical != key:
            if key == "author":
                problem(line, "duplicate-key", f"'author' and 'authors' (line {seen[canonical]}) "
                        "both name the authors: keep one")
            else:
                ignored.append((key, line))
            continue
        take(canonical, line, node, key)
    staff.gather(values, key_lines, problem, ignored)
    if ignored:
        ignored.sort(key=lambda item: item[1])
        reporter.warning(ignored[0][1], "meta.foreign-keys", "front-matter keys briefing does not "
                         "use, ignored (other tools' settings): "
                         + foreign.listed([excerpt(key, 40) for key, _ in ignored]), path=source.name)
    if "classification" not in key_lines and marking:
        values["classification"] = marking  # --classification's: checked with the other markings
    for key in REQUIRED:
        if key in values or key in key_lines:
            continue
        if block and parts.yaml is None and key == "classification":
            problem(block.end - 1, "required", "a briefing needs a classification, which a % title "
                    "block cannot give: below it, add front matter of three lines: '---', "
                    "'classification: UNCLASSIFIED' (or the briefing's marking), '---'")
        else:
            problem(1, "required", f"front matter lacks '{key}', which every briefing needs "
                    "(or give it with --classification)")
    if stop:
        reporter.check()
    if values.get("numbering") == "military":  # paragraphs numbered as staff documents are
        values["numbering"], values["military"] = False, True
    if "enclosures" in values:
        values["enclosures"] = tuple((*item, key_lines["enclosures"]) for item in values["enclosures"])
    values.setdefault("title", "")
    values.setdefault("classification", "")
    # The classification is checked with the other markings, so that every
    # marking problem is reported at once.
    fields = {CITATION_KEYS[key][0] if key in CITATION_KEYS else key: value for key, value in values.items()}
    return Meta(**fields, key_lines=tuple(key_lines.items())), parts.body_line


def compose(source: Source, lines: list[str], first: int) -> yaml.Node | None:
    """The YAML node tree (aliases are refused here, while composing)."""
    try:
        loader = StrictLoader("\n".join(lines))
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        line, said = where(error, first)
        raise source.error(line, f"invalid YAML: {said}", "meta.yaml") from None


def yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if "could not determine a constructor" in problem:
        return "YAML tags such as !!python/object are not allowed"
    return problem


def where(error: yaml.YAMLError, first: int) -> tuple[int, str]:
    """The line of a YAML error and what to say: where the construct that
    went wrong began (an unclosed quote or bracket), not where PyYAML gave
    up, which is often another key's line, or past the front matter."""
    problem = yaml_problem(error)
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context", None)
    context_mark = getattr(error, "context_mark", None)
    line = mark.line + first if mark is not None else 1
    if context and context_mark is not None and mark is not None and context_mark.line < mark.line:
        return context_mark.line + first, f"{context} that starts here, {problem} on line {line}"
    return line, problem


def runs_over_a_key(node: yaml.Node, lines: list[str], first: int) -> int | None:
    """The line of another front-matter key swallowed by a quoted value
    left open (`lang: "en` then `classification: SECRET"`), if any."""
    if not (isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')):
        return None
    for index in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
        if (key := KEY_LINE.match(lines[index])) and key[1] in SCHEMA:
            return index + first
    return None


KEY_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")
