"""The methods @dataclass writes, compiled once per machine, not once per run.

For each class, `dataclasses` writes the source of `__init__`, `__repr__`,
`__eq__`, `__hash__`, `__setattr__` … as text and compiles it: some 300
functions for the model and the rest of the pipeline, a third of loading the
model and 40 ms of every command's start, on the critical path of a short
build. The text depends only on the class's fields and options, so the
compiled code is kept in the cache folder, keyed by that text (and the
Python version, in the file's name), and `exec` of a known text runs the
kept code. The classes are the same, method for method: only the compiling
is skipped.

`dataclasses` calls `exec(text, globals, namespace)` by its module-global
name; `install` puts ours there, only on the Pythons whose `dataclasses`
does so (3.11 to 3.13), and leaves everything as it was elsewhere.
"""

from __future__ import annotations

import builtins
import dataclasses
import marshal
import os
import sys
import types

FILE = f"dataclasses-{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"
MOST = 5000  # kept texts; past that, only those this process used

known: dict[str, types.CodeType] = {}
used: set[str] = set()
compiled: dict[str, types.CodeType] = {}  # this process's, not in the file yet


def install() -> None:
    """Compile dataclass methods through the cache from now on."""
    if getattr(dataclasses, "exec", None) is cached_exec or not fits():
        return
    folder = cache_folder()
    if folder is not None:
        try:
            with open(os.path.join(folder, FILE), "rb") as file:
                loaded = marshal.load(file)
            if isinstance(loaded, dict):
                known.update(loaded)
        except (OSError, EOFError, ValueError, TypeError):
            pass  # none yet, or unreadable: compile as usual
    dataclasses.exec = cached_exec  # type: ignore[attr-defined]


def fits() -> bool:
    """Whether `dataclasses` compiles its methods with `exec` of a text, as
    3.11 to 3.13 do."""
    return (3, 11) <= sys.version_info[:2] <= (3, 13) and (
        hasattr(dataclasses, "_create_fn") or hasattr(dataclasses, "_FuncBuilder"))


def cached_exec(source, globals=None, locals=None, /):
    if type(source) is str:
        code = known.get(source)
        if code is None:
            code = compiled[source] = known[source] = compile(source, "<string>", "exec")
        used.add(source)
        source = code
    return builtins.exec(source, globals, locals)


def save() -> None:
    """Keep what this process compiled, for the next; quietly nothing when
    there is nothing new or no cache folder."""
    if not compiled or (folder := cache_folder()) is None:
        return
    import tempfile

    kept = known if len(known) <= MOST else {text: known[text] for text in used}
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{FILE}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            marshal.dump(kept, file)
        os.replace(temp, os.path.join(folder, FILE))  # whole or not at all, beside other processes'
    except OSError:
        os.unlink(temp)
        return
    compiled.clear()


def cache_folder() -> str | None:
    from pipeline import cache
    folder = cache.folder("python")
    return str(folder) if folder is not None else None
