"""The font file fontconfig gives for a pattern, as `fc-match -f %{file}`
prints it, asked of fontconfig's library in this process.

`fc-match` is a process of its own for each question, about 4 ms each; a PDF
asks two (the running head's face, and its bold) before its print job can
go to the typesetter. In this process the library loads and reads its
configuration once (about 5 ms, then 0.2 ms a question, and nothing more in
a warm process). The calls are fc-match's own: parse the pattern, apply the
configuration's and the default substitutions, match. Without the library
(another system), the command is asked as before.
"""

from __future__ import annotations

import ctypes
import functools
import os
import subprocess
from typing import Any

LIBRARY = "libfontconfig.so.1"  # its soname since fontconfig 2.0
MATCH_PATTERN = 0  # FcMatchPattern: substitutions for a pattern to match
RESULT_MATCH = 0  # FcResultMatch


def font_file(pattern: str) -> str:
    """The file of the font that best matches `pattern` (fontconfig's
    syntax, `Noto Sans:weight=bold`). OSError or SubprocessError when
    fontconfig gives none."""
    loaded = library()
    if loaded is None:
        return subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
    fc, config = loaded
    wanted = fc.FcNameParse(pattern.encode("utf-8"))
    if not wanted:
        raise OSError(f"fontconfig cannot read the pattern {pattern!r}")
    try:
        fc.FcConfigSubstitute(config, wanted, MATCH_PATTERN)
        fc.FcDefaultSubstitute(wanted)
        result = ctypes.c_int()
        found = fc.FcFontMatch(config, wanted, ctypes.byref(result))
        if not found:
            raise OSError(f"fontconfig has no font for {pattern!r}")
        try:
            file = ctypes.c_char_p()
            if fc.FcPatternGetString(found, b"file", 0, ctypes.byref(file)) != RESULT_MATCH or not file.value:
                raise OSError(f"fontconfig's font for {pattern!r} has no file")
            return os.fsdecode(file.value)
        finally:
            fc.FcPatternDestroy(found)
    finally:
        fc.FcPatternDestroy(wanted)


@functools.cache
def library() -> tuple[Any, int] | None:
    """fontconfig's library and its configuration, loaded once; None
    where it is not there (the command is asked instead)."""
    try:
        fc = ctypes.CDLL(LIBRARY)
    except OSError:
        return None
    pointer = ctypes.c_void_p
    fc.FcInitLoadConfigAndFonts.restype = pointer
    fc.FcInitLoadConfigAndFonts.argtypes = []
    fc.FcNameParse.restype = pointer
    fc.FcNameParse.argtypes = [ctypes.c_char_p]
    fc.FcConfigSubstitute.restype = ctypes.c_int
    fc.FcConfigSubstitute.argtypes = [pointer, pointer, ctypes.c_int]
    fc.FcDefaultSubstitute.restype = None
    fc.FcDefaultSubstitute.argtypes = [pointer]
    fc.FcFontMatch.restype = pointer
    fc.FcFontMatch.argtypes = [pointer, pointer, ctypes.POINTER(ctypes.c_int)]
    fc.FcPatternGetString.restype = ctypes.c_int
    fc.FcPatternGetString.argtypes = [pointer, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    fc.FcPatternDestroy.restype = None
    fc.FcPatternDestroy.argtypes = [pointer]
    config = fc.FcInitLoadConfigAndFonts()
    return (fc, config) if config else None
