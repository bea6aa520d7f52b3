"""`briefing import`: a Word file back into briefing Markdown.

A new stage beside the reader of Markdown, and its mirror: it reads a DOCX
(ours, reviewed in Word, or anyone's) and writes the Markdown a briefing
is written in, which the build then reads as any source.

  package.py    the DOCX opened as untrusted input: zip and XML checked
  reader.py     Word's XML -> the import tree (tree.py): paragraphs, runs,
                fields, notes, comments, pictures (media.py), formulas (omml.py)
  changes.py    tracked changes listed, accepted, rejected or kept
  structure.py  the flat paragraphs nested again: lists, quotes, notes, divs
  meta.py       the front matter, from the document properties and the page
  inline.py, markdown.py   the Markdown written
  against.py    the import as a small diff against the current source

It sits above render/ (it reads what render/docx/ writes: its style names,
bookmark names and import hints) and below run/, which writes the files.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.docx_import import changes
from pipeline.docx_import.markdown import Imported, document
from pipeline.docx_import.package import open_package
from pipeline.docx_import.reader import read_package
from pipeline.docx_import.tree import Media, Read
from pipeline.problems import BriefingError, Problem

SAFE_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._ -]*(/[A-Za-z0-9_][A-Za-z0-9._ -]*)*$")


@dataclass(frozen=True)
class Options:
    changes: str = "refuse"  # refuse, accept, reject or critic
    labels: dict[str, str] | None = None


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
SEARCH_FILES = 2000  # files looked at, at most, for a picture already beside the source


def same_file(folder: Path, data: bytes) -> str | None:
    """A picture already in the source's folder (or below it) with these
    bytes, as a path from the folder: the figure the source names, which
    the Word file no longer says the name of."""
    if not folder.is_dir():
        return None
    looked = 0
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts) or len(
                path.relative_to(folder).parts) > 4:
            continue
        if path.suffix.lower() not in IMAGE_SUFFIXES or path.is_symlink() or not path.is_file():
            continue
        looked += 1
        if looked > SEARCH_FILES:
            return None
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            relative = path.relative_to(folder).as_posix()
            return relative if SAFE_PATH.match(relative) else None
    return None


def read_docx(path: Path, name: str | None = None) -> Read:
    package = open_package(path, name)
    try:
        return read_package(package)
    finally:
        package.zip.close()


def import_docx(path: Path, out: Path, options: Options, name: str | None = None) -> Imported:
    """The Markdown of the DOCX at `path`, to be written at `out` (pictures
    beside it, their paths chosen so that no other file is replaced).
    Refused, with every revision listed, when it has tracked changes and
    `options.changes` is "refuse"."""
    shown = name or str(path)
    read = read_docx(path, shown)
    found = changes.revisions(read)
    if found and options.changes == "refuse":
        raise BriefingError([Problem(shown, None, f"unresolved tracked change: {changes.refusal(r)}",
                                     code="import.tracked-change") for r in found]
                            + [Problem(shown, None, f"{len(found)} tracked change"
                                       f"{'s' if len(found) > 1 else ''}: import with --accept, --reject "
                                       "or --changes critic", code="import.tracked-changes")])
    if options.changes == "critic" and (places := changes.in_code(read)):
        raise BriefingError([Problem(shown, None, f"{where}: a tracked change inside a code block cannot be "
                                     "kept as CriticMarkup (code shows it as written): import with --accept "
                                     "or --reject", code="import.change-in-code") for where in places])
    read = changes.resolve(read, "critic" if options.changes in ("critic", "refuse") else options.changes)
    placed: dict[str, bytes] = {}

    def place(media: Media, wanted: str) -> str:
        folder = out.parent
        if not (wanted and SAFE_PATH.match(wanted) and ".." not in PurePosixPath(wanted).parts):
            wanted = same_file(folder, media.data) or ""
        candidate = wanted or f"{Path(out).stem}-images/{media.name}"
        stem, extension = posixpath.splitext(candidate)
        counter = 0
        while True:
            taken = placed.get(candidate)
            existing = folder / candidate
            identical = existing.is_file() and not existing.is_symlink() and existing.read_bytes() == media.data
            if taken == media.data or (taken is None and (not existing.exists() or identical)):
                placed[candidate] = media.data
                return candidate
            counter += 1
            candidate = f"{stem}-{counter}{extension}"

    from pipeline.render.templates import Templates

    labels = options.labels or Templates().labels()
    imported = document(read, labels, place)
    imported.media = placed
    return imported
