"""Hyphenation dictionaries parsed once per machine, not once per build.

On the first line it may hyphenate, WeasyPrint asks pyphen for the page
language's dictionary, and pyphen parses its .dic file: 0.13 s for
hyph_en_US, a tenth of typesetting a short briefing. `preload` keeps the
parsed dictionary, pickled, in the cache folder (keyed by pyphen's version
and the file's size and time) and puts it into pyphen's own cache,
`pyphen.hdcache`, before WeasyPrint asks. Unpickling takes 0.01 s.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from pipeline.run import cache


def preload(lang: str | None) -> None:
    import pyphen

    name = pyphen.language_fallback(lang) if lang else None
    if not name or pyphen.LANGUAGES[name] in pyphen.hdcache:
        return
    path = pyphen.LANGUAGES[name]
    where = cache.folder("hyphenation")
    stat = path.stat()
    kept = where / f"{name}-{pyphen.__version__}-{stat.st_size}-{stat.st_mtime_ns}.pickle" if where else None
    if kept:
        try:
            pyphen.hdcache[path] = pickle.loads(kept.read_bytes())
            return
        except Exception:  # noqa: BLE001 - none yet, or unreadable: parse the file again
            pass
    pyphen.hdcache[path] = dictionary = pyphen.HyphDict(path)
    if kept:
        keep(kept, pickle.dumps(dictionary, protocol=pickle.HIGHEST_PROTOCOL))


def keep(target: Path, data: bytes) -> None:
    """Whole or not at all (builds running at once may share the folder);
    a failure only costs the speed-up."""
    from pipeline.run.build import write_atomic  # only on a cache miss
    from pipeline.problems import BriefingError

    try:
        write_atomic(target, data, str(target))
    except BriefingError:
        pass
