"""read/liquid.py: Jekyll's Liquid tags read as Jekyll leaves them (code
samples, raw text, comments), includes left out with a warning, and
nothing changed inside a fenced code block."""

from __future__ import annotations

import lxml.html

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter
from pipeline.run.build import load

PAGE = """\
Intro text.

{% highlight html %}
<div class="usa-alert">
  <p>Alert</p>
</div>
{%- endhighlight -%}

1. Step one:

    {% highlight bash linenos %}
    npm install ```odd```
    {% endhighlight %}

2. Step two uses {% raw %}{{ site.baseurl }}{% endraw %} here.

{% raw %}
{{ page.title }}
{% endraw %}

Before {% comment %} a note
for editors {% endcomment %} after [a link](#nowhere).

{% include footer.html %}

```liquid
{% highlight ruby %}
{% raw %}{{ x }}{% endraw %}
{% endhighlight %}
```

{% highlight python %}
never closed
"""


def loaded(write, text: str) -> tuple[m.Document, Reporter]:
    path = write(text)
    reporter = Reporter(str(path))
    return load(path, reporter), reporter


def test_jekyll_tags_read_as_jekyll_leaves_them(write):
    doc, reporter = loaded(write, PAGE)
    blocks = list(walk.blocks(doc))
    codes = [(b.lang, b.text, b.line) for b in blocks if isinstance(b, m.CodeBlock)]
    assert codes == [
        ("html", '<div class="usa-alert">\n  <p>Alert</p>\n</div>', 7),  # the front matter is 4 lines
        ("bash", "npm install ```odd```", 15),
        ("liquid", "{% highlight ruby %}\n{% raw %}{{ x }}{% endraw %}\n{% endhighlight %}", 30),
    ]
    [listing] = [b for b in doc.blocks if isinstance(b, m.ListBlock)]
    assert isinstance(listing.items[0].blocks[1], m.CodeBlock)  # the sample stays in its step
    texts = [m.block_text(b) for b in blocks if isinstance(b, m.Paragraph)]
    assert "Step two uses {{ site.baseurl }} here." in texts and "{{ page.title }}" in texts
    assert "Before after a link." in texts
    assert texts[-1] == "{% highlight python %} never closed"  # no end tag: as written
    assert not any("include" in text or "editors" in text for text in texts)
    assert sorted((p.line, p.code, p.message) for p in reporter.warnings) == [
        (26, "link.unknown-id", "link to '#nowhere', which no heading or anchor has as its id, shown as text"),
        (28, "markdown.shortcode", "Liquid tag {% include footer.html %} left out: briefing runs none"),
        (36, "markdown.shortcode", "Liquid tag {% highlight python %} shown as written: briefing runs none"),
    ]


def test_a_highlight_right_after_text_is_code_and_one_deep_in_raw_html_stays_text(write):
    """Jekyll needs no blank line before a highlight tag; a fence there
    would have been a fenced block run into text (an error). Six spaces
    into a raw HTML list (USWDS's accordions) a fence would be an indented
    block's text: the tags stay text there, as pandoc shows them."""
    doc, reporter = loaded(write, ("Run this:\n{% highlight bash %}\nmake\n{% endhighlight %}\nThen this.\n\n"
                                 "<ol>\n  <li>Step:\n      {% highlight diff %}\n- a\n      {% endhighlight %}\n"
                                 "  </li>\n</ol>\n"))
    assert not reporter.errors
    blocks = list(walk.blocks(doc))
    assert [(b.lang, b.text) for b in blocks if isinstance(b, m.CodeBlock)] == [("bash", "make")]
    texts = [m.block_text(b) for b in blocks if isinstance(b, m.Paragraph)]
    assert texts[:2] == ["Run this:", "Then this."]
    assert "{% highlight diff %}" in " ".join(m.block_text(b) for b in blocks)


def test_includes_line_after_line_are_each_left_out(write):
    """NIST's SP 800-63 pages are their sections' includes, one a line:
    they stood as one paragraph of tags, shown as written, one warned of."""
    doc, reporter = loaded(write, "Intro.\n\n{% include_relative sec1.md %}\n{% include_relative sec2.md %}\n"
                                  "{{< pagebreak >}}\n\nA {% raw %}{{ x }}{% endraw %}\n{% raw %}y{% endraw %}\n")
    assert [m.block_text(b) for b in walk.blocks(doc)] == ["Intro.", "", "A {{ x }} y"]
    assert isinstance(list(walk.blocks(doc))[1], m.PageBreak)
    assert [(p.line, p.message.split(" left out")[0]) for p in reporter.warnings] == [
        (7, "Liquid tag {% include_relative sec1.md %}"), (8, "Liquid tag {% include_relative sec2.md %}")]


def test_a_liquid_tag_holding_a_code_span_is_shown_whole_in_every_format(tmp_path):
    """VA's design system assigns `{% assign edit_flow = "… the `H3` of the
    pages …" %}`: the code span's placeholder leaked into the HTML and the
    PDF (a control character, the rest of the tag lost), and the DOCX was an
    internal error. The tag is shown as written, its backquotes too."""
    import zipfile

    from conftest import run_cli

    source = tmp_path / "assign.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      '{% assign x = "the `H3` of the pages" %}\n\nText {{ "the `H3` of" }} more.\n', encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    said = ['{% assign x = "the `H3` of the pages" %}', 'Text {{ "the `H3` of" }} more.']
    page = lxml.html.fromstring((tmp_path / "assign.html").read_bytes())
    assert [p.text_content() for p in page.xpath("//main/p")] == said
    words = zipfile.ZipFile(tmp_path / "assign.docx").read("word/document.xml").decode()
    assert all(line.replace('"', "&quot;") in words or line in words for line in said)
