"""Problems, and the one reporter every stage reports them to.

A problem is a value: where (path and line), how bad (error or warning), a
stable code (`portion.missing`, `link.unknown-id`) that tests assert and a
user can silence a warning by, and a message for people. Each briefing's
build has one `Reporter`, as Sphinx has its logger and docutils its
Reporter: stages add what they find and go on, so a run reports every
problem at once; a stage that cannot go on stops with `reporter.stop(...)`,
and `reporter.check()` ends a stage that found errors. `BriefingError`
carries the problems to the command line, which prints each as
`path:line: message` and never a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal, NoReturn

Severity = Literal["error", "warning"]


# How much of an author's text a message quotes: a message is one line a
# reader takes in at a glance, whatever the source holds (a link to a 581 KB
# `data:` image once made a warning of that size).
QUOTE_LIMIT = 80
LONG_RUN = re.compile(r"\S{%d,}" % (QUOTE_LIMIT + 1))
MESSAGE_LIMIT = 1000  # our longest (a skipped patch with its cost) is about 500
# What a message never prints as itself: control characters (a terminal
# acts on ESC sequences; Python-Markdown's placeholders are U+0002 and
# U+0003), and the marks that reorder a line (the "Trojan Source" ones).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")


def excerpt(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Author text as a message quotes it: on one line, at most `limit`
    characters, cut with "…"."""
    text = " ".join(text.split()) if any(c in text for c in "\n\r\t") else text
    return text if len(text) <= limit else text[:limit - 1] + "…"


def bounded(message: str) -> str:
    """A message as it may be printed: no control character (each shown as
    <U+001B>), no run of more than QUOTE_LIMIT characters without a space
    (an address, an encoded image), and no more than MESSAGE_LIMIT in all.
    Every problem passes here, whoever wrote it (WeasyPrint's warnings
    quote what they could not load)."""
    if CONTROL.search(message):
        message = CONTROL.sub(lambda found: f"<U+{ord(found[0]):04X}>", message)
    if LONG_RUN.search(message):
        message = LONG_RUN.sub(shortened_run, message)
    if "\n" in message or "\r" in message:
        message = " ".join(message.split())
    return excerpt(message, MESSAGE_LIMIT)


def shortened_run(run: re.Match[str]) -> str:
    """A long run cut short, keeping the quote or bracket that closes it."""
    text = run[0]
    core = text.rstrip("'\")]>,;:.?!")
    return excerpt(core) + text[len(core):]


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int | None
    message: str
    code: str = field(kw_only=True)  # family.kind: stable, unlike the wording
    severity: Severity = field(default="error", kw_only=True)

    def __post_init__(self) -> None:
        message = self.message
        if len(message) > QUOTE_LIMIT or "\n" in message or "\r" in message or CONTROL.search(message):
            object.__setattr__(self, "message", bounded(self.message))

    @property
    def warning(self) -> bool:
        return self.severity == "warning"

    def __str__(self) -> str:
        path = printable(self.path)
        where = f"{path}:{self.line}" if self.line else path
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{printable(self.message, first=False)}"

    def as_dict(self) -> dict[str, object]:
        """For `--report` JSON and for crossing between processes."""
        return {"path": self.path, "line": self.line, "severity": self.severity,
                "code": self.code, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        return cls(data["path"], data["line"], data["message"], code=data["code"],
                   severity=data["severity"])


class BriefingError(Exception):
    """A document (or an option) that cannot be built: its problems."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        # Each once: a pre-rendered KaTeX formula nested too deep said so 13
        # times for its one line (rOpenSci's blog).
        self.problems = tuple(dict.fromkeys(problems))
        assert self.problems, "a BriefingError carries at least one problem"
        super().__init__(str(self.problems[0]))

    @classmethod
    def one(cls, path: str, line: int | None, code: str, message: str) -> BriefingError:
        return cls([Problem(path, line, message, code=code)])

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self):  # to cross from a worker process intact
        return (BriefingError, (self.problems,))


def matches(code: str, patterns: Iterable[str]) -> bool:
    """`link` silences `link.unknown-id`; `link.unknown-id` only itself."""
    return any(code == p or code.startswith(p + ".") for p in patterns)


class Reporter:
    """Every problem of one briefing's build, from every stage. Warnings
    whose code is silenced are dropped; errors never are."""

    def __init__(self, path: str, silenced: Iterable[str] = ()) -> None:
        self.path = path
        self.silenced = tuple(silenced)
        self.problems: list[Problem] = []
        self.seen: set[Problem] = set()  # the same problem twice is said once

    def add(self, problem: Problem) -> None:
        if problem.warning and matches(problem.code, self.silenced) or problem in self.seen:
            return
        self.seen.add(problem)
        self.problems.append(problem)

    def error(self, line: int | None, code: str, message: str, *, path: str | None = None) -> None:
        self.add(Problem(path or self.path, line, message, code=code))

    def warning(self, line: int | None, code: str, message: str, *,
                path: str | None = None) -> None:
        self.add(Problem(path or self.path, line, message, code=code, severity="warning"))

    def stop(self, line: int | None, code: str, message: str, *, path: str | None = None) -> NoReturn:
        """This problem ends the build: raise it with every problem found so far."""
        self.error(line, code, message, path=path)
        raise BriefingError(self.sorted(self.problems))

    def check(self) -> None:
        """End here if any error was found: every problem at once, the
        warnings with the errors, in line order."""
        if self.errors:
            raise BriefingError(self.sorted(self.problems))

    def fail_on_warnings(self) -> None:
        """`--fail-on-warning`: end here if any warning was reported, with
        them all and an error that says why they fail the briefing."""
        if warnings := self.warnings:
            said = Problem(self.path, None, f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
                           ", and --fail-on-warning makes any warning fail the briefing: nothing "
                           "is written for it", code="build.warnings-as-errors")
            self.add(said)
            raise BriefingError([*self.sorted(p for p in self.problems if p is not said), said])

    def merge(self, error: BriefingError) -> None:
        """Problems a stage raised (or a worker sent back), now ours."""
        for problem in error.problems:
            if problem not in self.problems:
                self.add(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.warning)

    @staticmethod
    def sorted(problems: Iterable[Problem]) -> list[Problem]:
        return sorted(problems, key=lambda p: (p.path, p.line is None, p.line or 0))


def silenced_out(problems: Iterable[Problem], silenced: Iterable[str]) -> tuple[Problem, ...]:
    patterns = tuple(silenced)
    return tuple(p for p in problems if not (p.warning and matches(p.code, patterns)))


def at_path(problem: Problem, path: str) -> Problem:
    return replace(problem, path=path)

# Problems as a reader of the output wants them: `path:line: message` lines
# on a terminal or in a log, GitHub Actions workflow commands
# (`::error file=…,line=…::message`) when running there, so that each problem
# shows on the line of the file it is about.


def on_github() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, *, first: bool = True) -> str:
    """A file name (or a message quoting one) as one line of a terminal or
    a log shows it: control characters escaped (`\\n`, `\\x1b`), so that a
    name can neither break the line nor steer the terminal. Under GitHub
    Actions, which runs any line starting with `::` and any `##[command]`
    anywhere in a line as a workflow command, a name can start no such line
    (`./::x.md` is the same file) nor hold `##[`. `first`: the text may
    start a line."""
    if UNPRINTABLE.search(text):
        text = UNPRINTABLE.sub(lambda c: ESCAPES.get(c[0]) or (f"\\x{ord(c[0]):02x}" if ord(c[0]) < 0x100
                                                             else f"\\u{ord(c[0]):04x}"), text)
    if on_github():
        text = text.replace("##[", "##\\[")
        if first and text.lstrip().startswith("::"):
            text = "./" + text
    return text


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
    command, and in a property `,` and `:` would end the value. Any other
    control character (an escape sequence that would colour the log) is
    percent-encoded too, which GitHub leaves as it is."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if UNPRINTABLE.search(text):
        text = UNPRINTABLE.sub(lambda c: "".join(f"%{byte:02X}" for byte in c[0].encode()), text)
    return text.replace(":", "%3A").replace(",", "%2C") if property else text
