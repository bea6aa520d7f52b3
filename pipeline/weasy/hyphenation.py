"""Hyphenation dictionaries parsed once per machine, not once per build.

On the first line it may hyphenate, WeasyPrint asks pyphen for the page
language's dictionary, and pyphen parses its .dic file: 0.13 s for
hyph_en_US, a tenth of typesetting a short briefing. `preload` keeps the
parsed dictionary, pickled, in the cache folder (keyed by pyphen's version
and the file's size and time) and puts it into pyphen's own cache,
`pyphen.hdcache`, before WeasyPrint asks. Unpickling takes 0.01 s.

That cache is pyphen's internal, so `preload` checks first that it fits
(pipeline/weasy/versions.py).
"""

from __future__ import annotations

import pickle

from pipeline import cache
from pipeline.weasy.versions import Need, Patch, Skipped, installed

PATCH = Patch("hyphenation cache", written_for={"pyphen": "0.18.1"}, needs=(
    Need("pyphen", "language_fallback", ("language",)),
    Need("pyphen", "LANGUAGES"),
    Need("pyphen", "HyphDict", ("path",)),
    # What WeasyPrint makes for each language, looking in the cache we fill.
    Need("pyphen:Pyphen", "__init__", uses=("hdcache",)),
    Need("pyphen", "hdcache", has=("__setitem__", "__contains__")),
), cost="hyphenation dictionaries are parsed again for every PDF")


def preload(lang: str | None) -> Skipped | None:
    """Put the dictionary for `lang` in pyphen's cache; why not, if that
    cache does not fit."""
    if skipped := PATCH.check():
        return skipped
    import pyphen

    name = pyphen.language_fallback(lang) if lang else None
    if not name or pyphen.LANGUAGES[name] in pyphen.hdcache:
        return None
    path = pyphen.LANGUAGES[name]
    where = cache.folder("hyphenation")
    stat = path.stat()
    kept = where / f"{name}-{installed('pyphen')}-{stat.st_size}-{stat.st_mtime_ns}.pickle" if where else None
    if kept:
        try:
            pyphen.hdcache[path] = pickle.loads(kept.read_bytes())
            return None
        except Exception:  # noqa: BLE001 - none yet, or unreadable: parse the file again
            pass
    pyphen.hdcache[path] = dictionary = pyphen.HyphDict(path)
    if kept:
        cache.keep(kept, pickle.dumps(dictionary, protocol=pickle.HIGHEST_PROTOCOL))
    return None

