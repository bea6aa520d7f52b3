"""Read, transform, render and write: the only module that writes files.

Every format is rendered in memory before anything is written, and each file
is written to a temporary name in the target folder and renamed into place,
so a failed or interrupted build leaves the previous good outputs untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline import model as m
from pipeline.errors import BriefingError, Problem
from pipeline.frontmatter import read_meta
from pipeline.limits import DEFAULT_SECONDS, Worker, time_limit
from pipeline.parse import parse
from pipeline.source import read_source
from pipeline.templating import Templates
from pipeline.transforms import finish

FORMATS = ("pdf", "docx", "html")


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = FORMATS
    out_dir: Path = Path("build")
    templates: Templates = Templates()
    warn: Callable[[Problem], None] = lambda problem: None
    time_limit: float = DEFAULT_SECONDS  # for reading and rendering one source


def load(path: Path) -> m.Document:
    """Source file -> final document model (the whole of `briefing check`)."""
    source = read_source(path)
    meta, body_line = read_meta(source)
    return finish(parse(source, meta, body_line))


def render(doc: m.Document, fmt: str, templates: Templates) -> tuple[bytes, list[Problem]]:
    """One format's bytes and warnings. Backends are imported on demand:
    WeasyPrint and python-docx are slow to load."""
    match fmt:
        case "html":
            from pipeline.render_html import render_html
            return render_html(doc, templates).encode("utf-8"), []
        case "pdf":
            from pipeline.render_pdf import render_pdf
            return render_pdf(doc, templates)
        case "docx":
            from pipeline.markings import first_page_blocks
            from pipeline.render_docx import render_docx
            return render_docx(doc, templates.path("docx/reference.docx"), templates.labels(),
                               first_page_blocks(doc.meta, templates)), []
        case _:
            raise ValueError(f"unknown format {fmt}")


def render_all(doc: m.Document, options: Options) -> dict[str, bytes]:
    """Every asked-for format, in memory. The PDF, by far the slowest, is
    typeset in a forked worker while this process makes the others."""
    results: dict[str, tuple[bytes, list[Problem]]] = {}
    with contextlib.ExitStack() as stack:
        pdf_job = None
        if "pdf" in options.formats and len(options.formats) > 1 and spare_core():
            pdf_job = Worker(render, doc, "pdf", options.templates)
            stack.callback(pdf_job.stop)  # on an error, a time limit or Ctrl-C too
        for fmt in options.formats:
            if not (fmt == "pdf" and pdf_job):
                results[fmt] = render(doc, fmt, options.templates)
        if pdf_job:
            results["pdf"] = pdf_job.result()
    for _, warnings in results.values():
        for warning in warnings:
            options.warn(warning)
    return {fmt: results[fmt][0] for fmt in options.formats}


def spare_core() -> bool:
    return len(os.sched_getaffinity(0)) > 1 if hasattr(os, "sched_getaffinity") else False


def build(path: Path, options: Options, log: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Build one source into every asked-for format; return the files written."""
    files = dict(zip(options.formats, targets(path, options.formats, options.out_dir)))
    for target in files.values():
        if target.resolve() == path.resolve():
            raise BriefingError(str(path), None, f"output {target} would overwrite the source")
    with time_limit(options.time_limit, str(path)):
        doc = load(path)
        for warning in doc.warnings:
            options.warn(warning)
        outputs = render_all(doc, options)
    for fmt, data in outputs.items():
        write_atomic(files[fmt], data, str(path))
        log(str(files[fmt]))
    return list(files.values())


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
