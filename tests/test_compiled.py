"""pipeline/compiled.py: dataclass methods and regular expressions are
compiled once per machine; a later process uses the kept code, and its
classes and patterns are the same as ever. A briefing's own words never
reach the cache file."""

import json
import os
import re
import subprocess
import sys

from conftest import FIXTURES, ROOT
from pipeline import compiled

PROBE = """
import dataclasses, json, re
from pipeline import compiled, model as m
from pipeline.problems import Problem
import pipeline.read.markdown
a = m.Paragraph(inlines=(m.Text(text="x"),), line=3)
b = m.Paragraph(inlines=(m.Text(text="x"),), line=3)
try:
    a.line = 4
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
word = re.compile(r"(?P<word>\\w+)-(?P=word)", re.I)
print(json.dumps({"new": compiled.new, "methods": len(compiled.methods), "patterns": len(compiled.patterns),
                  "repr": repr(a), "equal": a == b, "hashes": hash(a) == hash(b), "frozen": frozen,
                  "slots": not hasattr(a, "__dict__"), "problem": str(Problem("a.md", 2, "m", code="x.y")),
                  "match": word.match("Ab-ab tail").groupdict()}))
compiled.save()
"""


def probe(cache) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def test_a_second_process_compiles_nothing_and_its_classes_and_patterns_are_the_same(tmp_path):
    first, second = probe(tmp_path), probe(tmp_path)
    assert first["new"] > 300  # the model's methods, the readers' patterns …
    assert first["methods"] > 200 and first["patterns"] > 150
    assert second["new"] == 0
    assert {**first, "new": 0} == second
    assert second["equal"] and second["hashes"] and second["frozen"] and second["slots"]
    assert second["repr"].startswith("Paragraph(inlines=(Text(text='x'),)")
    assert second["problem"] == "a.md:2: m" and second["match"] == {"word": "Ab"}


def test_a_broken_cache_is_compiled_again_and_replaced(tmp_path):
    probe(tmp_path)
    [kept] = (tmp_path / "briefing" / "python").iterdir()
    kept.write_bytes(b"\x00not marshal data")
    assert probe(tmp_path)["new"] > 300
    assert probe(tmp_path)["new"] == 0


def test_a_kept_pattern_is_the_pattern_re_compiles():
    """Pattern equality compares the compiled program, flags and groups."""
    for pattern, flags in [(r"(?P<a>x)(?:y|z)+?\b", 0), (r"^\s*#{1,6}(?!#)", re.M), (r"[à-ÿ]+", re.I),
                           (rb"\x00+(?P<n>\d{2,})", 0), (r"(?x) a  b  # comment", 0)]:
        assert compiled.compiled_from(pattern, compiled.program(pattern, flags)) == compiled.REAL_COMPILE(
            pattern, flags)


def test_a_briefings_words_never_reach_the_cache(tmp_path):
    """An abbreviation becomes a pattern while the briefing is read: it is
    compiled as usual and forgotten, not kept."""
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\nThe QZXWV unit moved.\n\n"
                      "*[QZXWV]: Quietly Zoned Xylophone Wing V\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    for name in (source, FIXTURES / "elements.md"):
        subprocess.run([sys.executable, "-m", "pipeline", "build", str(name), "--to", "html,docx",
                        "--out", str(tmp_path / "out")], cwd=ROOT, env=env, check=True, capture_output=True)
    assert "QZXWV" in (tmp_path / "out" / "brief.html").read_text()
    [kept] = (tmp_path / "cache" / "briefing" / "python").iterdir()
    data = kept.read_bytes()
    # Kept: the model's methods (how much else depends on which process compiled what).
    assert b"__create_fn__" in data
    assert b"QZXWV" not in data and "QZXWV".encode("utf-16-le") not in data
    assert b"Xylophone" not in data


def test_weasyprints_patterns_are_kept_too(tmp_path):
    """The PDF worker loads WeasyPrint (tinycss2, cssselect2, pycparser's
    lexer): its patterns are saved with the command's own."""
    import marshal
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "pipeline", "build", str(FIXTURES / "outline.md"), "--out",
                    str(tmp_path / "out")], cwd=ROOT, env=env, check=True, capture_output=True)
    [kept] = (tmp_path / "cache" / "briefing" / "python").iterdir()
    patterns = {pattern for pattern, _ in marshal.loads(kept.read_bytes())["patterns"]}
    assert "^([a-zA-Z][a-zA-Z0-9.+-]+):" in patterns  # weasyprint.urls, loaded in the worker


LAZY = """
import json
from pipeline import compiled
undecoded = lambda entries: sum(isinstance(v, bytes) for v in entries.values())
at_start = (undecoded(compiled.methods), undecoded(compiled.patterns))
from pipeline import model
import pipeline.read.markdown
print(json.dumps({"kept": [len(compiled.methods), len(compiled.patterns)], "at_start": at_start,
                  "after": [undecoded(compiled.methods), undecoded(compiled.patterns)]}))
"""


def test_a_kept_entry_is_read_only_when_a_process_uses_it(tmp_path):
    probe(tmp_path)  # HTML's and DOCX's patterns and the model's methods kept
    subprocess.run([sys.executable, "-m", "pipeline", "build", str(FIXTURES / "outline.md"), "--to", "docx",
                    "--out", str(tmp_path / "out")], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)})
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    seen = json.loads(subprocess.run([sys.executable, "-c", LAZY], cwd=ROOT, env=env, capture_output=True,
                                     text=True, check=True).stdout)
    assert seen["at_start"] == seen["kept"]  # all of them read as bytes, none decoded
    methods, patterns = seen["after"]
    assert 0 < methods < seen["kept"][0] and 0 < patterns < seen["kept"][1]  # decoded: only what was used
