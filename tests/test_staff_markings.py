"""Every staff type under every marking scheme (issue 21): each type (the
memo in its three styles, the information, decision, point and talking
papers, the loose minute) × each scheme the project has (US classified,
with its classification authority block; US CUI, with its designation
indicator block and a distribution statement; NATO; UK) builds in PDF,
DOCX and HTML with its banner on every page, its subject's portion mark,
and the first page's blocks where the regulations put them: the CAB at
the lower left of page 1 (DoDM 5200.01 Vol. 2, Encl. 3), the CUI
designation indicator at its lower right (DoDI 5200.48), the distribution
statement written out beneath them, all above the bottom banner; in the
HTML page after the text. One build of each combination, shared by the
assertions (a module fixture); the Word files are read with python-docx
and, for the positions, through one LibreOffice run over all of them."""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree, html as lxml_html

from conftest import run_cli
from readers import libreoffice_profile
from staff_readers import Page, pdf_pages

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Scheme:
    name: str
    front: str  # the front matter's marking keys
    banner: str
    subject_mark: str  # the subject's portion mark
    text_mark: str  # the paragraphs' mark
    blocks: tuple[str, ...]  # the first page's blocks: "authority", "cui", "distribution"


SCHEMES = {
    "us-secret": Scheme("us-secret", """\
marking_scheme: us
classification: SECRET//NOFORN
classified_by: "J. Smith, Director of Plans"
derived_from: "Multiple Sources"
declassify_on: "20511231"
distribution: E
distribution_reason: Operations Security
controlling_office: "Plans Division, J5"
""", "SECRET//NOFORN", "(U)", "(S//NF)", ("authority", "distribution")),
    "us-cui": Scheme("us-cui", """\
marking_scheme: us
classification: CUI
controlled_by: [Department of the Army, "HQ 1st BCT, S3"]
cui_category: [OPSEC]
poc: "MAJ Jane Doe, 555-0100"
distribution: D
distribution_reason: Operations Security
controlling_office: "HQ 1st BCT, S3"
""", "CUI", "(CUI)", "(CUI)", ("cui", "distribution")),
    "nato": Scheme("nato", """\
marking_scheme: nato
classification: NATO RESTRICTED
""", "NATO RESTRICTED", "(NU)", "(NR)", ()),
    "uk": Scheme("uk", """\
marking_scheme: uk
classification: OFFICIAL-SENSITIVE
""", "OFFICIAL-SENSITIVE", "(O)", "(OS)", ()),
}

# Each type's own keys (its starter's, in short); the memo in each style.
TYPES = {
    "memo-army": """\
type: memo
style: army
letterhead: [DEPARTMENT OF THE ARMY, "HEADQUARTERS, 1ST BRIGADE COMBAT TEAM", "Fort Cavazos, TX 76544"]
office_symbol: AFZS-XY
memo_for: [Commander, 1st Battalion]
signature: {name: John Q. Public, rank: COL, branch: IN, title: Commanding}
""",
    "memo-usaf": """\
type: memo
style: usaf
letterhead: [DEPARTMENT OF THE AIR FORCE, "HEADQUARTERS 1ST FIGHTER WING"]
office_symbol: 1 FW/CC
memo_for: [1 OG/CC]
signature: {name: Jane A. Doe, rank: Colonel, branch: USAF, title: Commander}
""",
    "memo-osd": """\
type: memo
style: osd
letterhead: [UNDER SECRETARY OF DEFENSE, 1000 DEFENSE PENTAGON, "WASHINGTON, DC 20301-1000"]
memo_for: [SECRETARIES OF THE MILITARY DEPARTMENTS]
signature: {name: Pat Smith}
""",
    "info-paper": """\
type: info-paper
office_symbol: AFZS-XY
prepared_by: [MAJ Doe, S3, 555-0100]
""",
    "decision-paper": """\
type: decision-paper
office_symbol: AFZS-XY
prepared_by: [MAJ Doe, S3, 555-0100]
""",
    "point-paper": """\
type: point-paper
prepared_by: [Maj Doe, 1 FW/XP, 555-0100, jd]
""",
    "talking-paper": """\
type: talking-paper
prepared_by: [Maj Doe, 1 FW/XP, 555-0100, jd]
""",
    "loose-minute": """\
type: loose-minute
reference: ABC/12/3/4
addressees: [Hd Branch]
signature: {name: A B Lastname, rank: Maj, appointment: SO2 Branch}
""",
}
ONE_PAGE = ("point-paper", "talking-paper")
SUBJECT = "Northern Flank Posture"
FILLER = ("Allied air policing rotations have thinned since the spring, and the "
          "battalion's reserve now covers the gap from the northern airfield to the coast, "
          "which stretches its vehicles, its fuel and its signallers for weeks at a time. ")


def source(kind: str, scheme: Scheme) -> str:
    """A document of the type under the scheme: long enough for a second
    page (a one-page paper: a page), its subject and paragraphs marked."""
    mark = scheme.text_mark
    if kind in ONE_PAGE:
        body = "".join(f"- {mark} Point {n}: the rotations have thinned\n    - {mark} Its support {n}\n"
                       for n in range(1, 4))
    else:
        lead = (f"{mark} Recommendation. That the commander approves option 2.\n\n"
                if kind == "decision-paper" else "")
        body = lead + "".join(f"{mark} Paragraph {n}. {FILLER * 2}\n\n" for n in range(1, 9))
    return (f"---\n{TYPES[kind]}{scheme.front}portion_marking: true\ndate: 2026-12-03\n"
            f"subject: {scheme.subject_mark} {SUBJECT}\n---\n\n{body}")


COMBINATIONS = list(itertools.product(TYPES, SCHEMES))


@dataclass(frozen=True)
class Built:
    pdf: list[Page]
    docx: Path
    office: list[Page]  # LibreOffice's PDF of the DOCX
    html: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str], Built]:
    """Every combination built at once (one batch), and every Word file
    through one LibreOffice run."""
    folder = tmp_path_factory.mktemp("staff-markings")
    paths = []
    for kind, scheme in COMBINATIONS:
        path = folder / f"{kind}--{scheme}.md"
        path.write_text(source(kind, SCHEMES[scheme]))
        paths.append(path)
    out = folder / "out"
    result = run_cli("build", *paths, "--out", out)
    assert result.returncode == 0, result.stderr
    office = folder / "office"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{libreoffice_profile()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(office),
                    *(str(out / f"{p.stem}.docx") for p in paths)],
                   capture_output=True, check=True, timeout=600)
    return {(kind, scheme): Built(pdf_pages(out / f"{kind}--{scheme}.pdf"), out / f"{kind}--{scheme}.docx",
                                  pdf_pages(office / f"{kind}--{scheme}.pdf"), out / f"{kind}--{scheme}.html")
            for kind, scheme in COMBINATIONS}


def words(page: Page, *texts: str) -> list[tuple[float, float, str]]:
    return [w for w in page.words if w[2] in texts]


def first(page: Page, text: str) -> tuple[float, float, str]:
    found = words(page, text)
    assert found, (page.number, text, page.text)
    return found[0]


def line_of(page: Page, y: float, slack: float = 3) -> list[str]:
    return [t for x, top, t in sorted(page.words) if abs(top - y) < slack]


def banner_tops(page: Page, banner: str) -> list[float]:
    """The tops of the banner's first word (top and bottom of the page)."""
    word = banner.split()[0]
    return sorted(y for x, y, t in page.words if t == word and (y < 80 or y > page.height - 80))


def check_pages(pages: list[Page], kind: str, scheme: Scheme, slack: float) -> None:
    """The banner top and bottom of every page; the subject's mark on its
    line; the blocks in the bottom third of page 1, the CAB in the left
    half, the DI block in the right, the statement beneath, all above the
    bottom banner; none of them on a later page."""
    assert len(pages) >= 1 if kind in ONE_PAGE else len(pages) >= 2, len(pages)
    for page in pages:
        assert len(banner_tops(page, scheme.banner)) == 2, (page.number, page.band(True), page.band(False))
        assert scheme.banner in page.band(True, 80) and scheme.banner in page.band(False, 80)
    one = pages[0]
    subject_word = first(one, "POSTURE" if kind in ONE_PAGE or kind == "loose-minute" else "Posture")
    assert scheme.subject_mark in line_of(one, subject_word[1]), line_of(one, subject_word[1])
    bottom_banner = banner_tops(one, scheme.banner)[-1]
    third = one.height * 2 / 3
    if "authority" in scheme.blocks:
        for label in ("Classified", "Derived", "Declassify"):
            x, y, _ = first(one, label)
            assert x < one.width / 2 and third < y < bottom_banner, (label, x, y)
        # the whole block in the left half
        block = [w for w in one.words if third < w[1] < first(one, "Declassify")[1] + slack
                 and w[1] >= first(one, "Classified")[1] - slack]
        assert all(x < one.width / 2 for x, _, _ in block), block
    if "cui" in scheme.blocks:
        top = first(one, "Controlled")[1]
        poc = first(one, "POC:")[1]
        block = [w for w in one.words if top - slack <= w[1] <= poc + slack]
        assert block and all(x > one.width / 2 for x, _, _ in block), block
        assert third < top and poc < bottom_banner
    if "distribution" in scheme.blocks:
        x, y, _ = first(one, "STATEMENT")
        above = first(one, "Declassify" if "authority" in scheme.blocks else "POC:")[1]
        assert above < y < bottom_banner, (above, y, bottom_banner)
        assert x < one.width / 2
    else:
        assert "STATEMENT" not in one.text
    for label in ("Classified By:", "Controlled by:", "DISTRIBUTION STATEMENT"):
        for page in pages[1:]:
            assert label not in page.text, (page.number, label)
    if not scheme.blocks:
        assert not any(label in one.text for label in ("Classified By:", "Controlled by:"))


@pytest.mark.parametrize("kind,scheme", COMBINATIONS)
def test_pdf_banners_subject_mark_and_first_page_blocks(built, kind, scheme):
    check_pages(built[kind, scheme].pdf, kind, SCHEMES[scheme], slack=2)


@pytest.mark.parametrize("kind,scheme", COMBINATIONS)
def test_libreoffice_reads_the_word_file_the_same(built, kind, scheme):
    check_pages(built[kind, scheme].office, kind, SCHEMES[scheme], slack=4)


def texts(paragraphs) -> list[str]:
    return ["".join(t.text or "" for t in p._p.iter(f"{W}t")) for p in paragraphs]


def indent(p, side: str) -> int:
    ind = p._p.find(f"{W}pPr/{W}ind")
    return int(ind.get(f"{W}{side}") or 0) if ind is not None else 0


@pytest.mark.parametrize("kind,scheme", COMBINATIONS)
def test_word_puts_the_blocks_in_the_first_page_footer(built, kind, scheme):
    marks = SCHEMES[scheme]
    document = docx.Document(str(built[kind, scheme].docx))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    half = (section.page_width - section.left_margin - section.right_margin) // 635 // 2
    body = "\n".join(texts(document.paragraphs))
    # the banner in every header and footer (a field's result)
    for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
        assert marks.banner in texts(part.paragraphs)
    # the subject's portion mark before the subject
    assert any(marks.subject_mark in line and SUBJECT.upper() in line.upper() for line in texts(document.paragraphs))
    footer = section.first_page_footer.paragraphs
    lines = texts(footer)
    banner_at = lines.index(marks.banner)
    styles = [p.style.name for p in footer]
    if "authority" in marks.blocks:
        cab = [p for p in footer if texts([p])[0].startswith(("Classified By", "Derived From", "Declassify On"))]
        assert [texts([p])[0].split(":")[0] for p in cab] == ["Classified By", "Derived From", "Declassify On"]
        assert all(p.style.name == "Marking Block" and indent(p, "right") >= half for p in cab)
    if "cui" in marks.blocks:
        di = [p for p in footer if texts([p])[0].startswith(("Controlled by", "CUI Category", "POC"))]
        assert len(di) == 4 and all(p.style.name == "Marking Block" and indent(p, "left") >= half for p in di)
    if "distribution" in marks.blocks:
        at = next(i for i, line in enumerate(lines) if line.startswith("DISTRIBUTION STATEMENT"))
        assert styles[at] == "Distribution Statement" and at < banner_at
        assert all(style == "Marking Block" for style in styles[:at])  # the blocks above it
    assert all(style in ("Marking Block", "Distribution Statement") for style in styles[:banner_at])
    assert len(styles[:banner_at]) == sum({"authority": 3, "cui": 5, "distribution": 1}[b] for b in marks.blocks)
    # not in the body, nor on a later page's footer
    for label in ("Classified By", "Controlled by", "DISTRIBUTION STATEMENT"):
        assert label not in body and label not in "\n".join(texts(section.footer.paragraphs))


@pytest.mark.parametrize("kind,scheme", COMBINATIONS)
def test_html_reads_the_blocks_after_the_text(built, kind, scheme):
    marks = SCHEMES[scheme]
    page = lxml_html.parse(str(built[kind, scheme].html)).getroot()
    banners = page.xpath("//*[contains(@class, 'banner')]")
    assert [b.text_content() for b in banners] == [marks.banner, marks.banner]
    subject = page.xpath("//h1")[0]
    assert subject.text_content().split(SUBJECT.upper() if kind in ONE_PAGE + ("loose-minute",)
                                        else SUBJECT)[0].rstrip().endswith(marks.subject_mark)
    asides = page.xpath("//aside[contains(@class, 'memo-markings')]")
    if not marks.blocks:
        assert not asides and not page.xpath("//*[contains(@class, 'marking-block')]")
        return
    (aside,) = asides
    order = [e for e in page.iter() if e is aside or e.tag == "main" or "banner-bottom" in (e.get("class") or "")]
    assert [e.tag for e in order] == ["main", "aside", "footer"]  # after the text, before the banner
    kinds = [b.get("class").split()[-1] for b in aside.xpath("div[contains(@class, 'marking-block')]")]
    assert kinds == [f"marking-{b}" for b in marks.blocks]
    assert not page.xpath("//header//*[contains(@class, 'marking-block')]")
    assert etree.tostring(aside, method="text", encoding="unicode").count("DISTRIBUTION STATEMENT") == \
        ("distribution" in marks.blocks)


def test_the_room_kept_follows_the_blocks_and_the_column():
    from pipeline.markings.blocks import MarkingBlock
    from pipeline.render.firstpage import column_mm, room

    cab = MarkingBlock("authority", ("Classified By: J. Smith", "Derived From: Multiple Sources",
                                     "Declassify On: 20511231"))
    statement = MarkingBlock("distribution", ("DISTRIBUTION STATEMENT E. " + "Distribution authorized. " * 12,))
    assert room([cab], "Noto Sans", 165) < room([cab, statement], "Noto Sans", 165)
    assert room([cab, statement], "Noto Sans", 165) < room([cab, statement], "Noto Sans", 100)  # more lines
    # the type's page margins: the last @page rule's, on its paper
    assert column_mm("letter", "@page { margin: 24mm 36mm 22mm 36mm; } @page { margin: 25.4mm; }", 1) == \
        pytest.approx(165.1)
    assert column_mm("a4", "@page { margin: 10mm 20mm 10mm 30mm; }", 1) == pytest.approx(160)
    assert column_mm("a4", "@page { margin: 1in; }", 123) == 123  # not in mm: the fallback
