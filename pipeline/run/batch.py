"""Build many briefings: skip those the manifest finds up to date, make
the rest in forked processes (one, or up to `--jobs`), write what they made.

The processes only render, in memory (crew.py supervises them: a time
limit kills one, and so may the system); this process writes every file
(through build.py, all of a briefing's files or none) and the manifest, so
a process stopped at any moment leaves nothing half-written. A process
frees what a briefing left once it has answered (collector.tidy), so its
memory stays flat over a long batch: about 104 MB at most whether it
builds 10 briefings of 8 pages or 20. A warm process (watch) keeps its
crew from one build to the next where no PDF worker takes part (RESIDENT).
"""

from __future__ import annotations

import contextlib
import functools
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from pipeline import __version__
from pipeline.problems import BriefingError, Problem
from pipeline import collector, compiled
from pipeline.run.build import Made, Options, finish, make, preload, write, write_atomic
from pipeline.run.crew import Crashed, Crew, Early, Lost, tell
from pipeline.run.manifest import Manifest, digest_file, settings_digest
from pipeline.run.outcome import Outcome

# Briefings a process builds before a fresh fork replaces it, should anything
# outlive tidying. A fresh worker costs its first briefing a warm-up: with 8,
# 20 briefings with --jobs 2 took 6.7 s against 5.9 s with 50.
TASKS_PER_WORKER = 50


def build_many(sources: list[Path], options, *, jobs: int, force: bool = False,
               done: Callable[[Outcome], None] = lambda _: None, pdf_job=None,
               said: Callable[[Problem], None] = lambda _: None, warm: bool = False,
               early: Callable[[Path, bytes], None] | None = None, ahead=None) -> list[Outcome]:
    """Build every source that needs it with up to `jobs` processes; call
    `done` as each finishes; return the outcomes in the order of `sources`.
    Nothing that goes wrong with one briefing stops the others: it fails,
    with its problems. What goes wrong with none in particular (the manifest
    cannot be saved) is `said`.

    The briefings are made in processes this one supervises (crew.py), so a
    time limit always holds; this process writes every file. A lone
    briefing may typeset its PDF in `pdf_job`, a pdf_worker the caller
    started (or one started here), on the chance that it needs building
    (this process waits for that PDF, once the process that made the rest
    has ended: with_pdf); the worker is stopped in any case (at once when
    a batch has none or several briefings to build). `warm`: warm this process up (warm_up) before
    forking, for a caller that builds again and again (watch). `early`:
    given each briefing's HTML as soon as it is made, before its PDF (and
    before anything is written), for watch's preview. `ahead`: a crew
    process the caller started ahead (ahead.py), for a lone stale briefing."""
    from pipeline.run import worker as pdf_worker

    pdf_job = pdf_job or pdf_worker.start(options.formats, briefings=len(sources), jobs=jobs)
    with contextlib.ExitStack() as stack:
        stack.callback(lambda: pdf_job and pdf_job.stop())
        manifest = Manifest(options.out_dir)
        settings = settings_digest(options, options.templates.folders, __version__)
        outcomes: dict[Path, Outcome] = {}
        stale: dict[Path, str | None] = {}
        digests = {source: digest_file(source) for source in sources}
        # A lone stale briefing of a batch gets a PDF worker too, as a lone
        # briefing does: started as soon as its source is found changed (a
        # look at the sources' hashes alone), while the outputs of the
        # others are checked. Should more than one turn out stale, it is
        # stopped unused: the batch's processes keep both cores busy.
        if len(sources) > 1:
            changed = [s for s in sources if force or not manifest.same_source(s, digests[s], settings)]
            if len(changed) == 1:
                pdf_job = pdf_job or pdf_worker.start(options.formats, briefings=1, jobs=jobs)
            elif pdf_job is not None:  # started ahead by the command: not needed after all
                pdf_job.stop()
                pdf_job = None
        for source in sources:
            started = time.perf_counter()
            outcome = None if force else cached(source, manifest, digests[source], settings, started)
            if outcome:
                outcomes[source] = outcome
                done(outcome)
            else:
                stale[source] = digests[source]
        if len(stale) > 1 and pdf_job is not None:
            pdf_job.stop()
            pdf_job = None
        if stale:
            try:
                for outcome in build_stale(stale, manifest, settings, options, jobs, pdf_job, warm, early,
                                           ahead):
                    outcomes[outcome.source] = outcome
                    done(outcome)
            finally:  # also after Ctrl-C: what was written is recorded
                try:
                    save(manifest)
                except BriefingError as error:
                    for problem in error.problems:
                        said(problem)
    return [outcomes[source] for source in sources]


def cached(source: Path, manifest: Manifest, digest: str | None, settings: str,
           started: float) -> Outcome | None:
    """The outcome of an up-to-date briefing, from its manifest entry; None
    when it needs building (an entry that does not read counts as none)."""
    entry = manifest.up_to_date(source, digest, settings)
    if not entry:
        return None
    try:
        report = entry["report"]
        return Outcome(source=source, status="up to date", seconds=time.perf_counter() - started,
                       outputs=tuple(Path(name) for name in report["outputs"]),
                       pages=report["pages"], markings=report["markings"],
                       rollup=report.get("rollup"),
                       warnings=tuple(Problem.from_dict(w) for w in report["warnings"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


class Result(NamedTuple):
    """One briefing rendered in memory, in a crew process: `made`, or the
    problems that stopped it."""
    source: Path
    made: Made | None
    problems: tuple[Problem, ...]
    seconds: float
    details: str = ""  # the traceback of an internal error, for --debug


def build_stale(stale: dict[Path, str | None], manifest: Manifest, settings: str, options,
                jobs: int, pdf_job=None, warm: bool = False,
                early: Callable[[Path, bytes], None] | None = None, ahead=None) -> Iterator[Outcome]:
    sources = list(stale)
    processes = min(jobs, len(sources))
    if warm:
        warm_up(options.formats)
    elif processes > 1:
        preload(options.formats)
    maker = Maker(options, pdf_job if len(sources) == 1 else None, early=early is not None)
    # A process imports what it needs before its first briefing's clock starts;
    # with a PDF worker waiting, only what makes its print job (the HTML
    # backend's markup): the other backends load after the job is given.
    needed = ("html",) if maker.pdf_job else options.formats

    # A process started ahead serves a lone briefing's crew with no PDF worker
    # (not watch's: it tells early); unused, it is stopped with the command.
    usable = ahead and processes == 1 and maker.pdf_job is None and early is None
    taken = ahead.take(options) if usable else None
    if ahead and not usable:
        ahead.stop()  # at once: it would hold a core and its memory for the whole batch

    def new_crew() -> Crew:
        return Crew(maker, size=processes, seconds=options.time_limit, tasks_per_process=TASKS_PER_WORKER,
                    warm=functools.partial(preload, needed), early=early is not None, after=collector.tidy,
                    ready=(taken,) if taken else ())

    # No PDF worker to hand a print job to: a warm process's crew stays for
    # its next build (resident), whose processes then start nothing again.
    staying = warm and maker.pdf_job is None
    typesetting: list[Result] = []  # made but for the PDF the worker typesets
    with resident(new_crew, (options, processes, early is not None)) if staying else new_crew() as crew:
        for source, answer in crew.run(sources):
            if isinstance(answer, Early):
                if early is not None:
                    early(source, answer.value)
                continue
            result = answer if isinstance(answer, Result) else unanswered(source, answer)
            if result.made is not None and result.made.pdf is not None:
                typesetting.append(result)  # its PDF waited for once the crew has ended
                continue
            yield written(result, stale[source], manifest, settings)
    for result in typesetting:
        yield written(with_pdf(result, maker.pdf_job, options), stale[result.source], manifest, settings)


def with_pdf(result: Result, pdf_job, options) -> Result:
    """A briefing made but for its PDF, with the PDF the worker typeset
    (build.finish), within what is left of its time limit."""
    assert result.made is not None
    started = time.perf_counter()
    waited = lambda: result.seconds + time.perf_counter() - started  # noqa: E731
    try:
        made = finish(result.made, pdf_job, result.source, options, options.time_limit - result.seconds)
    except BriefingError as error:
        return result._replace(made=None, problems=error.problems, seconds=waited())
    except Exception as error:  # noqa: BLE001 - this briefing fails, the others go on
        return result._replace(made=None, problems=(internal(result.source, f"{type(error).__name__}: {error}"),),
                               seconds=waited(), details=traceback.format_exc())
    return result._replace(made=made, seconds=waited())


# The crew a warm process (watch) keeps between builds, and what it was made
# for. A crew forked for each build cost the sample's DOCX 37 ms against 21
# ms in this process: the fork and the process's start (6 ms), and the pages
# each new process copies as it first writes to them (2,500 of them, 8 ms).
RESIDENT: tuple[tuple, Crew] | None = None


@contextlib.contextmanager
def resident(new_crew: Callable[[], Crew], key: tuple) -> Iterator[Crew]:
    """The resident crew when it was made for `key` (the same options, as
    many processes, early or not), else a new one that stays. A build that
    ends in an error or Ctrl-C ends it: its processes may be mid-task."""
    global RESIDENT
    if RESIDENT is not None and not same_key(RESIDENT[0], key):
        RESIDENT[1].close()
        RESIDENT = None
    if RESIDENT is None:
        RESIDENT = (key, new_crew())
    crew = RESIDENT[1]
    try:
        yield crew
    except BaseException:
        crew.close()
        RESIDENT = None
        raise


def same_key(kept: tuple, key: tuple) -> bool:
    """The same options object (what the crew's processes were forked with),
    the rest equal."""
    return kept[0] is key[0] and kept[1:] == key[1:]


def unanswered(source: Path, answer: Lost | Crashed) -> Result:
    """What a briefing whose process gave no answer failed with."""
    if isinstance(answer, Lost):
        code = "build.time-limit" if answer.limit is not None else "build.lost"
        return Result(source, None, (Problem(str(source), None, answer.describe(), code=code),),
                      answer.seconds)
    return Result(source, None, (internal(source, answer.error),), 0.0, answer.details)


def written(result: Result, digest: str | None, manifest: Manifest, settings: str) -> Outcome:
    """Write a made briefing's files (all of them or none) and record them."""
    source, made = result.source, result.made
    if made is None:
        return failed(result)
    try:
        outputs = write(made, str(source))
    except BriefingError as error:
        return failed(result._replace(problems=(*error.problems, *made.warnings)))
    except Exception as error:  # noqa: BLE001 - this briefing fails, the others go on
        return failed(result._replace(problems=(internal(source, f"{type(error).__name__}: {error}"),),
                                      details=traceback.format_exc()))
    report = {"outputs": [str(p) for p in outputs], "pages": made.pages,
              "markings": made.markings, "rollup": made.rollup,
              "warnings": [w.as_dict() for w in made.warnings]}
    if digest is not None:
        manifest.record(source, digest, settings, inputs=made.inputs, outputs=outputs, report=report)
    return Outcome(source=source, status="built", outputs=tuple(outputs), seconds=result.seconds,
                   pages=made.pages, markings=made.markings, rollup=made.rollup,
                   warnings=made.warnings)


def failed(result: Result) -> Outcome:
    return Outcome(source=result.source, status="failed", seconds=result.seconds,
                   errors=tuple(p for p in result.problems if not p.warning),
                   warnings=tuple(p for p in result.problems if p.warning),
                   details=result.details)


def internal(source: Path, error: str) -> Problem:
    return Problem(str(source), None, f"internal error: {error} (run with --debug for details)",
                   code="build.internal")


class Maker:
    """What a crew process does with each briefing: make it in memory.
    Once it has answered, the process frees what the briefing left
    (collector.tidy, the crew's `after`), so its memory stays flat over a
    long batch."""

    def __init__(self, options, pdf_job=None, early: bool = False, renderer=None) -> None:
        self.options, self.pdf_job, self.early, self.renderer = options, pdf_job, early, renderer

    def __call__(self, source: Path) -> Result:
        pdf_job, self.pdf_job = self.pdf_job, None  # a worker typesets one PDF
        renderer, self.renderer = self.renderer, None  # and a renderer (ahead.py) renders one briefing
        result = make_one(source, self.options, pdf_job, tell if self.early else None, renderer)
        compiled.save()  # what this process compiled (its imports, Python-Markdown's set-up), for the next
        return result


def make_one(source: Path, options, pdf_job=None, early: Callable[[bytes], None] | None = None,
             renderer=None) -> Result:
    """One briefing rendered in memory; whatever goes wrong, a Result."""
    started = time.perf_counter()
    try:
        made = make(source, options, pdf_job, early, renderer)
    except BriefingError as error:
        return Result(source, None, error.problems, time.perf_counter() - started)
    except Exception as error:  # noqa: BLE001 - this briefing fails, the others go on
        return Result(source, None, (internal(source, f"{type(error).__name__}: {error}"),),
                      time.perf_counter() - started, traceback.format_exc())
    return Result(source, made, (), time.perf_counter() - started)


WARM_UP = "---\ntitle: Warm-up\nclassification: UNCLASSIFIED\n---\n\n# Warm-up\n\nText.\n"


@functools.cache
def warm_up(formats: tuple[str, ...]) -> None:
    """Import the stages and make a small briefing of our own here, once:
    every process forked after it starts with fonts, styles and caches
    loaded, so that a rebuild in `watch` costs what a warm one does. The
    briefing is ours, not an author's: it cannot hang this process."""
    import tempfile

    preload(formats)
    with tempfile.TemporaryDirectory(prefix="briefing-warm-up-") as folder:
        source = Path(folder) / "warm-up.md"
        source.write_text(WARM_UP, encoding="utf-8")
        make(source, Options(formats=formats, out_dir=Path(folder)))
    collector.tidy()


def save(manifest: Manifest) -> None:
    """The manifest, with what other builds into the folder saved meanwhile."""
    if manifest.changed:
        with manifest.locked():
            write_atomic(manifest.path, manifest.dumps(), str(manifest.path))
