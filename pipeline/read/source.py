"""Read a source file into text we can trust."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.problems import BriefingError

MAX_BYTES = 10 * 1024 * 1024  # a briefing is text; 10 MB is far past any real one


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    name: str  # how the user named the file, for messages
    text: str
    lines: tuple[str, ...]

    def error(self, line: int | None, message: str, code: str) -> BriefingError:
        return BriefingError.one(self.name, line, code, message)


def read_source(path: Path, name: str | None = None) -> Source:
    name = name or str(path)
    try:
        if not path.is_file():
            raise BriefingError.one(name, None, "source.missing",
                                   "not a file" if path.exists() else "no such file")
        if path.stat().st_size > MAX_BYTES:
            raise BriefingError.one(name, None, "source.too-large", f"larger than the {MAX_BYTES // 2**20} MB limit for a source")
        data = path.read_bytes()
    except OSError as error:
        raise BriefingError.one(name, None, "source.unreadable", f"cannot read: {error.strerror}") from None
    return Source(path=path, name=name, text=(text := decode(data, name)),
                  lines=tuple(text.split("\n")))


def decode(data: bytes, name: str) -> str:
    """UTF-8 text without a BOM, with `\\n` line ends, only characters XML
    allows and none of the Private Use Area."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BriefingError.one(name, line, "source.encoding", f"not UTF-8: invalid byte 0x{data[error.start]:02x}; "
                            "save the file as UTF-8") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    check_characters(text, name)
    if found := PRIVATE_USE.search(text):
        line = text.count("\n", 0, found.start()) + 1
        raise BriefingError.one(name, line, "source.character",
                                f"character U+{ord(found[0]):04X} is for private use, which has no "
                                "meaning outside one font; it is not allowed in a briefing")
    return text


# The reader marks source lines with these characters (pipeline/read/markdown.py);
# refused here, so that no author text can forge a mark.
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")

# What XML 1.0 (and so DOCX and PDF metadata) cannot carry.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_characters(text: str, name: str, first_line: int = 1) -> None:
    """Raise at the first character no output format can carry."""
    if (match := XML_INVALID.search(text)) is None:
        return
    index = match.start()
    line = first_line + text.count("\n", 0, index)
    char = text[index]
    label = f"U+{ord(char):04X}" + (f" {unicodedata.name(char)}" if unicodedata.name(char, "") else "")
    raise BriefingError.one(name, line, "source.character", f"character {label} is not allowed in a briefing")
