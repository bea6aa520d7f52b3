"""Progress: a bar on a terminal, one plain line per briefing elsewhere."""

import io
from pathlib import Path

from pipeline.run.batch import Outcome
from pipeline.problems import Problem
from pipeline.run.progress import Progress

BUILT = Outcome(source=Path("a.md"), status="built", outputs=(Path("out/a.pdf"), Path("out/a.html")),
                seconds=1.25)
FAILED = Outcome(source=Path("b.md"), status="failed", errors=(Problem("b.md", 3, "bad link", code="link.unknown-id"),))
CACHED = Outcome(source=Path("c.md"), status="up to date")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_when_not_a_terminal():
    out, err = io.StringIO(), io.StringIO()
    progress = Progress(3, out=out, err=err)
    for outcome in (BUILT, FAILED, CACHED):
        progress.done(outcome)
    progress.finish([BUILT, FAILED, CACHED])
    assert out.getvalue().splitlines() == ["a.md -> out/a.pdf, out/a.html (1.2 s)", "b.md: failed",
                                           "c.md: up to date", "1 built, 1 up to date, 1 failed"]
    assert err.getvalue() == "b.md:3: bad link\n"


def test_a_bar_on_a_terminal_with_problems_above_it():
    out, err = io.StringIO(), Terminal()
    progress = Progress(3, out=out, err=err)
    progress.done(BUILT)
    progress.done(FAILED)
    shown = err.getvalue()
    assert "[#############-------] 2/3 b.md" in shown
    assert "\nb.md:3: bad link\n" in shown.replace("\r", "\n")
    progress.done(CACHED)
    progress.finish([BUILT, FAILED, CACHED])
    assert "[####################] 3/3 c.md" in err.getvalue()
    assert err.getvalue().endswith("\r")  # the bar is wiped, the prompt comes back clean
    assert out.getvalue() == "1 built, 1 up to date, 1 failed\n"  # no per-briefing lines


def test_one_briefing_on_a_terminal_gets_its_line_not_a_bar():
    out, err = io.StringIO(), Terminal()
    progress = Progress(1, out=out, err=err)
    progress.done(BUILT)
    progress.finish([BUILT])
    assert out.getvalue() == "a.md -> out/a.pdf, out/a.html (1.2 s)\n" and err.getvalue() == ""
