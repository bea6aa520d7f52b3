"""`type: loose-minute` (issue 21): the UK's loose minute as JSP 101, the
Defence Writing Guide, lays it out, built from
tests/fixtures/loose-minute/loose-minute.md in all three formats and read
back with poppler (word positions), pypdf (the signature field), lxml (the
HTML), python-docx and LibreOffice (the DOCX)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import built_fixture, run_cli
from readers import pdf_text, soffice_to_pdf
from staff_readers import pdf_pages

A4 = (595.3, 841.9)  # points
MARGIN = 25 * 72 / 25.4  # loose-minute/print.css: 25 mm
MARKING = "OFFICIAL-SENSITIVE COMMERCIAL"
DD_MMM_YY = re.compile(r"\d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d$")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_fixture(tmp_path_factory, "loose-minute/loose-minute.md")


def word(page, text: str, nth: int = 0) -> tuple[float, float]:
    found = [(x, y) for x, y, t in page.words if t == text]
    assert len(found) > nth, f"{text!r} not on page {page.number}"
    return found[nth]


def line_of(page, y: float) -> str:
    """The words on the line at `y`, left to right."""
    return " ".join(t for x, wy, t in sorted(page.words) if abs(wy - y) < 2)


def marking_at_top_and_bottom(pages) -> None:
    """The protective marking and its descriptor, centred, the first line
    of every page and the last but its page number."""
    for page in pages:
        top = min(page.words, key=lambda w: w[1])
        assert line_of(page, top[1]) == MARKING, page.number
        assert top[1] < 40  # in the top margin
        x = min(x for x, y, _ in page.words if abs(y - top[1]) < 2)
        assert page.band(False, 70).startswith(MARKING), page.number
        bottom = max(y for _, y, t in page.words if t == "OFFICIAL-SENSITIVE")
        assert bottom > page.height - 70
        assert x == pytest.approx(min(x for x, y, _ in page.words if abs(y - bottom) < 2), abs=1)
        right = max(x for x, y, _ in page.words if abs(y - top[1]) < 2)
        assert MARGIN < x < page.width / 2 < right  # centred


def test_pdf_heading_marking_and_date(built):
    pages = pdf_pages(built / "loose-minute.pdf")
    assert len(pages) == 2
    first = pages[0]
    assert (first.width, first.height) == pytest.approx(A4, abs=1)
    marking_at_top_and_bottom(pages)
    # The file reference a clear space below the marking, the date under it, DD MMM YY.
    ref_x, ref_y = word(first, "DSTL/CSD/12/3/4")
    assert ref_x == pytest.approx(MARGIN, abs=1)
    banner_y = min(y for _, y, _ in first.words)
    assert ref_y - banner_y > 30
    date = line_of(first, word(first, "Dec")[1])
    assert date == "03 Dec 26" and DD_MMM_YY.match(date)
    date_x, date_y = word(first, "03")
    assert date_x == pytest.approx(MARGIN, abs=1) and date_y > ref_y
    text = " ".join(pdf_text(built / "loose-minute.pdf", 1).split())
    assert text.index("03 Dec 26") < text.index("Hd Capability Strategy AH Land Equipment") \
        < text.index("Copy to: SO1 Finance File") < text.index("(OS) REPLACEMENT OF THE TRAINING AREA RADIO FLEET")
    # Numbered paragraphs 1., 2., sub-paragraphs a., b., the portion mark after the number.
    assert "1. (O) Purpose." in text and "2. (OS) Background." in text
    assert "a. (OS) Extend the fleet" in text and "b. (OS) Replace the fleet" in text
    a_x, _ = word(first, "a.")
    assert a_x > word(first, "1.")[0] + 5  # a sub-paragraph stands in from its paragraph


def test_pdf_second_page_signature_and_field(built):
    pages = pdf_pages(built / "loose-minute.pdf")
    last = pages[-1]
    assert last.band(True, 90).startswith(MARKING + " DSTL/CSD/12/3/4")  # the file reference under it
    assert "Page 2 of 2" in last.band(False, 60)
    name_x, name_y = word(last, "Smith")
    block = [line_of(last, y) for y in sorted({y for x, y, t in last.words if x >= name_x - 30
                                               and name_y - 1 < y < name_y + 50})]
    assert block[:3] == ["A B Smith", "Lt Col", "SO1 J6 Plans"]
    # From the middle of the column.
    signer_x = min(x for x, y, t in last.words if abs(y - name_y) < 2)
    assert signer_x == pytest.approx(MARGIN + (A4[0] - 2 * MARGIN) / 2, abs=1.5)
    text = " ".join(pdf_text(built / "loose-minute.pdf", 2).split())
    assert text.index("SO1 J6 Plans") < text.index("Enclosures: 1. Fleet Costs 2027-2031")
    reader = PdfReader(built / "loose-minute.pdf")
    fields = reader.get_fields()
    assert list(fields) == ["Signature"] and "/V" not in fields["Signature"]
    widget = next(a.get_object() for a in reader.pages[1]["/Annots"] if a.get_object().get("/FT") == "/Sig")
    left, bottom, _, top = (float(v) for v in widget["/Rect"])
    assert left == pytest.approx(signer_x, abs=1) and A4[1] - name_y < bottom < top  # above the name


def cls(name: str) -> str:
    return f"contains(concat(' ', @class, ' '), ' {name} ')"


def test_html_parts(built):
    tree = lxml_html.fromstring((built / "loose-minute.html").read_bytes())
    texts = lambda path: [" ".join(e.text_content().split()) for e in tree.xpath(path)]  # noqa: E731
    assert texts(f"//*[{cls('banner')}]") == [MARKING, MARKING]  # top and bottom
    assert texts(f"//*[{cls('minute-reference')}]") == ["DSTL/CSD/12/3/4"]
    assert texts(f"//*[{cls('minute-date')}]") == ["03 Dec 26"]
    assert texts(f"//*[{cls('minute-addressees')}]/p") == ["Hd Capability Strategy", "AH Land Equipment"]
    assert texts(f"//*[{cls('minute-copy-to')}]/p") == ["Copy to:", "SO1 Finance", "File"]
    assert texts("//h1") == ["(OS) REPLACEMENT OF THE TRAINING AREA RADIO FLEET"]
    assert texts("//*[@id='memo-signature']/p") == ["A B Smith", "Lt Col", "SO1 J6 Plans"]


def shown(p) -> str:
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    parts = {W + "t": lambda e: e.text or "", W + "tab": lambda e: "\t", W + "br": lambda e: "\n"}
    return "".join(parts[e.tag](e) for e in p.iter() if e.tag in parts)


def test_docx_named_styles_fields_and_marking(built):
    document = docx.Document(str(built / "loose-minute.docx"))
    styled = [(p.style.name, shown(p._p)) for p in document.paragraphs if shown(p._p).strip()]
    assert styled[:8] == [("Minute Reference", "DSTL/CSD/12/3/4"), ("Minute Date", "03 Dec 26"),
                          ("Minute Addressee", "Hd Capability Strategy"),
                          ("Minute Addressee", "AH Land Equipment"),
                          ("Minute Copy To Heading", "Copy to:"), ("Minute Copy To", "SO1 Finance"),
                          ("Minute Copy To", "File"),
                          ("Minute Subject", "(OS) REPLACEMENT OF THE TRAINING AREA RADIO FLEET")]
    assert ("Minute Signature First", "A B Smith") in styled and ("Minute Signature", "SO1 J6 Plans") in styled
    assert styled[-1] == ("Minute Enclosures", "1. Fleet Costs 2027-2031")
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 25
    for part in (section.first_page_header, section.header, section.first_page_footer, section.footer):
        assert shown(part.paragraphs[0]._p) == MARKING
    with zipfile.ZipFile(built / "loose-minute.docx") as package:
        custom = package.read("docProps/custom.xml").decode()
        body = package.read("word/document.xml").decode()
    assert 'name="FileReference"' in custom and "DSTL/CSD/12/3/4" in custom
    assert "DOCPROPERTY FileReference" in body and "DOCPROPERTY DocumentDate" in body


def test_docx_through_libreoffice(built, tmp_path):
    pages = pdf_pages(soffice_to_pdf(built / "loose-minute.docx", tmp_path))
    assert len(pages) >= 2
    for page in pages:
        assert page.band(True, 50).startswith(MARKING) and page.band(False, 80).startswith(MARKING)
    first = pages[0]
    assert line_of(first, word(first, "Dec")[1]) == "03 Dec 26"
    assert word(first, "03")[0] == pytest.approx(MARGIN, abs=1.5)
    last = pages[-1]
    assert "DSTL/CSD/12/3/4" in last.band(True, 90)
    signer_x, signer_y = word(last, "Smith")
    # The signature block never stands alone: the text's last lines go over with it.
    assert word(last, "567890.")[1] < signer_y
    assert word(last, "A")[0] == pytest.approx(MARGIN + (A4[0] - 2 * MARGIN) / 2, abs=2)
    assert signer_x > word(last, "A")[0]


MINUTE = """---
type: loose-minute
classification: OFFICIAL
reference: ABC/1
date: 2026-12-03
addressees: [Hd Plans]
subject: Test
signature: {name: A B Smith, appointment: SO1}
"""


@pytest.mark.parametrize("front, line, code, words", [
    ("style: usaf\n", 9, "meta.staff-style", "a loose-minute has no 'usaf' style: its style is mod"),
    ("style: navy\n", 9, "meta.staff-style", "unknown style 'navy': the styles are army, usaf, osd, mod"),
    ("office_symbol: X\n", 9, "meta.staff-key", "'office_symbol' belongs to a memo or info-paper"),
    ("memo_for: [X]\n", 9, "meta.staff-key", "'memo_for' belongs to a memo, not a loose-minute"),
])
def test_bad_loose_minute_front_matter_at_its_line(write, tmp_path, front, line, code, words):
    import json

    path = write("Text.\n", front=MINUTE + front + "---\n\n")
    result = run_cli("check", path, "--report", tmp_path / "report.json")
    assert result.returncode == 1 and f"{path}:{line}: {words}" in result.stderr, result.stderr
    errors = json.loads((tmp_path / "report.json").read_text())["briefings"][0]["errors"]
    assert (line, code) in [(e["line"], e["code"]) for e in errors]


def test_bad_date_descriptor_and_missing_parts(write):
    path = write("Text.\n", front=MINUTE.replace("2026-12-03", "3 December 2026") + "---\n\n")
    result = run_cli("check", path)
    assert result.returncode == 1
    assert f"{path}:5: a loose minute's date is written DD MMM YY (03 Dec 26)" in result.stderr
    path = write("Text.\n", front=MINUTE.replace("OFFICIAL", "OFFICIAL PERSONAL") + "---\n\n")
    result = run_cli("check", path)
    assert result.returncode == 1
    assert f"{path}:3: 'classification': the descriptor PERSONAL follows OFFICIAL-SENSITIVE" in result.stderr
    path = write("Text.\n", front=MINUTE.replace("OFFICIAL", "OFFICIAL-SENSITIVE LOCSEN") + "---\n\n")
    assert run_cli("check", path).returncode == 0
    front = "---\ntype: loose-minute\nclassification: OFFICIAL\nsubject: T\n---\n\n"
    result = run_cli("check", write("Text.\n", front=front))
    assert result.returncode == 1
    assert "2: a loose minute needs 'signature'" in result.stderr
    assert "2: a loose minute needs 'addressees'" in result.stderr
    # A loose minute's keys in a memo are errors at their lines too.
    memo = ("---\ntype: memo\nclassification: UNCLASSIFIED\nsubject: T\nsignature: {name: A}\n"
            "copy_to: [X]\n---\n\n")
    result = run_cli("check", write("Text.\n", front=memo))
    assert result.returncode == 1 and ":6: 'copy_to' belongs to a loose-minute, not a memo" in result.stderr


def test_a_written_dd_mmm_yy_date_stands_and_a_us_scheme_works(write, tmp_path):
    path = write("Text one.\n\nText two.\n", front=MINUTE.replace("2026-12-03", "03 Dec 26")
                 .replace("OFFICIAL", "UNCLASSIFIED") + "marking_scheme: us\n---\n\n")
    result = run_cli("build", path, "--to", "pdf", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = pdf_pages(tmp_path / "out" / "brief.pdf")[0]
    assert line_of(page, word(page, "Dec")[1]) == "03 Dec 26"
    assert page.band(True, 40).startswith("UNCLASSIFIED") and page.band(False, 70).startswith("UNCLASSIFIED")


def test_see_distribution_lists_the_addressees_after_the_signature(write, tmp_path):
    front = (MINUTE.replace("addressees: [Hd Plans]", "addressees: See Distribution")
             + "distribution_list: [Hd Plans, Hd Ops, Hd Log, Hd Fin]\n---\n\n")
    path = write("First.\n\nSecond.\n", front=front)
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    text = " ".join(pdf_text(tmp_path / "out" / "brief.pdf").split())
    assert text.index("03 Dec 26 See Distribution TEST") < text.index("SO1") \
        < text.index("Distribution: Hd Plans Hd Ops Hd Log Hd Fin")
    document = docx.Document(str(tmp_path / "out" / "brief.docx"))
    styled = [(p.style.name, shown(p._p)) for p in document.paragraphs if shown(p._p).strip()]
    assert ("Minute Addressee", "See Distribution") in styled
    assert styled[-4:] == [("Minute Enclosures", name) for name in ("Hd Plans", "Hd Ops", "Hd Log", "Hd Fin")]
    front = MINUTE.replace("addressees: [Hd Plans]", "addressees: See Distribution") + "---\n\n"
    result = run_cli("check", write("Text.\n", front=front))
    assert result.returncode == 1 and ":6: 'addressees: SEE DISTRIBUTION' needs a 'distribution_list'" \
        in result.stderr
