"""WeasyPrint's C declarations (Pango, HarfBuzz, fontconfig) parsed once per
machine, not on every PDF build.

WeasyPrint declares some 450 lines of C to cffi in its `text/ffi.py`, and
cffi parses them with pycparser as WeasyPrint loads (25 ms), then parses a
type again, with all those declarations before it, for each kind of C
object WeasyPrint first allocates (`ffi.new("PangoRectangle *")`: 2 ms each,
16 of them in the sample's PDF). Both are on the PDF's critical path.

cffi's "out-of-line" mode keeps the parsed declarations as data, from which
its C code makes each type when first asked. We make that data from
WeasyPrint's own declarations (read from its source, not run), keep it in
the cache folder, named for a hash of that source, cffi's version and
Python's, and hand WeasyPrint an FFI made from it while it loads. Its
`cdef` checks that the declarations it is given are the ones the data was
made from; when not (the source changed under us), WeasyPrint is loaded
again the usual way (typeset.import_quickly).
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import io
import marshal
import sys
from collections.abc import Iterator
from importlib import util
from pathlib import Path
from typing import Any

from pipeline import cache
from pipeline.weasy.versions import Patch, installed

# The keyword arguments of cffi's out-of-line FFI are its own (cffi's
# recompiler writes them); written for this version, pinned in pyproject.toml.
PATCH = Patch("prepared C declarations", written_for={"cffi": "2.1.1"}, needs=(),
              cost="each PDF build parses WeasyPrint's C declarations again (about 50 ms)")
DECLARING_MODULE = "weasyprint.text.ffi"
PREPARED_NAME = "_briefing_weasyprint"


class Unprepared(ImportError):
    """WeasyPrint declared other C than the prepared data holds."""


@contextlib.contextmanager
def prepared() -> Iterator[None]:
    """While inside, WeasyPrint's `cffi.FFI()` is an FFI made from the
    prepared declarations; anyone else's is cffi's own. Nothing changes
    where the data cannot be had."""
    data = None if PATCH.check() else load_or_make()
    if data is None:
        yield
        return
    import cffi

    real = cffi.FFI
    digest, args, kwargs = data

    def ffi_for_caller(*given: Any, **named: Any):
        if given or named or sys._getframe(1).f_globals.get("__name__") != DECLARING_MODULE:
            return real(*given, **named)
        return prepared_ffi(digest)(*args, **kwargs)

    cffi.FFI = ffi_for_caller
    try:
        yield
    finally:
        cffi.FFI = real


def prepared_ffi(digest: str):
    """The class of an FFI made from data for the declarations `digest`."""
    import _cffi_backend  # cffi's C half

    class PreparedFFI(_cffi_backend.FFI):
        def cdef(self, source: str, *more: Any, **named: Any) -> None:
            if more or named or source_digest(source) != digest:
                raise Unprepared("WeasyPrint declares other C than was prepared")

    return PreparedFFI


def load_or_make() -> tuple[str, tuple, dict] | None:
    """(the declarations' digest, the FFI's arguments, keyword arguments):
    from the cache folder, else made and kept there; None when WeasyPrint's
    declarations cannot be found or read."""
    source_file = declaring_file()
    if source_file is None:
        return None
    try:
        text = source_file.read_bytes()
    except OSError:
        return None
    key = hashlib.sha256(text + f"{installed('cffi')} {sys.implementation.cache_tag}".encode()).hexdigest()
    folder = cache.folder("weasyprint")
    kept = folder / f"declarations-{key[:32]}.marshal" if folder else None
    if kept:
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            return checked(marshal.loads(kept.read_bytes()))
    data = made(text)
    if data and kept:
        cache.keep(kept, marshal.dumps(data))
    return data


def declaring_file() -> Path | None:
    spec = util.find_spec("weasyprint")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "text" / "ffi.py"


def made(text: bytes) -> tuple[str, tuple, dict] | None:
    """The out-of-line FFI's arguments for the C that `text` (WeasyPrint's
    ffi.py) declares in its one `ffi.cdef("...")`, as cffi's recompiler
    writes them into a module."""
    source = declared_source(text)
    if source is None:
        return None
    import cffi

    builder = cffi.FFI()
    try:
        builder.cdef(source)
        builder.set_source(PREPARED_NAME, None)
        module = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating …"
            builder.emit_python_code(module)
        call = next(node for node in ast.walk(ast.parse(module.getvalue())) if isinstance(node, ast.Call))
        args = tuple(ast.literal_eval(argument) for argument in call.args)
        kwargs = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    except (cffi.CDefError, StopIteration, ValueError, SyntaxError):
        return None
    return checked((source_digest(source), args, kwargs))


def declared_source(text: bytes) -> str | None:
    """The string of the file's only `ffi.cdef(...)` call."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and node.func.attr == "cdef"]
    if len(calls) != 1 or len(calls[0].args) != 1 or calls[0].keywords:
        return None
    argument = calls[0].args[0]
    return argument.value if isinstance(argument, ast.Constant) and isinstance(argument.value, str) else None


def source_digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def checked(data: Any) -> tuple[str, tuple, dict]:
    """`data` if it has the shape we keep; TypeError otherwise (a damaged
    or foreign file in the cache folder)."""
    digest, args, kwargs = data
    if not (isinstance(digest, str) and isinstance(args, tuple) and isinstance(kwargs, dict)
            and all(isinstance(name, str) for name in kwargs)):
        raise TypeError("not prepared declarations")
    return digest, args, kwargs
