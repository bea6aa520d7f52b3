"""The `briefing` command: parse arguments, run the build, print problems.

Every problem prints as one line `path:line: message`; exit code 1 when a
document is bad, 2 for a usage error, 0 otherwise. `--debug` shows tracebacks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from pipeline import __version__
from pipeline import collector, compiled
from pipeline.problems import on_github, printable, shown
from pipeline.problems import BriefingError
from pipeline.render.formats import FORMATS, PDF_VARIANTS
from pipeline.run.limits import DEFAULT_SECONDS

DESCRIPTION = """\
Turn Markdown briefings (with YAML front matter) into a print-ready PDF,
an editable Word file (DOCX) and a standalone HTML page.

examples:
  briefing build source/*.md                 all three formats into build/
  briefing build brief.md --to pdf --out out  the PDF only, into out/
  briefing check source/*.md                 validate without writing anything
  briefing new source/sahel                  a starter briefing, source/sahel.md
  briefing watch source --to html            rebuild on save; preview on 127.0.0.1:8000
  briefing build source/*.md --shard 2/4     the second of four shares, for a CI runner
  briefing report merge r1.json r2.json -o report.json   join the shards' reports
  briefing import reviewed.docx --against source/sahel.md
                                             a reviewed Word file back into the source
"""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="briefing", description=DESCRIPTION,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"briefing {__version__}")
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show tracebacks of internal errors")
    top.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    # What build, check and watch share: which warnings not to report.
    silence = argparse.ArgumentParser(add_help=False)
    silence.add_argument("--silence", action="append", default=[], metavar="CODE",
                         help="do not report warnings with this code (e.g. pdf.weasyprint) or "
                              "family (e.g. pdf); repeatable")
    # What build and check share: whether a warning fails the briefing.
    strict = argparse.ArgumentParser(add_help=False)
    strict.add_argument("--fail-on-warning", "-W", action="store_true",
                        help="treat every warning as an error: the briefing fails (exit code 1) "
                             "and nothing is written for it; for strict CI")
    # What build, check and watch share: the marking of a source that gives none.
    marked = argparse.ArgumentParser(add_help=False)
    marked.add_argument("--classification", type=marking, metavar="MARKING",
                         help="the classification of each FILE whose front matter gives none, or "
                              "that has none (a README written for GitHub): e.g. UNCLASSIFIED")
    # What build and check share: building one share of the briefings.
    sharding = argparse.ArgumentParser(add_help=False)
    sharding.add_argument("--shard", type=shard, metavar="I/N",
                          help="only the I-th of N stable shares of the FILEs (by a hash of each path; "
                               "I counts from 1), for N CI runners; join their reports with "
                               "`briefing report merge`")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    # What build and watch share: what to make, where, from which templates.
    making = argparse.ArgumentParser(add_help=False)
    making.add_argument("--to", default="pdf,docx,html", type=formats, metavar="FORMATS",
                        help="comma-separated formats: pdf, docx, html (default: all three)")
    making.add_argument("--out", default=Path("build"), type=Path, metavar="DIR",
                        help="output folder (default: build/)")
    making.add_argument("--templates", type=Path, metavar="DIR",
                        help="folder whose files override templates/ by the same relative path")
    making.add_argument("--reference-doc", type=Path, metavar="FILE",
                        help="a Word document whose styles, page size and margins the DOCX takes "
                        "(default: docx/reference.docx of the templates)")
    making.add_argument("--pdf-variant", default=PDF_VARIANTS[0], choices=PDF_VARIANTS, metavar="VARIANT",
                        help="pdf/ua-1 (default: tagged for screen readers), pdf/a-2b or pdf/a-3b "
                        "(archival; pdf/a-3b carries the Markdown source as an attachment)")
    making.add_argument("--time-limit", type=seconds, default=DEFAULT_SECONDS, metavar="SECONDS",
                        help=f"stop a briefing that takes longer (default: {DEFAULT_SECONDS})")
    making.add_argument("--jobs", "-j", type=jobs, default=cores(), metavar="N",
                        help=f"build up to N briefings at once (default: the number of cores, {cores()})")

    build = commands.add_parser("build", parents=[debug, making, silence, marked, strict, sharding],
                                help="build briefings into PDF, DOCX and HTML",
                                description="Build each Markdown FILE into the chosen formats.")
    build.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Markdown briefing(s)")
    build.add_argument("--force", action="store_true",
                       help="rebuild even the briefings whose outputs are up to date")
    build.add_argument("--report", type=Path, metavar="FILE.json",
                       help="write what became of each briefing (outputs, pages, time, markings, "
                            "warnings) as JSON")

    check = commands.add_parser("check", parents=[debug, silence, marked, strict, sharding],
                                help="validate briefings without rendering",
                                description="Parse and validate each FILE; write nothing.")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Markdown briefing(s)")
    check.add_argument("--time-limit", type=seconds, default=DEFAULT_SECONDS, metavar="SECONDS",
                       help=f"stop a briefing that takes longer (default: {DEFAULT_SECONDS})")
    check.add_argument("--explain", action="store_true",
                       help="say how each banner follows from its portion marks: the highest "
                            "level, the SCI and dissemination controls, the REL TO countries, "
                            "and which portion calls for each")
    check.add_argument("--report", type=Path, metavar="FILE.json",
                       help="write what was found in each briefing (markings, the banner's "
                            "roll-up from its portion marks, warnings, errors) as JSON, as build does")

    watch = commands.add_parser("watch", parents=[debug, making, silence, marked],
                                help="rebuild on save, preview the HTML live",
                                description="Build FILE (or every .md in DIR), build again whenever "
                                            "a source, figure or template changes, and serve the HTML "
                                            "on 127.0.0.1 with live reload (the HTML is always made). "
                                            "Ctrl-C stops.")
    watch.add_argument("target", type=Path, metavar="FILE|DIR", help="a briefing, or a folder of them")
    watch.add_argument("--port", type=port, default=8000, metavar="N",
                       help="serve on 127.0.0.1:N (default: 8000; 0: any free port)")

    reports = commands.add_parser("report", parents=[debug], help="work with --report files",
                                  description="Work with the JSON files of --report.")
    actions = reports.add_subparsers(dest="action", required=True, metavar="ACTION")
    merge = actions.add_parser("merge", parents=[debug], help="join the reports of shards into one",
                               description="Join the --report files of `build --shard` (or of any "
                                           "builds of different briefings) into one report of every "
                                           "briefing. Shards that do not add up (one missing, one given "
                                           "twice, a briefing in two) are refused and nothing is written.")
    merge.add_argument("reports", nargs="+", type=Path, metavar="REPORT.json", help="the reports to join")
    merge.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.json",
                       help="the joined report")

    new = commands.add_parser("new", parents=[debug], help="write a starter briefing",
                              description="Write NAME.md: a starter briefing with every "
                                          "front-matter key explained. An existing file is never replaced.")
    new.add_argument("name", metavar="NAME", help="the new file (.md is added when missing)")
    new.add_argument("--templates", type=Path, metavar="DIR",
                     help="folder whose new/briefing.md replaces the built-in starter")
    new.add_argument("--type", choices=STARTER_TYPES, default="briefing",
                     help="the kind of document: a briefing (default) or a staff product")
    add_import(commands, [debug, silence])
    return top


STARTER_TYPES = ("briefing", "memo", "info-paper", "decision-paper", "point-paper", "talking-paper",
                 "loose-minute")  # each has templates/new/<type>.md


def add_import(commands, parents: list[argparse.ArgumentParser]) -> None:
    """`briefing import`: a Word file (reviewed, or anyone's) back into Markdown."""
    command = commands.add_parser(
        "import", parents=parents, help="bring a DOCX (reviewed in Word) back into Markdown",
        description="Write briefing Markdown from FILE.docx: front matter, markings, portion marks, "
                    "cross-references, notes, tables, figures (written beside it), comments as "
                    "CriticMarkup. A file with tracked changes is refused, each change listed, "
                    "unless --accept, --reject or --changes critic says what to do with them.")
    command.add_argument("docx", type=Path, metavar="FILE.docx", help="the Word file")
    command.add_argument("-o", "--output", type=Path, metavar="FILE.md",
                         help="the Markdown to write (default: the --against file, else FILE.md "
                              "beside the Word file); an existing file is replaced only when it is "
                              "the --against file, or with --force")
    command.add_argument("--against", type=Path, metavar="FILE.md",
                         help="the current source: write the import as a small change to it, its "
                              "own lines kept wherever the words are the same")
    changes = command.add_mutually_exclusive_group()
    changes.add_argument("--accept", action="store_const", const="accept", dest="changes",
                         help="accept every tracked change")
    changes.add_argument("--reject", action="store_const", const="reject", dest="changes",
                         help="reject every tracked change")
    changes.add_argument("--changes", choices=("accept", "reject", "critic"), dest="changes",
                         help="critic: keep each tracked change as CriticMarkup ({++ ++}, {-- --}), "
                              "which check lists and build refuses until resolved")
    command.add_argument("--force", action="store_true", help="replace an existing -o file")


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1
    if not 0 < number <= 86400:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds (up to 86400)")
    return number


def marking(value: str) -> str:
    """A classification as the front matter's `classification` takes it."""
    from pipeline.markings.rules import classification_problem

    if problem := classification_problem(value.strip(), None):
        raise argparse.ArgumentTypeError(problem)
    return value.strip()


def jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 256:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of jobs (1 to 256)")
    return int(value)


def port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0 to 65535)")
    return int(value)


def shard(value: str):
    from pipeline.run.shards import parse

    try:
        return parse(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(map(repr, unknown)) or repr(value)}: "
                                         f"choose from {', '.join(FORMATS)}")
    return chosen


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop as Ctrl-C stops, every process with us."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with stopped_by_signals():
            return run(args)
    except KeyboardInterrupt as interrupt:
        if isinstance(interrupt, Terminated):
            name = signal.Signals(interrupt.number).name
            print(f"briefing: stopped by {name}; earlier outputs are unchanged", file=sys.stderr)
            return 128 + interrupt.number
        print("briefing: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130
    except BaseException as error:  # WeasyPrint's fatal fetch error is a BaseException
        if isinstance(error, SystemExit):
            raise
        if args.debug:
            import traceback
            traceback.print_exc()
        print(printable(f"briefing: internal error: {type(error).__name__}: {error} "
                        "(run with --debug for details)"), file=sys.stderr)
        return 1


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Terminated, so that the way out stops every
    worker and removes every temporary file, as after Ctrl-C. (Should this
    process be killed outright, its workers die with it: crew.die_with.)"""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminated(number, frame):
        raise Terminated(number)

    previous = {number: signal.signal(number, terminated) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "shard", None):
        args.sources = len(args.files)  # of the whole command line, for the shard's report
        args.files = args.shard.select(args.files)
        if not args.files:
            print(f"briefing: shard {args.shard} holds none of the {args.sources} briefings; nothing to do")
    match args.command:
        case "build":
            return run_build(args)
        case "check":
            return run_check(args)
        case "new":
            return run_new(args)
        case "watch":
            return run_watch(args)
        case "report":
            return run_report_merge(args)
        case "import":
            return run_import(args)
        case _:
            raise ValueError(f"unknown command {args.command}")


def run_build(args: argparse.Namespace) -> int:
    # First of all, before the pipeline loads: a worker that imports
    # WeasyPrint meanwhile, to typeset a lone briefing's PDF; for a batch
    # too when its manifest shows one source alone changed (a quick look,
    # standard library only; the batch stops it should more need building).
    from pipeline.run import worker as pdf_worker
    from pipeline.run.limits import stopped

    ahead = len(args.files) == 1
    if not ahead and not args.force:
        # Only here: hashing loads OpenSSL (3 ms), which a lone briefing's worker need not wait for.
        from pipeline.run.manifest import one_changed
        ahead = one_changed(args.files, args.out)
    with stopped(pdf_worker.start(args.to, briefings=1, jobs=args.jobs) if ahead else None) as pdf_job:
        # No PDF: the processes that are to make it, loading the stages meanwhile.
        from pipeline.run.ahead import Ahead
        early = ahead and "pdf" not in args.to and pdf_worker.spare_core()
        with stopped(Ahead(args.to) if early else None) as crew_ahead:
            return build_files(args, pdf_job, crew_ahead)


def build_files(args: argparse.Namespace, pdf_job, crew_ahead=None) -> int:
    from pipeline.run.batch import build_many
    from pipeline.run.build import Options, targets, write_atomic
    from pipeline.run.progress import Progress
    from pipeline.render.templates import Templates

    if problem := usage_problem(args, targets):
        print(printable(f"briefing: {problem}"), file=sys.stderr)
        return 2
    options = Options(formats=args.to, out_dir=args.out, templates=Templates(args.templates),
                      time_limit=args.time_limit, pdf_variant=args.pdf_variant,
                      reference_doc=args.reference_doc, silenced=tuple(args.silence),
                      fail_on_warning=args.fail_on_warning, marking=args.classification)
    progress = Progress(len(args.files), github=on_github())
    troubles = []

    def done(outcome) -> None:
        if args.debug and outcome.details:
            print(outcome.details, file=sys.stderr, end="")
        progress.done(outcome)

    def said(problem) -> None:
        troubles.append(problem)
        print(shown(problem, on_github()), file=sys.stderr)

    outcomes = build_many(args.files, options, jobs=args.jobs, force=args.force, done=done,
                          pdf_job=pdf_job, said=said, ahead=crew_ahead)
    progress.finish(outcomes)
    if args.report:
        from pipeline.run.report import report
        try:
            write_atomic(args.report, report(outcomes, args.shard, getattr(args, "sources", None)),
                         str(args.report))
        except BriefingError as error:
            for trouble in error.problems:
                said(trouble)
    return 1 if troubles or any(o.status == "failed" for o in outcomes) else 0


def run_check(args: argparse.Namespace) -> int:
    from pipeline.run.check import Checking, check_many
    from pipeline.run.outcome import Outcome

    if args.report and (refused := report_problem(args.report, {p.resolve(): p for p in args.files}, {})):
        print(printable(f"briefing: {refused}"), file=sys.stderr)
        return 2
    checking = Checking(silenced=tuple(args.silence), explain=args.explain, report=bool(args.report),
                        fail_on_warning=args.fail_on_warning, debug=args.debug, marking=args.classification)
    outcomes: list[Outcome] = []
    for checked in check_many(args.files, checking, args.time_limit):
        if checked.explanation is not None:
            print(f"{printable(str(checked.path))}: {checked.explanation}", flush=True)
        if args.debug and checked.details:
            print(checked.details, file=sys.stderr, end="")
        for problem in checked.problems:
            print(shown(problem, on_github()), file=sys.stderr)
        if not checked.failed:
            print(f"{printable(str(checked.path))}: ok", flush=True)
        outcomes.append(checked.outcome())
    if args.report:
        from pipeline.run.build import write_atomic
        from pipeline.run.report import report
        try:
            write_atomic(args.report, report(outcomes, args.shard, getattr(args, "sources", None)),
                         str(args.report))
        except BriefingError as error:
            for trouble in error.problems:
                print(shown(trouble, on_github()), file=sys.stderr)
            return 1
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def run_watch(args: argparse.Namespace) -> int:
    from pipeline.run.build import Options
    from pipeline.render.templates import Templates
    from pipeline.run.watch import watch

    if not args.target.exists():
        print(f"briefing: {args.target}: no such file or folder", file=sys.stderr)
        return 2
    if args.templates and not args.templates.is_dir():
        print(f"briefing: --templates {args.templates}: not a folder", file=sys.stderr)
        return 2
    if args.reference_doc and not args.reference_doc.is_file():
        print(f"briefing: --reference-doc {args.reference_doc}: not a file", file=sys.stderr)
        return 2
    fmts = args.to if "html" in args.to else (*args.to, "html")  # the preview shows the HTML
    options = Options(formats=fmts, out_dir=args.out, templates=Templates(args.templates),
                      time_limit=args.time_limit, pdf_variant=args.pdf_variant,
                      reference_doc=args.reference_doc, silenced=tuple(args.silence),
                      marking=args.classification)
    try:
        watch(args.target, options, port=args.port, jobs=args.jobs, github=on_github())
    except KeyboardInterrupt as interrupt:
        if isinstance(interrupt, Terminated):
            raise  # SIGTERM, SIGHUP: said, with their exit code, by main
        print("briefing: watch stopped", flush=True)
        return 0
    except OSError as error:  # the port is taken, or not ours to use
        print(f"briefing: cannot serve on 127.0.0.1:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def run_report_merge(args: argparse.Namespace) -> int:
    from pipeline.run.build import write_atomic
    from pipeline.run.report import merge

    if args.output.is_dir():
        print(f"briefing: -o {args.output}: a folder, not a file", file=sys.stderr)
        return 2
    try:
        data, summary = merge(args.reports, args.output)
        write_atomic(args.output, data, str(args.output))
    except BriefingError as error:
        for problem in error.problems:
            print(shown(problem, on_github()), file=sys.stderr)
        print(f"briefing: {args.output}: not written", file=sys.stderr)
        return 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(summary["statuses"].items()))
    print(f"{args.output}: {summary['briefings']} briefings from {summary['reports']} reports"
          + (f" ({counts})" if counts else ""))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from pipeline.run import importer

    out = args.output or args.against or args.docx.with_suffix(".md")
    request = importer.Request(docx=args.docx, out=out, changes=args.changes or "refuse",
                               against=args.against, force=args.force, silenced=tuple(args.silence))
    if usage := importer.usage_problem(request):
        print(f"briefing: {usage}", file=sys.stderr)
        return 2
    try:
        outcome = importer.run(request)
    except BriefingError as error:
        for problem in error.problems:
            print(shown(problem, on_github()), file=sys.stderr)
        return 1
    for problem in outcome.problems:
        print(shown(problem, on_github()), file=sys.stderr)
    pictures = f", {len(outcome.pictures)} picture{'s' if len(outcome.pictures) != 1 else ''}" \
        if outcome.pictures else ""
    said = "unchanged" if outcome.unchanged else "written"
    print(f"{args.docx} -> {out}: {said}{pictures}")
    return 1 if any(not p.warning for p in outcome.problems) else 0


def run_new(args: argparse.Namespace) -> int:
    import datetime

    from pipeline.run.build import write_new
    from pipeline.run.starter import starter_path, starter_text
    from pipeline.render.templates import Templates

    if args.templates and not args.templates.is_dir():
        print(f"briefing: --templates {args.templates}: not a folder", file=sys.stderr)
        return 2
    path = starter_path(args.name)
    try:
        text = starter_text(path, Templates(args.templates), datetime.date.today(), args.type)
        write_new(path, text.encode("utf-8"), str(path))
    except BriefingError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{path}: written; build it with: briefing build {shlex.quote(str(path))}")
    return 0


def usage_problem(args: argparse.Namespace, targets) -> str | None:
    """Options that cannot work, found before anything is built."""
    if args.templates and not args.templates.is_dir():
        return f"--templates {args.templates}: not a folder"
    if args.out.exists() and not args.out.is_dir():
        return f"--out {args.out}: not a folder"
    if args.reference_doc and not args.reference_doc.is_file():
        return f"--reference-doc {args.reference_doc}: not a file"
    sources = {path.resolve(): path for path in args.files}
    written: dict[Path, Path] = {}
    for path in args.files:
        for target in targets(path, args.to, args.out):
            key = target.resolve()
            if key in sources:
                return f"{path} would write {target}, which is a source on this command line"
            if key in written and written[key] != path:
                return f"{written[key]} and {path} would both write {target}: build them into different --out folders"
            written[key] = path
    if args.report:
        return report_problem(args.report, sources, written, args.out)
    return None


def report_problem(report: Path, sources: dict[Path, Path], written: dict[Path, Path],
                   out: Path | None = None) -> str | None:
    """`--report FILE` is replaced whole: it may be a new file or a regular
    file of its own, never a folder, a device, a symbolic link (whose target
    would be replaced), a source or an output of the build."""
    import stat
    from pipeline.run.manifest import NAME

    try:
        mode = report.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        return f"--report {report}: {error.strerror}"
    if mode is not None and stat.S_ISLNK(mode):
        return f"--report {report}: a symbolic link; name the file itself"
    if mode is not None and stat.S_ISDIR(mode):
        return f"--report {report}: a folder, not a file"
    if mode is not None and not stat.S_ISREG(mode):
        return f"--report {report}: not a regular file (a device, a pipe or a socket)"
    key = report.resolve()
    if key in sources:
        return f"--report {report}: a source on this command line"
    if key in written:
        return f"--report {report}: an output of {written[key]}"
    if out is not None and key == (out / NAME).resolve():
        return f"--report {report}: the build's manifest"
    return None


def entry() -> None:
    """The console script: `main`, then exit without tearing down the
    interpreter. Freeing WeasyPrint's and lxml's objects one by one at exit
    costs up to half a second and does nothing the OS won't do at once."""
    collector.relax()
    code = main()
    compiled.save()  # what this run compiled, for the next one
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
