from pathlib import Path

import pytest

from pipeline.problems import BriefingError
from pipeline.read.source import read_source


def test_bom_and_crlf_are_normalised(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbfone\r\ntwo\rthree\n")
    source = read_source(path)
    assert source.text == "one\ntwo\nthree\n"
    assert source.lines[:3] == ("one", "two", "three")


def test_not_utf8_names_line_and_byte(tmp_path: Path):
    path = tmp_path / "latin1.md"
    path.write_bytes("line one\nCaf\u00e9\n".encode("latin-1"))
    with pytest.raises(BriefingError) as caught:
        read_source(path)
    assert str(caught.value) == f"{path}:2: not UTF-8: invalid byte 0xe9; save the file as UTF-8"


def test_control_character_is_refused_with_its_line(tmp_path: Path):
    path = tmp_path / "c.md"
    path.write_text("ok\nok\nbad \x0c here\n", encoding="utf-8")
    with pytest.raises(BriefingError) as caught:
        read_source(path)
    assert str(caught.value).startswith(f"{path}:3: character U+000C")


def test_missing_file_and_directory(tmp_path: Path):
    with pytest.raises(BriefingError, match="no such file"):
        read_source(tmp_path / "nope.md")
    with pytest.raises(BriefingError, match="not a file"):
        read_source(tmp_path)


def test_private_use_characters_are_refused_with_their_line(tmp_path: Path):
    # The reader marks lines with them: author text must not be able to forge one.
    path = tmp_path / "p.md"
    path.write_text("ok\n\nicon \ue0a0 here\n", encoding="utf-8")
    with pytest.raises(BriefingError) as caught:
        read_source(path)
    assert str(caught.value).startswith(f"{path}:3: character U+E0A0 is for private use")
