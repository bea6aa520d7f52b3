"""The cache folder: what a build keeps between runs to start faster
(compiled templates, parsed hyphenation dictionaries). Only ever a speed-up:
where no folder can be made or written, builds go without it."""

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
