"""The build's own path from a document to a format's bytes, for tests that
look at one format: `pipeline.run.build.context` and `render`, exactly what
`briefing build` runs for each format (in one process)."""

from __future__ import annotations

from pathlib import Path

from pipeline import model as m
from pipeline.problems import Problem, Reporter
from pipeline.render.formats import PDF_VARIANTS
from pipeline.render.templates import Templates
from pipeline.run.build import Options, context, render


def rendered(doc: m.Document, fmt: str, templates: Templates | None = None,
             variant: str = PDF_VARIANTS[0]) -> tuple[bytes, tuple[Problem, ...]]:
    """A format's bytes and the warnings its backend reported."""
    reporter = Reporter(doc.path)
    options = Options(templates=templates or Templates(), pdf_variant=variant)
    return render(doc, fmt, context(doc, options), reporter).data, reporter.warnings


def pdf_of(doc: m.Document, templates: Templates | None = None,
           variant: str = PDF_VARIANTS[0]) -> tuple[bytes, tuple[Problem, ...]]:
    return rendered(doc, "pdf", templates, variant)


def html_of(doc: m.Document, templates: Templates | None = None) -> str:
    return rendered(doc, "html", templates)[0].decode("utf-8")


def job_of(doc: m.Document, templates: Templates | None = None, variant: str = PDF_VARIANTS[0]):
    """The PDF backend's print job, as the build hands it to the PDF worker."""
    from pipeline.render import pdf

    options = Options(templates=templates or Templates(), pdf_variant=variant)
    return pdf.render(doc, context(doc, options), Reporter(doc.path))


def formats_of(doc: m.Document, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Each of `formats`, made from one context as a build makes them."""
    reporter = Reporter(doc.path)
    ctx = context(doc, Options(formats=formats))
    return {fmt: render(doc, fmt, ctx, reporter).data for fmt in formats}


MAKE_PDFS = """
import hashlib, importlib, sys
from pathlib import Path
from pipeline.problems import Reporter
from pipeline.run.build import Options, context, load, render
if sys.argv[2] == "without":
    importlib.import_module(sys.argv[1]).install = lambda: None
for source in sys.argv[3:]:
    doc = load(Path(source))
    pdf = render(doc, "pdf", context(doc, Options()), Reporter(source)).data
    print(hashlib.sha256(pdf).hexdigest())
"""


def pdf_digests_with_and_without(patch: str, sources) -> dict[str, list[str]]:
    """The sha256 of each source's PDF, made in a fresh process with the
    WeasyPrint patch module `patch` (pipeline.weasy.NAME) installed and
    without it, at fixed dates: {"with": [...], "without": [...]}."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "SOURCE_DATE_EPOCH": "1764000000"}
    return {way: subprocess.run([sys.executable, "-c", MAKE_PDFS, patch, way, *map(str, sources)], env=env,
                                capture_output=True, text=True, check=True).stdout.split()
            for way in ("with", "without")}


MAKE_MARKUP_PDF = """
import hashlib, importlib, sys
patch = importlib.import_module(sys.argv[1])
from pipeline.weasy.typeset import import_weasyprint, offline_fetcher
weasyprint = import_weasyprint()
if sys.argv[2] == "with":
    assert patch.install() is None and patch.PATCH.applied
document = weasyprint.HTML(string=sys.stdin.read(), url_fetcher=offline_fetcher(weasyprint)).render()
pdf = document.write_pdf(pdf_tags=True, pdf_identifier=False)
print(len(document.pages), hashlib.sha256(pdf).hexdigest())
"""


def markup_pdfs_with_and_without(patch: str, markup: str) -> dict[str, tuple[int, str]]:
    """Pages and sha256 of WeasyPrint's tagged PDF of `markup` (HTML and
    CSS beyond ours), made in a fresh process with the patch module `patch`
    installed and without it: {"with": (pages, digest), "without": ...}."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "SOURCE_DATE_EPOCH": "1764000000"}
    made = {}
    for way in ("with", "without"):
        pages, digest = subprocess.run([sys.executable, "-c", MAKE_MARKUP_PDF, patch, way], input=markup,
                                       env=env, capture_output=True, text=True, check=True).stdout.split()
        made[way] = (int(pages), digest)
    return made
