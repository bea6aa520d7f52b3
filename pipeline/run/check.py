"""`briefing check`: read and check each source, write nothing. The reading
runs in a process this one supervises (crew.py), as a build's does, so its
time limit always holds and nothing that goes wrong with one source stops
the others."""

from __future__ import annotations

import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.problems import BriefingError, Problem, Reporter
from pipeline.run.crew import Crashed, Crew, Lost
from pipeline.run.outcome import Outcome


@dataclass(frozen=True)
class Checked:
    """What became of one source."""
    path: Path
    problems: tuple[Problem, ...] = ()  # warnings, and errors when it failed
    explanation: str | None = None  # --explain: how the banner follows from the portions
    failed: bool = False
    details: str = ""  # a traceback, for --debug
    seconds: float = 0.0
    markings: str | None = None  # the banner, when the source was read that far
    rollup: dict | None = None  # how it follows from the portions, as plain data

    def outcome(self) -> Outcome:
        """For `--report`: "checked" or "failed", with the banner and its roll-up."""
        return Outcome(source=self.path, status="failed" if self.failed else "checked",
                       seconds=self.seconds, markings=self.markings, rollup=self.rollup,
                       warnings=tuple(p for p in self.problems if p.warning),
                       errors=tuple(p for p in self.problems if not p.warning), details=self.details)


@dataclass(frozen=True)
class Checking:
    """How to check: the options of `briefing check`."""
    silenced: tuple[str, ...] = ()
    explain: bool = False
    report: bool = False  # the banner and roll-up of a refused briefing too
    fail_on_warning: bool = False
    debug: bool = False  # keep the traceback of a failure
    marking: str | None = None  # the classification of a source that gives none (--classification)

    def __call__(self, path: Path) -> Checked:
        from pipeline.markings.rules import rollup_dict
        from pipeline.run.build import load

        reporter = Reporter(str(path), self.silenced)
        started = time.perf_counter()
        explanation = doc = None
        problems: tuple[Problem, ...] = ()
        details = ""
        try:
            # The roll-up of a refused briefing too, for --explain and the report.
            doc = load(path, reporter, stop=not (self.explain or self.report), marking=self.marking)
            if self.explain:
                explanation = explain(doc)
            reporter.check()
            if self.fail_on_warning:
                reporter.fail_on_warnings()
        except BriefingError as error:
            problems = error.problems
            details = traceback.format_exc() if self.debug else ""
        except Exception as error:  # noqa: BLE001 - this source fails, the others go on
            problems = (Problem(str(path), None, f"internal error: {type(error).__name__}: {error} "
                                "(run with --debug for details)", code="build.internal"),)
            details = traceback.format_exc()
        return Checked(path, problems or reporter.warnings, explanation, failed=bool(problems),
                       details=details, seconds=time.perf_counter() - started,
                       markings=doc.meta.classification if doc else None,
                       rollup=rollup_dict(doc.rollup) if doc else None)


def check_many(paths: list[Path], checking: Checking, seconds: float) -> Iterator[Checked]:
    """Each source checked, in order, within `seconds` each."""
    with Crew(checking, size=1, seconds=seconds, warm=warm) as crew:
        for path, answer in crew.run(paths):
            if isinstance(answer, Checked):
                yield answer
            elif isinstance(answer, Lost):
                code = "build.time-limit" if answer.limit is not None else "build.lost"
                yield Checked(path, (Problem(str(path), None, answer.describe(), code=code),), failed=True)
            elif isinstance(answer, Crashed):
                said = Problem(str(path), None, f"internal error: {answer.error} (run with --debug "
                               "for details)", code="build.internal")
                yield Checked(path, (said,), failed=True, details=answer.details)


def warm() -> None:
    """What reading needs, imported before the first source's clock starts."""
    import pipeline.read.markdown  # noqa: F401
    import pipeline.transform.passes  # noqa: F401


def explain(doc) -> str:
    """`check --explain`: how the banner follows from the portions."""
    from pipeline.markings.rules import explain as rollup_explained

    if doc.rollup is None:
        return (f"banner {doc.meta.classification}: no portion marks to roll up "
                "(portion_marking is off)" if not doc.meta.portion_marking else
                f"banner {doc.meta.classification}: not rolled up (the banner is not valid)")
    return rollup_explained(doc.rollup)
