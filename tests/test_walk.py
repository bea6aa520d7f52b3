"""pipeline/model/walk.py: the maps keep what they leave as it was (the same
object, not a copy), and the final model is the one the maps made when they
copied every node."""

import dataclasses

import pytest

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError, Reporter
from pipeline.run.build import load

from conftest import FIXTURES, ROOT

DOCUMENTS = sorted([*(ROOT / "tests" / "corpus").glob("*.md"), *FIXTURES.glob("*.md"),
                    *(ROOT / "source").glob("*.md")])


def sample() -> m.Document:
    return load(ROOT / "source" / "military-diplomacy-counter-terrorism.md")


def test_a_map_that_changes_nothing_gives_the_document_itself():
    doc = sample()
    assert walk.map_document(doc, section=walk.same) is doc
    assert walk.map_document(doc, block=lambda b: b, inline=lambda i: i) is doc


def test_a_pass_over_headings_keeps_every_block():
    doc = sample()
    renamed = walk.map_document(doc, section=lambda s: dataclasses.replace(s, aliases=("x",)))
    assert renamed is not doc
    assert all(s.aliases == ("x",) for s in walk.sections(renamed))
    for before, after in zip(walk.sections(doc), walk.sections(renamed)):
        assert after.blocks is before.blocks and after.title is before.title
    assert renamed.footnotes is doc.footnotes and renamed.blocks is doc.blocks


def test_one_changed_word_copies_only_the_way_down_to_it():
    doc = sample()
    word = next(i for i in walk.inlines(doc) if isinstance(i, m.Text) and i.text.strip())
    changed = walk.map_document(doc, inline=lambda i: m.Text(text="CHANGED") if i is word else i)
    assert changed != doc
    assert sum(isinstance(i, m.Text) and i.text == "CHANGED" for i in walk.inlines(changed)) == 1
    kept = sum(after is before for before, after in zip(walk.blocks(doc), walk.blocks(changed)))
    assert kept >= len(list(walk.blocks(doc))) - 3  # its paragraph and what holds it


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_document_ends_as_when_every_node_was_copied(path, monkeypatch):
    def read() -> m.Document | None:
        try:
            return load(path, Reporter(str(path)), stop=False)
        except BriefingError:
            return None

    kept = read()
    with monkeypatch.context() as patch:
        patch.setattr(walk, "rebuilt", lambda node, **fields: dataclasses.replace(node, **fields))
        patch.setattr(walk, "kept", lambda new, old: new)
        patch.setattr(walk, "map_blocks", lambda blocks, fn=walk.same, inline=walk.same:
                      tuple(walk.map_block(block, fn, inline) for block in blocks))
        copied = read()
    assert kept == copied
