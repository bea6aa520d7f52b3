"""Read, transform, render and write: the only module that writes files.

Every format is rendered in memory before anything is written, and each file
is written to a temporary name in the target folder and renamed into place,
so a failed or interrupted build leaves the previous good outputs untouched.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.problems import BriefingError, Problem, Reporter
from pipeline.tempfiles import new_temporary
from pipeline.render.formats import FORMATS, PDF_VARIANTS
from pipeline.render.templates import Templates
from pipeline.run.limits import DEFAULT_SECONDS, Worker, WorkerLost

if TYPE_CHECKING:
    from pipeline import model as m
    from pipeline.render.context import RenderContext


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = FORMATS
    out_dir: Path = Path("build")
    templates: Templates = Templates()
    time_limit: float = DEFAULT_SECONDS  # for reading and rendering one source (crew.py holds it)
    pdf_variant: str = PDF_VARIANTS[0]
    reference_doc: Path | None = None  # the DOCX's styles; default: docx/reference.docx of the templates
    silenced: tuple[str, ...] = ()  # warning codes not to report (--silence)
    fail_on_warning: bool = False  # any warning fails the briefing (--fail-on-warning)
    marking: str | None = None  # the classification of a source that gives none (--classification)


@dataclass(frozen=True)
class Made:
    """One briefing rendered in memory, before anything is written."""
    files: dict[Path, bytes]  # target -> bytes, in the order of the formats
    warnings: tuple[Problem, ...]
    pages: int | None  # of the PDF, when one was made
    markings: str  # the overall classification
    inputs: dict[Path, str | None]  # its figures, each with the hash of the bytes used (build.figures)
    rollup: dict | None = None  # how the banner follows from the portions (plain data)
    # The PDF's target while the PDF worker typesets it: not in `files` yet
    # (`finish` adds it, in the process that waits for the worker).
    pdf: Path | None = None


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int | None = None  # of a PDF


def preload(formats: tuple[str, ...], reading: bool = True) -> None:
    """Import the stages and backends once, before forking, so that every
    process of a crew (and every fresh one replacing it) starts with them
    loaded (batch.py); with `reading` false, the backends alone (a
    renderer, ahead.py)."""
    if reading:
        import pipeline.read.markdown  # noqa: F401
        import pipeline.transform.passes  # noqa: F401
    if "html" in formats or "pdf" in formats:
        import jinja2.sandbox  # noqa: F401  # what Templates.env loads on first use
        import pipeline.render.html  # noqa: F401
    if "docx" in formats:
        import pipeline.render.docx  # noqa: F401
    if "pdf" in formats:
        from pipeline.weasy.typeset import import_weasyprint
        import_weasyprint()


def load(path: Path, reporter: Reporter | None = None, stop: bool = True,
         marking: str | None = None) -> m.Document:
    """Source file -> final document model (the whole of `briefing check`).
    With `stop` false, a document whose passes found errors is returned
    too, its errors left in the reporter (reading errors still raise).
    The stages are imported here, not at the top: a batch whose briefings
    are all up to date never loads Python-Markdown."""
    from pipeline.read.frontmatter import read_meta
    from pipeline.read.markdown import parse
    from pipeline.read.source import read_source
    from pipeline.transform.passes import finish

    reporter = reporter or Reporter(str(path))
    source = read_source(path)
    # A front matter with errors still lets the body be read, for its own
    # problems: the author then sees them all at once.
    meta, body_line = read_meta(source, reporter, stop=False, marking=marking)
    front_ok = not reporter.errors
    read_problems: list[Problem] = []  # what reading can go past, reported with the checks' own
    try:
        doc = parse(source, meta, body_line, read_problems)
    except BriefingError as error:  # reading cannot go on: with what it had found
        reporter.merge(error)
        raise BriefingError(reporter.sorted(reporter.problems)) from None
    finally:
        for problem in read_problems:
            reporter.add(problem)
    if not front_ok:
        # The markings need a sound front matter (the banner, the scheme);
        # the other passes still find the text's problems.
        finish(doc, reporter, stop=False, skip=("portions",))
        reporter.check()
    return finish(doc, reporter, stop)


def context(doc: m.Document, options: Options) -> RenderContext:
    """What every backend needs besides the document, worked out once."""
    from pipeline.render.context import render_context
    from pipeline.run.clock import build_time

    return render_context(doc, options.templates, build_time(doc.path),
                          pdf_variant=options.pdf_variant, reference_doc=options.reference_doc)


def render(doc: m.Document, fmt: str, ctx: RenderContext, reporter: Reporter) -> Rendered:
    """One format in memory, through its backend's one entry point; the PDF
    typeset here. Backends are imported on demand: WeasyPrint and
    python-docx are slow to load."""
    match fmt:
        case "html":
            from pipeline.render import html
            return Rendered(html.render(doc, ctx, reporter))
        case "pdf":
            from pipeline.render import pdf
            return typeset(pdf.render(doc, ctx, reporter), reporter)
        case "docx":
            from pipeline.render import docx
            return Rendered(docx.render(doc, ctx, reporter))
        case _:
            raise ValueError(f"unknown format {fmt}")


def typeset(job, reporter: Reporter) -> Rendered:
    from pipeline.run.stack import on_a_fresh_stack
    from pipeline.weasy.typeset import typeset as weasy_typeset

    data, warnings, pages = on_a_fresh_stack(weasy_typeset, job)
    for warning in warnings:
        reporter.add(warning)
    return Rendered(data, pages)


def render_formats(doc: m.Document, options: Options, reporter: Reporter,
                   pdf_job: Worker | None = None,
                   early: Callable[[bytes], None] | None = None,
                   renderer: Worker | None = None) -> dict[str, Rendered]:
    """Every asked-for format, in memory, but the PDF when `pdf_job` is
    given: it is given the PDF's print job and typesets it (see
    pipeline/run/worker.py) while this process makes the others; `finish`
    waits for it. `early` is given the HTML as soon as it is made, which is
    then first, before the PDF's print job: `watch` shows it while the PDF
    is made. `renderer`: a process that loaded the backends while this one
    read the source (run/ahead.py) makes them all instead."""
    if renderer is not None:
        return rendered_by(renderer, doc, options, reporter)
    ctx = context(doc, options)
    results: dict[str, Rendered] = {}
    if early is not None and "html" in options.formats:
        results["html"] = render(doc, "html", ctx, reporter)
        early(results["html"].data)
    if pdf_job:
        from pipeline.render import pdf
        pdf_job.give(pdf.render(doc, ctx, reporter))
    for fmt in options.formats:
        if fmt not in results and not (fmt == "pdf" and pdf_job):
            results[fmt] = render(doc, fmt, ctx, reporter)
    return {fmt: results[fmt] for fmt in options.formats if fmt in results}


def rendered_by(renderer: Worker, doc: m.Document, options: Options, reporter: Reporter) -> dict[str, Rendered]:
    """The formats `renderer` made of `doc` (render_apart there), its
    problems now the reporter's, as if made here. Should it be gone
    (killed from outside), they are made here."""
    try:
        renderer.give(doc, options)
        results, problems = renderer.result()
    except (WorkerLost, OSError):
        return render_formats(doc, options, reporter)
    for problem in problems:
        reporter.add(problem)
    return results


def render_apart(doc: m.Document, options: Options) -> tuple[dict[str, Rendered], list[Problem]]:
    """In a renderer (run/ahead.py): every format of `doc` but the PDF, and
    what the backends reported."""
    reporter = Reporter(str(doc.path), options.silenced)
    ctx = context(doc, options)
    return {fmt: render(doc, fmt, ctx, reporter) for fmt in options.formats}, reporter.problems


def make(path: Path, options: Options, pdf_job: Worker | None = None,
         early: Callable[[bytes], None] | None = None, renderer: Worker | None = None) -> Made:
    """Read, transform and render one source, in memory; write nothing. The
    PDF is made by `pdf_job` when one is given (see pipeline/run/worker.py);
    `early` is given the HTML first (render_formats); `renderer` makes the
    formats when given (render_formats). With `pdf_job`, the
    PDF is not waited for: the Made names its target (`pdf`), and `finish`
    adds it."""
    from pipeline.markings.rules import rollup_dict

    files = targets(path, options.formats, options.out_dir)
    for target in files:
        if target.resolve() == path.resolve():
            raise BriefingError.one(str(path), None, "option.overwrites-source",
                                    f"output {target} would overwrite the source")
    reporter = Reporter(str(path), options.silenced)
    doc = load(path, reporter, marking=options.marking)
    shown = figure_nodes(doc)
    read = figures(shown)
    try:
        results = render_formats(doc, options, reporter, pdf_job, early, renderer)
    except BriefingError as error:  # a backend's: with the reading's warnings, all at once
        reporter.merge(error)
        raise BriefingError(reporter.sorted(reporter.problems)) from None
    if options.fail_on_warning:
        reporter.fail_on_warnings()  # once rendered: the backends' warnings count too
    rendered = figures(shown, read)
    return Made(files={target: results[fmt].data for target, fmt in zip(files, options.formats)
                       if fmt in results},
                warnings=reporter.warnings,
                pages=results["pdf"].pages if "pdf" in results else None,
                markings=doc.meta.classification,
                inputs={path: digest if rendered[path] == digest else None for path, digest in read.items()},
                rollup=rollup_dict(doc.rollup),
                pdf=files[options.formats.index("pdf")] if pdf_job and "pdf" in options.formats else None)


def finish(made: Made, pdf_job: Worker, path: Path, options: Options, seconds: float) -> Made:
    """`made` with its PDF, once the PDF worker has typeset it: waited for
    at most `seconds` (what is left of the briefing's time limit). The
    command's process waits, not the process that made the other formats:
    that one has ended by now, and with it what reading and rendering left
    (70 MB of the 1,000-page benchmark, held while the PDF was typeset)."""
    from dataclasses import replace

    try:
        data, warnings, pages = pdf_job.result(timeout=seconds)
    except WorkerLost:
        raise BriefingError.one(str(path), None, "build.lost", "the process typesetting its PDF ended "
                                "without an answer (killed from outside? the system's out-of-memory "
                                "killer does that); nothing was written") from None
    except TimeoutError:
        from pipeline.run.crew import Lost

        pdf_job.stop(trace=True)
        raise BriefingError.one(str(path), None, "build.time-limit",
                                Lost(options.time_limit, limit=options.time_limit).describe()) from None
    reporter = Reporter(str(path), options.silenced)
    for problem in (*made.warnings, *warnings):
        reporter.add(problem)
    if options.fail_on_warning:
        reporter.fail_on_warnings()  # the PDF's warnings count too
    files = {target: data if target == made.pdf else made.files[target]
             for target in targets(path, options.formats, options.out_dir)}
    return replace(made, files=files, warnings=reporter.warnings, pages=pages, pdf=None)


def figures(nodes: list, before: dict[Path, str | None] | None = None) -> dict[Path, str | None]:
    """Each figure the document shows (and each PDF enclosure: a changed
    one rebuilds too), with the hash of its bytes: of the bytes the model
    carries when it carries them (`data`: read once, checked and embedded),
    else of the file as it is now. `make` takes them before and after
    rendering: a figure saved in between is recorded as unknown (None), so
    the next build rebuilds instead of calling outputs made from the old
    figure up to date. Bytes the model carries cannot change meanwhile: the
    second look (`before` given) takes their hash from the first."""
    import hashlib

    from pipeline.run.manifest import digest_file

    found: dict[Path, str | None] = {}
    for node in nodes:
        path, data = Path(node.path), getattr(node, "data", None)
        if not isinstance(data, bytes):
            found[path] = digest_file(path)
        elif before is not None and path in before:
            found[path] = before[path]
        else:
            found[path] = hashlib.sha256(data).hexdigest()
    return found


def figure_nodes(doc: m.Document) -> list[m.Figure | m.Image | m.Enclosure]:
    """The figures, images and enclosures of `doc` (one walk of it)."""
    from pipeline.model import Figure, Image, walk

    # A remote figure's frame (path "") has no file to watch.
    return [*(b for b in walk.blocks(doc) if isinstance(b, Figure) and b.path),
            *(i for i in walk.inlines(doc) if isinstance(i, Image)), *doc.enclosures]


def write(made: Made, source_name: str, log: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Write a made briefing's files, all of them or none; return them."""
    write_all(made.files, source_name)
    for target in made.files:
        log(str(target))
    return list(made.files)


def write_all(files: dict[Path, bytes], source_name: str) -> None:
    """Every file, or none: each is written whole to a temporary file beside
    its target first, and only once all are written are they renamed into
    place, with signals held off meanwhile. A write that fails (a full disk)
    leaves every earlier output as it was: never a new PDF beside an old
    HTML. Should a rename fail, the ones done are put back."""
    staged: list[tuple[Path, Path]] = []  # (temporary, target)
    try:
        for target, data in files.items():
            staged.append((stage(target, data, source_name), target))
        with signals_held():
            commit(staged, source_name)
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)  # gone once renamed


def stage(target: Path, data: bytes, source_name: str) -> Path:
    """`data` in a new temporary file beside `target`."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = new_temporary(target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise BriefingError.one(source_name, None, "output.unwritable",
                                f"cannot write to {target.parent}: {error.strerror}") from None
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temp, 0o644)
    except BaseException as error:  # Ctrl-C included: never leave a temp file behind
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise unwritable(target, source_name, error) from None
        raise
    return temp


def commit(staged: list[tuple[Path, Path]], source_name: str) -> None:
    """Rename every staged file into place, keeping each earlier output (a
    hard link) until all are in; if one rename fails, undo the others."""
    kept: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for _, target in staged:
            if target.exists():
                keep = target.with_name(f".{target.name}.{os.getpid()}.old")
                try:
                    os.link(target, keep)
                    kept[target] = keep
                except OSError:
                    pass  # no hard links here (or no room): no undo for this one
        try:
            for temp, target in staged:
                os.replace(temp, target)
                done.append(target)
        except OSError as error:
            for target in done:
                if target in kept:
                    os.replace(kept.pop(target), target)
                else:
                    target.unlink(missing_ok=True)
            raise unwritable(target, source_name, error) from None
    finally:
        for keep in kept.values():
            keep.unlink(missing_ok=True)


def unwritable(target: Path, source_name: str, error: OSError) -> BriefingError:
    """A file that could not be written, said of the source it was for (or
    of itself: the manifest, a report)."""
    what = "" if source_name == str(target) else f" {target}"
    return BriefingError.one(source_name, None, "output.unwritable", f"cannot write{what}: {error.strerror}")


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until the block is done (renames:
    a moment), so that it is never cut in half."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def targets(path: Path, formats: tuple[str, ...], out_dir: Path) -> list[Path]:
    """The files a build of `path` writes, one per format."""
    return [out_dir / f"{path.stem}.{fmt}" for fmt in formats]


def write_atomic(target: Path, data: bytes, source_name: str) -> None:
    """One file, whole or not at all."""
    write_all({target: data}, source_name)


def write_new(target: Path, data: bytes, source_name: str) -> None:
    """Write a file that must not exist yet: whole or not at all, and never
    over an existing file, even one that appears meanwhile."""
    write_atomic(target.with_name(f".{target.name}.new"), data, source_name)
    staged = target.with_name(f".{target.name}.new")
    try:
        os.link(staged, target)  # fails if the target exists, unlike a rename
    except FileExistsError:
        raise BriefingError.one(str(target), None, "output.exists", "already exists; not overwritten") from None
    except OSError as error:
        raise BriefingError.one(str(target), None, "output.unwritable", f"cannot write: {error.strerror}") from None
    finally:
        staged.unlink(missing_ok=True)
