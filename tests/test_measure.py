"""render/measure.py: which font file fontconfig gives is asked once and
kept while fontconfig's setup is unchanged; the widths it reads are the
font's."""

import subprocess
import types

import pytest

from pipeline.render import measure

PATTERN = "Noto Sans:weight=regular:slant=roman"


@pytest.fixture
def asked(tmp_path, monkeypatch):
    """A cache folder of its own, and every fc-match run, counted."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    runs = []
    real = subprocess.run

    def counted(command, *args, **kwargs):
        runs.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(measure, "subprocess", types.SimpleNamespace(
        run=counted, SubprocessError=subprocess.SubprocessError))
    return runs


def fc_match(pattern: str) -> str:
    return subprocess.check_output(["fc-match", "-f", "%{file}", pattern], text=True).strip()


def test_fontconfig_is_asked_once_and_its_answer_kept(asked):
    first = measure.font_file(PATTERN)
    assert first == fc_match(PATTERN)
    assert measure.font_file(PATTERN) == first
    assert len(asked) == 1
    bold = measure.font_file("Noto Sans:weight=bold:slant=roman")
    assert bold == fc_match("Noto Sans:weight=bold:slant=roman") != first
    assert measure.font_file(PATTERN) == first and len(asked) == 2


def test_a_font_folder_that_changes_has_fontconfig_asked_again(asked, tmp_path):
    measure.font_file(PATTERN)
    (tmp_path / "data" / "fonts").mkdir(parents=True)  # the user's own fonts: a font installed
    expected = fc_match(PATTERN)  # (fontconfig marks the new folder: a change of its own)
    assert measure.font_file(PATTERN) == expected
    assert len(asked) == 2
    measure.font_file(PATTERN)
    assert len(asked) == 2


def test_a_kept_answer_whose_file_is_gone_is_asked_again(asked, tmp_path):
    kept = tmp_path / "cache" / "briefing" / "fonts" / "matches.json"
    measure.font_file(PATTERN)
    text = kept.read_text(encoding="utf-8")
    kept.write_text(text.replace(fc_match(PATTERN), str(tmp_path / "gone.ttf")), encoding="utf-8")
    assert measure.font_file(PATTERN) == fc_match(PATTERN)
    assert len(asked) == 2


def test_an_unreadable_kept_file_is_asked_again(asked, tmp_path):
    measure.font_file(PATTERN)
    (tmp_path / "cache" / "briefing" / "fonts" / "matches.json").write_text("{not json", encoding="utf-8")
    assert measure.font_file(PATTERN) == fc_match(PATTERN)
    assert len(asked) == 2


def test_widths_are_the_fonts_own():
    face = measure.face("Noto Sans")
    assert face is not measure.FALLBACK
    # Noto Sans: "i" is narrow, "W" wide; a space is 0.26 em.
    assert face.width("i", 10) < face.width("n", 10) < face.width("W", 10)
    assert face.width(" ", 10) == pytest.approx(2.6, abs=0.01)
    assert measure.shorten("a long running title of words", face.width("a long running", 11) + 2,
                           face, 11) == "a long…"


def test_no_fontconfig_measures_typically(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-match
    measure.face.cache_clear()
    try:
        assert measure.face("Noto Sans", italic=True) is measure.FALLBACK
    finally:
        measure.face.cache_clear()
