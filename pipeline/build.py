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

from pipeline import model as m
from pipeline.errors import BriefingError, Problem
from pipeline.frontmatter import read_meta
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


def load(path: Path) -> m.Document:
    """Source file -> final document model (the whole of `briefing check`)."""
    source = read_source(path)
    meta, body_line = read_meta(source)
    return finish(parse(source, meta, body_line))


def render(doc: m.Document, fmt: str, options: Options) -> bytes:
    # Backends are imported on demand: WeasyPrint and python-docx are slow to load.
    match fmt:
        case "html":
            from pipeline.render_html import render_html
            return render_html(doc, options.templates).encode("utf-8")
        case "pdf":
            from pipeline.render_pdf import render_pdf
            return render_pdf(doc, options.templates, options.warn)
        case "docx":
            from pipeline.render_docx import render_docx
            return render_docx(doc, options.templates.path("docx/reference.docx"))
        case _:
            raise ValueError(f"unknown format {fmt}")


def build(path: Path, options: Options, log: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Build one source into every asked-for format; return the files written."""
    doc = load(path)
    targets = {fmt: options.out_dir / f"{path.stem}.{fmt}" for fmt in options.formats}
    for target in targets.values():
        if target.resolve() == path.resolve():
            raise BriefingError(str(path), None, f"output {target} would overwrite the source")
    outputs = {fmt: render(doc, fmt, options) for fmt in options.formats}
    for fmt, data in outputs.items():
        write_atomic(targets[fmt], data, str(path))
        log(str(targets[fmt]))
    return list(targets.values())


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
