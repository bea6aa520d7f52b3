"""Whether a patch to WeasyPrint's, pydyf's or pyphen's internals still fits
what is installed, as a Sphinx extension calls `require_sphinx()`.

Our patches replace private functions. Were one renamed upstream, the patch
would fail on every PDF with an AttributeError; were its signature changed,
somewhere in the middle of a layout. So each patch says which versions it
was written for (pyproject.toml pins the same ones, and
tests/test_versions.py holds the two together) and what it reaches into,
and checks both before it changes anything. One that does not fit is left
out, the PDF is made without it, and its warning says what the PDF goes
without.
"""

from __future__ import annotations

import functools
import inspect
import pkgutil
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata


@functools.cache  # a look through sys.path: once per process and package
def installed(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


@dataclass(frozen=True)
class Need:
    """An attribute of a module or class that a patch replaces or leans on."""
    owner: str  # "package.module" or "package.module:Class"
    name: str
    # Its parameters, by name, where it is called or replaced; None: not checked.
    parameters: tuple[str, ...] | None = None
    # Names its code refers to: the global we replace, for instance, so the
    # caller still calls what we put there.
    uses: tuple[str, ...] = ()
    # Attributes it must have (the fields of a named tuple we read).
    has: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A patch left out, as the PDF's warning tells it."""
    patch: str
    why: str
    cost: str

    def __str__(self) -> str:
        return f"skipped the {self.patch} patch ({self.why}): {self.cost}"


@dataclass
class Patch:
    """One patch: its name in warnings, the versions it was written for, what
    it reaches into, what a PDF goes without when it is skipped, and, once
    applied, what it replaced."""
    name: str
    written_for: Mapping[str, str]
    needs: tuple[Need, ...]
    cost: str
    replaced: list[tuple[object, str, object]] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return bool(self.replaced)

    def check(self) -> Skipped | None:
        """Why the patch does not fit what is installed; None when it does."""
        why = self.misfit()
        return Skipped(self.name, why, self.cost) if why else None

    def misfit(self) -> str | None:
        for distribution, version in self.written_for.items():
            found = installed(distribution)
            if found != version:
                return f"written for {distribution} {version}, found {found or 'none'}"
        return next(filter(None, map(unmet, self.needs)), None)

    def replace(self, owner: object, name: str, new: object) -> None:
        self.replaced.append((owner, name, getattr(owner, name)))
        setattr(owner, name, new)


def unmet(need: Need) -> str | None:
    """What about `need` no longer holds, or None."""
    where = f"{need.owner.replace(':', '.')}.{need.name}"
    try:
        owner = pkgutil.resolve_name(need.owner)
    except (ImportError, AttributeError, ValueError):
        return f"{need.owner.replace(':', '.')} is gone"
    try:
        # Static: a property's function rather than a call to it.
        thing = inspect.getattr_static(owner, need.name)
    except AttributeError:
        return f"{where} is gone"
    if isinstance(thing, property):
        thing = thing.fget
    elif isinstance(thing, (staticmethod, classmethod)):
        thing = thing.__func__
    if need.parameters is not None:
        if not callable(thing):
            return f"{where} is not callable"
        try:
            parameters = tuple(inspect.signature(thing).parameters)
        except (TypeError, ValueError):
            return f"{where} has no signature to check"
        if parameters != need.parameters:
            return f"{where} takes ({', '.join(parameters)}), not ({', '.join(need.parameters)})"
    if need.uses:
        code = getattr(inspect.unwrap(thing), "__code__", None)
        known = names_in(code) if isinstance(code, types.CodeType) else set()
        if missing := [name for name in need.uses if name not in known]:
            return f"{where} no longer uses {', '.join(missing)}"
    if missing := [name for name in need.has if not hasattr(thing, name)]:
        return f"{where} has no {', '.join(missing)}"
    return None


def names_in(code: types.CodeType) -> set[str]:
    """The global and attribute names a function's code refers to, its
    nested functions' and comprehensions' included."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= names_in(constant)
    return names
