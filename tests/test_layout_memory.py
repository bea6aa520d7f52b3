"""pipeline/weasy/layout_memory.py: WeasyPrint's layout state is let go as
soon as the pages are laid out, not kept while the PDF is drawn; the PDFs
are the same byte for byte."""

import os
import subprocess
import sys

from conftest import FIXTURES, ROOT

CONTEXT_FREED = """
import gc, sys, weakref
from pathlib import Path
from pipeline.weasy import layout_memory
from pipeline.weasy.typeset import import_weasyprint, offline_fetcher, typeset
from pipeline.run.build import load
sys.path.insert(0, "tests")
from rendering import job_of
from pipeline.render.templates import Templates
if sys.argv[1] == "with":
    layout_memory.install()
weasyprint = import_weasyprint()
from weasyprint import layout
contexts = []
made = layout.LayoutContext.__init__
def remembered(self, *args):
    made(self, *args)
    contexts.append(weakref.ref(self))
layout.LayoutContext.__init__ = remembered
job = job_of(load(Path(sys.argv[2])), Templates())
gc.disable()  # what frees the context now is counting references, not the collector
document = weasyprint.HTML(string=job.markup, url_fetcher=offline_fetcher(weasyprint)).render()
context = contexts[0]()
print(len(document.pages), "freed" if context is None else ",".join(sorted(vars(context))))
"""


def context_after_layout(way: str, source: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", CONTEXT_FREED, way, str(FIXTURES / source)],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, check=True).stdout.split()


def test_the_layout_context_keeps_only_what_drawing_needs_once_the_pages_are_laid_out():
    """An SVG image (every print page draws one) keeps the context to draw
    its text and images with: all the layout's state is let go."""
    for source in ("outline.md", "svg-figure.md"):
        pages, kept = context_after_layout("with", source)
        assert int(pages) >= 1 and kept == "dictionaries,font_config,get_image_from_uri"
    # WeasyPrint on its own: every style and page state stays while the PDF is drawn.
    assert {"style_for", "page_maker", "tables"} <= set(context_after_layout("without", "outline.md")[1].split(","))


MAKE_PDF = """
import hashlib, sys
from pathlib import Path
from pipeline.weasy import layout_memory
from pipeline.problems import Reporter
from pipeline.run.build import Options, context, load, render
if sys.argv[1] == "without":
    layout_memory.install = lambda: None
    layout_memory.let_pages_go = lambda document, pdf: None
for source in sys.argv[2:]:
    doc = load(Path(source))
    pdf = render(doc, "pdf", context(doc, Options()), Reporter(source)).data
    print(hashlib.sha256(pdf).hexdigest())
"""


def test_the_pdfs_are_the_same_byte_for_byte_with_and_without():
    sources = [FIXTURES / "information-paper.md", FIXTURES / "figures.md", FIXTURES / "footnotes.md",
               FIXTURES / "svg-figure.md", FIXTURES / "math.md", FIXTURES / "tables.md",
               ROOT / "source" / "military-diplomacy-counter-terrorism.md"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1764000000"}
    digests = {way: subprocess.run([sys.executable, "-c", MAKE_PDF, way, *map(str, sources)], env=env,
                                   capture_output=True, text=True, check=True).stdout.split()
               for way in ("with", "without")}
    assert len(digests["with"]) == len(sources) and digests["with"] == digests["without"]


PAGES_FREED = """
import gc, sys, weakref
from pathlib import Path
from pipeline.weasy import layout_memory
from pipeline.weasy.typeset import import_weasyprint, offline_fetcher
from pipeline.run.build import load
sys.path.insert(0, "tests")
from rendering import job_of
from pipeline.render.templates import Templates
weasyprint = import_weasyprint()
layout_memory.install()  # else an SVG image keeps the context, and through it a page
job = job_of(load(Path(sys.argv[1])), Templates())
document = weasyprint.HTML(string=job.markup, url_fetcher=offline_fetcher(weasyprint)).render()
boxes = [weakref.ref(box) for page in document.pages
         for box in (page._page_box, *page._page_box.descendants())]
alive = []
def finisher(document, pdf):
    layout_memory.let_pages_go(document, pdf)
    gc.collect()
    alive.append(sum(box() is not None for box in boxes))
document.write_pdf(pdf_tags=True, finisher=finisher)
print(len(document.pages), len(boxes), *alive)
"""


def test_the_pages_boxes_are_let_go_before_the_pdf_is_written():
    """Tagged, with footnotes and SVG: the boxes each page's content stream
    marked for the tags go too."""
    for source in ("outline.md", "footnotes.md", "svg-figure.md"):
        pages, boxes, alive = map(int, subprocess.run(
            [sys.executable, "-c", PAGES_FREED, str(FIXTURES / source)], cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
            check=True).stdout.split())
        assert pages >= 1 and boxes > 20 * pages and alive == 0


def test_the_pages_patch_fits_the_installed_weasyprint():
    from pipeline.weasy import layout_memory

    assert layout_memory.PAGES.check() is None


def test_the_boxes_memory_is_given_back_once_they_are_let_go(monkeypatch):
    from types import SimpleNamespace

    from pipeline import collector
    from pipeline.weasy import layout_memory

    order = []
    page = SimpleNamespace(_page_box="boxes", links=[("internal", "x", (0, 0, 1, 1), "box")])
    monkeypatch.setattr(collector, "give_back", lambda: order.append(vars(page).copy()))
    layout_memory.let_pages_go(SimpleNamespace(pages=[page]), pdf=None)
    assert order == [{"_page_box": None, "links": []}]  # given back after the boxes were let go
