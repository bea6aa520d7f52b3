"""Raw HTML, parsed safely into the model and never passed through:
comments dropped everywhere, an allowlist made model nodes, anything else
shown as text with one `html.unsupported` warning per kind of tag. pandoc's
reading (gfm, as GitHub READMEs are written) is the reference for what a
reader sees; each format is read back with an independent tool."""

from __future__ import annotations

import json
import re
import socket
import zipfile

import lxml.html
import pypandoc
import pytest

from conftest import FIXTURES, run_cli
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError, Reporter
from pipeline.run.build import load
from readers import docx_via_pandoc, pandoc_blocks, pdf_text
from rendering import html_of

RAW = FIXTURES / "raw-html.md"
HIDDEN = ("reviewer", "must never reach")


def loaded(path) -> tuple[m.Document, Reporter]:
    reporter = Reporter(str(path))
    return load(path, reporter), reporter


def inlines_of(doc: m.Document) -> list[m.Inline]:
    runs = [s.title for s in walk.sections(doc)] + [run for b in walk.blocks(doc) for run in walk.block_inlines(b)]
    return [item for run in runs for item in walk.nested_inlines(run)]


def test_the_allowlist_becomes_model_nodes():
    doc, _ = loaded(RAW)
    kinds = [type(i).__name__ + "".join(f".{c}" for c in getattr(i, "classes", ())) for i in inlines_of(doc)]
    for kind, count in [("Strong", 1), ("Emph", 1), ("Span.underline", 2), ("Strike", 1), ("Span.mark", 1),
                        ("Span.kbd", 2), ("Abbr", 1), ("Sub", 1), ("Sup", 2), ("Code", 2), ("LineBreak", 2)]:
        assert kinds.count(kind) == count, (kind, kinds)
    [abbr] = [i for i in inlines_of(doc) if isinstance(i, m.Abbr)]
    assert abbr == m.Abbr(text="NATO", title="North Atlantic Treaty Organization")
    [code] = [i for i in inlines_of(doc) if isinstance(i, m.Code) and "<" in i.text]
    assert code.text == "a < b"
    [link] = [i for i in inlines_of(doc) if isinstance(i, m.Link) and i.target.startswith("https")]
    assert (link.target, link.title, link.line) == ("https://www.nato.int", "NATO", 16)


def test_an_img_is_a_checked_picture_and_details_a_collapsible_note():
    doc, _ = loaded(RAW)
    [figure] = [b for b in walk.blocks(doc) if isinstance(b, m.Figure)]
    assert (figure.alt, figure.caption, figure.number, figure.line) == ("The area of operations", (), None, 7)
    [details] = [b for b in walk.blocks(doc) if isinstance(b, m.Admonition)]
    assert details.folded and m.plain_text(details.title) == "Known limitations"
    [inside] = details.blocks
    assert isinstance(inside, m.ListBlock) and len(inside.items) == 2 and details.line == 31
    def text(cell: tuple[m.Block, ...]) -> str:
        return " ".join(m.block_text(b) for b in cell)
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table) and b.head and text(b.head[0]) == "Unit"]
    assert [[text(cell) for cell in row] for row in table.rows] == [["1 Bde", "4,200"]]


def test_anchors_from_names_and_ids_are_link_targets():
    doc, reporter = loaded(RAW)
    anchors = [i.id for i in inlines_of(doc) if isinstance(i, m.Anchor)]
    assert anchors == ["fnref1", "fn1"]  # `<a name="overview">` in its heading is the heading's own id
    assert doc.sections[0].id == "overview" and not reporter.errors


def test_comments_are_dropped_and_text_joins_round_them():
    doc, _ = loaded(RAW)
    text = " ".join(m.block_text(b) for b in walk.blocks(doc))
    assert not any(words in text for words in HIDDEN)
    assert "A hidden note between words." in text
    lists = [b for b in doc.sections[0].blocks if isinstance(b, m.ListBlock)]
    assert len(lists[0].items) == 2  # the list right after a comment is a list


def test_tags_not_on_the_list_are_text_with_one_warning_per_kind():
    doc, reporter = loaded(RAW)
    warnings = [(p.line, p.code, re.search(r"<(\w+)>", p.message)[1]) for p in reporter.warnings]
    assert warnings == [(45, "html.unsupported", "blink"), (44, "html.left-out", "script")]
    shown = " ".join(m.block_text(b) for b in walk.blocks(doc))
    assert "alert" not in shown and "<blink>this</blink>" in shown  # a script is left out, with a word
    assert "onclick" not in shown and "no handler or style survives" in shown


def test_the_tree_is_what_pandoc_reads_from_gfm():
    """Counted as a reader sees them: list items, table cells, headings."""
    doc, _ = loaded(RAW)
    body = RAW.read_text(encoding="utf-8").split("---", 2)[2]
    html = pypandoc.convert_text(body, "html", format="gfm")
    theirs = lxml.html.fromstring(f"<div>{html}</div>")
    ours = lxml.html.fromstring(html_of(doc)).xpath("//main")[0]
    for path in (".//li", ".//td", ".//th", ".//h1 | .//h2", ".//details", ".//summary", ".//sup", ".//sub",
                 ".//kbd", ".//del", ".//mark"):
        assert len(ours.xpath(path)) == len(theirs.xpath(path)), path
    # pandoc passes the comment through as HTML, where a browser hides it.
    assert theirs.xpath("//comment()") and not ours.xpath("//comment()")


@pytest.mark.parametrize("html, why", [
    ('<a href="javascript:alert(1)">x</a>', "link target 'javascript:alert(1)' is not allowed"),
    ('<a href="data:text/html,hi">x</a>', "link target 'data:text/html,hi' is not allowed"),
])
def test_raw_links_are_checked_as_any_link(write, html, why):
    with pytest.raises(BriefingError, match=re.escape(why)):
        load(write(f"Before.\n\n{html} after.\n"))


def test_nothing_raw_reaches_the_page(write):
    doc = load(write('<script>x()</script>\n\n<iframe src="https://a.example"></iframe>\n\n'
                     '<b onmouseover="x()" style="position:fixed">b</b> <svg onload="x()"></svg>\n\n'
                     '<a href="https://a.example" onclick="x()" target="_blank">ok</a>\n'))
    tree = lxml.html.fromstring(html_of(doc))
    assert not tree.xpath("//script | //iframe | //svg | //object | //embed")
    assert not tree.xpath("//@onmouseover | //@onclick | //@onload | //@target")
    assert not tree.xpath("//main//@style")
    assert tree.xpath("//main//a[@href='https://a.example']/text()") == ["ok"]


def test_a_remote_picture_is_never_fetched(tmp_path):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.3)
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        source = tmp_path / "pictured.md"
        source.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n---\n<img src=\"{url}/x.png\" "
                          f"alt=\"A tracker\">\n\nAn icon <img src=\"{url}/i.png\" alt=\"icon\"> inline.\n")
        result = run_cli("build", source, "--out", tmp_path / "out")
        assert result.returncode == 0 and "2 remote images not fetched" in result.stderr  # as Markdown's
        page = (tmp_path / "out" / "pictured.html").read_text(encoding="utf-8")
        assert "127.0.0.1" not in page.split("<main", 1)[1] and "A tracker" in page
        with pytest.raises(TimeoutError):
            server.accept()


@pytest.mark.slow
def test_raw_html_in_all_three_formats(tmp_path):
    result = run_cli("build", RAW, "--out", tmp_path)
    assert result.returncode == 0 and result.stderr.count("warning: HTML <") == 2, result.stderr
    html = (tmp_path / "raw-html.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//details/summary/text()") == ["Known limitations"]
    assert tree.xpath("//details//li/text()") == ["Only YAML files are read.", "Reports are in English only."]
    assert tree.xpath("//td/br") and tree.xpath("//*[@id='fn1']") and tree.xpath("//*[@id='fnref1']")
    assert not any(words in html for words in HIDDEN) and "<script" not in html
    pdf = pdf_text(tmp_path / "raw-html.pdf")
    assert not any(words in pdf for words in HIDDEN)
    assert "Known limitations" in pdf and "Only YAML files are read." in pdf and "<blink>this</blink>" in pdf
    with zipfile.ZipFile(tmp_path / "raw-html.docx") as package:
        parts = " ".join(package.read(name).decode("utf-8", "replace") for name in package.namelist()
                         if name.endswith(".xml"))
    assert not any(words in parts for words in HIDDEN)
    text = pypandoc.convert_file(str(tmp_path / "raw-html.docx"), "plain", format="docx",
                                 extra_args=["--wrap=none"])
    for words in ("Known limitations", "Only YAML files are read.", "NATO", "4,200"):
        assert words in text, words


LISTS_IN_CELLS = ("| Check | Risk |\n|---|---|\n| Checks: <ul><li>Binary-Artifacts</li><li>Branch "
                  "<b>Protection</b></li></ul> and more | High |\n| <ol><li>Fuzzing</li></ol> | Medium |\n")


def test_a_list_in_a_table_cell_is_a_list_there_as_pandoc_reads_it(write, tmp_path):
    """GitHub READMEs put `<ul><li>` in a pipe table's cell: its items stay
    items (with the cell's other words as paragraphs round them) in every
    format, as in pandoc's reading, not one run of words."""
    theirs = lxml.html.fromstring(f"<div>{pypandoc.convert_text(LISTS_IN_CELLS, 'html', format='gfm')}</div>")
    source = write(LISTS_IN_CELLS)
    assert run_cli("build", source, "--out", tmp_path).returncode == 0
    ours = lxml.html.fromstring((tmp_path / "brief.html").read_bytes())
    def items(tree):
        return [" ".join(li.text_content().split()) for li in tree.xpath("//td//li")]
    assert items(ours) == items(theirs) == ["Binary-Artifacts", "Branch Protection", "Fuzzing"]
    assert [p.text for p in ours.xpath("//td/p")] == ["Checks:", "and more"]
    pdf = pdf_text(tmp_path / "brief.pdf")
    assert "• Binary-Artifacts" in pdf and "• Branch Protection" in pdf and "1. Fuzzing" in pdf
    table = pandoc_blocks(docx_via_pandoc(tmp_path / "brief.docx"), "Table")[0]
    assert [len(pandoc_blocks({"blocks": table}, kind)) for kind in ("BulletList", "OrderedList")] == [1, 1]


def test_nested_transparent_tags_keep_their_content(write):
    """`<div>` in `<div>` (MkDocs widgets, USWDS accordions), `<div>` in a
    `<section>`: each keeps only its content, at any depth."""
    doc = load(write("<div>\n  <div>\n    <div>x</div>\n  </div>\n</div>\n\n"
                     "<section><div><center>y <b>z</b></center></div></section>\n"))
    assert [m.plain_text(b.inlines) for b in walk.blocks(doc) if isinstance(b, m.Paragraph)] == ["x", "y z"]
    assert any(isinstance(i, m.Strong) for i in walk.inlines(doc))


def test_a_button_in_a_heading_and_a_figures_caption_are_their_words(write, tmp_path):
    """USWDS's migration guide: accordion headings hold a `<button>`, shown
    as raw markup in every format and its contents list, its id made of the
    tag; a `<figcaption>` was markup too. Their words now, as pandoc (gfm)
    reads them, with no space from the indented source at either end (Word
    showed ' Title ')."""
    text = ('See [the steps](#if-youre-using-uswds-gulp).\n\n<h4 class="usa-accordion__heading">\n'
            '  <button type="button" class="usa-accordion__button" aria-controls="m-a6">\n'
            "    If you're using USWDS Gulp\n  </button>\n</h4>\n\n"
            "<figure>\n<figcaption>Figure caption words</figcaption>\n</figure>\n\n"
            '<p align="center">\n  Centred <b>words</b>\n</p>\n')
    doc, reporter = loaded(write(text))
    assert not reporter.warnings
    [section] = doc.sections
    assert (m.plain_text(section.title), section.id) == ("If you're using USWDS Gulp", "if-youre-using-uswds-gulp")
    assert [m.plain_text(b.inlines) for b in section.blocks] == ["Figure caption words", "Centred words"]
    theirs = " ".join(lxml.html.fromstring(pypandoc.convert_text(text, "html", format="gfm")).text_content().split())
    assert "If you're using USWDS Gulp" in theirs and "Figure caption words" in theirs
    source = write(text)
    assert run_cli("build", source, "--out", tmp_path, "--to", "docx").returncode == 0
    import docx
    paragraphs = [(p.style.name, p.text) for p in docx.Document(tmp_path / "brief.docx").paragraphs]
    assert ("Heading 1", "If you're using USWDS Gulp") in paragraphs and ("Body Text", "Centred words") in paragraphs


def test_a_pre_shows_its_characters_in_its_language(write):
    """`<pre><code class="language-bash">npm install &lt;x&gt;` showed
    `&lt;x&gt;`: the code's references were escaped twice. The characters
    now, as a browser shows them, and the language the class names."""
    doc, _ = loaded(write('Text\n<pre><code class="language-bash">npm install &lt;x&gt; &amp;&amp; ok\n'
                          '  indented\n</code></pre>\n\n<pre>AT&amp;T &lt;b&gt; <b>bold</b></pre>\n'))
    codes = [(b.lang, b.text) for b in walk.blocks(doc) if isinstance(b, m.CodeBlock)]
    assert codes == [("bash", "npm install <x> && ok\n  indented"), (None, "AT&T <b> bold")]


def test_a_pre_keeps_its_br_lines_in_a_block_and_in_a_table_cell(write, tmp_path):
    """GovTech's API style guide writes HTTP headers as `<pre>A<br/>B</pre>`,
    in table cells too: the lines ran together (`application/jsonAccept-`),
    and a cell's `<pre>` lost its code. As a browser shows them: a line
    each, code in the cell too. Read back from all three formats."""
    path = write("| Header | Meaning |\n| --- | --- |\n"
                 "| `Content-Type` | Example:<pre>Accept: application/json<br/>Accept-Charset: utf-8</pre> |\n\n"
                 "<pre>Accept: application/json<br/>Accept-Charset: utf-8 &amp; more</pre>\n")
    doc, _ = loaded(path)
    [code] = [b for b in walk.blocks(doc) if isinstance(b, m.CodeBlock)]
    assert code.text == "Accept: application/json\nAccept-Charset: utf-8 & more"
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    [cell] = table.rows[0][1]
    assert [type(i).__name__ for i in cell.inlines] == ["Text", "LineBreak", "Code", "LineBreak", "Code"]
    assert [i.text for i in cell.inlines if isinstance(i, m.Code)] == ["Accept: application/json",
                                                                       "Accept-Charset: utf-8"]
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = lxml.html.parse(str(tmp_path / "out" / "brief.html"))
    assert page.xpath("//td//code/text()")[1:] == ["Accept: application/json", "Accept-Charset: utf-8"]
    text = pdf_text(tmp_path / "out" / "brief.pdf")
    assert "application/jsonAccept" not in text and "Accept-Charset: utf-8 & more" in text
    word = pypandoc.convert_file(str(tmp_path / "out" / "brief.docx"), "plain", format="docx")
    assert "application/jsonAccept" not in word and word.count("Accept-Charset: utf-8") == 2


@pytest.mark.parametrize("cell, shown", [
    ("Token one: <pre>Prefer: a</pre>`b`: second token.", ["Text", "LineBreak", "Code", "LineBreak", "Code", "Text"]),
    ("<pre>one</pre> after", ["Code", "LineBreak", "Text"]),
    ("<pre>alone</pre>", ["Code"]),
])
def test_what_follows_a_pre_in_a_table_cell_starts_a_line(write, tmp_path, cell, shown):
    """GovTech's API guide: `Token one: <pre>Prefer: a</pre>`b`: second
    token.` ran the next token on from the code ("Prefer: ab: second
    token" in Word; "read-consistentread-eventual-consistent" in the real
    table). A `<pre>` is a block: a browser starts a line after it too."""
    doc, _ = loaded(write(f"| Header | Tokens |\n|---|---|\n| x | {cell} |\n"))
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    [paragraph] = table.rows[0][1]
    assert [type(i).__name__ for i in paragraph.inlines] == shown


def test_an_html_list_indented_in_a_markdown_item_has_only_its_items(write):
    """The Census Bureau's engine notes indent an `<ol>` under a `*` item:
    it had an empty first item (its line's marker taken for text), so its
    items read b. and c. As GitHub (pandoc's gfm reader) reads it: two."""
    text = "* Parent item\n    <ol>\n    <li>First</li>\n    <li>Second</li>\n    </ol>\n"
    doc, _ = loaded(write(text))
    [outer] = doc.blocks
    [inner] = [b for b in outer.items[0].blocks if isinstance(b, m.ListBlock)]
    assert [m.block_text(item.blocks[0]) for item in inner.items] == ["First", "Second"]
    theirs = pandoc_blocks(json.loads(pypandoc.convert_text(text, "json", format="gfm")), "BulletList")
    assert len(theirs) == 1


def test_details_under_a_list_items_text_stay_in_the_item(write):
    """NHS Digital's security practices put a `<details>` of example code
    under an item's text: it was pulled out of the list, which ended, and
    the next item showed as `- **Monitor** everything`. As GitHub (pandoc's
    gfm reader) reads it: the details in the item, the list going on."""
    text = ("- **Encrypt** data at rest\n- **Enforce** security\n\n"
            "  <details><summary>Example policy</summary>\n\n    ```yaml\n    {\"Effect\": \"Deny\"}\n    ```\n\n"
            "  </details>\n- **Monitor** everything\n")
    doc, _ = loaded(write(text))
    [listing] = doc.blocks
    assert isinstance(listing, m.ListBlock) and len(listing.items) == 3
    second = listing.items[1].blocks
    assert [type(b) for b in second] == [m.Paragraph, m.Admonition]
    assert isinstance(second[1].blocks[0], m.CodeBlock) and second[1].blocks[0].lang == "yaml"
    assert m.block_text(listing.items[2].blocks[0]) == "Monitor everything"
    theirs = pypandoc.convert_text(text, "html", format="gfm")
    assert theirs.count("<li>") == 3 and "<details>" in theirs.split("<li>")[2]


def test_a_tag_not_on_the_list_is_shown_as_written_end_tag_too(write):
    """The Rust book's `<Listing …>` … `</Listing>`: its end tag showed as
    `</listing>`, not as written. (That one is mdBook's, named with a
    capital: a site's component, now left out; a lowercase one not on the
    list shows as written.)"""
    doc, reporter = loaded(write('<xlisting number="4-1">\n\nText.\n\n</xListing>\n'))
    assert [m.block_text(b) for b in doc.blocks] == ['<xlisting number="4-1">', "Text.", "</xListing>"]
    assert [p.code for p in reporter.warnings] == ["html.unsupported"]
    doc, reporter = loaded(write('<Listing number="4-1">\n\nText.\n\n</Listing>\n'))
    assert [m.block_text(b) for b in doc.blocks] == ["Text."]
    assert [p.code for p in reporter.warnings] == ["markdown.shortcode"]


def test_markdown_right_under_a_div_tag_is_read_as_markdown(write):
    """pandoc-crossref's demo opens `<div id="fig:pair">` right above its
    images: read as one HTML block, `![Subfigure a](p.png)` showed as
    written. The tag alone now, what follows read as Markdown, as pandoc
    reads it; the div's id stays a place links lead to."""
    import shutil
    from conftest import FIXTURES
    path = write('<div id="fig:pair">\n![Subfigure a](map.png)\n\nTwo sites.\n</div>\n\nAfter.\n')
    shutil.copy(FIXTURES / "images" / "map.png", path.parent / "map.png")
    doc, reporter = loaded(path)
    assert [type(b).__name__ for b in doc.blocks if not isinstance(b, m.Paragraph) or m.block_text(b)] == [
        "Figure", "Paragraph", "Paragraph"]
    assert "fig:pair" in [i.id for i in walk.inlines(doc) if isinstance(i, m.Anchor)]
    assert not [p for p in reporter.problems if not p.warning]


@pytest.mark.parametrize("text", ['A picture <img src="face.png" alt="">\nand its line.\n',
                                  "<p>A link <a href=''>here</a> and a picture <img src=face.png alt=''>\nend.</p>\n"])
def test_a_tag_whose_last_value_is_empty_at_a_lines_end_is_a_tag(write, text):
    """A line's position marker goes before its closing characters; in
    `alt="">` it went between `=` and the empty quotes, which made the tag
    no tag: it was shown as written, `<img src=“face.png” alt=”“>`."""
    import shutil
    from conftest import FIXTURES
    path = write(text)
    shutil.copy(FIXTURES / "images" / "map.png", path.parent / "face.png")
    doc, _ = loaded(path)
    assert "<img" not in " ".join(m.block_text(b) for b in walk.blocks(doc) if isinstance(b, m.Paragraph))
    assert [type(i).__name__ for i in walk.inlines(doc) if isinstance(i, m.Image)] == ["Image"]


@pytest.mark.parametrize("text, shown", [
    ("<div>\n<b>Note:</b> working on \\[x\\] helped **me**.\n</div>\n",
     "Note: working on [x] helped me."),
    # opensource.guide's pull quotes (kramdown's `markdown="1"`, a picture first).
    ('<aside markdown="1" class="pquote">\n<img src="face.png" class="pquote-avatar" alt="">\n'
     "I joined [the channel](https://example.org) and **learned**.\n"
     '<p markdown="1" class="pquote-credit">\n— a contributor, ["Why I love it"](https://example.org/why)\n'
     "</p>\n</aside>\n",
     "I joined the channel and learned. — a contributor, “Why I love it”"),
])
def test_markdown_in_a_container_is_read_though_a_tag_opens_its_line(write, text, shown):
    """A line of Markdown under `<div>` was read as Markdown, but as raw
    HTML when it opened with a tag of running text (`<b>`, `<img>`): its
    links and emphasis showed as written. pandoc's markdown reads both; so
    does kramdown in a tag that says `markdown="1"`."""
    import shutil
    from conftest import FIXTURES
    path = write(text)
    shutil.copy(FIXTURES / "images" / "map.png", path.parent / "face.png")
    doc, _ = loaded(path)
    words = " ".join(m.block_text(b) for b in walk.blocks(doc) if isinstance(b, m.Paragraph))
    assert " ".join(words.split()) == shown
    links = [i.target for i in walk.inlines(doc) if isinstance(i, m.Link)]
    assert links == [] if "div" in text else links == ["https://example.org", "https://example.org/why"]
    assert any(isinstance(i, m.Strong) for i in walk.inlines(doc))


def test_list_items_outside_a_list_keep_their_words(write):
    """`<li>` after a line of text (pages written for a browser): a list of
    its own when it stands as a block, its words on their own line amid a
    line's text; never an error."""
    doc = load(write("Some text\n<li>first</li>\n<li>second</li>\n\nA line <li>third</li> more.\n"))
    lists = [b for b in walk.blocks(doc) if isinstance(b, m.ListBlock)]
    assert [[m.block_text(item.blocks[0]) for item in block.items] for block in lists] == [["first", "second"]]
    last = [b for b in walk.blocks(doc) if isinstance(b, m.Paragraph)][-1]
    assert " ".join(m.plain_text(last.inlines).split()) == "A line third more." and any(
        isinstance(i, m.LineBreak) for i in last.inlines)


def test_a_fenced_block_in_a_list_in_raw_html_with_markdown_is_code(write, tmp_path):
    """USWDS's pages: `<div markdown="1">`, a numbered item, a fenced block
    indented under it. Its text was the stash's placeholder (an internal
    error in the DOCX)."""
    source = write('<div markdown="1">\n1. Search for references.\n\n    ```\n    .pipe(sass())\n    ```\n</div>\n')
    (code,) = [b for b in walk.blocks(load(source)) if isinstance(b, m.CodeBlock)]
    assert code.text == ".pipe(sass())"
    assert run_cli("build", source, "--out", tmp_path).returncode == 0
    assert ".pipe(sass())" in pdf_text(tmp_path / "brief.pdf")


@pytest.mark.parametrize("opened, inside", [
    ("<dl>\n\n<dt>Term</dt>\n<dd>\n\nDefinition text.\n\n</dd>\n", "Definition text."),
    ("<table>\n\nInside text.\n", "Inside text."),
])
def test_a_table_or_definition_list_left_open_loses_nothing_after_it(write, tmp_path, opened, inside):
    """Ember's RFC 730 opens a `<dl>` and never closes it: everything after
    it was taken in and dropped (2,337 words of pandoc's 11,900), with no
    word said. What such a tag cannot hold now follows it, as pandoc (whose
    HTML blocks end at a blank line) reads it, in all three formats."""
    path = write(opened + "\n## Later section\n\nThe paragraph after it.\n")
    doc, _ = loaded(path)
    assert [s.title for s in doc.sections] == [(m.Text(text="Later section"),)]
    assert m.block_text(doc.sections[0].blocks[0]) == "The paragraph after it."
    assert inside in " ".join(m.block_text(b) for b in walk.blocks(doc))
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    for text in (pdf_text(tmp_path / "out" / "brief.pdf"),
                 pypandoc.convert_file(str(tmp_path / "out" / "brief.docx"), "plain", format="docx"),
                 lxml.html.parse(str(tmp_path / "out" / "brief.html")).getroot().text_content()):
        assert "Later section" in text and "The paragraph after it." in text and inside in text


@pytest.mark.parametrize("opened", ["<dl>\n", "<dl>\n<dt>T</dt>\n<dd>\n\nSome text.\n"])
def test_a_footnote_and_a_tag_left_open_after_it_build_in_every_format(write, tmp_path, opened):
    """A footnote, then a `<dl>` never closed: the PDF failed with an
    internal error (the note's text had gone into the list), and with a
    `<dd>` left open the build was refused for a `<div>` the source never
    had. The notes stay apart from any tag left open."""
    path = write("A sentence with a note.[^a]\n\n[^a]: The note.\n\n" + opened)
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert "The note." in pdf_text(tmp_path / "out" / "brief.pdf")


def test_a_paragraph_tag_in_a_table_cell_keeps_its_links_and_emphasis(write):
    """beta.gouv.fr's yearly report wraps each product's cell in `<p>…</p>`:
    the cell was cut down to its words, 8 links lost. The paragraph's
    content stands in the cell as GitHub (pandoc's gfm reader) shows it."""
    cell = '<p><a href="https://panoramax.fr/"><strong>Panoramax</strong></a>: text<br>- one<br>- two `code`</p>'
    text = f"| Product |\n| ------- |\n| {cell} |\n| {cell[3:-4]} |\n"
    doc, _ = loaded(write(text))
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    [first], [second] = table.rows
    # With the paragraph tag and without it, the same cell (but for its line).
    assert first[0].inlines[1:] == second[0].inlines[1:]
    [paragraph] = first
    link = paragraph.inlines[0]
    assert isinstance(link, m.Link) and link.target == "https://panoramax.fr/"
    assert link.children == (m.Strong(children=(m.Text(text="Panoramax"),)),)
    assert sum(isinstance(item, m.LineBreak) for item in paragraph.inlines) == 2
    assert m.Code(text="code") in paragraph.inlines


def test_raw_html_in_a_footnote_is_read_as_in_the_text(write):
    """The notes are rebuilt apart from the text (a tag left open in the
    text cannot take them in): their own tags are still read."""
    doc, _ = loaded(write("Text.[^1]\n\n[^1]: Some <b>bold</b> text.\n\n<dl>\n"))
    [note] = doc.footnotes
    assert note.blocks[0].inlines == (m.Text(text="Some "), m.Strong(children=(m.Text(text="bold"),)),
                                      m.Text(text=" text."))


def test_cells_written_without_their_row_are_in_one(write):
    """LLNL's merlin command-line guide heads a table `<thead><th>Level</th>
    <th>Choice</th></thead>`, with no `<tr>`: the header was lost, in every
    format, without a word. HTML's parser puts such cells in a row (as a
    browser shows them); pandoc keeps their words, as paragraphs."""
    text = ("<table>\n<thead><th>Level</th><th>Choice</th></thead>\n"
            "<tbody><tr><td>4</td><td>ERROR</td></tr><td>5</td><td>DEBUG</td></tbody>\n</table>\n")
    doc, _ = loaded(write(text))
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    words = [[m.plain_text(cell[0].inlines) for cell in row] for row in (table.head, *table.rows)]
    assert words == [["Level", "Choice"], ["4", "ERROR"], ["5", "DEBUG"]]
    assert pypandoc.convert_text(text, "plain", format="html").split() == [w for row in words for w in row]


@pytest.mark.parametrize("text", [
    "<table>\n  <tr>\n    <td>A</td>\n    <td>B</td>\n  </tr>\n  <td>C</td>\n  <td>D</td>\n  </tr>\n</table>\n",
    "<table><tr><td>A</td><td>B</td></tr><td>C</td><td>D</td></table>\n",
])
def test_cells_written_in_the_table_itself_are_in_a_row(write, text):
    """NIST SP 800-63-3's Table 6-1 closes a row and writes the next one's
    cells without its `<tr>`: the build was refused ("unsupported inline
    element <td>", once a cell) where a browser shows the row."""
    doc, _ = loaded(write(text))  # an error would raise
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    assert [[m.plain_text(cell[0].inlines) for cell in row] for row in table.rows] == [["A", "B"], ["C", "D"]]


def test_rows_written_without_their_tr_are_rows_of_their_own(write, tmp_path):
    """EUDI's wallet attestation tables close a row and write each next
    one's cells without its `<tr>`, closing it with `</tr>`: those rows ran
    together into one row of six cells ("TR3 / 9" in the PDF), the others
    padded with three empty cells. HTML's parser opens a row for each."""
    text = ("<table>\n<tr>\n<td>A1</td>\n<td>A2</td>\n</tr>\n<td>B1</td>\n<td>B2</td>\n</tr>\n"
            "<td>C1</td>\n<td>C2</td>\n</tr>\n</table>\n")
    doc, _ = loaded(write(text))
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    rows = [[m.plain_text(cell[0].inlines) for cell in row] for row in table.rows]
    assert rows == [["A1", "A2"], ["B1", "B2"], ["C1", "C2"]]
    assert html5_rows(text) == rows  # as an HTML5 parser (WeasyPrint's) reads the table


def html5_rows(text: str) -> list[list[str]]:
    import tinyhtml5

    ns = "{http://www.w3.org/1999/xhtml}"
    return [["".join(cell.itertext()).strip() for cell in row if cell.tag in (ns + "td", ns + "th")]
            for row in tinyhtml5.parse(text).iter(ns + "tr")]


def test_a_colgroup_is_left_out_and_a_tfoot_comes_last(write, tmp_path):
    """pandoc writes a `<colgroup>` into every wide table it exports as
    HTML: it failed the whole build ("unsupported inline element
    <briefing-transparent>"). A `<tfoot>` written before the body (as HTML
    4 had it) was printed first; a browser shows it last."""
    text = ("<table>\n<colgroup><col style=\"width: 30%\"><col></colgroup>\n"
            "<thead><tr><th>Unit</th><th>Strength</th></tr></thead>\n"
            "<tfoot><tr><td>Total</td><td>3</td></tr></tfoot>\n"
            "<tbody><tr><td>1 Bde</td><td>1</td></tr><tr><td>2 Bde</td><td>2</td></tr></tbody>\n</table>\n")
    source = write(text)
    assert run_cli("build", source, "--out", tmp_path).returncode == 0
    page = lxml.html.fromstring((tmp_path / "brief.html").read_bytes())
    shown = [[cell.text_content().strip() for cell in row] for row in page.iter("tr")]
    assert shown == [["Unit", "Strength"], ["1 Bde", "1"], ["2 Bde", "2"], ["Total", "3"]]
    assert sorted(html5_rows(text)) == sorted(shown)  # the same rows (a browser draws the foot last)
    assert " ".join(pdf_text(tmp_path / "brief.pdf").split()).endswith(
        "Unit Strength 1 Bde 1 2 Bde 2 Total 3 UNCLASSIFIED Page 1 of 1")
    word = pypandoc.convert_file(str(tmp_path / "brief.docx"), "plain", format="docx")
    assert word.index("1 Bde") < word.index("2 Bde") < word.index("Total")


@pytest.mark.parametrize("text", [
    "- <details>\n  <summary>Example</summary>\n\n  Text inside.\n\n  </details>\n- Next item.\n",
    "-   Example:\n\n    <details>\n    <summary>Example</summary>\n\n    Text inside.\n\n    </details>\n"
    "-   Next item.\n",
    "1. Steps:\n\n   <details>\n   <summary>Example</summary>\n\n   Text inside.\n\n   </details>\n"
    "2. Next item.\n",
])
def test_a_details_box_in_a_list_item_holds_its_text(write, text):
    """The ONS design system's migration guide opens items with `<details>`
    (refused: "unsupported inline element <details>", 25 times) and indents
    them four spaces under an item's text (the box came out empty, its code
    after it). The box is the item's, with its summary and text, as
    pandoc's gfm reader keeps the text in the item."""
    doc, _ = loaded(write(text))
    [items] = [b for b in doc.blocks if isinstance(b, m.ListBlock)]
    first, second = items.items
    [box] = [b for b in walk.blocks(doc) if isinstance(b, m.Admonition)]
    assert box in first.blocks and m.plain_text(box.title) == "Example"
    assert [m.block_text(b) for b in box.blocks] == ["Text inside."]
    assert m.block_text(second.blocks[0]) == "Next item."
    [theirs] = pandoc_blocks(json.loads(pypandoc.convert_text(text, "json", format="gfm")),
                             ("BulletList", "OrderedList"))
    items = theirs["c"] if theirs["t"] == "BulletList" else theirs["c"][1]
    assert "inside." in json.dumps(items[0])  # the first item's, in pandoc's too


def test_a_th_in_a_body_row_heads_its_row_for_screen_readers(write, tmp_path):
    """MITRE's CAR data model heads each row of its coverage map with a
    `<th>`: it became an ordinary cell. It stays a row header (`<th
    scope="row">`) in the HTML and the print, which axe and a screen reader
    read as the row's name."""
    text = ("<table>\n<tr><th>Tactic</th><th>Covered</th></tr>\n<tr><th>Execution</th><td>Yes</td></tr>\n"
            "<tr><td>Persistence</td><th>No</th></tr>\n</table>\n")
    doc, _ = loaded(write(text))
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    assert table.row_heads == ((1, 0), (2, 1))
    page = lxml.html.fromstring(html_of(doc))
    heads = [(th.text_content(), th.get("scope")) for th in page.iter("th")]
    assert heads == [("Tactic", None), ("Covered", None), ("Execution", "row"), ("No", "row")]
    # Word marks no row header: the cell is bold, as in the HTML and the print.
    import docx
    assert run_cli("build", write(text), "--to", "docx", "--out", tmp_path).returncode == 0
    [table] = docx.Document(str(tmp_path / "brief.docx")).tables
    bold = [[any(r.bold for p in c.paragraphs for r in p.runs) for c in row.cells] for row in table.rows[1:]]
    assert bold == [[True, False], [False, True]]
    from readers import ooxml_errors_of, soffice_to_pdf, tool
    assert ooxml_errors_of(tmp_path / "brief.docx") == []
    # A column of row heads is measured in bold: each word whole as LibreOffice lays it out.
    heads = ("<table>\n<tr><th>Tactic</th><th>Covered</th></tr>\n<tr><th>Execution</th><td>Yes</td></tr>\n"
             "<tr><th>Persistence</th><td>No</td></tr>\n</table>\n")
    assert run_cli("build", write(heads, "heads.md"), "--to", "docx", "--out", tmp_path).returncode == 0
    words = tool("pdftotext", soffice_to_pdf(tmp_path / "heads.docx", tmp_path), "-").split()
    assert "Persistence" in words and "Execution" in words


def test_an_anchor_alone_on_its_line_goes_with_what_follows_it(write):
    """google/eng-practices keeps old links working with `<a id="old">` on
    a line of its own after a heading: an empty paragraph (a blank line in
    Word), which in print kept the heading with it at a page's foot while
    the text went over. microsoft/api-guidelines writes `<a href="#http"
    name="http"></a>` before a heading: its target showed as "#http". The
    anchor now starts the paragraph or heading after it; links find it."""
    text = ("Intro [old](#old_anchor) and [http](#http).\n\n## Next section\n\n<a id=\"old_anchor\"></a>\n\n"
            "Body of the next section.\n\n<a href=\"#http\" name=\"http\"></a>\n### HTTP\n\nBody.\n")
    doc, reporter = loaded(write(text))
    assert not reporter.problems
    [next_section] = doc.sections
    [body] = next_section.blocks
    assert body.inlines[0] == m.Anchor(id="old_anchor", line=body.inlines[0].line)
    assert m.plain_text(body.inlines) == "Body of the next section."
    [http] = next_section.children
    assert http.id == "http" and m.plain_text(http.title) == "HTTP" and [m.block_text(b) for b in http.blocks] == ["Body."]
    assert "#http" not in " ".join(m.block_text(b) for b in walk.blocks(doc))


def test_a_checkbox_is_its_box(write):
    """opensource.guide's checklist is `<input type="checkbox">` and a
    `<label>` 18 times: the tag showed as written, with a warning. A box
    shows as the page shows it, ticked or not (as a task list's)."""
    text = ('<div>\n  <input type="checkbox" id="cbox1" value="checkbox">\n  <label for="cbox1">Is there a '
            'licence?</label>\n</div>\n\n<input type="checkbox" checked> Done. <input type="radio"> Or.\n')
    doc, reporter = loaded(write(text))
    assert [m.block_text(b) for b in doc.blocks] == ["\u2610 Is there a licence?", "\u2612 Done. \u25cb Or."]
    assert not reporter.problems


def test_a_fenced_block_inside_a_pre_is_the_pres_text(write):
    """google/styleguide's Markdown guide shows a fenced block inside a
    `<pre>` (how to write one): the fence was read as code first and lost
    from the `<pre>`, which came out empty, with no warning. A `<pre>` is
    kept as written to its closing tag (CommonMark), fences and all, as
    pandoc's gfm reader keeps it; a fenced block showing a `<pre>` is still
    a code block, and one after a `<pre>` too."""
    text = ("Use a codeblock:\n\n<pre>\n```python\ndef Foo(self, bar):\n  self.bar = bar\n```\n</pre>\n\n"
            "```html\n<pre>\nx\n</pre>\n```\n\n<pre>y</pre>\n\n```\nz\n```\n")
    doc, reporter = loaded(write(text))
    codes = [b.text for b in walk.blocks(doc) if isinstance(b, m.CodeBlock)]
    assert codes == ["```python\ndef Foo(self, bar):\n  self.bar = bar\n```", "<pre>\nx\n</pre>", "y", "z"]
    assert "def Foo(self, bar):" in pypandoc.convert_text(text, "html", format="gfm")


def test_an_id_may_start_with_a_digit(write, tmp_path):
    """The Apache Software Foundation's bylaws mark each section `<a id="2.1"
    name="2.1">`: ids starting with a digit were dropped (HTML4's rule),
    and every link to them was text, with a warning. HTML5 allows them, as
    pandoc does; the DOCX's bookmark gets a name Word keeps."""
    text = 'See [Section 2.2](#2.2).\n\n**<a id="2.2" name="2.2">Section 2.2.</a> Other States.** Text.\n'
    doc, reporter = loaded(write(text))
    assert not reporter.problems
    assert [i.target for i in walk.inlines(doc) if isinstance(i, m.Link)] == ["#2.2"]
    assert [i.id for i in walk.inlines(doc) if isinstance(i, m.Anchor)] == ["2.2"]
    result = run_cli("build", write(text), "--out", tmp_path, "--to", "docx")
    assert result.returncode == 0, result.stderr
    document = zipfile.ZipFile(tmp_path / "brief.docx").read("word/document.xml").decode()
    [anchor] = re.findall(r'w:anchor="([^"]+)"', document)
    assert re.search(rf'w:bookmarkStart w:id="\d+" w:name="{re.escape(anchor)}"', document)


def test_an_anchor_on_the_line_above_a_term_is_the_terms(write):
    """google/styleguide's Python guide puts `<a id="x"></a>` on the line
    above each term: it was a term of its own, empty, without a definition
    (a bookmark alone in a Word paragraph). It is the term's place now."""
    text = ('<a id="annotated-assignments"></a>\n[*Annotated Assignments*](#annotated-assignments)\n'
            ':   If a variable has a type that is hard to infer, annotate it.\n')
    doc, reporter = loaded(write(text))
    [dl] = [b for b in walk.blocks(doc) if isinstance(b, m.DefinitionList)]
    [item] = dl.items
    assert isinstance(item.term[0], m.Anchor) and m.plain_text(item.term) == "Annotated Assignments"
    assert [m.block_text(b) for d in item.definitions for b in d] == [
        "If a variable has a type that is hard to infer, annotate it."]
    assert not reporter.problems


def test_an_html_list_may_open_a_definition(write):
    """An IETF draft (draft-ietf-ppm-dap) registers a media type with `:
    <dl>` and `<dt>`/`<dd>` lines under a term: each tag was an unsupported
    inline element and the build was refused. The HTML is the definition's,
    a list in it, as pandoc reads it; a definition opening with inline
    HTML is still a paragraph."""
    text = ("Additional information:\n\n: <dl>\n  <dt>Magic number(s):</dt><dd>N/A</dd>\n"
            "  <dt>File extension(s):</dt><dd>N/A</dd>\n  </dl>\n\nTerm\n: <b>Bold</b> rest.\n")
    doc, reporter = loaded(write(text))
    [outer] = [b for b in doc.blocks if isinstance(b, m.DefinitionList)]
    first, second = outer.items
    [inner] = [b for d in first.definitions for b in d]
    assert isinstance(inner, m.DefinitionList)
    assert [(m.plain_text(i.term), [m.block_text(b) for d in i.definitions for b in d]) for i in inner.items] == [
        ("Magic number(s):", ["N/A"]), ("File extension(s):", ["N/A"])]
    assert m.block_text(second.definitions[0][0]) == "Bold rest."
    assert not reporter.errors


def test_cells_four_spaces_in_after_blank_lines_stay_the_tables(write):
    """digitalgov.gov's analytics guide (a CMS's export) indents each cell
    four spaces, with blank lines between: each cell after a blank line was
    an indented code block, lost from the rebuilt table without a word
    (2,300 words of three tables). Inside a table or list that raw HTML left
    open they are its cells and items, as pandoc's markdown reader keeps
    them; after it closes, four spaces in is code again."""
    text = ("<table>\n  <tr>\n    <th>\n      Metric\n    </th>\n\n    <th>\n      Definition\n    </th>\n  </tr>\n\n"
            "  <tr>\n    <td>\n      Total Visits\n    </td>\n\n    <td>\n      A visit is an interaction.\n"
            "    </td>\n  </tr>\n</table>\n\n<ul>\n\n    <li>One</li>\n\n    <li>Two</li>\n</ul>\n\n"
            "After.\n\n    <b>code</b>\n")
    doc, _ = loaded(write(text))
    table, listing, after, code = doc.blocks
    words = [[m.block_text(cell[0]).strip() for cell in row] for row in (table.head, *table.rows)]
    assert words == [["Metric", "Definition"], ["Total Visits", "A visit is an interaction."]]
    assert [m.block_text(item.blocks[0]) for item in listing.items] == ["One", "Two"]
    assert m.block_text(after) == "After." and isinstance(code, m.CodeBlock) and code.text == "<b>code</b>"
    theirs = pypandoc.convert_text(text, "plain", format="markdown")
    assert all(word in theirs for word in ("Definition", "interaction", "Two"))


def test_a_raw_html_tables_caption_is_its_caption(write, tmp_path):
    """The Turing Way's licensing chapter explains its tables' footnote
    numbers in each `<caption>`: the caption was dropped, in every format,
    without a word. It is the table's caption, numbered as a Markdown
    table's (`Table: …`), as pandoc keeps it."""
    text = "<table>\n<caption>Staff by <em>region</em></caption>\n<tr><th>Region</th><th>Q1</th></tr>\n" \
           "<tr><td>North</td><td>12</td></tr>\n</table>\n"
    doc, _ = loaded(write(text))
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    assert m.plain_text(table.caption) == "Staff by region" and table.number == 1
    assert m.Emph(children=(m.Text(text="region"),)) in table.caption
    assert [m.block_text(cell[0]) for cell in table.head] == ["Region", "Q1"]
    assert "Staff by region" in pypandoc.convert_text(text, "plain", format="html")
    assert run_cli("build", write(text), "--to", "docx", "--out", tmp_path).returncode == 0
    assert "Staff by region" in " ".join(pypandoc.convert_file(str(tmp_path / "brief.docx"), "plain").split())


@pytest.mark.parametrize("text", ["Line one.<br>\nLine two.\n", "> Line one. <br>\n> Line two.\n",
                                  "Line one.<br/>\n   Line two.\n"])
def test_no_space_stands_beside_a_line_break(write, text):
    """CISA's ScubaGear ends a line with `<br>` and goes on on the next: the
    soft break after it was a space at the start of the DOCX's next line,
    an indent in Word."""
    doc, _ = loaded(write(text))
    [paragraph] = [b for b in walk.blocks(doc) if isinstance(b, m.Paragraph)]
    assert paragraph.inlines == (m.Text(text="Line one."), m.LineBreak(), m.Text(text="Line two."))


def test_a_pages_scripts_and_styles_are_left_out_with_what_they_hold(write, tmp_path):
    """OpenSSF's security baseline ends with a `<script>`: the PDF printed a
    paragraph of JavaScript. A script, a style or a template is code for a
    browser, which GitHub strips: left out, said at its line. A Mermaid
    diagram, which GitHub draws, is shown as its code with a word."""
    source = write("Version 1.\n\n<script>\nfunction toTop() {\n  window.scrollTo(0, 0);\n}\n</script>\n\n"
                   "<style>\n.x { color: red }\n</style>\n\nInline <script>alert(1)</script> after.\n\n"
                   "```mermaid\nflowchart TD\n  A --> B\n```\n")
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line.split(": warning: ") for line in result.stderr.splitlines() if ": warning: " in line]
    assert [(where.rsplit(":", 1)[1], what.split(",")[0]) for where, what in warnings] == [
        ("7", "HTML <script> left out"), ("13", "HTML <style> left out"),
        ("19", "a Mermaid diagram is shown as its code: briefing draws none (put a picture of it in the text)")]
    for shown in (pdf_text(tmp_path / "brief.pdf"), (tmp_path / "brief.html").read_text(encoding="utf-8"),
                  pypandoc.convert_file(str(tmp_path / "brief.docx"), "plain", format="docx")):
        assert "toTop" not in shown and "alert" not in shown and "color: red" not in shown
        assert "Inline" in shown and "flowchart" in shown


def test_an_id_may_hold_any_character_but_a_space(write, tmp_path):
    """OpenSSF's compiler options guide anchors each option as written,
    `<span id="-D_FORTIFY_SOURCE=3">`, `id="-Wl,-z,relro"`: the ids were
    dropped and some 35 links to them became plain text, with warnings.
    HTML5 lets an id hold anything but spaces; Word's bookmarks are named
    from them (docx/fields.py)."""
    source = write("See [a](#x=3), [w](#-Wall) and [r](#-Wl,-z,relro).\n\nText <span id=\"x=3\">a</span>.\n\n"
                   "<span id=\"-Wall\">Wall</span>\n\nAnd <a id=\"-Wl,-z,relro\"></a>relro.\n")
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    page = lxml.html.fromstring((tmp_path / "brief.html").read_bytes())
    targets = [a.get("href")[1:] for a in page.iter("a") if (a.get("href") or "").startswith("#")
               and a.text_content() in ("a", "w", "r")]
    assert targets == ["x=3", "-Wall", "-Wl,-z,relro"]
    assert all(page.get_element_by_id(target) is not None for target in targets)
    with zipfile.ZipFile(tmp_path / "brief.docx") as package:
        document = package.read("word/document.xml").decode()
    anchors = re.findall(r'w:anchor="([^"]+)"', document)
    assert len(anchors) == 3 and all(f'w:name="{anchor}"' in document for anchor in anchors)


def test_a_sites_own_components_are_left_out_and_what_they_hold_kept(tmp_path):
    """The Canadian Digital Service's API pages include a part with VuePress's
    `<Content :page-key="…"/>`, which was printed as written; Docusaurus pages
    hold MDX's `<Tabs>` and `<TabItem>`. A tag named with a capital is no
    HTML element: it goes, what it holds stays, and each is named once."""
    source = tmp_path / "components.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\nBefore.\n\n"
                      "<Content :page-key=\"$site.pages.find(p => p.relativePath === 'en/_arg.md').key\"/>\n\n"
                      "After.\n\n<Tabs>\n<TabItem value=\"a\" label=\"A\">\n\nInside **tab** A.\n\n</TabItem>\n"
                      "<TabItem value=\"b\">\n\nInside B.\n\n</TabItem>\n</Tabs>\n\nA <Badge text=\"beta\"/> word.\n",
                      encoding="utf-8")
    doc, reporter = loaded(source)
    assert [m.block_text(block) for block in doc.blocks] == ["Before.", "After.", "Inside tab A.", "Inside B.",
                                                             "A word."]
    custom = tmp_path / "custom.md"
    custom.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n<va-tabs label=\"Examples\">\n"
                      "  <va-tab-panel panel-id=\"p1\">\n    Web example.\n  </va-tab-panel>\n</va-tabs>\n\n"
                      "Then <va-link-action text=\"x\"></va-link-action> here.\n", encoding="utf-8")
    custom_doc, custom_reporter = loaded(custom)
    # VA's web components (a name with a hyphen), on their lines or in one: the same.
    assert [m.block_text(block) for block in custom_doc.blocks] == ["Web example.", "Then here."]
    assert sorted((p.line, p.message.split(">")[0]) for p in custom_reporter.problems) == [
        (6, "the site's component <va-tabs"), (7, "the site's component <va-tab-panel"),
        (12, "the site's component <va-link-action")]
    placeholder = tmp_path / "placeholder.md"
    placeholder.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\nUse <first-name> in the form, type "
                           "<file-name>.txt, or ssh <user-name>@host.\n", encoding="utf-8")
    # A hyphen's tag in a line that no end tag closes is a placeholder, shown as written.
    assert m.block_text(loaded(placeholder)[0].blocks[0]) == ("Use <first-name> in the form, type "
                                                             "<file-name>.txt, or ssh <user-name>@host.")
    typed = tmp_path / "typed.md"
    typed.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\nIt returns Promise<Response> "
                     "or List<String>.\n\n<IFRAME SRC=\"x\">Fallback</IFRAME>\n", encoding="utf-8")
    typed_doc, typed_reporter = loaded(typed)
    # In a line, a capital's tag is a type; in capitals, HTML's own: both shown as written.
    assert [m.block_text(block) for block in typed_doc.blocks] == [
        "It returns Promise<Response> or List<String>.", '<IFRAME SRC="x">Fallback</IFRAME>']
    assert {p.code for p in typed_reporter.problems} == {"html.unsupported"}
    assert sorted((p.line, p.code, p.message.split(">")[0]) for p in reporter.problems) == [
        (8, "markdown.shortcode", "the site's component <Content"), (12, "markdown.shortcode", "the site's component <Tabs"),
        (13, "markdown.shortcode", "the site's component <TabItem"), (25, "markdown.shortcode", "the site's component <Badge")]


def test_a_hugo_shortcode_as_an_attributes_value_leaves_the_tag_whole(tmp_path):
    """digital.gov's case-study cards link `href="{{< ref "x.md" >}}"`: the
    shortcode's own quotes ended the value and its `>` the tag, and the
    link read `[}}">Persona …]({{< ref)`. The value is the shortcode, whole
    (a template expression: its words shown, with a warning)."""
    source = tmp_path / "cards.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n<div class=\"card\">\n  <p>\n"
                      "    <strong>NCI</strong><br /> <a title=\"Persona\" "
                      "href=\"{{< ref \"2015-03-02-persona.md\" >}}\">Persona Development Case Study</a>\n"
                      "  </p>\n</div>\n", encoding="utf-8")
    doc, reporter = loaded(source)
    text = " ".join(m.block_text(block) for block in doc.blocks)
    assert "Persona Development Case Study" in text and "}}" not in text and "[" not in text
    assert [(p.line, p.code) for p in reporter.problems] == [(8, "link.template")]
    # In code, a shortcode's quotes are as written.
    shown = tmp_path / "shown.md"
    shown.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n<p>Write <code>title=\"{{< param "
                     "\"name\" >}}\"</code> there.</p>\n", encoding="utf-8")
    assert m.block_text(loaded(shown)[0].blocks[0]) == 'Write title="{{< param "name" >}}" there.'


def test_text_for_screen_readers_alone_stays_out_of_sight(tmp_path):
    """The MOD's service manual marks "(opens in a new tab)" with GOV.UK's
    `govuk-visually-hidden`: the PDF and the Word file printed it, where it
    is untrue. The HTML keeps it for screen readers, out of sight; the
    print and Word, read by eye, leave it out."""
    import zipfile

    source = tmp_path / "hidden.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      '<p>See <a href="https://www.gov.uk/x">the guidance <span class="govuk-visually-hidden">'
                      "(opens in a new tab)</span></a> first.</p>\n", encoding="utf-8")
    assert run_cli("build", source, "--out", tmp_path).returncode == 0
    page = lxml.html.fromstring((tmp_path / "hidden.html").read_bytes())
    [hidden] = page.xpath("//main//span[@class='visually-hidden']")
    assert hidden.text_content().strip() == "(opens in a new tab)"
    assert "opens in a new tab" not in pdf_text(tmp_path / "hidden.pdf")
    assert "See the guidance" in " ".join(pdf_text(tmp_path / "hidden.pdf").split())
    document = zipfile.ZipFile(tmp_path / "hidden.docx").read("word/document.xml").decode()
    assert "opens in a new tab" not in document
    assert "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", document)).endswith("See the guidance first.")
