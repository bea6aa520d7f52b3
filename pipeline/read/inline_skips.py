"""Python-Markdown's inline patterns skipped on text they cannot match.

Python-Markdown tries each of its inline patterns (some 25 with ours and
pymdownx's) on every run of text, one after another, each a call through
its registry and a regular-expression search: half of reading a briefing
(60 ms of the 71-page one), though most text holds no backtick, bracket,
asterisk, tilde or angle bracket at all. Every pattern's expression has a
part each match must go through that is one of a few known characters
(`` ` `` for code, `[` for a link, `*` or `_` for emphasis): where the text
holds none of them, the pattern cannot match, and is passed over as if it
had not matched. The characters are read from the compiled expression
itself (`required`), never listed by hand; a pattern whose expression
gives none, or that ignores case, is always tried.

What each pattern needs is gathered once a run of the inline processor
(`Prepared`, made as `run` starts), as bits: a text's characters then give
in one look which patterns are worth trying, where the loop went through
all 25 for every text; a long text is searched for each needed character
(memchr) rather than hashed a character at a time. The 24 public
documents of tests/corpus and the 71-page benchmark briefing read in 177 ms
where they took 222 (the block processors' first looks, read/markdown.py
and read/tables.py, took their part).

`install` replaces the inline processor's private loop over the patterns
(`__handleInline`) with one that does the same, checks first; only for the
version of Python-Markdown it was written for (pyproject.toml pins it), and
otherwise leaves it as it is: reading is then slower, not different.
"""

from __future__ import annotations

import functools
import inspect
import re
from typing import Literal
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

WRITTEN_FOR = "3.11.3"
LARGEST_SET = 64  # characters of a class [...] worth checking for
NAME = "_InlineProcessor__handleInline"  # name-mangled
installed = False
original = None  # Python-Markdown's loop, once replaced


def install() -> bool:
    """Whether Python-Markdown's loop is (now) ours."""
    global installed, original
    if installed:
        return True
    import markdown
    from markdown import treeprocessors, util

    processor = treeprocessors.InlineProcessor
    loop = getattr(processor, NAME, None)
    code = getattr(loop, "__code__", None)
    run = inspect.unwrap(processor.run)  # Python-Markdown's, should this be a second install
    if (markdown.__version__ != WRITTEN_FOR or code is None
            or code.co_varnames[:code.co_argcount] != ("self", "data", "patternIndex")
            or NAME not in getattr(run, "__code__", code).co_names  # the run calls the loop
            or not {"inlinePatterns", "_InlineProcessor__applyPattern", "AtomicString"} <= set(code.co_names)):
        return False
    atomic = util.AtomicString

    @functools.wraps(run)
    def run_prepared(self, *args, **kwargs):
        # The registry sorted and its patterns looked at once a run, not once a text.
        self.__dict__[PREPARED] = Prepared(list(self.inlinePatterns))
        try:
            return run(self, *args, **kwargs)
        finally:
            self.__dict__.pop(PREPARED, None)

    def handle_inline(self, data: str, patternIndex: int = 0) -> str:
        """Python-Markdown's loop, which passes over a pattern that cannot
        match `data` as it does one that did not."""
        if isinstance(data, atomic):
            return data
        prepared = self.__dict__.get(PREPARED) or Prepared(list(self.inlinePatterns))
        patterns, count = prepared.patterns, len(prepared.patterns)
        apply = self._InlineProcessor__applyPattern
        start = 0
        tried = prepared.tried(data)  # a bit for each pattern that may match
        while patternIndex < count:
            ahead = tried >> patternIndex
            if not ahead:
                break  # none of the rest can match
            if skip := (ahead & -ahead).bit_length() - 1:
                patternIndex, start = patternIndex + skip, 0  # passed over as not matching
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if matched:
                tried = prepared.tried(data)  # a match changes the text
            else:
                patternIndex += 1
        return data

    original = loop
    setattr(processor, NAME, handle_inline)
    processor.run = run_prepared
    installed = True
    return True


PREPARED = "_briefing_prepared"


class Prepared:
    """A run's patterns, in order, with what each needs as bits: those
    always tried, and for each needed character the patterns it lets in."""

    def __init__(self, patterns: list) -> None:
        self.patterns = patterns
        self.always = 0
        self.letting: dict[str, int] = {}
        for index, pattern in enumerate(patterns):
            if needs := needed(pattern):
                for character in needs:
                    self.letting[character] = self.letting.get(character, 0) | 1 << index
            else:
                self.always |= 1 << index
        self.characters = frozenset(self.letting)

    def tried(self, data: str) -> int:
        """The patterns that may match `data`, as bits."""
        bits = self.always
        if len(data) < SHORT:
            for character in self.characters.intersection(data):
                bits |= self.letting[character]
            return bits
        for character, letting in self.letting.items():  # a search per character: memchr
            if character in data:
                bits |= letting
        return bits


# Below this length, hashing each character of a text is quicker than
# looking for each needed character in it (some 20 of them, 0.5 µs).
SHORT = 48


def needed(pattern) -> frozenset[str]:
    """The characters one of which each match of `pattern` holds (empty:
    not known), worked out once per pattern object."""
    try:
        return pattern.__dict__["_briefing_needs"]
    except KeyError:
        pass
    compiled = pattern.getCompiledRegExp()
    needs = required(compiled.pattern, compiled.flags) if isinstance(compiled.pattern, str) else frozenset()
    pattern.__dict__["_briefing_needs"] = needs
    return needs


@functools.lru_cache(maxsize=256)  # each document's patterns are new objects, their expressions not
def required(expression: str, flags: int = 0) -> frozenset[str]:
    """A set of characters such that every match of `expression` contains
    one of them; empty when the expression gives none (or ignores case,
    where a letter stands for others)."""
    if flags & re.IGNORECASE:
        return frozenset()
    try:
        parsed = _parser.parse(expression, flags)
    except re.error:
        return frozenset()
    if parsed.state.flags & re.IGNORECASE:
        return frozenset()
    return in_sequence(list(parsed)) or frozenset()


def in_sequence(items) -> frozenset[str] | None:
    """From the first element of a sequence that every match goes through
    and whose characters are known."""
    for op, value in items:
        found = in_element(op, value)
        if found is False:
            return None  # ignores case within: nothing is known
        if found:
            return found
    return None


def in_element(op, value) -> frozenset[str] | None | Literal[False]:
    """The characters one of which a match of this element holds; None when
    it may match nothing or its characters are not known; False when case
    is ignored inside it."""
    if op is sre.LITERAL:
        return frozenset(chr(value))
    if op is sre.IN:
        return in_class(value)
    if op is sre.BRANCH:
        alternatives = [in_sequence(list(branch)) for branch in value[1]]
        if all(alternatives):
            return frozenset().union(*alternatives)  # type: ignore[arg-type]
        return None
    if op is sre.SUBPATTERN:
        _, add_flags, _, sequence = value
        if add_flags & re.IGNORECASE:
            return False
        return in_sequence(list(sequence))
    if op is sre.ATOMIC_GROUP:
        return in_sequence(list(value))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, _, sequence = value
        return in_sequence(list(sequence)) if least >= 1 else None
    return None  # assertions, anchors, any character, categories, back references


def in_class(items) -> frozenset[str] | None:
    """The characters of a class like [*_] or [a-c]; None for a negated or
    large one, or one with categories (\\w)."""
    characters: set[str] = set()
    for op, value in items:
        if op is sre.LITERAL:
            characters.add(chr(value))
        elif op is sre.RANGE and value[1] - value[0] < LARGEST_SET:
            characters.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None
    return frozenset(characters) if 0 < len(characters) <= LARGEST_SET else None
