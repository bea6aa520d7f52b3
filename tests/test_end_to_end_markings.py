"""Markings built end to end, one briefing per scheme, read back with
independent tools: the banner on every PDF page (top and bottom bands), in
every DOCX header and footer part and at the top and bottom of the HTML;
portion marks in all three; the first page's marking blocks; the markings
in each format's metadata."""

import re
import zipfile
from pathlib import Path

import docx
import lxml.etree
import lxml.html
import pytest

from conftest import FIXTURES, run_cli
from readers import (docx_via_pandoc, pandoc_blocks, pandoc_text, pdf_band, pdf_info, pdf_page_contents, pdf_text,
                     qpdf_check, soffice_convert, tool)

MARKINGS = FIXTURES / "markings"
BANNERS = {"us-secret": "SECRET//NOFORN", "cui": "CUI", "nato": "NATO CONFIDENTIAL",
           "uk": "OFFICIAL-SENSITIVE"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("markings")
    result = run_cli("build", *sorted(MARKINGS.glob("*.md")), "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", sorted(BANNERS))
def test_pdf_banner_top_and_bottom_of_every_page(built, name):
    pdf = built / f"{name}.pdf"
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 1
    for page in range(1, pages + 1):
        assert BANNERS[name] in words(pdf_band(pdf, page, top=True)), page
        assert BANNERS[name] in words(pdf_band(pdf, page, top=False)), page
    assert "No syntax or stream encoding errors" in qpdf_check(pdf)


@pytest.mark.parametrize("name", sorted(BANNERS))
def test_docx_banner_in_every_header_and_footer_part(built, name):
    with zipfile.ZipFile(built / f"{name}.docx") as package:
        parts = [n for n in package.namelist() if re.fullmatch(r"word/(header|footer)\d*\.xml", n)]
        assert {p.split("/")[1][:6] for p in parts} == {"header", "footer"}
        for part in parts:
            text = "".join(lxml.etree.fromstring(package.read(part)).itertext())
            assert BANNERS[name] in text, part
        assert len(parts) == 4  # a header and a footer, and the first page's own
    document = docx.Document(str(built / f"{name}.docx"))
    for section in document.sections:  # every section, its first page included
        assert section.different_first_page_header_footer
        for part in (section.header, section.footer,  # a DOCPROPERTY field's shown result
                     section.first_page_header, section.first_page_footer):
            assert "".join(part.paragraphs[0]._p.xpath(".//w:t/text()")) == BANNERS[name]
            assert part.paragraphs[0]._p.xpath("w:fldSimple/@w:instr") == [
                " DOCPROPERTY Classification \\* MERGEFORMAT "]


@pytest.mark.parametrize("name", sorted(BANNERS))
def test_html_banner_first_and_last(built, name):
    body = lxml.html.parse(str(built / f"{name}.html")).getroot().body
    elements = list(body)
    assert "banner" in elements[0].get("class") and elements[0].text == BANNERS[name]
    assert "banner" in elements[-1].get("class") and elements[-1].text == BANNERS[name]


def test_portion_marks_in_all_three_formats(built):
    expected = ["(U) This paper sets out", "(S//NF) Allied air policing", "(U) Rotation one",
                "(C) Rotation two", "(U) Do not forward", "(S//NF) Option B",
                "(U) Tanker availability"]  # a footnote, in place in the PDF
    pdf = words(pdf_text(built / "us-secret.pdf"))
    html = lxml.html.parse(str(built / "us-secret.html")).getroot()
    html_text = words(html.text_content())
    ast = docx_via_pandoc(built / "us-secret.docx")
    docx_text = words(" ".join(pandoc_text(b["c"]) for kind in ("Para", "Plain")
                               for b in pandoc_blocks(ast, kind)))
    for phrase in expected:
        assert phrase in pdf and phrase in html_text and phrase in docx_text, phrase
    # Headings and captions: the mark after the number, before the words.
    assert "1 (U) Background" in pdf and "Table 1: (C) Options and their cost" in pdf
    headers = [words(pandoc_text(h["c"][2])) for h in pandoc_blocks(ast, "Header")]
    assert "(U) Background" in headers and "(S) Options" in headers
    # The mark is styled as a mark, not typed as text, in HTML and DOCX.
    # The title first (DoDM 5200.01 Vol 2 marks titles as portions), then the text.
    assert html.xpath("//span[@class='portion']/text()")[:4] == ["(U)", "(U)", "(U)", "(S//NF)"]
    assert words(html.xpath("string(//h1)")) == "(U) Northern Flank Posture"
    assert html.xpath("//h1/span[@class='portion']/text()") == ["(U)"]
    assert html.xpath("//title/text()") == ["(U) Northern Flank Posture"]
    marks = [r.text for p in docx.Document(str(built / "us-secret.docx")).paragraphs
             for r in p.runs if r.style.name == "Portion Mark"]
    assert marks[:4] == ["(U)", "(U)", "(U)", "(S//NF)"]
    title = next(p for p in docx.Document(str(built / "us-secret.docx")).paragraphs
                 if p.style.name == "Title")
    assert [(r.text, r.style.name) for r in title.runs][:1] == [("(U)", "Portion Mark")]
    assert title.text == "(U) Northern Flank Posture"
    assert "(U) Northern Flank Posture" in words(pdf_text(built / "us-secret.pdf", page=1))
    assert len(marks) == len(html.xpath("//span[@class='portion']")) - 1  # the footnote's
    # An id is made from the words, not from the mark.
    assert html.xpath("//section[@id='background']/h2")


def test_marking_blocks_on_the_first_page(built):
    first = words(pdf_text(built / "us-secret.pdf", page=1))
    for line in ("Classified By: J. Smith, Director of Plans", "Derived From: Multiple Sources",
                 "Declassify On: 20511231",
                 "DISTRIBUTION STATEMENT E. Distribution authorized to DoD Components only "
                 "(Operations Security) (2026-11-25). Other requests shall be referred to "
                 "Plans Division, J5."):
        assert line in first, line
    cui = words(pdf_text(built / "cui.pdf", page=1))
    for line in ("Controlled by: Department of Defense", "Controlled by: OUSD(P) Strategy",
                 "CUI Category: OPSEC, PRVCY", "Distribution/Dissemination Control: FEDCON",
                 "POC: J. Smith, 703-555-0100"):
        assert line in cui, line
    paragraphs = docx.Document(str(built / "cui.docx")).paragraphs
    boxed = [p.text for p in paragraphs if p.style.name == "Marking Block"]
    assert boxed == ["Controlled by: Department of Defense", "Controlled by: OUSD(P) Strategy",
                     "CUI Category: OPSEC, PRVCY", "Distribution/Dissemination Control: FEDCON",
                     "POC: J. Smith, 703-555-0100"]
    statement = [p.text for p in docx.Document(str(built / "us-secret.docx")).paragraphs
                 if p.style.name == "Distribution Statement"]
    assert len(statement) == 1 and statement[0].startswith("DISTRIBUTION STATEMENT E.")
    html = lxml.html.parse(str(built / "us-secret.html")).getroot()
    assert html.xpath("//header//div[contains(@class,'marking-authority')]/p/text()")[0] == \
        "Classified By: J. Smith, Director of Plans"
    # NATO and UK documents carry no US authority block.
    assert "Classified By" not in pdf_text(built / "nato.pdf")


def test_docx_title_page_carries_the_marking_blocks(built, tmp_path):
    """Through LibreOffice: the blocks stand on the DOCX's title page, after
    its details, and the text starts on the next page."""
    for name, line in (("cui", "CUI Category: OPSEC, PRVCY"),
                       ("us-secret", "Declassify On: 20511231")):
        pdf = soffice_convert(built / f"{name}.docx", tmp_path, "pdf")
        first = words(pdf_text(pdf, page=1))
        assert line in first and "Date 2026-11-25" in first, name
        assert first.index("Date 2026-11-25") < first.index(line)
        assert "Summary" not in first and "Background" not in first


def test_markings_in_metadata(built):
    custom = tool("pdfinfo", "-custom", built / "us-secret.pdf")
    assert re.search(r"^Classification:\s+SECRET//NOFORN$", custom, re.M)
    assert re.search(r"^DeclassifyOn:\s+20511231$", custom, re.M)
    assert "DISTRIBUTION STATEMENT E." in custom
    xmp = lxml.etree.fromstring(tool("pdfinfo", "-meta", built / "us-secret.pdf").encode())
    ns = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "mrk": "urn:briefing:markings:1",
          "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#"}
    assert len(xmp.findall("rdf:RDF", ns)) == 1  # ours inside WeasyPrint's, as XMP wants
    assert xmp.xpath("//mrk:Classification/text()", namespaces=ns) == ["SECRET//NOFORN"]
    assert xmp.xpath("//mrk:DeclassifyOn/text()", namespaces=ns) == ["20511231"]
    # PDF/A wants every namespace it does not know declared in an extension schema.
    assert xmp.xpath("//pdfaSchema:namespaceURI/text()", namespaces=ns) == ["urn:briefing:markings:1"]
    with zipfile.ZipFile(built / "us-secret.docx") as package:
        props = lxml.etree.fromstring(package.read("docProps/custom.xml"))
        content_types = package.read("[Content_Types].xml").decode()
    values = {p.get("name"): "".join(p.itertext()) for p in props}
    assert values["Classification"] == "SECRET//NOFORN"
    assert values["ClassifiedBy"] == "J. Smith, Director of Plans"
    assert values["PortionMarking"] == "true"
    assert "custom-properties+xml" in content_types
    html = lxml.html.parse(str(built / "cui.html")).getroot()
    assert html.xpath("//meta[@name='Classification']/@content") == ["CUI"]
    assert html.xpath("//meta[@name='CUICategory']/@content") == ["OPSEC, PRVCY"]


def test_libreoffice_reads_the_custom_properties(built, tmp_path):
    """LibreOffice takes the DOCX's custom properties as user-defined
    document properties (File > Properties > Custom Properties)."""
    odt = soffice_convert(built / "cui.docx", tmp_path, "odt")
    with zipfile.ZipFile(odt) as package:
        meta = lxml.etree.fromstring(package.read("meta.xml"))
    ns = {"meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"}
    found = {e.get(f"{{{ns['meta']}}}name"): e.text for e in meta.iterfind(".//meta:user-defined", ns)}
    assert found["Classification"] == "CUI" and found["CUICategory"] == "OPSEC, PRVCY"


def test_banner_colour_follows_the_level(built, tmp_path):
    html = lxml.html.parse(str(built / "us-secret.html")).getroot()
    assert "level-secret" in html.xpath("//body/div[1]/@class")[0]
    # The PDF's two banners of every page are filled with SECRET's red (#c8102e).
    red = rb"0\.784314 0\.062745 0\.180392 rg\s+[\d.]+ [\d.]+ [\d.]+ [\d.]+ re"
    contents = pdf_page_contents(built / "us-secret.pdf", tmp_path)
    assert len(contents) == int(pdf_info(built / "us-secret.pdf")["Pages"])
    assert all(len(re.findall(red, stream)) == 2 for stream in contents.values())
    document = docx.Document(str(built / "us-secret.docx"))
    assert document.sections[0].header.paragraphs[0].style.name == "Classification secret"


def test_check_reports_every_marking_problem_at_once(write):
    path = write("# (S) Heading\n\n(X) Unknown.\n\nNo mark.\n\n(TS) Too high.\n",
                 front="---\ntitle: (U) T\nclassification: SECRET\nportion_marking: true\n"
                       "distribution: B\n---\n")
    result = run_cli("check", path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 9, lines
    assert all(re.match(rf"{re.escape(str(path))}:\d+: ", line) for line in lines)
    assert [int(line.split(":")[1]) for line in lines] == sorted(int(l.split(":")[1]) for l in lines)
    assert sum("classified document needs" in line for line in lines) == 3
    assert sum("distribution statement B needs" in line for line in lines) == 3
    assert any(":9: unknown portion mark '(X)'" in line for line in lines)
    assert any(":11: paragraph has no portion mark" in line for line in lines)
    assert any(":13: portion mark '(TS)' is above the banner 'SECRET'" in line for line in lines)


def test_an_over_marked_banner_is_a_warning(write, tmp_path):
    path = write("# (U) Heading\n\n(C) The highest portion.\n",
                 front="---\ntitle: (U) T\nclassification: SECRET//NOFORN\nportion_marking: true\n"
                       "classified_by: J. Smith\nderived_from: Memo 12\ndeclassify_on: '20501231'\n---\n")
    result = run_cli("build", path, "--out", tmp_path / "out", "--to", "html")
    assert result.returncode == 0
    assert f"{path}:3: warning: the banner 'SECRET//NOFORN' is above every portion" in result.stderr
    assert "carries NOFORN, which no portion does" in result.stderr
    assert (tmp_path / "out" / "brief.html").exists()


def test_an_organisation_rewords_the_blocks(tmp_path):
    """text/markings.yaml in a --templates folder replaces the wording."""
    import yaml
    wording = yaml.safe_load((Path(__file__).parent.parent / "templates/text/markings.yaml").read_text())
    wording["distribution"]["E"] = "Statement E: {reason}; ask {office}."
    wording["authority_block"]["classified_by"] = "Classification authority: {value}"
    (tmp_path / "house" / "text").mkdir(parents=True)
    (tmp_path / "house" / "text" / "markings.yaml").write_text(yaml.safe_dump(wording))
    result = run_cli("build", MARKINGS / "us-secret.md", "--out", tmp_path / "out", "--to", "html,docx",
                     "--templates", tmp_path / "house")
    assert result.returncode == 0, result.stderr
    html = lxml.html.parse(str(tmp_path / "out" / "us-secret.html")).getroot()
    lines = html.xpath("//div[contains(@class,'marking-block')]/p/text()")
    assert "Statement E: Operations Security; ask Plans Division, J5." in lines
    assert "Classification authority: J. Smith, Director of Plans" in lines
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "out" / "us-secret.docx")).paragraphs]
    assert "Statement E: Operations Security; ask Plans Division, J5." in paragraphs


def test_footnote_on_the_page_of_its_call(built):
    """The call falls near the foot of page 1; the note must not be left
    to the next page without it (footnote-policy: line moves both)."""
    pdf = built / "us-secret.pdf"
    pages = [words(pdf_text(pdf, page)) for page in range(1, int(pdf_info(pdf)["Pages"]) + 1)]
    call = [i for i, text in enumerate(pages) if "Option B needs a second tanker" in text]
    note = [i for i, text in enumerate(pages) if "Tanker availability is reported monthly" in text]
    assert call == note and len(call) == 1


def test_a_reference_repeats_the_heading_without_its_mark(write, tmp_path):
    """The DOCX's REF field, as LibreOffice updates it, says the heading's
    words; the heading's portion mark stays out of its bookmark."""
    path = write("# (U) Background {#sec-bg}\n\n(U) See @sec-bg.\n",
                 front="---\ntitle: (U) T\nclassification: UNCLASSIFIED\nportion_marking: true\n---\n")
    assert run_cli("build", path, "--out", tmp_path / "out", "--to", "docx").returncode == 0
    from readers import soffice_to_pdf
    text = words(pdf_text(soffice_to_pdf(tmp_path / "out" / "brief.docx", tmp_path)))
    assert "(U) See Background." in text and "See (U)" not in text


def test_quotes_in_a_row_and_a_marked_cell_in_all_three_formats(tmp_path):
    """Two quotes one after the other keep their own marked attributions,
    and a cell's own mark is shown as a mark, in every format."""
    source = MARKINGS / "accepted" / "quotes-in-a-row.md"
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    html = lxml.html.parse(str(tmp_path / "quotes-in-a-row.html")).getroot()
    quotes = html.xpath("//figure[@class='quote']")
    assert [len(q.xpath("blockquote")) for q in quotes] == [1, 1]
    assert [words(q.xpath("string(figcaption)")) for q in quotes] == [
        "— (U) A former commander", "— (U) An adviser"]
    assert html.xpath("//td/span[@class='portion']/text()") == ["(C)"]
    pdf = words(pdf_text(tmp_path / "quotes-in-a-row.pdf"))
    assert "— (U) A former commander" in pdf and "(C) Souda Bay" in pdf
    document = docx.Document(str(tmp_path / "quotes-in-a-row.docx"))
    cell = document.tables[0].rows[1].cells[0].paragraphs[0]
    assert [(r.text, r.style.name) for r in cell.runs][0] == ("(C)", "Portion Mark")
    ast = docx_via_pandoc(tmp_path / "quotes-in-a-row.docx")
    said = [words(pandoc_text(b["c"])) for b in pandoc_blocks(ast, ("Para", "Plain"))]
    assert "— (U) A former commander" in said and "— (U) An adviser" in said
