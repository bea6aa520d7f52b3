"""The PDF worker: a process forked at the very start of a build to
typeset a lone briefing's PDF, by far the slowest format, on a second core
while this process makes the other formats.

It imports WeasyPrint (0.1 s) while this process loads the
pipeline, reads and parses; then it waits for its PrintJob (render/pdf.py). This
module is light on purpose: the command line imports it before anything
else, so the fork comes early.
"""

from __future__ import annotations

import os

from pipeline.run.limits import Worker


def start(formats: tuple[str, ...], briefings: int, jobs: int) -> Worker | None:
    """A worker when it can help: one briefing, the PDF asked for, and a
    core to spare. The PDF alone gains too: WeasyPrint loads while this
    process reads the source, instead of after it (`--to pdf` took 0.97 s
    against 0.84 s for all three formats before). The caller stops it
    (limits.stopped): after an error, a time limit or Ctrl-C, or when the
    briefing is up to date."""
    if briefings != 1 or jobs < 2 or "pdf" not in formats or not spare_core():
        return None
    return Worker.ahead(run, warm=warm_up)


def warm_up() -> None:
    from pipeline import compiled
    from pipeline.weasy.typeset import import_weasyprint
    import_weasyprint()
    compiled.save()  # WeasyPrint's patterns, for the next worker (the command saves its own)


def run(job):
    from pipeline.run.stack import on_a_fresh_stack
    from pipeline.weasy.typeset import typeset
    return on_a_fresh_stack(typeset, job)


def spare_core() -> bool:
    return len(os.sched_getaffinity(0)) > 1 if hasattr(os, "sched_getaffinity") else False
