"""Hyphenation dictionaries kept parsed in the cache folder."""

import re

import pyphen
import pytest

from pipeline.weasy import hyphenation
from readers import pdf_text

WORD = "representatives"


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})  # as in a new process
    return tmp_path / "briefing" / "hyphenation"


def test_first_build_parses_and_keeps_the_dictionary(cache_home):
    hyphenation.preload("en-US")
    [kept] = cache_home.glob("en_US-*.pickle")
    assert pyphen.__version__ in kept.name
    assert pyphen.Pyphen(lang="en-US").inserted(WORD) == "rep-re-sen-ta-tives"


def test_later_builds_read_it_without_parsing(cache_home, monkeypatch):
    hyphenation.preload("en-US")
    monkeypatch.setattr(pyphen, "hdcache", {})

    def no_parsing(self, path):
        raise AssertionError(f"parsed {path} again")
    monkeypatch.setattr(pyphen.HyphDict, "__init__", no_parsing)  # unpickling does not call it
    hyphenation.preload("en-US")
    assert pyphen.Pyphen(lang="en-US").inserted(WORD) == "rep-re-sen-ta-tives"


def test_a_broken_cache_file_is_parsed_again(cache_home, monkeypatch):
    hyphenation.preload("de")
    [kept] = cache_home.glob("de*.pickle")
    kept.write_bytes(b"not a pickle")
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.preload("de")
    assert pyphen.Pyphen(lang="de").inserted("Sicherheitspolitik") == "Si-cher-heits-po-li-tik"
    assert kept.read_bytes() != b"not a pickle"  # kept again, whole


def test_no_cache_folder_no_problem(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file: no folder can be made
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.preload("en-GB")
    assert pyphen.Pyphen(lang="en-GB").inserted(WORD).count("-") >= 3


def test_languages_without_a_dictionary_are_left_alone(cache_home):
    hyphenation.preload("tlh")
    hyphenation.preload(None)
    assert pyphen.hdcache == {}
    assert not cache_home.exists()


def test_a_pdf_hyphenates_alike_from_the_kept_dictionary(cache_home, write, monkeypatch):
    from pipeline.run.build import load
    from rendering import pdf_of
    from pipeline.render.templates import Templates

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    words = " ".join(f"The {'very ' * (n % 7)}interdepartmental counterintelligence responsibilities."
                     for n in range(40))
    doc = load(write(words, front="---\ntitle: Hyphens\nclassification: UNCLASSIFIED\nlang: en-US\n---\n"))
    parsed = pdf_of(doc, Templates())[0]
    assert list(cache_home.glob("en_US-*.pickle"))
    pdf = cache_home.parent / "hyphens.pdf"
    pdf.write_bytes(parsed)
    assert re.search(r"[a-z][-\u2010]\n", pdf_text(pdf))  # words were hyphenated at line ends
    monkeypatch.setattr(pyphen, "hdcache", {})
    assert pdf_of(doc, Templates())[0] == parsed
