"""pipeline/read/inline_skips.py: Python-Markdown's inline patterns passed
over on text that holds none of the characters each match must hold. The
tree read must be the one Python-Markdown's own loop reads, on every
document we have and on generated text."""

import re

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.read import inline_skips
from pipeline.read.markdown import markdown_tree

from conftest import FIXTURES, ROOT
from fuzzing import examples

CORPUS = ROOT / "tests" / "corpus"
DOCUMENTS = sorted([*CORPUS.glob("*.md"), *FIXTURES.glob("*.md"), *(ROOT / "source").glob("*.md")])


@pytest.mark.parametrize("expression, needs", [
    (r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)", "`"),
    (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))", "\\`"),  # backslashes or backticks
    (r"(\*|_)(.+?)\1", "*_"),
    (r"^(.*?)\[(.*)$", "["),  # a legacy pattern's wrapping
    (r"[a-c]x?", "abc"),
    (r"(?:ab)+", "a"),
    (r"x*\{", "{"),  # the x may be absent; the brace may not
])
def test_what_each_match_must_hold(expression, needs):
    assert inline_skips.required(expression) == frozenset(needs)


@pytest.mark.parametrize("expression, flags", [
    (r"abc", re.IGNORECASE),  # "A" matches too
    (r"(?i)abc", 0),
    (r"(?i:a)", 0),
    (r".+", 0),
    (r"[^*]+", 0),
    (r"\w+", 0),
    (r"(?:a|.)", 0),  # one alternative holds anything
    (r"a?", 0),
    (r"[\x00-\uffff]", 0),  # too large a class to look for
    (r"(", 0),  # not an expression
])
def test_nothing_is_assumed_where_nothing_is_known(expression, flags):
    assert inline_skips.required(expression, flags) == frozenset()


def trees(text: str, skipping: bool, monkeypatch) -> tuple:
    with monkeypatch.context() as patch:
        if not skipping:
            from markdown import treeprocessors
            patch.setattr(treeprocessors.InlineProcessor, inline_skips.NAME, inline_skips.original)
        root, _, _ = markdown_tree(text, 1, cites=True)
    return dump(root)


def dump(element) -> tuple:
    """All of a tree (ElementTree cannot write one with a None attribute)."""
    return (element.tag, sorted(element.attrib.items(), key=repr), element.text, element.tail,
            [dump(child) for child in element])


def test_it_is_installed_for_the_pinned_python_markdown():
    from markdown import treeprocessors

    assert inline_skips.install() and inline_skips.original is not None
    assert vars(treeprocessors.InlineProcessor)[inline_skips.NAME] is not inline_skips.original
    assert inline_skips.original.__qualname__ == "InlineProcessor.__handleInline"


def test_another_python_markdown_keeps_its_own_loop(monkeypatch):
    import markdown
    from markdown import treeprocessors

    inline_skips.install()
    monkeypatch.setattr(treeprocessors.InlineProcessor, inline_skips.NAME, inline_skips.original)
    monkeypatch.setattr(inline_skips, "installed", False)
    monkeypatch.setattr(markdown, "__version__", "3.12")
    assert not inline_skips.install()
    assert vars(treeprocessors.InlineProcessor)[inline_skips.NAME] is inline_skips.original


def test_another_python_markdown_whose_run_no_longer_calls_the_loop_keeps_its_own(monkeypatch):
    from markdown import treeprocessors

    inline_skips.install()
    monkeypatch.setattr(treeprocessors.InlineProcessor, inline_skips.NAME, inline_skips.original)
    monkeypatch.setattr(treeprocessors.InlineProcessor, "run", lambda self, tree, ancestors=None: tree)
    monkeypatch.setattr(inline_skips, "installed", False)
    assert not inline_skips.install()
    assert vars(treeprocessors.InlineProcessor)[inline_skips.NAME] is inline_skips.original


def test_a_runs_patterns_are_gathered_once_not_for_every_text(monkeypatch):
    from markdown import util

    inline_skips.install()
    looks = []
    iterate = util.Registry.__iter__
    monkeypatch.setattr(util.Registry, "__iter__",
                        lambda self: looks.append("backtick" in self) or iterate(self))
    markdown_tree("".join(f"Paragraph {n} with *emphasis* and `code`.\n\n" for n in range(50)), 1)
    assert 1 <= looks.count(True) <= 2  # the inline patterns: once a run of the inline processor


class Pattern:
    def __init__(self, expression: str) -> None:
        self.compiled = re.compile(expression)

    def getCompiledRegExp(self):
        return self.compiled


def test_the_patterns_a_text_may_match():
    prepared = inline_skips.Prepared([Pattern(r"`(.+?)`"), Pattern(r"\s{2}$"), Pattern(r"(\*|_)(.+?)\1"),
                                      Pattern(r"`x")])
    for times in (1, 10):  # a short text and a long one are looked at in two ways
        assert prepared.tried("plain words " * times) == 0b0010  # only the one that needs nothing known
        assert prepared.tried("some `code` " * times) == 0b1011
        assert prepared.tried("_under_ and *star* " * times) == 0b0110
    assert len("plain words " * 10) > inline_skips.SHORT > len("_under_ and *star* ")


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_document_reads_as_python_markdowns_own_loop_reads_it(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    assert trees(text, True, monkeypatch) == trees(text, False, monkeypatch)


MARKS = "`*_[]()!<>&\\{}~^=$:\"' \n-+|#.abcXYZ1@"


@given(st.text(alphabet=MARKS, max_size=80))
@settings(max_examples=examples(150, 1500), deadline=None)
def test_generated_text_reads_as_python_markdowns_own_loop_reads_it(text):
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert trees(text, True, monkeypatch) == trees(text, False, monkeypatch)
