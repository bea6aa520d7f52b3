"""What became of one briefing in a build: the value the batch hands to
the progress display, the report and the preview server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.problems import Problem


@dataclass(frozen=True)
class Outcome:
    """What became of one briefing, for the terminal and the report."""
    source: Path
    status: str  # "built", "up to date" or "failed"; for `check`, "checked" or "failed"
    outputs: tuple[Path, ...] = ()
    seconds: float = 0.0
    pages: int | None = None
    markings: str | None = None
    rollup: dict | None = None  # the banner's roll-up from its portions, as plain data
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()
    details: str = ""  # the traceback of an internal error, shown with --debug
