"""A lone briefing's crew process, forked first thing by `briefing build`
of a DOCX or an HTML (no PDF), before the briefing's options exist, and
for a DOCX the renderer it forks in turn.

Loading the libraries is most of a small briefing's time: Python-Markdown
to read it, Jinja or python-docx to render it. Here the crew process loads
them while this process loads the rest, hashes the source and reads the
manifest, instead of after. For a DOCX, python-docx and the DOCX backend
load in a renderer beside it, on the second core, while the crew process
loads the reading stages and reads and transforms the source; the renderer
then renders the model it is given (build.render_apart). For an HTML alone
a renderer cost more than it saved (the sample: 1.09 of the time without
one, against 0.93 for its DOCX, farm-bench, 31 pairs): Jinja and the HTML
backend load in some 15 ms, and a third process at work slowed the others.

The crew (crew.py) gives the crew process its task as it would one it
forked itself, under the same time limit, once the options are known; the
renderer ends with it. An up-to-date briefing never uses them; they are
stopped with the command. Not beside a PDF worker: three processes at work
on two cores slowed the worker, which is the PDF's critical path (all three
formats of the sample: 1.03 of the time without it).
"""

from __future__ import annotations

import functools
from typing import Any

from pipeline import collector
from pipeline.run.crew import Member
from pipeline.run.limits import Worker

# In the crew process: its renderer, once forked (warm).
RENDERER: Worker | None = None


class Ahead:
    def __init__(self, formats: tuple[str, ...]) -> None:
        self.member: Member | None = Member.ahead(maker, warm=functools.partial(warm, formats),
                                                  after=collector.tidy)

    def take(self, options: Any) -> Member | None:
        """The process, sent the options of the task it is to run; None
        when it is gone. Taken once: the crew that takes it ends it."""
        member, self.member = self.member, None
        if member is not None and not member.set_up(options):
            member.kill()
            return None
        return member

    def stop(self) -> None:
        """End it, unless a crew took it."""
        if self.member is not None:
            self.member.kill()
            self.member = None


def warm(formats: tuple[str, ...]) -> None:
    """In the crew process: fork the renderer, then load the reading stages."""
    global RENDERER
    if "docx" not in formats:  # Jinja and the HTML backend load faster than a process starts
        from pipeline.run.build import preload

        preload(formats)
        return
    RENDERER = Worker.ahead(render, warm=functools.partial(backends, formats))
    import pipeline.read.markdown  # noqa: F401
    import pipeline.transform.passes  # noqa: F401


def backends(formats: tuple[str, ...]) -> None:
    """In the renderer: the backends."""
    from pipeline.run.build import preload

    preload(formats, reading=False)


def render(doc: Any, options: Any) -> Any:
    """In the renderer: every format of the model the crew process sent."""
    from pipeline.run.build import render_apart

    return render_apart(doc, options)


def maker(options: Any) -> Any:
    """In the crew process: its task, from the options the crew sent."""
    from pipeline.run.batch import Maker

    return Maker(options, renderer=RENDERER)
