"""Read, transform, render and write: the only module that writes files.

Every format is rendered in memory before anything is written, and each file
is written to a temporary name in the target folder and renamed into place,
so a failed or interrupted build leaves the previous good outputs untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.run import worker as pdf_worker
from pipeline.problems import BriefingError, Problem
from pipeline.run.formats import FORMATS, PDF_VARIANTS
from pipeline.run.limits import DEFAULT_SECONDS, Worker, stopped, time_limit
from pipeline.render.templates import Templates

if TYPE_CHECKING:
    from pipeline import model as m


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = FORMATS
    out_dir: Path = Path("build")
    templates: Templates = Templates()
    warn: Callable[[Problem], None] = lambda problem: None
    time_limit: float = DEFAULT_SECONDS  # for reading and rendering one source
    pdf_variant: str = PDF_VARIANTS[0]
    reference_doc: Path | None = None  # the DOCX's styles; default: docx/reference.docx of the templates


@dataclass(frozen=True)
class Made:
    """One briefing rendered in memory, before anything is written."""
    files: dict[Path, bytes]  # target -> bytes, in the order of the formats
    warnings: tuple[Problem, ...]
    pages: int | None  # of the PDF, when one was made
    markings: str  # the overall classification
    inputs: tuple[Path, ...]  # what it read besides the source and templates: figures


def load(path: Path) -> m.Document:
    """Source file -> final document model (the whole of `briefing check`).
    The stages are imported here, not at the top: a batch whose briefings
    are all up to date never loads Python-Markdown."""
    from pipeline.read.frontmatter import read_meta
    from pipeline.read.markdown import parse
    from pipeline.read.source import read_source
    from pipeline.transform.passes import finish

    source = read_source(path)
    meta, body_line = read_meta(source)
    problems: list = []  # what reading can go past, reported with the checks' own
    return finish(parse(source, meta, body_line, problems), problems)


def render(doc: m.Document, fmt: str, templates: Templates, pdf_variant: str = PDF_VARIANTS[0],
           reference_doc: Path | None = None) -> tuple[bytes, list[Problem], int | None]:
    """One format's bytes, warnings and (for the PDF) pages. Backends are
    imported on demand: WeasyPrint and python-docx are slow to load."""
    match fmt:
        case "html":
            from pipeline.render.html import render_html
            return render_html(doc, templates).encode("utf-8"), [], None
        case "pdf":
            from pipeline.render.pdf import print_job
            from pipeline.weasy.typeset import typeset
            return typeset(print_job(doc, templates, pdf_variant))
        case "docx":
            from pipeline.markings.blocks import first_page_blocks
            from pipeline.render.docx import make_docx
            reference = reference_doc or templates.path("docx/reference.docx")
            data, borrowed = make_docx(doc, reference, templates.labels(),
                                       first_page_blocks(doc.meta, templates))
            return data, [Problem(str(reference), None, f"DOCX: the reference document has no style "
                                  f"{name!r}; briefing's own was used", warning=True)
                          for name in borrowed], None
        case _:
            raise ValueError(f"unknown format {fmt}")


def render_formats(doc: m.Document, options: Options, pdf_job: Worker | None = None
                   ) -> dict[str, tuple[bytes, list[Problem], int | None]]:
    """Every asked-for format, in memory; the PDF by `pdf_job` when given
    (see pipeline/run/worker.py), while this process makes the others."""
    results: dict[str, tuple[bytes, list[Problem], int | None]] = {}
    if pdf_job:
        from pipeline.render.pdf import print_job
        pdf_job.give(print_job(doc, options.templates, options.pdf_variant))
    for fmt in options.formats:
        if not (fmt == "pdf" and pdf_job):
            results[fmt] = render(doc, fmt, options.templates, options.pdf_variant,
                                  options.reference_doc)
    if pdf_job:
        results["pdf"] = pdf_job.result()
    return {fmt: results[fmt] for fmt in options.formats}


def render_all(doc: m.Document, options: Options) -> dict[str, bytes]:
    """Every asked-for format's bytes; warnings go to `options.warn`."""
    with stopped(pdf_worker.start(options.formats, briefings=1, jobs=2)) as pdf_job:
        results = render_formats(doc, options, pdf_job)
    for _, warnings, _ in results.values():
        for warning in warnings:
            options.warn(warning)
    return {fmt: data for fmt, (data, _, _) in results.items()}


def make(path: Path, options: Options, pdf_job: Worker | None = None) -> Made:
    """Read, transform and render one source, in memory; write nothing. The
    PDF is made by `pdf_job` when one is given (see pipeline/run/worker.py)."""
    from pipeline.model import Figure, document_blocks

    files = targets(path, options.formats, options.out_dir)
    for target in files:
        if target.resolve() == path.resolve():
            raise BriefingError(str(path), None, f"output {target} would overwrite the source")
    with time_limit(options.time_limit, str(path)):
        doc = load(path)
        results = render_formats(doc, options, pdf_job)
    figures = dict.fromkeys(Path(b.path) for b in document_blocks(doc) if isinstance(b, Figure))
    return Made(files={target: results[fmt][0] for target, fmt in zip(files, options.formats)},
                warnings=(*doc.warnings, *(w for _, warnings, _ in results.values() for w in warnings)),
                pages=results["pdf"][2] if "pdf" in results else None,
                markings=doc.meta.classification, inputs=tuple(figures))


def write(made: Made, source_name: str, log: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Write a made briefing's files, each atomically; return them."""
    for target, data in made.files.items():
        write_atomic(target, data, source_name)
        log(str(target))
    return list(made.files)


def build(path: Path, options: Options, log: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Build one source into every asked-for format; return the files written."""
    with stopped(pdf_worker.start(options.formats, briefings=1, jobs=2)) as pdf_job:
        made = make(path, options, pdf_job)
    for warning in made.warnings:
        options.warn(warning)
    return write(made, str(path), log)


def targets(path: Path, formats: tuple[str, ...], out_dir: Path) -> list[Path]:
    """The files a build of `path` writes, one per format."""
    return [out_dir / f"{path.stem}.{fmt}" for fmt in formats]


def write_atomic(target: Path, data: bytes, source_name: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise BriefingError(source_name, None,
                            f"cannot write to {target.parent}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException as error:  # Ctrl-C included: never leave a temp file behind
        Path(temp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BriefingError(source_name, None, f"cannot write {target}: {error.strerror}") from None
        raise


def write_new(target: Path, data: bytes, source_name: str) -> None:
    """Write a file that must not exist yet: whole or not at all, and never
    over an existing file, even one that appears meanwhile."""
    write_atomic(target.with_name(f".{target.name}.new"), data, source_name)
    staged = target.with_name(f".{target.name}.new")
    try:
        os.link(staged, target)  # fails if the target exists, unlike a rename
    except FileExistsError:
        raise BriefingError(str(target), None, "already exists; not overwritten") from None
    except OSError as error:
        raise BriefingError(str(target), None, f"cannot write: {error.strerror}") from None
    finally:
        staged.unlink(missing_ok=True)
