"""Fenced divs, Quarto callouts, GitHub alerts and MkDocs notes, read by
pandoc and by us (issue 15): pandoc's `markdown` reader for divs and
callouts, its `gfm` reader for alerts. A callout or an alert is our
Admonition, any other div a Div, a div round an image a Figure."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError, Reporter
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import parse
from pipeline.read.source import read_source
from pipeline.transform.passes import finish

from conftest import FIXTURES

KINDS = ("note", "tip", "important", "warning", "caution")


def pandoc_reading(text: str, reader: str = "markdown") -> list:
    import pypandoc
    ast = json.loads(pypandoc.convert_text(text, "json", format=reader))
    return [pandoc_block(block) for block in ast["blocks"]]


def pandoc_inlines(nodes: list) -> str:
    parts = []
    for node in nodes:
        match node["t"]:
            case "Str":
                parts.append(node["c"].replace("\u2019", "'"))
            case "Space" | "SoftBreak":
                parts.append(" ")
            case "Emph" | "Strong":
                parts.append(pandoc_inlines(node["c"]))
    return "".join(parts)


def pandoc_block(block: dict):
    match block["t"]:
        case "Para" | "Plain":
            return ("p", pandoc_inlines(block["c"]))
        case "Header":
            return ("h", pandoc_inlines(block["c"][2]))
        case "BulletList":
            return ("ul", [[pandoc_block(b) for b in item] for item in block["c"]])
        case "Figure":
            (ident, _, _), (_, caption), _ = block["c"]
            return ("figure", ident, " ".join(pandoc_block(b)[1] for b in caption))
        case "Div":
            (ident, classes, keys), content = block["c"]
            keys = dict(keys)
            children = [pandoc_block(b) for b in content]
            callout = next((c.removeprefix("callout-") for c in classes if c.startswith("callout-")), None)
            if callout:  # Quarto: titled by title=, by a heading that opens it, else by its kind
                title = keys.get("title")
                if title is None and children and children[0][0] == "h":
                    title = children.pop(0)[1]
                return ("note", callout, title or callout.capitalize(), keys.get("collapse") == "true", children)
            if classes and classes[0] in KINDS and children and content[0]["t"] == "Div":
                title = children.pop(0)  # gfm's alert: its title a div of its own
                return ("note", classes[0], title[3][0][1], False, children)
            if children and children[0][0] == "figure" and (len(children) == 1 or (
                    ident.startswith("fig-") and len(children) == 2 and children[1][0] == "p")):
                caption = children[1][1] if len(children) == 2 else children[0][2]
                return ("figure", children[0][1] or ident, caption)
            return ("div", classes, ident, children)
        case kind:
            return (kind,)


def our_doc(tmp_path, text: str, front: str = "---\ntitle: T\nclassification: UNCLASSIFIED\n---\n") -> m.Document:
    (tmp_path / "images").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "images" / "map.png", tmp_path / "images" / "map.png")
    path = tmp_path / "brief.md"
    path.write_text(front + text, encoding="utf-8")
    source = read_source(path)
    meta, line = read_meta(source)
    return parse(source, meta, line)


def our_block(block: m.Block):
    match block:
        case m.Paragraph(inlines=inlines):
            return ("p", m.plain_text(inlines))
        case m.ListBlock(items=items):
            return ("ul", [[our_block(b) for b in item.blocks] for item in items])
        case m.Figure(id=ident, caption=caption):
            return ("figure", ident, m.plain_text(caption))
        case m.Admonition(kind=kind, title=title, folded=folded, blocks=blocks):
            shown = m.plain_text(title) or kind.capitalize()  # templates/text/labels.yaml's
            return ("note", kind, shown, bool(folded), [our_block(b) for b in blocks])
        case m.Div(classes=classes, id=ident, blocks=blocks):
            return ("div", list(classes), ident, [our_block(b) for b in blocks])
        case _:
            return (type(block).__name__,)


def our_reading(tmp_path, text: str) -> list:
    return [our_block(block) for block in our_doc(tmp_path, text).blocks]


AS_PANDOC = {
    "a callout": "::: {.callout-note}\nField teams must register their route.\n:::\n",
    "a callout titled": '::: {.callout-warning title="Weather"}\nCheck the *marine* forecast.\n:::\n',
    "a callout titled by its heading": "::: {.callout-tip}\n## Packing list\n\n- radio;\n- first-aid kit.\n:::\n",
    "a callout that folds": '::: {.callout-caution collapse="true"}\nDiscard old samples.\n:::\n',
    "every callout": "".join(f"::: {{.callout-{kind}}}\nA {kind}.\n:::\n\n" for kind in KINDS),
    "a div with classes and an id": "::: {.landscape #annex-a}\nWide content.\n:::\n",
    # (pandoc's own example is `::: Warning`: a word that names a kind of
    # note makes a note here, test_docusaurus_and_vuepress_notes)
    "a div of one word": "::: Sidebar ::::::\nThis is an aside.\n::::::\n",
    "nested divs": ("::::: {#special .sidebar}\nHere is a paragraph.\n\n::: {.inner}\nNested.\n:::\n\n"
                    "And another.\n:::::\n"),
    "columns": ('::::: {.columns}\n::: {.column width="50%"}\nLeft.\n:::\n::: {.column}\nRight.\n'
                ":::\n:::::\n"),
    "a div over blank lines": "::: {.note-box}\nOne.\n\nTwo.\n\n- three\n:::\n\nAfter.\n",
    "a div of an image is a figure": "::: {#fig-map}\n![The area](images/map.png)\n:::\n",
    "Quarto's figure div": "::: {#fig-map}\n![The area](images/map.png)\n\nThe area of operations.\n:::\n",
    "a callout inside a div": "::: {.outer}\n::: {.callout-note}\nInside.\n:::\n:::\n",
    "an empty div": "::: {#refs}\n:::\n",
    "a div never closed runs to the end": "::: {.open}\nNo end.\n\nOr here.\n",
}

AS_GFM = {
    "an alert": "> [!NOTE]\n> Useful information.\n",
    "every alert": "".join(f"> [!{kind.upper()}]\n> A {kind}.\n\n" for kind in KINDS),
    "an alert of two paragraphs": "> [!TIP]\n> One.\n>\n> Two.\n",
    "a quote, then an alert": "> A quotation.\n\n> [!WARNING]\n> Careful.\n",
    "a quote that only looks like one": "> [!NOTE] and more on its line\n> text\n",
}


@pytest.mark.parametrize("text", AS_PANDOC.values(), ids=AS_PANDOC.keys())
def test_divs_and_callouts_read_as_pandoc_reads_them(tmp_path, text):
    assert our_reading(tmp_path, text) == pandoc_reading(text)


@pytest.mark.parametrize("text", AS_GFM.values(), ids=AS_GFM.keys())
def test_alerts_read_as_github_writes_them(tmp_path, text):
    ours = our_reading(tmp_path, text)
    reference = pandoc_reading(text, "gfm")
    # pandoc's gfm reader leaves `[!NOTE] and more` a quote, as GitHub does.
    assert [("BlockQuote",) if b[0] == "Quote" else b for b in ours] == reference


def test_docusaurus_and_vuepress_notes(tmp_path):
    """Canada's GC Notify documentation (VuePress) writes `::: tip Malware
    scanning`, Docusaurus `:::warning[Title]` and `:::note`: the first two
    showed as text with their colons, the last as a plain block. Notes of
    their kinds now, titled as written; words that name no kind stay text."""
    text = ("::: tip Malware scanning\n\nAttachments are scanned.\n\n:::\n\n:::note\nUntitled.\n:::\n\n"
            ":::warning[Response timeout]\nWait.\n:::\n\n:::danger Take care\nCareful.\n:::\n\n"
            "::: Warning ::::::\nThis is a warning.\n::::::\n\n::: some words\nText.\n:::\n")
    blocks = our_doc(tmp_path, text).blocks
    notes = [(b.kind, m.plain_text(b.title), b.default_title) for b in blocks if isinstance(b, m.Admonition)]
    assert notes == [("tip", "Malware scanning", False), ("note", "", True), ("warning", "Response timeout", False),
                     ("caution", "Take care", False), ("warning", "", True)]
    assert [m.block_text(b) for b in blocks if isinstance(b, m.Paragraph)] == ["::: some words Text. :::"]


def test_mkdocs_notes_fold_and_take_our_kinds(tmp_path):
    text = ('!!! danger "Before you delete"\n    It cannot be undone.\n\n'
            '??? info "Why a reason?"\n    The owner reviews it.\n\n???+ question\n    Yes.\n\n'
            '!!! abstract ""\n    No title at all.\n')
    danger, info, question, abstract = our_doc(tmp_path, text).blocks
    assert isinstance(danger, m.Admonition) and (danger.kind, danger.folded) == ("caution", None)
    assert isinstance(info, m.Admonition) and (info.kind, info.folded) == ("note", True)
    assert m.plain_text(info.title) == "Why a reason?"
    assert isinstance(question, m.Admonition) and (question.kind, question.folded) == ("note", False)
    assert isinstance(abstract, m.Admonition) and abstract.title == () and not abstract.default_title


def test_alerts_and_callouts_without_a_title_show_their_kind(tmp_path):
    alert, callout, titled = our_doc(tmp_path, "> [!TIP]\n> x\n\n::: {.callout-note}\ny\n:::\n\n"
                                               '::: {.callout-note title="Own"}\nz\n:::\n').blocks
    assert isinstance(alert, m.Admonition) and alert.default_title and alert.title == ()
    assert isinstance(callout, m.Admonition) and callout.default_title
    assert isinstance(titled, m.Admonition) and not titled.default_title


def test_notes_and_divs_keep_their_lines(tmp_path):
    doc = our_doc(tmp_path, "Intro text.\n\n> [!NOTE]\n> Body words.\n\n::: {.box}\nInside words.\n:::\n\n"
                            "??? tip \"Folded\"\n    Hidden words.\n")
    _, alert, div, folded = doc.blocks
    assert (alert.line, alert.blocks[0].line) == (7, 8)
    assert isinstance(div, m.Div) and (div.line, div.blocks[0].line) == (10, 11)
    assert (folded.line, folded.blocks[0].line) == (14, 15)


def test_a_div_id_is_a_link_target_and_claimed_once(tmp_path):
    doc = our_doc(tmp_path, "::: {#annex}\nA.\n:::\n\nSee [the annex](#annex).\n")
    finish(doc, Reporter(doc.path))  # no problem
    doc = our_doc(tmp_path, "::: {#annex}\nA.\n:::\n\n::: {#annex}\nB.\n:::\n")
    with pytest.raises(BriefingError, match=r":9: duplicate id '#annex' \(first used on line 5\)"):
        finish(doc, Reporter(doc.path))


MARKED = ("---\ntitle: (U) T\nclassification: UNCLASSIFIED\nportion_marking: true\n---\n")


def test_in_a_marked_document_a_kind_needs_no_mark_and_a_title_does(tmp_path):
    doc = our_doc(tmp_path, "> [!NOTE]\n> (U) Body.\n\n::: {.callout-tip}\n(U) Tip.\n:::\n\n"
                            '::: {.callout-warning title="(U) Weather"}\n(U) Forecast.\n:::\n\n'
                            "::: {.box}\n(U) Boxed.\n:::\n", front=MARKED)
    doc = finish(doc, Reporter(doc.path))
    warning = doc.blocks[2]
    assert isinstance(warning, m.Admonition) and warning.portion == "U"
    assert m.plain_text(warning.title) == "Weather"
    doc = our_doc(tmp_path, "::: {.box}\nNot marked.\n:::\n", front=MARKED)
    with pytest.raises(BriefingError, match=r":7: paragraph has no portion mark"):
        finish(doc, Reporter(doc.path))


def test_no_html_from_attributes(tmp_path):
    doc = our_doc(tmp_path, '::: {.ok .x"><script> #id"> onclick="alert(1)"}\nText.\n:::\n')
    divs = [b for b in walk.blocks(doc) if isinstance(b, m.Div)]
    assert [d.classes for d in divs] == [("ok",)] and divs[0].id == ""


def test_divs_nested_too_deep_are_refused_before_they_are_read(tmp_path):
    text = "".join(f"{':' * (3 + n % 2)} {{.d{n}}}\n" for n in range(25)) + "Deep.\n"
    with pytest.raises(BriefingError, match=r":25: lists and quotes nest deeper than 20 levels"):
        our_doc(tmp_path, text)
