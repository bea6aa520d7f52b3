"""Build many briefings: skip those the manifest finds up to date, build the
rest one after another or in a pool of forked processes (`--jobs`).

Workers only render, in memory; this process writes every file (through
build.py, atomically) and the manifest, so a worker stopped by Ctrl-C can
leave nothing half-written. A worker frees what a briefing left before it
builds the next (collector.tidy), so its memory stays flat over a long
batch: about 104 MB at most whether it builds 10 briefings of 8 pages or 20.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline import __version__
from pipeline.problems import BriefingError, Problem
from pipeline import collector
from pipeline.run.build import make, write, write_atomic
from pipeline.run.limits import stopped
from pipeline.run.manifest import Manifest, digest_file, settings_digest
from pipeline.run.outcome import Outcome

# Briefings a worker builds before a fresh fork replaces it, should anything
# outlive tidying. A fresh worker costs its first briefing a warm-up: with 8,
# 20 briefings with --jobs 2 took 6.7 s against 5.9 s with 50.
TASKS_PER_WORKER = 50


def build_many(sources: list[Path], options, *, jobs: int, force: bool = False,
               done: Callable[[Outcome], None] = lambda _: None, pdf_job=None) -> list[Outcome]:
    """Build every source that needs it with up to `jobs` processes; call
    `done` as each finishes; return the outcomes in the order of `sources`.
    A lone briefing may typeset its PDF in `pdf_job`, a pdf_worker the
    caller started (or one started here), on the chance that it needs
    building; it is stopped in any case."""
    from pipeline.run import worker as pdf_worker

    pdf_job = pdf_job or pdf_worker.start(options.formats, briefings=len(sources), jobs=jobs)
    with stopped(pdf_job):
        manifest = Manifest(options.out_dir)
        settings = settings_digest(options, options.templates.folders, __version__)
        outcomes: dict[Path, Outcome] = {}
        stale: dict[Path, str | None] = {}
        for source in sources:
            started = time.perf_counter()
            digest = digest_file(source)
            entry = None if force else manifest.up_to_date(source, digest, settings)
            if entry:
                outcomes[source] = cached(source, entry, manifest.out_dir, time.perf_counter() - started)
                done(outcomes[source])
            else:
                stale[source] = digest
        if stale:
            try:
                for outcome in build_stale(stale, manifest, settings, options, jobs, pdf_job):
                    outcomes[outcome.source] = outcome
                    done(outcome)
            finally:  # also after Ctrl-C: what was written is recorded
                save(manifest)
    return [outcomes[source] for source in sources]


def cached(source: Path, entry: dict, out_dir: Path, seconds: float) -> Outcome:
    report = entry["report"]
    return Outcome(source=source, status="up to date", seconds=seconds,
                   outputs=tuple(Path(name) for name in report["outputs"]),
                   pages=report["pages"], markings=report["markings"],
                   rollup=report.get("rollup"),
                   warnings=tuple(Problem.from_dict(w) for w in report["warnings"]))


def build_stale(stale: dict[Path, str | None], manifest: Manifest, settings: str, options,
                jobs: int, pdf_job=None) -> Iterator[Outcome]:
    sources = list(stale)
    if jobs > 1 and len(sources) > 1:
        results = in_pool(sources, options, min(jobs, len(sources)))
    else:
        results = one_after_another(sources, options, pdf_job)
    for source, made, problems, seconds in results:
        if made is None:
            yield Outcome(source=source, status="failed", seconds=seconds,
                          errors=tuple(p for p in problems if not p.warning),
                          warnings=tuple(p for p in problems if p.warning))
            continue
        outputs = write(made, str(source))
        report = {"outputs": [str(p) for p in outputs], "pages": made.pages,
                  "markings": made.markings, "rollup": made.rollup,
                  "warnings": [w.as_dict() for w in made.warnings]}
        if (digest := stale[source]) is not None:
            manifest.record(source, digest, settings, inputs=made.inputs,
                            outputs=outputs, report=report)
        yield Outcome(source=source, status="built", outputs=tuple(outputs), seconds=seconds,
                      pages=made.pages, markings=made.markings, rollup=made.rollup,
                      warnings=made.warnings)


def one_after_another(sources: list[Path], options, pdf_job=None):
    """make_one for each source in this process, tidying up in between."""
    for number, source in enumerate(sources):
        if number:
            collector.tidy()
        yield make_one(source, options, pdf_job)


def make_one(source: Path, options, pdf_job=None):
    """(source, Made or None, problems, seconds): one briefing rendered in memory."""
    started = time.perf_counter()
    try:
        made = make(source, options, pdf_job)
    except BriefingError as error:
        return source, None, error.problems, time.perf_counter() - started
    return source, made, (), time.perf_counter() - started


# The pool's options, set before forking: workers inherit them rather than
# unpickle them (they hold a logging callback, which does not pickle).
POOL_OPTIONS = None


def in_pool(sources: list[Path], options, workers: int):
    """make_one for each source in `workers` forked processes, as they finish."""
    import multiprocessing

    global POOL_OPTIONS
    POOL_OPTIONS = options
    preload(options.formats)
    context = multiprocessing.get_context("fork")
    # Leaving the block terminates the workers: at the end, on an error, on Ctrl-C.
    with context.Pool(workers, initializer=ignore_interrupt, maxtasksperchild=TASKS_PER_WORKER) as pool:
        yield from pool.imap_unordered(make_in_worker, sources)


def make_in_worker(source: Path):
    collector.tidy()  # the cycles of the briefing this worker built before, if it did
    return make_one(source, POOL_OPTIONS)


def ignore_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def preload(formats: tuple[str, ...]) -> None:
    """Import the stages and backends once, before forking, so that every
    worker (and every fresh one replacing it) starts with them loaded."""
    import pipeline.read.markdown  # noqa: F401
    import pipeline.transform.passes  # noqa: F401
    if "html" in formats or "pdf" in formats:
        import pipeline.render.html  # noqa: F401
    if "docx" in formats:
        import pipeline.render.docx  # noqa: F401
    if "pdf" in formats:
        from pipeline.weasy.typeset import import_weasyprint
        import_weasyprint()


def save(manifest: Manifest) -> None:
    if manifest.changed:
        write_atomic(manifest.path, manifest.dumps(), str(manifest.path))
