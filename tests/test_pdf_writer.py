"""pipeline/weasy/pdf_writer.py: how pydyf writes our PDFs, read back with qpdf."""

import zlib

import pydyf
import pytest

from pipeline.weasy import pdf_writer
from pipeline.run.build import load
from rendering import pdf_of
from pipeline.render.templates import Templates

from conftest import FIXTURES
from readers import pdf_objects


@pytest.fixture(autouse=True)
def installed():
    pdf_writer.install()  # as every PDF build does


def test_streams_are_deflated_at_zlibs_default_level():
    text = (FIXTURES / "elements.md").read_bytes() * 40
    fastest, default, smallest = (zlib.compress(text, level) for level in (1, 6, 9))
    assert len({fastest, default, smallest}) == 3  # the levels give different bytes here
    data = pydyf.Stream([text], compress=True).data
    assert default in data and smallest not in data


def test_page_references_are_made_once_and_follow_new_pages():
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == tuple(f"{n} 0 R".encode() for n in pdf.pages["Kids"][::3])
    assert pdf.page_references is first  # not rebuilt for each question
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 4 and pdf.page_references[:3] == first


def test_structure_elements_point_at_the_pages_of_the_pdf(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf_of(load(FIXTURES / "information-paper.md"), Templates())[0])
    objects = {ref.removeprefix("obj:"): o.get("value") for ref, o in pdf_objects(path).items()}
    pages = {ref for ref, v in objects.items() if isinstance(v, dict) and v.get("/Type") == "/Page"}
    pointed = {v["/Pg"] for v in objects.values()
               if isinstance(v, dict) and v.get("/Type") == "/StructElem" and "/Pg" in v}
    assert len(pages) == 3 and pointed == pages


def test_each_page_is_compressed_as_it_is_drawn_into_the_same_bytes(monkeypatch):
    """The pages' content streams are deflated once each page is drawn, not
    held as operators until the file is written; the PDF is the same."""
    import weasyprint

    from pipeline.weasy.typeset import offline_fetcher, typeset  # noqa: F401 - loads the patches' needs
    from rendering import job_of

    job = job_of(load(FIXTURES / "footnotes.md"), Templates())
    seen = []

    def inspect(document, pdf):
        pages = [o for o in pdf.objects if isinstance(o, dict) and o.get("Type") == "/Page"]
        contents = [pdf.objects[int(page["Contents"].split()[0])] for page in pages]
        seen.extend((len(o.stream), o.compress, o.extra.get("Filter")) for o in contents)

    def made() -> bytes:
        document = weasyprint.HTML(string=job.markup, url_fetcher=offline_fetcher(weasyprint)).render()
        return document.write_pdf(pdf_tags=True, finisher=inspect)

    early = made()
    assert seen and all(kept == (1, False, "/FlateDecode") for kept in seen)
    monkeypatch.setattr(pdf_writer, "compress_now", lambda stream: None)
    seen.clear()
    assert made() == early
    assert seen and all(count > 1 and compress for count, compress, _ in seen)  # as pydyf holds them
