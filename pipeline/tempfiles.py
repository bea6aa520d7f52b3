"""A new temporary file beside the file it will become: what
`tempfile.mkstemp` does, without loading `tempfile` (and with it shutil,
random, bz2 and lzma: 3 ms of every process that writes or caches)."""

from __future__ import annotations

import os

ATTEMPTS = 100


def new_temporary(directory: str | os.PathLike[str], prefix: str, suffix: str) -> tuple[int, str]:
    """An open file descriptor and the path of a new, empty file in
    `directory`, readable and writable by this user alone; OSError when
    none can be made there."""
    for _ in range(ATTEMPTS):
        path = os.path.join(directory, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), path
        except FileExistsError:
            continue  # taken by another writer meanwhile: another name
    raise FileExistsError(f"no free temporary name in {directory}")
