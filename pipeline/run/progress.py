"""How a batch build is going. On a terminal: one bar on stderr, redrawn as
each briefing finishes, with problems printed above it. Elsewhere (a log, CI):
one plain line per briefing on stdout, problems on stderr."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from pipeline.problems import Reporter, printable, shown
from pipeline.run.outcome import Outcome


class Progress:
    def __init__(self, total: int, *, github: bool = False, out: TextIO | None = None,
                 err: TextIO | None = None) -> None:
        self.total, self.count, self.github = total, 0, github
        self.out, self.err = out or sys.stdout, err or sys.stderr
        self.bar = total > 1 and self.err.isatty()
        if self.bar:
            self.draw("")

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        if self.bar:
            self.clear()
        for problem in Reporter.sorted((*outcome.errors, *outcome.warnings)):
            print(shown(problem, self.github), file=self.err)
        if self.bar:
            self.draw(printable(str(outcome.source)))
        else:
            print(line(outcome), file=self.out, flush=True)

    def finish(self, outcomes: list[Outcome]) -> None:
        """Close the bar; after a batch, one line that sums it up."""
        if self.bar:
            self.clear()
        if len(outcomes) > 1:
            counts = {status: sum(o.status == status for o in outcomes)
                      for status in ("built", "up to date", "failed")}
            print(", ".join(f"{n} {status}" for status, n in counts.items()), file=self.out)

    def draw(self, current: str) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        filled = 20 * self.count // self.total
        text = f"[{'#' * filled}{'-' * (20 - filled)}] {self.count}/{self.total} {current}"
        self.err.write("\r" + text[:width - 1])
        self.err.flush()

    def clear(self) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        self.err.write("\r" + " " * (width - 1) + "\r")


def line(outcome: Outcome) -> str:
    """One briefing's plain line; names as printable() shows them, so that
    none can break the line or pass for a workflow command."""
    source = printable(str(outcome.source))
    match outcome.status:
        case "built":
            outputs = ", ".join(printable(str(p), first=False) for p in outcome.outputs)
            return f"{source} -> {outputs} ({outcome.seconds:.1f} s)"
        case "up to date":
            return f"{source}: up to date"
        case _:
            return f"{source}: failed"
