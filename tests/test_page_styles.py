"""pipeline/weasy/page_styles.py: pages of one kind share their styles, with the
same PDF as WeasyPrint makes on its own."""

import os
import shutil
import subprocess
import sys

import pytest

from pipeline.weasy import page_styles
from pipeline.run.build import load
from rendering import job_of, pdf_digests_with_and_without, pdf_of
from pipeline.render.templates import BUILTIN, Templates
from pipeline.weasy.typeset import import_weasyprint, offline_fetcher, typeset

from conftest import FIXTURES, ROOT
from readers import pdf_text

PARAGRAPH = "Text of the briefing, long enough to fill a few lines of the page. " * 12
SOURCE = ("---\ntitle: Kinds of pages\nshort_title: Kinds\nclassification: UNCLASSIFIED\n---\n"
          + "\n\n".join(f"## Part {n}\n\n{PARAGRAPH}\n\n{PARAGRAPH}" for n in range(1, 13)) + "\n")


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("kinds") / "kinds.md"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def test_pages_of_one_kind_share_their_styles(source):
    typeset(job_of(load(source), Templates()))  # installs the patch, as every build does
    weasyprint = import_weasyprint()
    job = job_of(load(source), Templates())
    document = weasyprint.HTML(string=job.markup, url_fetcher=offline_fetcher(weasyprint)).render()
    styles = [page._page_box.style for page in document.pages]  # WeasyPrint's page boxes
    assert len(styles) >= 5
    assert styles[1] is styles[3]  # left-hand pages
    assert styles[2] is styles[4]  # right-hand pages after the first
    assert styles[0] is not styles[2]  # the first page is a kind of its own


def test_the_pdfs_are_the_same_byte_for_byte_with_and_without(source):
    sources = [source, FIXTURES / "information-paper.md", FIXTURES / "tables.md",
               FIXTURES / "footnotes.md", FIXTURES / "markings" / "us-secret.md"]
    digests = pdf_digests_with_and_without("pipeline.weasy.page_styles", sources)
    assert len(digests["with"]) == len(sources) and digests["with"] == digests["without"]


# Stylesheets beyond ours: named and blank pages, a left/right layout, and
# margins in vw, which refer to the size of the first page, made again
# once the contents list knows its page numbers.
PAGES = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 30 + "</p>"
ODD_PAGES = {
    "named and blank": """<style>
@page { size: A5; @bottom-right { content: "p" counter(page) "/" counter(pages); } }
@page :left { margin-left: 30mm; @top-left { content: "L" } }
@page :blank { @top-center { content: "blank" } }
@page :first { margin-top: 40mm }
@page chapter { background: #eef; @top-center { content: string(title) } }
@page chapter:left { margin-right: 25mm }
@page wide { size: A5 landscape }
.chapter { page: chapter; break-before: right } h1 { string-set: title content() }
.wide { page: wide }
</style>""" + "".join(f"<div class=chapter><h1>Chapter {n}</h1>{PAGES * 3}</div><div class=wide>{PAGES}</div>"
                      for n in range(4)),
    "vw margins and a contents list": """<style>
@page { size: A5; margin: 6vw 5vw; @bottom-center { content: counter(page) } }
a::after { content: target-counter(attr(href), page) }
</style><ul>""" + "".join(f'<li><a href="#s{n}">s{n}</a></li>' for n in range(6)) + "</ul>"
    + "".join(f"<h2 id=s{n}>S{n}</h2>{PAGES * 2}" for n in range(6)),
}

MAKE_RAW_PDF = """
import hashlib, sys
from pipeline.weasy import page_styles
from pipeline.weasy.typeset import import_weasyprint
if sys.argv[1] == "with":
    page_styles.install()
print(hashlib.sha256(import_weasyprint().HTML(string=sys.stdin.read()).write_pdf()).hexdigest())
"""


@pytest.mark.parametrize("case", ODD_PAGES)
def test_other_page_rules_give_the_same_pdf_with_and_without(case):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1764000000"}
    digests = {way: subprocess.run([sys.executable, "-c", MAKE_RAW_PDF, way], input=ODD_PAGES[case],
                                   env=env, capture_output=True, text=True, check=True).stdout
               for way in ("with", "without")}
    assert len(digests["with"]) == 65 and digests["with"] == digests["without"]


def test_a_page_chosen_by_its_number_keeps_its_own_styles(source, tmp_path):
    # Page 3 is a right-hand page like 5: with an :nth() rule they must not share.
    (tmp_path / "print").mkdir()
    stylesheet = tmp_path / "print" / "print.css"
    shutil.copy(BUILTIN / "print" / "print.css", stylesheet)
    with stylesheet.open("a", encoding="utf-8") as css:
        css.write('\n@page :nth(3) { @top-left { content: "Third page"; } }\n')
    pdf = tmp_path / "kinds.pdf"
    pdf.write_bytes(pdf_of(load(source), Templates(tmp_path))[0])
    assert [n for n in range(1, 8) if "Third page" in pdf_text(pdf, n)] == [3]
    assert "Kinds" in pdf_text(pdf, 5)


def test_installing_twice_is_harmless():
    page_styles.install()
    from weasyprint.layout import page
    patched = page.set_page_type_computed_styles
    page_styles.install()
    assert page.set_page_type_computed_styles is patched
