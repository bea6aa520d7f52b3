"""The one error type: a problem with a place in a source file.

Errors are values (`Problem`) so a stage can collect several and report them
at once; `BriefingError` carries one or more of them to the CLI, which prints
each as `path:line: message` and never a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{self.message}"


class BriefingError(Exception):
    """A document (or an option) that cannot be built, with where and why."""

    def __init__(self, path: str, line: int | None, message: str,
                 *, more: tuple[Problem, ...] = ()) -> None:
        self.problems = (Problem(path, line, message), *more)
        super().__init__(str(self.problems[0]))

    @classmethod
    def of(cls, problems: list[Problem] | tuple[Problem, ...]) -> BriefingError:
        first, *rest = problems
        return cls(first.path, first.line, first.message, more=tuple(rest))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self):  # to cross from a worker process intact
        return (BriefingError.of, (self.problems,))


# Problems as a reader of the output wants them: `path:line: message` lines
# on a terminal or in a log, GitHub Actions workflow commands
# (`::error file=…,line=…::message`) when running there, so that each problem
# shows on the line of the file it is about.


def on_github() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def shown(problem: Problem, github: bool) -> str:
    """One problem as one line."""
    if not github:
        return str(problem)
    where = f"file={escape(problem.path, property=True)}"
    if problem.line:
        where += f",line={problem.line}"
    kind = "warning" if problem.warning else "error"
    return f"::{kind} {where}::{escape(problem.message)}"


def escape(text: str, property: bool = False) -> str:
    """GitHub's escaping for workflow commands: a newline would end the
    command, and in a property `,` and `:` would end the value."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text
