"""The cache folder: what a build keeps between runs to start faster
(compiled templates, parsed hyphenation dictionaries, WeasyPrint's C
declarations). Only ever a speed-up: where no folder can be made or
written, builds go without it."""

from __future__ import annotations

import os
from pathlib import Path


def folder(name: str) -> Path | None:
    """$XDG_CACHE_HOME/briefing/NAME (default ~/.cache), made if needed;
    None where it cannot be made or written."""
    path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefing" / name
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def keep(target: str | os.PathLike[str], data: bytes) -> bool:
    """`data` as the file `target`, whole or not at all (builds running at
    once share the folder); whether it was kept. A failure only costs the
    speed-up."""
    from pipeline.tempfiles import new_temporary

    directory, name = os.path.split(os.fspath(target))
    try:
        handle, temp = new_temporary(directory or ".", prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temp, target)
    except BaseException as error:  # Ctrl-C included: never leave a temp file behind
        os.unlink(temp)
        if not isinstance(error, OSError):
            raise
        return False
    sweep(directory, name)
    return True


STALE = 600  # seconds: a temp file older than this is no writer's any more


def sweep(directory: str, name: str) -> None:
    """Remove the temp files of `name` that writers killed mid-write left
    (SIGKILL leaves no room to clean up: a PDF worker stopped as it saved
    its compiled patterns left 2 MB each time, 33 MB in a day)."""
    import time

    prefix, oldest = f".{name}.", time.time() - STALE
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp") \
                        and entry.stat(follow_symlinks=False).st_mtime < oldest:
                    os.unlink(entry.path)
    except OSError:
        pass  # another build swept it, or the folder went: only tidiness is lost
