"""PDF enclosures (front matter `enclosures:`), checked once before any
backend sees them: a PDF file beside the source (no URL, no absolute path,
no way out through `..` or a symlink), at most 50 MB and 500 pages, that
qpdf (through pikepdf) can open without a password; its declared marking
a banner the scheme knows, never above the briefing's own banner (which is
the highest of all it carries). The PDF backend appends its pages, each
under the enclosure's own banners; the other formats list it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from pipeline import model as m
from pipeline.markings import rules as markings
from pipeline.problems import Problem, excerpt

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 500


def read_enclosures(meta: m.Meta, folder: Path, path: str, problems: list[Problem]
                    ) -> tuple[m.Enclosure, ...]:
    out = []
    banner = markings.read_banner(meta.classification, meta.marking_scheme)
    for number, (name, title, marking, line) in enumerate(meta.enclosures, start=1):
        def problem(code: str, message: str) -> None:
            problems.append(Problem(path, line, f"enclosure {number} '{excerpt(name, 60)}': {message}",
                                    code=f"enclosure.{code}"))
        if not name:  # a title only: listed, not attached
            continue
        try:
            file = checked_path(name, folder)
            pages = pdf_pages(file)
        except ValueError as error:
            problem("invalid", str(error))
            continue
        declared = markings.read_banner(marking, meta.marking_scheme)
        if declared is None or markings.classification_problem(marking, meta.marking_scheme):
            problem("marking", f"its classification '{excerpt(marking, 40)}' is not a marking "
                    "briefing knows (" + (markings.classification_problem(marking, meta.marking_scheme)
                                          or "see classification") + ")")
            continue
        if banner is not None and above(declared, banner):
            problem("above-banner", f"it is marked {marking}, above the briefing's banner "
                    f"{meta.classification}: the banner must be the highest of all it carries")
        out.append(m.Enclosure(number=number, path=str(file), title=title, classification=marking,
                               pages=pages, line=line))
    return tuple(out)


def above(enclosure: markings.Marking, banner: markings.Marking) -> bool:
    """A higher level, or a restricting control the banner lacks."""
    return (enclosure.scheme == banner.scheme and enclosure.rank > banner.rank) or \
        bool((enclosure.controls & set(markings.RESTRICTIONS)) - banner.controls)


def checked_path(name: str, folder: Path) -> Path:
    relative = PurePosixPath(name)
    if "://" in name or relative.is_absolute() or not relative.parts:
        raise ValueError("must be a PDF file beside the source, as a relative path")
    base = folder.resolve()
    if not (base / relative).resolve().is_relative_to(base):
        raise ValueError("is outside the source's folder")
    try:
        path = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        raise ValueError("does not exist") from None
    if not path.is_file():
        raise ValueError("is not a regular file")
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"is larger than {MAX_BYTES // 2**20} MB")
    with path.open("rb") as file:
        if not file.read(1024).lstrip().startswith(b"%PDF-"):
            raise ValueError("is not a PDF")
    return path


def pdf_pages(path: Path) -> tuple[tuple[float, float], ...]:
    """Each page's width and height in points, as it is shown (rotation
    counted)."""
    import pikepdf  # only for a briefing with enclosures

    try:
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ValueError(f"has more than {MAX_PAGES} pages")
            sizes = []
            for page in pdf.pages:
                box = [float(v) for v in page.mediabox]
                width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
                if int(page.obj.get("/Rotate", 0)) % 180:
                    width, height = height, width
                sizes.append((width, height))
    except pikepdf.PasswordError:
        raise ValueError("is protected by a password") from None
    except pikepdf.PdfError as error:
        raise ValueError(f"cannot be read as a PDF ({str(error)[:80]})") from None
    if not sizes:
        raise ValueError("has no pages")
    return tuple(sizes)
