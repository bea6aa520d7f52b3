"""Modules a library imports and a build does not use, left unloaded: a
placeholder stands in the library's namespace and imports the real module
the first time anything of it is used. weasy/typeset.py defers fontTools'
subsetter, read/__init__.py the half of urllib that pymdownx names.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator, Mapping
from contextlib import contextmanager


@contextmanager
def deferred(modules: Mapping[str, tuple[str, ...]]) -> Iterator[None]:
    """While inside, importing one of `modules` (by name, with the
    functions the importer takes from it by name) gives a placeholder;
    afterwards, those who import them get the real modules."""
    placeholders = {name: Deferred(name, names) for name, names in modules.items()
                    if name not in sys.modules}
    sys.modules.update(placeholders)
    try:
        yield
    finally:
        for name, placeholder in placeholders.items():
            if sys.modules.get(name) is placeholder:
                del sys.modules[name]


class Deferred(types.ModuleType):
    """Stands for a module until one of its attributes is read, or one of
    `functions` is called: the real module is imported then, and answers."""

    def __init__(self, name: str, functions: tuple[str, ...]) -> None:
        super().__init__(name)
        for function in functions:
            setattr(self, function, self.later(function))

    def later(self, function: str):
        def call(*args, **kwargs):
            return getattr(self.real(), function)(*args, **kwargs)
        return call

    def real(self) -> types.ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)

    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import system asking (`__path__`): not a use
            raise AttributeError(name)
        return getattr(self.real(), name)
