"""pipeline/render/fontmatch.py: fontconfig asked in this process gives
the file `fc-match` prints, for every kind of pattern a template may name;
without the library, the command is asked."""

import subprocess

import pytest

from pipeline.render import fontmatch

PATTERNS = [f"{family}:weight={weight}:slant={slant}"
            for family in ("Noto Sans", "Noto Serif", "Noto Sans Mono", "DejaVu Sans", "Arial",
                           "Times New Roman", "sans-serif", "serif", "monospace", "Noto Sans CJK SC",
                           "Noto Color Emoji", "No Such Family At All")
            for weight in ("regular", "bold") for slant in ("roman", "italic")]


def fc_match(pattern: str) -> str:
    return subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_library_is_used_here():
    assert fontmatch.library() is not None


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_file_is_the_one_fc_match_gives(pattern):
    assert fontmatch.font_file(pattern) == fc_match(pattern)


def test_without_the_library_the_command_is_asked(monkeypatch):
    monkeypatch.setattr(fontmatch, "LIBRARY", "libno-such-fontconfig.so.9")
    fontmatch.library.cache_clear()
    try:
        assert fontmatch.library() is None
        for pattern in PATTERNS[:4]:
            assert fontmatch.font_file(pattern) == fc_match(pattern)
    finally:
        fontmatch.library.cache_clear()
