"""`briefing import`: a DOCX read back (pipeline/docx_import/), written as
Markdown with its pictures beside it, then checked as any source is.

Nothing is written for a DOCX that is refused (unsafe, damaged, or with
tracked changes nobody said what to do with). The pictures are written
before the Markdown that names them, each whole or not at all; a file that
is already there with other bytes is never replaced (the picture gets
another name). The Markdown replaces an existing file only when it is the
`--against` source (that is the point: `git diff` then shows the
reviewers' changes) or with `--force`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.problems import BriefingError, Problem, Reporter
from pipeline.run.build import write_atomic


@dataclass(frozen=True)
class Request:
    docx: Path
    out: Path
    changes: str = "refuse"  # refuse, accept, reject or critic
    against: Path | None = None
    force: bool = False
    silenced: tuple[str, ...] = ()


@dataclass
class Outcome:
    out: Path
    pictures: list[Path] = field(default_factory=list)  # written now
    problems: list[Problem] = field(default_factory=list)  # the import's warnings, then the check's
    unchanged: bool = False  # --against found nothing to change


def usage_problem(request: Request) -> str | None:
    if not request.docx.is_file():
        return f"{request.docx}: {'not a file' if request.docx.exists() else 'no such file'}"
    if request.out.is_dir():
        return f"-o {request.out}: a folder, not a file"
    if request.out.suffix.lower() != ".md":
        return f"-o {request.out}: the Markdown's name must end in .md"
    if request.against is not None and not request.against.is_file():
        return f"--against {request.against}: no such file"
    same = request.against is not None and request.against.resolve() == request.out.resolve()
    if request.out.exists() and not same and not request.force:
        return (f"{request.out} exists: import with --against {request.out} to write the reviewers' "
                "changes into it, or --force to replace it")
    if request.out.resolve() == request.docx.resolve():
        return f"-o {request.out}: that is the Word file itself"
    return None


def run(request: Request) -> Outcome:
    """Import, write, check. Raises BriefingError (nothing written) when
    the DOCX is refused; the check's problems come back in the outcome."""
    from pipeline.docx_import import Options, import_docx

    imported = import_docx(request.docx, request.out, Options(changes=request.changes))
    text = imported.text
    outcome = Outcome(out=request.out)
    outcome.problems.extend(Problem(str(request.docx), None, warning, code="import.left-out",
                                    severity="warning") for warning in imported.warnings)
    folder = request.out.parent
    for relative, data in imported.media.items():  # first: the Markdown names them
        target = folder / relative
        if target.is_file() and target.read_bytes() == data:
            continue
        write_atomic(target, data, str(request.docx))
        outcome.pictures.append(target)
    if request.against is not None:
        from pipeline.docx_import.against import minimal

        current = request.against.read_text(encoding="utf-8")
        text = minimal(current, text, request.against, folder)
        outcome.unchanged = text == current and request.against.resolve() == request.out.resolve()
    if not outcome.unchanged:
        write_atomic(request.out, text.encode("utf-8"), str(request.docx))
    outcome.problems.extend(check(request.out, request.silenced))
    return outcome


def check(path: Path, silenced: tuple[str, ...]) -> list[Problem]:
    """The imported Markdown checked as `briefing check` checks a source."""
    from pipeline.run.build import load

    reporter = Reporter(str(path), silenced)
    try:
        load(path, reporter)
    except BriefingError as error:
        reporter.merge(error)
    return Reporter.sorted(reporter.problems)
