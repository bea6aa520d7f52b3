"""Every bad source, run through the CLI as a user would: exit code 1, one
stderr line `path:line: message`, no traceback, the output folder untouched.
The sources are in tests/fixtures/bad/, one per case."""

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli

BAD = FIXTURES / "bad"

CASES = {
    # encoding and characters, after YAML and entity decoding too
    "latin1.md": (5, "not UTF-8: invalid byte 0xe9"),
    "nul-byte.md": (5, "character U+0000 is not allowed"),
    "form-feed.md": (5, "character U+000C is not allowed"),
    "noncharacter.md": (5, "character U+FFFF is not allowed"),
    "yaml-escape.md": (2, "character U+000C is not allowed"),
    "yaml-surrogate.md": (2, "character U+D800 is not allowed"),
    "char-reference.md": (5, "character reference &#12; is not a character"),
    # front matter
    "empty.md": (1, "no front matter"),
    "no-front-matter.md": (1, "no front matter"),
    "unclosed-front-matter.md": (1, "front matter is not closed"),
    "invalid-yaml.md": (2, "invalid YAML: while parsing a flow sequence that starts here"),
    "unknown-key.md": (4, "unknown front-matter key 'authr'; did you mean 'authors'?"),
    "missing-classification.md": (1, "front matter lacks 'classification'"),
    "bad-classification.md": (3, "'classification' must be one of UNCLASSIFIED, CUI, CONFIDENTIAL"),
    "yaml-no-boolean.md": (4, "'subtitle' must be text, not the boolean false"),
    "yaml-version-number.md": (4, "'version' must be text, not the number 1.1"),
    "duplicate-key.md": (3, "duplicate key 'title'"),
    "yaml-alias.md": (3, "YAML aliases"),
    "yaml-python-tag.md": (2, "YAML tags such as !!python/object are not allowed"),
    # values YAML's own constructors cannot read: each at its key, never an internal error
    "yaml-tag-int.md": (4, "'subtitle': 'abc' is not a whole number, which its tag !!int asks for"),
    "yaml-tag-bool.md": (4, "'toc': 'maybe' is not true or false, which its tag !!bool asks for"),
    "yaml-tag-float-alone.md": (4, "'version': nothing is not a number, which its tag !!float asks for"),
    "yaml-impossible-date.md": (4, "'date': YAML reads '2026-13-45' as a date, which it is not "
                                "(month must be in 1..12): quote it to keep it as text"),
    "yaml-long-number.md": (4, "as a number of more than 4,000 digits, too long to use: quote it"),
    "yaml-deep.md": (4, "invalid YAML: values nest deeper than 50 levels"),
    "yaml-timestamp-in-list.md": (4, "'keywords': '2026-13-45' is not a date (month must be in 1..12), "
                                  "which its tag !!timestamp asks for"),
    # a quote left open swallows the next key: said at the key that opened it
    "yaml-unclosed-quote.md": (3, "'subtitle': its \" is not closed on this line, so the value runs "
                               "on over the key on line 4"),
    # markings: portion marks, marking blocks, distribution statements
    "portion-unknown.md": (7, "unknown portion mark '(Q)': US portion marks are (U), (CUI)"),
    "portion-above-banner.md": (12, "portion mark '(S)' is above the banner 'CONFIDENTIAL'"),
    "portion-missing.md": (10, "list item has no portion mark such as (U)"),
    "portion-control-not-in-banner.md": (10, "'(S//NF)' carries NOFORN, which the banner 'SECRET' lacks"),
    "portion-wrong-scheme.md": (7, "NATO portion marks are (NU), (NR), (NC), (NS), (CTS)"),
    "table-without-caption-marked.md": (9, "a table needs a caption to carry its portion mark"),
    "cui-block-missing-poc.md": (3, "a CUI document needs 'poc' for its designation indicator"),
    "authority-missing-declassify.md": (3, "a classified document needs 'declassify_on'"),
    "authority-bad-reason.md": (5, "'classification_reason' must cite E.O. 13526 section 1.4"),
    "distribution-no-reason.md": (4, "distribution statement C needs 'distribution_reason'"),
    "distribution-unknown-reason.md": (5, "not 'Because we said so'"),
    "distribution-letter.md": (4, "one of A, B, C, D, E, F; not 'G'"),
    "distribution-a-classified.md": (7, "statement A (public release) cannot go on a SECRET"),
    # references and links
    "duplicate-id.md": (7, "duplicate id '#same'"),
    "bad-cross-reference.md": (5, "cross-reference @tbl-missing points at no heading"),
    "javascript-link.md": (5, "link target 'javascript:alert(1)' is not allowed"),
    "vbscript-link.md": (5, "link target 'vbscript:msgbox' is not allowed"),
    "data-link.md": (5, "link target 'data:text/html,hi' is not allowed"),
    "file-link.md": (5, "link target 'file:///etc/passwd' is not allowed"),
    "attr-list-href.md": (5, "link target 'javascript:alert(1)' is not allowed"),
    "html-javascript-link.md": (5, "link target 'javascript:alert(1)' is not allowed"),
    # a control character from a reference, shown as a name in the message (it was
    # an internal error: no output can hold it)
    "mail-control.md": (5, "link target 'mailto:some<U+000C>one@example.org' holds the character U+000C"),
    # mathematics that cannot be read
    "math-invalid.md": (5, "formula $\\frac{1}{n$: cannot read it"),
    # files
    "missing-image.md": (5, "image 'images/nothing.png' does not exist"),
    "image-outside.md": (5, "is outside the source's folder"),
    "image-absolute.md": (5, "must be a path relative to the source's folder"),
    "image-data.md": (5, "image 'data:image/png;base64,iVBORw0KGgo"),  # quoted short: see below
    "image-not-png.md": (5, "is not the PNG its name says"),
    # SVG figures that could run code, fetch, read files or explode
    "image-svg.md": (5, "declares entities or elements in its DOCTYPE"),  # an external entity
    "svg-script.md": (5, "image 'svg/script.svg' has <script>, a script, which a figure may not "
                      "hold (line 3 of the SVG)"),
    "svg-event-handler.md": (5, 'has the event handler onload="...", which runs a script'),
    "svg-foreign-object.md": (5, "has <foreignObject>, content foreign to SVG (HTML)"),
    "svg-remote-image.md": (5, "refers to 'http://127.0.0.1:9/tracker.png': a figure may refer "
                            "only to its own parts (#id) or to a PNG or JPEG inside it (data:)"),
    "svg-css-url.md": (5, "refers to url(https://example.org/pattern.svg#p)"),
    "svg-use-bomb.md": (5, "draws more than 200,000 elements once its <use> references are expanded"),
    # images inside an SVG, checked by their bytes as any figure: a <use> bomb
    # sent as a PNG, a 169-megapixel PNG in 27 KB; and a size of infinity
    "svg-disguised.md": (5, "image 'svg/disguised.svg' embeds an image that is not the PNG its "
                         "data: URL says (line 2 of the SVG)"),
    "svg-huge-embedded.md": (5, "embeds an image that is 13000x13000 pixels, past the 40-megapixel limit"),
    "svg-infinite-width.md": (5, "is 1e999 wide or high, past the 1,000,000-pixel limit for a size"),
    # pictures that do not decode whole (python-docx failed on the first;
    # the second was shipped), and one of no pixels
    "png-truncated.md": (5, "image 'png/truncated.png' is damaged: the PNG does not decode "
                         "(image file is truncated)"),
    "png-corrupt-idat.md": (5, "image 'png/corrupt-idat.png' is damaged: the PNG does not decode"),
    "png-no-pixels.md": (5, "image 'png/no-pixels.png' has no pixels: its PNG header says 0x10"),
    # size and depth
    "deep-list.md": (26, "lists and quotes nest deeper than 20 levels"),
    "deep-quote.md": (5, "lists and quotes nest deeper than 20 levels"),
    "brackets.md": (5, "more than 1000 '[' in one paragraph"),
    "deep-emphasis.md": (5, "emphasis, links and spans nest deeper than 20 levels"),  # a RecursionError
    "table-rows.md": (7, "a table of 2,001 rows is past the limit of 2,000"),
}


def test_every_fixture_has_a_case():
    assert sorted(p.name for p in BAD.glob("*.md")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_source_gives_one_line_and_touches_nothing(name, tmp_path: Path):
    line, message = CASES[name]
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / f"{Path(name).stem}.html"
    earlier.write_text("an earlier good build")
    # Run on a copy beside the image fixtures, as an author's folder would be.
    folder = tmp_path / "src"
    shutil.copytree(BAD, folder)
    source = folder / name
    result = run_cli("build", source, "--out", out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # Every line is short, whatever the source holds (a 5 KB data: image here).
    assert all(len(line) <= len(str(source)) + 402 for line in result.stderr.splitlines())
    # One error (the warnings a failed build found are said too, as warnings).
    errors = "".join(line + "\n" for line in result.stderr.splitlines() if ": warning: " not in line)
    assert re.fullmatch(rf"{re.escape(str(source))}:{line}: .*{re.escape(message)}.*\n",
                        errors), result.stderr
    assert sorted(p.name for p in out.iterdir()) == [earlier.name]
    assert earlier.read_text() == "an earlier good build"


def test_nothing_is_fetched_from_a_local_server(tmp_path: Path):
    """A source that names a server (an image, a link) makes no connection."""
    import socket
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.3)
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        linked = tmp_path / "linked.md"
        linked.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n---\nSee [the server]({url}/page).\n")
        assert run_cli("build", linked, "--out", tmp_path / "out").returncode == 0
        pictured = tmp_path / "pictured.md"
        pictured.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n---\n![A map]({url}/map.png)\n\n"
                            f"A badge ![ok]({url}/badge.svg) in a line.\n")
        result = run_cli("build", pictured, "--out", tmp_path / "out")
        assert result.returncode == 0
        assert "2 remote images not fetched" in result.stderr  # one warning for both
        with pytest.raises(TimeoutError):
            server.accept()  # nobody connected


def test_an_image_named_by_a_site_generators_template_is_its_alt_text(tmp_path: Path):
    """NIST's digital identity guidelines name their figures
    `{{site.baseurl}}/{{page.collection}}/media/x.png`: each was an error,
    "does not exist", and the whole document was refused, where a link so
    named is shown as text with a warning. Such an image is its alt text
    now, in every format, with a warning at its line."""
    source = tmp_path / "nist.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\nText.\n\n"
                      "![Transfer of the secret]({{site.baseurl}}/{{page.collection}}/media/oob.png 'Transfer')"
                      '{:latex-src="oob.png"}\n\nAn icon ![key]({{ site.baseurl }}/key.png) here.\n', encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line.split(": warning: ")[0] for line in result.stderr.splitlines()] == [f"{source}:8", f"{source}:10"]
    assert all("template expression" in line and "shown as its alt text" in line for line in result.stderr.splitlines())
    page = (tmp_path / "nist.html").read_text(encoding="utf-8")
    assert "<p>Transfer of the secret</p>" in page and "An icon key here." in page


def test_every_problem_at_once(tmp_path: Path):
    """One run names every problem the reading can go past, in line order:
    an author fixes them all, then builds once."""
    keys = tmp_path / "keys.md"
    keys.write_text("---\ntitle: T\nsubtitel: x\nauthr: y\nversion: 1.10\n"
                    "classification: UNCLASSIFIED\n---\nText.\n")
    result = run_cli("check", keys)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [line.split(": ", 1)[0] for line in result.stderr.splitlines()] == [
        f"{keys}:3", f"{keys}:4", f"{keys}:5"]
    body = tmp_path / "body.md"
    body.write_text("---\ntitle: (U) T\nclassification: UNCLASSIFIED\nportion_marking: true\n---\n\n"
                    "# Heading\n\n(U) Text[^a] and [bad](javascript:x) and @tbl-nowhere.\n\n"
                    "| a |\n|---|\n| 1 |\n\n![(U) x](nothere.png)\n\n[^b]: (U) unused.\n")
    result = run_cli("check", body)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = [(int(line.split(":")[1]), line.split(": ", 1)[1]) for line in result.stderr.splitlines()]
    assert [line for line, _ in found] == [7, 9, 9, 9, 11, 15, 17]
    assert [message.split(" ")[0] for _, message in found] == [
        "heading", "warning:", "link", "cross-reference", "a", "image", "warning:"]  # a note: none, unused


def test_front_matter_problems_do_not_hide_the_bodys(tmp_path: Path):
    """A misspelt key and the body's own problems, in one run, each at its
    line: the reader goes on past every problem it can."""
    source = tmp_path / "both.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\nauthr: me\n---\n\n"
                      "Text ![x](nothere.png) and [bad](javascript:x) and &#12; @sec-x.\n\n"
                      "```\nunclosed\n\n[^a]: unused\n")
    result = run_cli("check", source)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = [(line.split(":")[1], line.split(": ", 1)[1].split(" ")[0]) for line in result.stderr.splitlines()]
    assert found == [("4", "unknown"), ("7", "image"), ("7", "link"), ("7", "character"),
                     ("7", "cross-reference"), ("12", "warning:")]  # an unused note: left out


def test_footnote_ids_are_the_footnotes_however_many(tmp_path: Path):
    """Footnote n is `#fn-n` (and its reference `#fnref-n`) for every n: a
    heading may not take `{#fn-1000}` from the 1,000th note, and a heading
    whose slug would be one gets another."""
    from lxml import html as lxml_html

    def source(heading: str) -> Path:
        notes = range(1, 1002)
        path = tmp_path / "notes.md"
        path.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n" + heading + "\n\n"
                        + "\n\n".join(f"Claim {n}.[^n{n}]" for n in notes)
                        + "\n\nSee [the last note](#fn-1001) and [the heading](#fn-1000-1).\n\n"
                        + "\n\n".join(f"[^n{n}]: Note {n}." for n in notes) + "\n")
        return path

    taken = run_cli("check", source("# Notes {#fn-1000}"))
    assert taken.returncode == 1
    assert taken.stderr.splitlines()[0] == f"{tmp_path / 'notes.md'}:6: duplicate id '#fn-1000' " \
                                           "(the footnotes use fn-N and fnref-N)"
    built = run_cli("build", source("# Fn 1000"), "--to", "html", "--out", tmp_path / "out")
    assert built.returncode == 0 and built.stderr == ""
    page = lxml_html.parse(str(tmp_path / "out" / "notes.html")).getroot()
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))  # every id once
    assert page.xpath("//section[h2='Fn 1000']/@id") == ["fn-1000-1"]
    assert page.get_element_by_id("fn-1000").text_content().startswith("Note 1000.")
    assert [a.get("href") for a in page.xpath("//a[starts-with(text(), 'the ')]")] == ["#fn-1001", "#fn-1000-1"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_bad_source_in_one_batch_fails_alone(jobs, tmp_path: Path):
    """No problem with one briefing, of any kind, stops the others: each
    bad fixture fails with its line, the good ones are built, the report is
    written."""
    folder = tmp_path / "src"
    shutil.copytree(BAD, folder)
    good = [folder / "good-one.md", folder / "good-two.md"]
    for path in good:
        path.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\nText.\n")
    sources = [good[0], *(folder / name for name in sorted(CASES)), good[1]]
    out, report = tmp_path / "out", tmp_path / "report.json"
    result = run_cli("build", *sources, "--to", "html", "--jobs", jobs, "--out", out, "--report", report)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout.splitlines()[-1] == f"2 built, 0 up to date, {len(CASES)} failed"
    assert sorted(p.name for p in out.glob("*.html")) == ["good-one.html", "good-two.html"]
    import json
    briefings = json.loads(report.read_text())["briefings"]
    assert [b["source"] for b in briefings] == [str(s) for s in sources]
    for briefing in briefings[1:-1]:
        name = Path(briefing["source"]).name
        line, message = CASES[name]
        assert briefing["status"] == "failed"
        assert [(e["line"], message in e["message"]) for e in briefing["errors"]] == [(line, True)], name
