"""The README's house-style example (examples/house-style/): a build with it
shows its fonts, colours and title page, and everything else stays ours."""

from __future__ import annotations

import subprocess

import lxml.html
from PIL import Image

from conftest import FIXTURES, ROOT, run_cli
from readers import pdf_fonts, pdf_text

HOUSE = ROOT / "examples" / "house-style"
GREEN = (0x00, 0x57, 0x3F)


def test_house_style_changes_fonts_colours_and_title_page(tmp_path):
    result = run_cli("build", FIXTURES / "information-paper.md", "--templates", HOUSE,
                     "--to", "pdf,html", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "information-paper.pdf"
    fonts = {font["name"].split("+")[-1] for font in pdf_fonts(pdf)}
    assert {"DejaVu-Serif", "DejaVu-Sans-Bold"} <= fonts
    assert not any(name.startswith("Noto-Serif") or name.startswith("Noto-Sans") for name in fonts)
    title_page = " ".join(pdf_text(pdf, 1).split())
    assert "Prepared by Joint Staff, J5 Plans" in title_page
    assert "2026-11-25 · Version 1.2 · final" in title_page
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", pdf, tmp_path / "p"], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    assert any(all(abs(a - b) <= 6 for a, b in zip(colour, GREEN)) for colour in colours)
    page = lxml.html.fromstring((tmp_path / "information-paper.html").read_bytes())
    assert "--accent: #00573f" in page.findtext(".//style")
    assert page.xpath("//h1/text()") == ["Maritime Security in the GIUK Gap"]  # the page itself is ours


def test_without_it_the_look_is_ours(tmp_path):
    result = run_cli("build", FIXTURES / "information-paper.md", "--to", "pdf", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    fonts = {font["name"].split("+")[-1] for font in pdf_fonts(tmp_path / "information-paper.pdf")}
    assert {"Noto-Serif", "Noto-Sans-Bold"} <= fonts
    assert "Prepared by" not in pdf_text(tmp_path / "information-paper.pdf", 1)
