"""The cyclic garbage collector, tuned for a build.

A build is a short process that keeps nearly all it allocates (modules, the
model, WeasyPrint's boxes) until it writes its files. Python's defaults look
for garbage cycles every 700 new objects and now and then walk every object
alive: on the 74-page benchmark briefing those full walks over WeasyPrint's
growing box tree took 0.5 s of a 6 s typesetting, and found almost nothing.
So we look rarely, and put what heavy imports made (objects that live as
long as the process) out of the collector's sight.
"""

from __future__ import annotations

import gc

# New objects between looks at the youngest generation (Python's default
# is 700), and how many such looks before a look at the next one (10, 10).
THRESHOLDS = (10_000, 10, 10)


def relax() -> None:
    """Collect rarely: called first thing by the command line."""
    gc.set_threshold(*THRESHOLDS)


def settle() -> None:
    """After a heavy import: no collection walks again what exists now. It
    is the import's modules (in a PDF worker, nothing else); where a
    briefing is being built, the few cycles it has left then are never
    freed (some hundred objects, once per process)."""
    gc.freeze()


def tidy() -> None:
    """Between two briefings built by one process: free the cycles the
    first left behind, which rare looks would let pile up (20 briefings
    built one after another peaked at 220 MB untidied, 109 MB tidied).
    About 20 ms."""
    gc.collect()


def give_back() -> None:
    """Hand the C heap's free pages back to the system (glibc's
    `malloc_trim`), in about a millisecond: a process that goes on keeps
    only what it holds. The PDF worker, once its pages' boxes are let go
    (weasy/layout_memory.py), holds what writing the file needs, not the
    layout's peak."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # TypeError: no CDLL(None) on Windows
        return  # not glibc: nothing to give back this way
    trim(0)
