"""pipeline/weasy/colour_fonts.py: a colour emoji font's stripped subset is
kept in the cache folder, and the next PDF with the same emoji takes it
from there instead of having fontTools rewrite the font. Each case runs in
a new process, as a build's PDF worker does."""

import json

from processes import fresh_python
from readers import pdf_fonts, pdf_text

TYPESET = """
import datetime, json, sys
from pathlib import Path
from pipeline.weasy.typeset import import_weasyprint, typeset
from pipeline.render.printjob import PrintJob
import_weasyprint()
from fontTools.ttLib import ttFont
saved, save = [], ttFont.TTFont.save
ttFont.TTFont.save = lambda font, *args, **kwargs: (saved.append(1), save(font, *args, **kwargs))[1]
job = PrintJob(markup="<html lang='en'><body><p>Launch \\N{SATELLITE} and \\N{ROCKET} today.</p></body></html>",
               path="x.md", variant="pdf/ua-1", lang="en", classification="UNCLASSIFIED", markings=(),
               made=datetime.datetime(2026, 12, 3), source="")
data, warnings, pages = typeset(job)
Path(sys.argv[1]).write_bytes(data)
print(json.dumps({"rewritten": bool(saved),
                  "warnings": [str(w.message) for w in warnings]}), flush=True)
import os
os._exit(0)  # as the command ends (processes.fresh_python)
"""


def typeset_emoji(cache, pdf, script: str = TYPESET) -> dict:
    return json.loads(fresh_python(script, str(pdf), cache=cache).splitlines()[-1])


def kept(cache):
    return sorted((cache / "briefing" / "weasyprint").glob("colour-font-*.ttf"))


def test_the_second_pdf_takes_the_stripped_font_from_the_cache(tmp_path):
    first = typeset_emoji(tmp_path / "cache", tmp_path / "first.pdf")
    [font] = kept(tmp_path / "cache")
    second = typeset_emoji(tmp_path / "cache", tmp_path / "second.pdf")
    assert first == {"rewritten": True, "warnings": []}
    assert second == {"rewritten": False, "warnings": []}  # fontTools saved no font
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
    assert [font["emb"] for font in pdf_fonts(tmp_path / "second.pdf") if "Emoji" in font["name"]] == ["yes"]
    assert "Launch" in pdf_text(tmp_path / "second.pdf")
    assert font.read_bytes()[:4] == b"\x00\x01\x00\x00"


def test_a_damaged_kept_font_is_stripped_again(tmp_path):
    typeset_emoji(tmp_path / "cache", tmp_path / "first.pdf")
    [font] = kept(tmp_path / "cache")
    font.write_bytes(b"<html>not a font")
    again = typeset_emoji(tmp_path / "cache", tmp_path / "again.pdf")
    assert again["rewritten"] is True
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
    assert font.read_bytes()[:4] == b"\x00\x01\x00\x00"


def test_other_emoji_make_another_subset(tmp_path):
    typeset_emoji(tmp_path / "cache", tmp_path / "first.pdf")
    other = TYPESET.replace("\\N{ROCKET}", "\\N{GLOBE WITH MERIDIANS}")
    assert other != TYPESET
    assert typeset_emoji(tmp_path / "cache", tmp_path / "other.pdf", other)["rewritten"] is True
    assert len(kept(tmp_path / "cache")) == 2
