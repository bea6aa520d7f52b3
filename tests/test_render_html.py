"""The HTML page, read back with an independent parser (lxml)."""

import base64
from pathlib import Path

import lxml.html

from pipeline.run.build import load
from rendering import html_of
from pipeline.render.templates import Templates

from conftest import FIXTURES


def page(path: Path, templates: Templates = Templates()):
    return lxml.html.fromstring(html_of(load(path), templates))


def test_elements_fixture_reads_right():
    tree = page(FIXTURES / "elements.md")
    assert tree.get("lang") == "en-GB"
    assert tree.findtext(".//title") == "Elements of a briefing"
    assert [h.text_content() for h in tree.iter("h1", "h2", "h3")] == [
        "Elements of a briefing", "Contents", "1 Situation", "1.1 Background", "2 Assessment"]
    assert tree.get_element_by_id("situation").tag == "section"
    bullets = tree.xpath("//main//ul")[0]
    # An item's first line over its sub-list is a lead, kept on their page in print (render/leadins.py).
    assert [(li.text or li.findtext("div[@class='lead-in']")).strip() for li in bullets.findall("li")] == [
        "First point", "Second point", "Third point"]
    assert len(bullets.xpath("./li[2]/ul/li")) == 2
    assert tree.xpath("//main//ol/@start") == ["5"]
    assert tree.xpath("//main//blockquote/blockquote/p/text()") == ["And a quotation inside it."]
    assert "return \"<high>\"" in tree.xpath("//pre/code")[0].text
    assert tree.xpath("//aside[contains(@class,'note')]/p[@class='admonition-title']/text()") == ["Reader’s note"]
    assert tree.xpath("//a[@href='https://www.nato.int']/text()") == ["link to the alliance"]
    assert tree.xpath("//main//a[@href='#assessment']/text()") == ["the assessment"]
    assert tree.xpath("//main//br") and tree.xpath("//main//hr")


def test_banner_top_and_bottom():
    tree = page(FIXTURES / "elements.md")
    banners = tree.xpath("//body/*[contains(@class,'banner')]")  # a region, the footer
    assert [b.text for b in banners] == ["UNCLASSIFIED", "UNCLASSIFIED"]
    assert "banner-top" in banners[0].get("class") and "banner-bottom" in banners[1].get("class")
    assert tree.xpath("//meta[@name='Classification']/@content") == ["UNCLASSIFIED"]


def test_self_contained_and_locked_down():
    html = html_of(load(FIXTURES / "elements.md"), Templates())
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//script | //link | //iframe | //object | //img[not(starts-with(@src,'data:'))]")
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp == ["default-src 'none'; img-src data:; style-src 'unsafe-inline'"]
    assert "font-family" in tree.xpath("//style")[0].text
    # Author text with markup and template syntax is shown, not run.
    text = tree.xpath("//main")[0].text_content()
    assert 'Raw HTML is read safely and {{ template }} stays text.' in text
    assert tree.xpath("//sup[.='is read safely']") and not tree.xpath("//@onclick")


def test_toc_lists_sections_in_order():
    tree = page(FIXTURES / "elements.md")
    assert tree.xpath("//nav[@class='toc']//a/@href") == ["#situation", "#background", "#assessment"]


def test_user_template_overrides_by_relative_path(tmp_path: Path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "style.css").write_text("body { color: rebeccapurple; }")
    tree = page(FIXTURES / "elements.md", Templates(tmp_path))
    assert "rebeccapurple" in tree.xpath("//style")[0].text


def test_tables_with_captions_alignment_and_numbers():
    tree = page(FIXTURES / "tables.md")
    first, second = tree.xpath("//main//table")
    assert first.get("id") == "tbl-units"
    assert first.find("caption").text_content() == "Table 1: (U) Units by role and strength"
    assert [th.text for th in first.xpath("thead/tr/th")] == ["Unit", "Role", "Strength"]
    assert [th.get("class") for th in first.xpath("thead/tr/th")] == ["align-left", "align-center", "align-right"]
    assert len(first.xpath("tbody/tr")) == 70
    assert first.xpath("tbody/tr[1]/td/text()") == ["Unit 01", "Logistics", "37"]
    assert second.find("caption").text_content() == "Table 2: Short caption in Quarto’s form"
    assert second.get("id") is None


def test_footnotes_listed_after_the_text_with_links_both_ways():
    tree = page(FIXTURES / "footnotes.md")
    refs = tree.xpath("//main//sup[@class='footnote-ref']/a")
    assert [a.text for a in refs] == ["1", "2", "1"]
    assert [a.get("href") for a in refs] == ["#fn-1", "#fn-2", "#fn-1"]
    assert [a.get("id") for a in refs] == ["fnref-1", "fnref-2", None]  # ids stay unique
    notes = tree.xpath("//section[@class='footnotes']/ol/li")
    assert [li.get("id") for li in notes] == ["fn-1", "fn-2"]
    assert notes[0].xpath("p[1]")[0].text_content() == "Annual report, 2026, p. 4; see the site."
    assert notes[0].xpath("p[2]/text()") == ["A second paragraph of the first note."]
    assert [a.get("href") for a in tree.xpath("//a[@role='doc-backlink']")] == ["#fnref-1", "#fnref-2"]


def test_cross_references_are_links_with_words_from_the_labels():
    tree = page(FIXTURES / "tables.md")
    assert tree.xpath("//a[@class='xref']/@href") == ["#tbl-units"]
    assert tree.xpath("//a[@class='xref']/text()") == ["Table 1"]


def test_figures_are_embedded_with_alt_and_caption():
    tree = page(FIXTURES / "figures.md")
    first, second = tree.xpath("//main//figure")
    img = first.find("img")
    assert img.get("src").startswith("data:image/png;base64,iVBORw0KGgo")
    # The alt says the caption once, with its label; the caption, which
    # repeats it, is hidden from screen readers (as pandoc does).
    assert img.get("alt") == "Figure 1: (U) The area of operations"
    assert first.get("id") == "fig-map"
    assert first.find("figcaption").text_content() == "Figure 1: (U) The area of operations"
    assert first.find("figcaption").get("aria-hidden") == "true"
    assert second.find("img").get("src").startswith("data:image/jpeg;base64,")
    assert second.find("figcaption").text_content() == "Figure 2: (U) A photograph wider than the page"
    assert tree.xpath("//a[@class='xref']/text()") == ["Figure 1"]


def test_svg_figure_is_a_data_uri_of_the_checked_file():
    tree = page(FIXTURES / "svg-figure.md")
    img = tree.xpath("//main//figure/img")[0]
    prefix = "data:image/svg+xml;base64,"
    assert img.get("src").startswith(prefix)
    assert base64.b64decode(img.get("src")[len(prefix):]) == (FIXTURES / "images" / "routes.svg").read_bytes()
    assert img.get("alt") == "Figure 1: (U) Patrol routes through the gap"
    # Inside <img>, a browser never runs an SVG's scripts nor fetches for it.
    assert not tree.xpath("//svg | //object | //embed | //iframe")


def test_loose_items_and_footnotes_in_headings(tmp_path):
    path = tmp_path / "loose.md"
    path.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\ntoc: true\n---\n"
                    "- First paragraph.\n\n    Second paragraph.\n\n# Results[^n]\n\n[^n]: Note.\n")
    tree = page(path)
    assert tree.xpath("//main/ul/li/p/text()") == ["First paragraph.", "Second paragraph."]
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert tree.xpath("//nav[@class='toc']//a/text()") == ["Results"]  # no note call in the contents


def test_draft_watermark_for_print_only(write):
    draft = lxml.html.fromstring(html_of(load(write("Text.\n", front=(
        "---\ntitle: T\nclassification: UNCLASSIFIED\nstatus: draft\n---\n"))), Templates()))
    marks = draft.xpath("//body/div[@class='watermark']")
    assert [m.text for m in marks] == ["DRAFT"] and marks[0].get("aria-hidden") == "true"
    css = draft.findtext(".//style")
    # Hidden on screen, fixed (so repeated on every printed page) in print.
    assert ".watermark { display: none; }" in css
    print_rules = css[css.index("@media print"):]
    assert "position: fixed" in print_rules and "rotate(-55deg)" in print_rules
    final = page(FIXTURES / "information-paper.md")
    assert not final.xpath("//*[@class='watermark']")
