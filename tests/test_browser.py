"""The HTML page in a real browser: the system Chromium, driven by
playwright-core, checked by axe-core (both from npm, installed by `make
test` into node_modules/). tests/browser/check.mjs does the looking and
reports JSON; the judging is here."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import FIXTURES, ROOT
from pipeline.run.build import load
from rendering import html_of
from pipeline.render.templates import Templates
from readers import pdf_info


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> tuple[dict, Path]:
    """The information paper, as a draft, looked at in Chromium."""
    out = tmp_path_factory.mktemp("browser")
    doc = load(FIXTURES / "information-paper.md")
    doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, status="draft"))
    page = out / "paper.html"
    page.write_text(html_of(doc, Templates()), encoding="utf-8")
    assert (ROOT / "node_modules" / "axe-core").is_dir(), "run `make test` to install axe-core"
    result = subprocess.run(["node", ROOT / "tests" / "browser" / "check.mjs", page, out],
                            capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), out


def test_no_serious_or_critical_accessibility_violations(browser):
    report, _ = browser
    for name, view in report["views"].items():
        serious = [v for v in view["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (name, serious)


def test_every_part_of_the_page_is_in_a_landmark_and_headings_go_in_order(browser):
    """axe's `region` (the banners stood outside every landmark) and
    `heading-order` (moderate, so not in the test above)."""
    report, _ = browser
    for name, view in report["views"].items():
        assert [v["id"] for v in view["violations"]
                if v["id"] in ("region", "heading-order", "landmark-unique")] == [], name


def test_the_banners_never_cover_text(browser):
    """Following a contents link puts its heading clear of both banners,
    which stay in view; at the end the last line stands above the bottom
    banner; and the banner's type is not smaller than the body's."""
    report, _ = browser
    for name, view in report["views"].items():
        assert view["jumps"], name
        for jump in view["jumps"]:
            assert jump["top"] >= jump["bannerTop"] and jump["bottom"] <= jump["bannerBottom"], (name, jump)
        assert view["end"]["last"] <= view["end"]["bannerBottom"], name
        assert view["fonts"]["banner"] >= view["fonts"]["body"], name


def test_contents_sidebar_on_wide_screens_and_above_the_text_on_phones(browser):
    report, _ = browser
    desktop, phone = report["views"]["desktop"]["layout"], report["views"]["phone"]["layout"]
    toc, main = desktop["toc"], desktop["main"]
    assert toc["position"] == "sticky" and toc["x"] + toc["width"] <= main["x"]
    assert abs(toc["y"] - main["y"]) < 60  # side by side
    toc, main = phone["toc"], phone["main"]
    assert toc["position"] != "sticky" and toc["y"] + toc["height"] <= main["y"]
    assert phone["scrollWidth"] <= phone["clientWidth"]  # nothing runs off a phone's screen


def test_dark_mode_follows_the_system(browser):
    report, _ = browser
    def brightness(css: str) -> float:
        return sum(int(c) for c in css[css.index("(") + 1:-1].split(",")[:3]) / 3
    light, dark = report["views"]["desktop"]["layout"], report["views"]["dark"]["layout"]
    assert brightness(light["background"]) > 240 and brightness(light["ink"]) < 60
    assert brightness(dark["background"]) < 40 and brightness(dark["ink"]) > 200


def test_screenshots_and_nothing_fetched(browser):
    report, out = browser
    assert Image.open(out / "desktop.png").size == (1440, 900)
    assert Image.open(out / "phone.png").size == (780, 1688)  # 390 px at twice the density
    assert all(view["requests"] == [] for view in report["views"].values())


def test_printed_page_has_the_draft_watermark_on_every_page(browser):
    _, out = browser
    pdf = out / "print.pdf"
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 2
    for page in range(1, pages + 1):
        # In content order: the rotated letters come one per line with -layout.
        raw = subprocess.run(["pdftotext", "-raw", "-f", str(page), "-l", str(page), pdf, "-"],
                             capture_output=True, text=True, check=True).stdout
        assert "DRAFT" in "".join(raw.split()), page


def test_printed_page_has_the_banner_top_and_bottom_of_every_page(browser):
    """Printed from the browser, the banner stands in every page's margins."""
    from readers import pdf_band
    _, out = browser
    pdf = out / "print.pdf"
    for page in range(1, int(pdf_info(pdf)["Pages"]) + 1):
        for top in (True, False):
            band = " ".join(pdf_band(pdf, page, top=top, height_pt=50).split())
            assert band.count("UNCLASSIFIED") == 1, (page, top, band)


def test_the_printed_banner_is_a_bar_across_the_text(browser, tmp_path):
    """As the PDF and the Word file draw it (tests/test_fidelity.py): the
    browser's print set it in a box as wide as the word, in the middle of
    the margin. Now it spans the page's text area (screen.css's 16 mm
    margins), every line of text within its span."""
    from readers import banner_bars, pdf_lines, pdf_page_size
    _, out = browser
    pdf = out / "print.pdf"
    width, _ = pdf_page_size(pdf)
    margin = 16 * 72 / 25.4
    bars = [bar for bar in banner_bars(pdf, 1, tmp_path) if bar[3] - bar[1] < 40]  # not the DRAFT letters
    assert len(bars) >= 2
    lines = [line for line in pdf_lines(pdf) if line[0] == 1]
    for bar_left, _, bar_right, _ in (bars[0], bars[-1]):
        assert abs(bar_left - margin) < 3 and abs(bar_right - (width - margin)) < 3, (bar_left, bar_right)
        assert all(bar_left <= x0 and x1 <= bar_right + 1 for _, x0, x1, _, _ in lines)


def test_a_page_with_citations_has_no_serious_violations(tmp_path):
    """The constructs the paper lacks, in Chromium with axe-core: a
    bibliography's back-links were links in a text block told apart by
    colour alone (axe's link-in-text-block); they are underlined now, as
    the footnotes' are."""
    page = tmp_path / "cited.html"
    page.write_text(html_of(load(ROOT / "tests" / "corpus" / "quarto-callouts.md"), Templates()),
                    encoding="utf-8")
    result = subprocess.run(["node", ROOT / "tests" / "browser" / "check.mjs", page, tmp_path],
                            capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for name, view in json.loads(result.stdout)["views"].items():
        assert [(v["id"], v["nodes"]) for v in view["violations"]
                if v["impact"] in ("serious", "critical")] == [], name


WIDE_TABLE = """---
title: Controls
classification: UNCLASSIFIED
---

# Controls

The controls and who reviews them.

: Controls under review

| Requirement identifier | Description of the control | Verification procedure | Responsible organization | Frequency of review | Implementation status |
|---|---|---|---|---|---|
| Automated account management | Automated system account management mechanisms | Inspect configuration | Information Systems Security Office | Quarterly | Implemented |
| Correlated repositories | Correlate audit record repositories | Interview administrators | Security Operations Centre | Monthly | Planned |

The end.
"""


def test_a_wide_table_scrolls_in_its_own_region_on_a_phone_with_its_words_whole(tmp_path):
    """ASVS-like tables on a phone broke every word a letter or two to a
    line ("Requ/irem/ent") to fit 390 pixels. The table now scrolls
    sideways in a region of its own, labelled by its caption and focusable
    from the keyboard (axe's scrollable-region-focusable), its words whole;
    the page itself does not scroll sideways."""
    source = tmp_path / "wide.md"
    source.write_text(WIDE_TABLE, encoding="utf-8")
    page = tmp_path / "wide.html"
    page.write_text(html_of(load(source), Templates()), encoding="utf-8")
    result = subprocess.run(["node", ROOT / "tests" / "browser" / "check.mjs", page, tmp_path],
                            capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    views = json.loads(result.stdout)["views"]
    phone = views["phone"]["layout"]
    assert phone["scrollWidth"] <= phone["clientWidth"]
    [table] = phone["tables"]
    assert table["scrollWidth"] > table["clientWidth"]  # it scrolls, not the page
    assert table["words"] > 40 and table["split"] == 0
    assert (table["role"], table["label"], table["focusable"]) == ("region", "Table 1: Controls under review", True)
    for name, view in views.items():
        assert [(v["id"], v["nodes"]) for v in view["violations"]
                if v["impact"] in ("serious", "critical")] == [], name


@pytest.mark.parametrize("source, family", [("memo/memo.md", "Arial"), ("loose-minute/loose-minute.md", "Arial"),
                                            ("memo/point-paper.md", "\"Times New Roman\"")])
def test_a_staff_products_page_has_its_regulations_font_and_no_serious_violations(tmp_path, source, family):
    """The HTML of a staff product in the font its PDF and Word file have
    (AR 25-50's and JSP 101's Arial, The Tongue and Quill's Times New
    Roman), not the briefing's serif; read by Chromium, with axe-core."""
    page = tmp_path / "staff.html"
    page.write_text(html_of(load(FIXTURES / source), Templates()), encoding="utf-8")
    result = subprocess.run(["node", ROOT / "tests" / "browser" / "check.mjs", page, tmp_path],
                            capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for name, view in json.loads(result.stdout)["views"].items():
        assert view["fonts"]["family"].startswith(family), (name, view["fonts"])
        assert [(v["id"], v["nodes"]) for v in view["violations"]
                if v["impact"] in ("serious", "critical")] == [], name
