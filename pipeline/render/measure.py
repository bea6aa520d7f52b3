"""Text widths from the fonts themselves, for the few layout decisions a
backend makes before (or instead of) a typesetter: where a running head is
shortened so it stays on one line, how wide a table's columns want to be,
and where a Word file's pages will break, so its contents list shows page
numbers before Word has paginated it.

A face's advance widths are read once with fontTools and kept, as JSON, in
the cache folder (keyed by the font file's size and time); later builds
read 2,000 widths in a millisecond and never import fontTools. Which file
fontconfig gives for a family is kept there too, as long as fontconfig's
setup is unchanged: asking `fc-match` took 5 ms of every DOCX, on the
way to its first page. A family fontconfig cannot find is measured with a
typical width, 0.5 em a letter.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from pipeline import cache

TYPICAL = 0.5  # em: an average letter of a Latin text face


@dataclass(frozen=True)
class Face:
    advances: Mapping[int, float]  # code point -> advance width in em
    line: float = 1.362  # Word's single line: win ascent plus descent, in em (Noto's)

    def width(self, text: str, size: float, letter_spacing: float = 0) -> float:
        """The width of `text` set in `size` points, in points."""
        return sum(self.advances.get(ord(c), TYPICAL) + letter_spacing for c in text) * size


FALLBACK = Face(advances={32: 0.26})


@functools.cache
def face(family: str, bold: bool = False, italic: bool = False) -> Face:
    """The face fontconfig gives for `family`, or a typical one."""
    pattern = f"{family}:weight={'bold' if bold else 'regular'}:slant={'italic' if italic else 'roman'}"
    try:
        path = font_file(pattern)
        stat = os.stat(path)
    except (OSError, subprocess.SubprocessError):
        return FALLBACK
    key = hashlib.sha256(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:20]
    where = cache.folder("fonts")
    kept = where / f"{key}.json" if where else None
    if kept:
        try:
            data = json.loads(kept.read_text(encoding="utf-8"))
            return Face(advances={int(k): v for k, v in data["advances"].items()}, line=data["line"])
        except (OSError, ValueError, KeyError):
            pass  # none yet, or unreadable: read the font
    try:
        measured = read_face(path)
    except Exception:  # noqa: BLE001 - a font fontTools cannot read: measure typically
        return FALLBACK
    if kept:
        try:
            temp = kept.with_suffix(f".{os.getpid()}.tmp")
            temp.write_text(json.dumps({"advances": measured.advances, "line": measured.line}),
                            encoding="utf-8")
            os.replace(temp, kept)
        except OSError:
            pass
    return measured


# What fontconfig reads, and where fonts are installed: when one of these
# changes (a font installed, fc-cache run after a package's, a setting
# changed), its answers are asked again. Not the user's own fontconfig
# cache: fontconfig itself writes it, after the user's font folders changed.
FONTCONFIG_PLACES = ("/etc/fonts", "/etc/fonts/conf.d", "/usr/share/fonts", "/usr/local/share/fonts",
                     "/var/cache/fontconfig", "~/.fonts", "~/.fonts.conf")
XDG_PLACES = (("XDG_DATA_HOME", "~/.local/share", "fonts"), ("XDG_CONFIG_HOME", "~/.config", "fontconfig"))


def font_file(pattern: str) -> str:
    """The font file fontconfig matches to `pattern`, as `fc-match` says,
    kept for as long as fontconfig's setup is unchanged."""
    state = fontconfig_state()
    where = cache.folder("fonts")
    kept = where / "matches.json" if where else None
    answers: dict[str, str] = {}
    if kept:
        try:
            data = json.loads(kept.read_text(encoding="utf-8"))
            answers = data["answers"] if data["state"] == state else {}
        except (OSError, ValueError, KeyError, TypeError):
            pass  # none yet, or unreadable: ask fontconfig
    path = answers.get(pattern)
    if isinstance(path, str) and os.path.isfile(path):
        return path
    path = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True,
                          text=True, timeout=10, check=True).stdout.strip()
    if kept and path:
        cache.keep(kept, json.dumps({"state": state, "answers": {**answers, pattern: path}}).encode())
    return path


def fontconfig_state() -> str:
    """The modification times of what fontconfig reads: its settings and
    caches, and the folders fonts are installed in."""
    places = [os.path.expanduser(place) for place in FONTCONFIG_PLACES]
    places += [os.path.join(os.environ.get(name) or os.path.expanduser(default), leaf)
               for name, default, leaf in XDG_PLACES]
    settings = [os.environ.get(name, "") for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT")]
    places += [place for value in settings for place in value.split(os.pathsep) if place]
    return json.dumps([settings, [[place, modified(place)] for place in places]])


def modified(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def read_face(path: str) -> Face:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        units = font["head"].unitsPerEm
        metrics = font["hmtx"]
        advances = {code: metrics[glyph][0] / units
                    for code, glyph in font.getBestCmap().items() if code < 0x3000}
        os2 = font["OS/2"]
        return Face(advances=advances, line=(os2.usWinAscent + os2.usWinDescent) / units)


def first_family(stack: str) -> str:
    """The first family of a CSS font-family list: `"Noto Sans", Arial` -> Noto Sans."""
    return stack.split(",")[0].strip().strip("\"'") or "serif"


def shorten(text: str, width: float, face: Face, size: float) -> str:
    """`text` as it fits on one line `width` points wide: whole, or cut after
    its last whole word that fits, with an ellipsis; "" when not even one
    word fits."""
    text = " ".join(text.split())
    if face.width(text, size) <= width:
        return text
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[:count]).rstrip(",;:–—-") + "…"
        if face.width(candidate, size) <= width:
            return candidate
    return ""
