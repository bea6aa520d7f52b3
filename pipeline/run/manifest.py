"""Which briefings need building: a content-hash manifest in the output folder.

A briefing is up to date when the bytes of its source, of the figures it
read, of every template file (ours and a --templates folder's), of the
package's code, and the build's settings (formats and other options) all
hash as they did when its outputs were written, and those outputs are still
the files that were written. Hashes, not timestamps: a `touch` or a fresh
`git clone` changes nothing, an edit that keeps the size and time does.

Only the standard library here: deciding that nothing needs building must
stay much faster than building.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

NAME = ".briefing-manifest.json"
FORMAT = 2  # of the manifest file; another number reads as empty (2: problems with codes)
PACKAGE = Path(__file__).resolve().parent.parent  # pipeline/, every stage's folder


def digest_file(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None when it cannot be read (gone, a folder)."""
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


def digest_tree(folder: Path) -> str:
    """One hash over every file below `folder`: names and bytes."""
    hasher = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        hasher.update(f"{path.relative_to(folder).as_posix()}\0{digest_file(path)}\0".encode())
    return hasher.hexdigest()


def settings_digest(options: DataclassInstance, template_folders: Iterable[Path], version: str) -> str:
    """What every briefing of one run shares: the package (its version and
    its code, so a changed checkout rebuilds too), the templates, and the
    options that change outputs. Options are read generically, so a new one
    counts without a change here: a Path option by its file's bytes, a
    callable (a logger) and the output folder not at all."""
    hasher = hashlib.sha256(f"manifest {FORMAT}\0briefing {version}\0".encode())
    hasher.update(code_digest().encode())
    for folder in template_folders:
        hasher.update(f"\0templates\0{digest_tree(folder)}".encode())
    for field in dataclasses.fields(options):
        value = getattr(options, field.name)
        if field.name in ("out_dir", "templates", "time_limit") or callable(value):
            continue
        shown = digest_file(value) if isinstance(value, Path) else repr(value)
        hasher.update(f"\0{field.name}={shown}".encode())
    return hasher.hexdigest()


def one_changed(sources: list[Path], out_dir: Path) -> bool:
    """Whether exactly one of `sources` differs from what the manifest of
    `out_dir` recorded (its bytes; no entry counts as different): a first
    look, settings and outputs unchecked, for starting a PDF worker ahead."""
    manifest = Manifest(out_dir)
    changed = 0
    for source in sources:
        entry = manifest.entries.get(manifest.key(source))
        if not isinstance(entry, dict) or entry.get("source") != digest_file(source):
            changed += 1
            if changed > 1:
                return False
    return changed == 1


@functools.cache
def code_digest() -> str:
    """The package's code, hashed once a process: the code a process runs
    is what it loaded (watch asks on every save, 8 ms each time)."""
    hasher = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        hasher.update(f"{path.relative_to(PACKAGE).as_posix()}\0{digest_file(path)}\0".encode())
    return hasher.hexdigest()


class Manifest:
    """The manifest of one output folder: per source, the hashes its
    outputs were built from, the outputs' own hashes, and what a report
    says about it (pages, markings, warnings) so an up-to-date briefing
    can be reported without building it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / NAME
        self.entries: dict[str, dict] = self.read()
        self.recorded: set[str] = set()  # the entries this build made
        self.keys: dict[Path, str] = {}  # paths as key() named them

    @property
    def changed(self) -> bool:
        return bool(self.recorded)

    def read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_bytes())
            if data.get("format") == FORMAT and isinstance(data.get("entries"), dict):
                return data["entries"]
        except (OSError, ValueError, AttributeError):
            pass  # no manifest, or a broken one: everything is out of date
        return {}

    def key(self, path: Path) -> str:
        """A path as the manifest names it: relative to the output folder,
        so moving the whole checkout (or restoring a CI cache) keeps it.
        Worked out once a path (resolving one asks the file system)."""
        if path not in self.keys:
            self.keys[path] = Path(os.path.relpath(path.resolve(), self.resolved_out)).as_posix()
        return self.keys[path]

    @functools.cached_property
    def resolved_out(self) -> Path:
        return self.out_dir.resolve()

    def same_source(self, source: Path, source_digest: str | None, settings: str) -> bool:
        """Whether `source` was built from these bytes and settings (its
        outputs and figures unchecked: a first, quick look)."""
        entry = self.entries.get(self.key(source))
        return bool(entry) and source_digest is not None and isinstance(entry, dict) and (
            entry.get("settings") == settings and entry.get("source") == source_digest)

    def up_to_date(self, source: Path, source_digest: str | None, settings: str) -> dict | None:
        """The entry for `source` when its outputs need no rebuild, else None."""
        entry = self.entries.get(self.key(source))
        if not entry or source_digest is None:
            return None
        if entry.get("settings") != settings or entry.get("source") != source_digest:
            return None
        for files in (entry.get("inputs", {}), entry.get("outputs", {})):
            for name, digest in files.items():
                if digest_file(self.out_dir / name) != digest:
                    return None
        return entry

    def record(self, source: Path, source_digest: str, settings: str, *,
               inputs: Mapping[Path, str | None], outputs: Iterable[Path], report: dict) -> None:
        """Remember a build whose outputs have just been written. `inputs`:
        each figure with the hash of the bytes the build used (None: it
        changed while the build read it, so the next build must rebuild),
        never hashed again here, where a figure saved since would pass for
        the one in the outputs."""
        key = self.key(source)
        self.entries[key] = {
            "settings": settings,
            "source": source_digest,
            "inputs": {self.key(p): digest for p, digest in inputs.items()},
            "outputs": {self.key(p): digest_file(p) for p in outputs},
            "report": report,
        }
        self.recorded.add(key)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """The output folder to ourselves (an advisory lock on the folder
        itself, which leaves no file behind) while the manifest is saved."""
        import fcntl

        try:
            folder = os.open(self.out_dir, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            yield  # no folder: nothing was written, nothing to share
            return
        try:
            fcntl.flock(folder, fcntl.LOCK_EX)
            yield
        finally:
            os.close(folder)  # and the lock with it

    def dumps(self) -> bytes:
        """The manifest to save: what the file holds now, which another build
        into the same folder may have saved since this one read it, with
        this build's entries over it. Call it with the folder locked."""
        entries = {**self.read(), **{key: self.entries[key] for key in self.recorded}}
        return json.dumps({"format": FORMAT, "entries": entries}, indent=1,
                          sort_keys=True).encode("utf-8")
