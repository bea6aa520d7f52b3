"""pipeline/read/titleblock.py: pandoc's `%` title block, field by field."""

import pytest

from pipeline.read.titleblock import read_title_block, starts_title_block


@pytest.mark.parametrize("line, starts", [
    ("% Title", True), ("%", True), ("%\tTitle", True), ("%20 of units", False), ("Title", False)])
def test_what_opens_a_title_block(line, starts):
    assert starts_title_block(line) is starts


def test_title_authors_and_date_with_their_lines():
    block = read_title_block(["% Quarterly Review", "% J. Analyst; B. Officer", "% 1 October 2026",
                              "", "Text."], 1)
    assert block.values == {"title": "Quarterly Review", "authors": ("J. Analyst", "B. Officer"),
                            "date": "1 October 2026"}
    assert block.lines == {"title": 1, "authors": 2, "date": 3}
    assert block.end == 4


def test_a_field_goes_on_over_indented_lines_and_an_empty_field_is_skipped():
    block = read_title_block(["%", "% A. One", "  B. Two", "% 2026", "  and later", "Body"], 1)
    assert "title" not in block.values
    assert block.values["authors"] == ("A. One", "B. Two")
    assert block.values["date"] == "2026 and later"
    assert block.end == 6


def test_a_block_may_start_below_the_top():
    block = read_title_block(["---", "x: 1", "---", "% Late title", "Body"], 4)
    assert block.values == {"title": "Late title"} and block.lines == {"title": 4} and block.end == 5
