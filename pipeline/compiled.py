"""What Python compiles on every start, compiled once per machine: the
methods @dataclass writes and the regular expressions the libraries build.

For each dataclass, `dataclasses` writes the source of `__init__`,
`__repr__`, `__eq__` … and compiles it: some 300 functions, 116 ms of
loading the model. Every regular expression is parsed and compiled by `re`,
in Python: Python-Markdown's, pymdownx's, Jinja's, PyYAML's and ours, about
280 of them, a third of an HTML-only build. Both depend only on their text,
so their compiled form is kept in the cache folder (one file, named for the
Python that made it) and used again: the classes and patterns are the same,
only the compiling is skipped.

Author text never reaches the file: a pattern is kept only when it was
compiled while a module was being imported, or inside `recording()` (where
Python-Markdown and Jinja are set up, from our settings alone); one made
from a briefing's words (its abbreviations) is compiled as usual, and
forgotten. The file is code the process runs, like Python's own .pyc files
and Jinja's bytecode cache beside it: it is the user's own cache folder.

`install` hooks into `dataclasses` and `re` only on the Pythons whose
internals it was written for (3.11 to 3.13), and checks that a pattern it
compiles equals the one `re` compiles; elsewhere everything stays as it was.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # re's engine, which takes the compiled program
import array
import builtins
import contextlib
import dataclasses
import marshal
import os
import sys
import types
from collections.abc import Iterator
from typing import Any

# 3: each entry's value marshalled on its own, read when first used: a
# process uses a few hundred of the 2,000 kept (2.7 MB), and reading them
# all took 5 ms of every start, before the PDF worker forks.
FILE = f"compiled-3-{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"
MOST = 5000  # kept entries of a kind; past that, only those this process used

# Values as read from the file (bytes, marshalled) until first used.
methods: dict[str, types.CodeType | bytes] = {}  # dataclass method source -> code
patterns: dict[tuple, tuple | bytes] = {}  # (pattern, flags) -> what _sre.compile takes
used: set = set()
new = 0  # entries compiled by this process, not in the file yet
depth = 0  # of recording()


def install() -> None:
    """From now on, compile dataclass methods and patterns through the cache."""
    if getattr(dataclasses, "exec", None) is cached_exec or not (3, 11) <= sys.version_info[:2] <= (3, 13):
        return
    load()
    if hasattr(dataclasses, "_create_fn") or hasattr(dataclasses, "_FuncBuilder"):
        dataclasses.exec = cached_exec  # type: ignore[attr-defined]
    from re import _compiler  # type: ignore[attr-defined]
    if regex_fits(_compiler):
        _compiler.compile = cached_compile


def load() -> None:
    folder = cache_folder()
    if folder is None:
        return
    try:
        with open(os.path.join(folder, FILE), "rb") as file:
            kept = marshal.loads(file.read())  # marshal.load(file) reads in small pieces: 8 times slower
        for mine, theirs in ((methods, kept["methods"]), (patterns, kept["patterns"])):
            for key, value in theirs.items():
                mine.setdefault(key, value)
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        pass  # none yet, or unreadable: compile as usual


# Dataclasses ------------------------------------------------------------------

def cached_exec(source, globals=None, locals=None, /):
    """`dataclasses` calls `exec(text, globals, namespace)` by its module's
    global name: the kept code for a known text."""
    global new
    if type(source) is str:
        code = methods.get(source)
        if isinstance(code, bytes):  # kept, not used yet
            code = methods[source] = marshal.loads(code)
        elif code is None:
            code = methods[source] = compile(source, "<string>", "exec")
            new += 1
        used.add(source)
        source = code
    return builtins.exec(source, globals, locals)


# Regular expressions -----------------------------------------------------------

def cached_compile(pattern, flags=0):
    """re._compiler.compile: the parsed program of a known pattern, given
    to _sre.compile as `re` gives it."""
    global new
    if not isinstance(pattern, (str, bytes)) or flags & 128:  # re.DEBUG prints as it compiles
        return REAL_COMPILE(pattern, flags)
    key = (pattern, int(flags))
    parts = patterns.get(key)
    if isinstance(parts, bytes):  # kept, not used yet
        parts = patterns[key] = marshal.loads(parts)
    elif parts is None:
        parts = program(pattern, flags)
        if depth or importing():
            patterns[key] = parts
            new += 1
    used.add(key)
    return compiled_from(pattern, parts)


def compiled_from(pattern, parts: tuple):
    """The pattern, from what `program` made of it."""
    final_flags, code, groups, groupindex, indexgroup = parts
    words = array.array("I")
    words.frombytes(code)
    return _sre.compile(pattern, final_flags, words.tolist(), groups, groupindex, indexgroup)


def program(pattern, flags) -> tuple:
    """What re._compiler.compile gives _sre.compile besides the pattern
    (3.11 to 3.13), the program as the bytes of its 32-bit words: a list of
    ints is ten times slower to load."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = array.array("I", _compiler._code(parsed, flags)).tobytes()
    groupindex = {str(name): int(index) for name, index in parsed.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def regex_fits(compiler: Any) -> bool:
    """Whether `program` makes what `re` makes, here."""
    global REAL_COMPILE
    REAL_COMPILE = compiler.compile
    try:
        sample = r"(?P<word>\w+)\s*(?:=|:)\s*(?P<value>[^;]*?)(?:;|$)"
        if array.array("I").itemsize != _sre.CODESIZE:
            return False
        return all(compiled_from(p, program(p, f)) == REAL_COMPILE(p, f)
                   for p, f in ((sample, 0), (sample, 2), (b"ab+c", 0)))
    except Exception:  # noqa: BLE001 - any difference: leave `re` alone
        return False


REAL_COMPILE: Any = None


def importing() -> bool:
    """Whether a module is being imported (its patterns are the module's
    own, never a briefing's words)."""
    frame: types.FrameType | None = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib._bootstrap"):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Keep the patterns compiled inside: for setting up a library from our
    own settings, never for work on a briefing's text."""
    global depth
    depth += 1
    try:
        yield
    finally:
        depth -= 1


# The file ------------------------------------------------------------------------

def save() -> None:
    """Keep what this process compiled, for the next; quietly nothing when
    there is nothing new or no cache folder."""
    global new
    if not new or (folder := cache_folder()) is None:
        return
    from pipeline import cache

    load()  # what another process (the PDF worker) kept meanwhile, kept too
    try:
        data = marshal.dumps({"methods": each_marshalled(trimmed(methods)),
                              "patterns": each_marshalled(trimmed(patterns))})
    except ValueError:  # an object marshal cannot write
        return
    if cache.keep(os.path.join(folder, FILE), data):
        new = 0


def each_marshalled(entries: dict) -> dict:
    return {key: value if isinstance(value, bytes) else marshal.dumps(value) for key, value in entries.items()}


def trimmed(entries: dict) -> dict:
    return entries if len(entries) <= MOST else {key: entries[key] for key in entries if key in used}


def cache_folder() -> str | None:
    from pipeline import cache
    folder = cache.folder("python")
    return str(folder) if folder is not None else None
