"""Problems as a reader of the output wants them: `path:line: message` lines
on a terminal or in a log, GitHub Actions workflow commands
(`::error file=…,line=…::message`) when running there, so that each problem
shows on the line of the file it is about."""

from __future__ import annotations

import os

from pipeline.errors import Problem


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
