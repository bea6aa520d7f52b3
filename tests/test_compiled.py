"""pipeline/dataclass_code.py: the methods @dataclass writes are compiled
once per machine; a later process runs the kept code, and its classes are
the same as ever."""

import json
import os
import subprocess
import sys

from conftest import ROOT

PROBE = """
import dataclasses, json
from pipeline import dataclass_code, model as m
from pipeline.problems import Problem
a = m.Paragraph(inlines=(m.Text(text="x"),), line=3)
b = m.Paragraph(inlines=(m.Text(text="x"),), line=3)
try:
    a.line = 4
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
print(json.dumps({"compiled": len(dataclass_code.compiled), "repr": repr(a), "equal": a == b,
                  "hashes": hash(a) == hash(b), "frozen": frozen, "slots": not hasattr(a, "__dict__"),
                  "problem": str(Problem("a.md", 2, "m", code="x.y"))}))
dataclass_code.save()
"""


def probe(cache) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def test_a_second_process_compiles_nothing_and_its_classes_are_the_same(tmp_path):
    first, second = probe(tmp_path), probe(tmp_path)
    assert first["compiled"] > 100  # the model's methods and the rest
    assert second["compiled"] == 0
    assert first == {**second, "compiled": first["compiled"]}
    assert second["equal"] and second["hashes"] and second["frozen"] and second["slots"]
    assert second["repr"].startswith("Paragraph(inlines=(Text(text='x'),)")
    assert second["problem"] == "a.md:2: m"


def test_a_broken_cache_is_compiled_again_and_replaced(tmp_path):
    probe(tmp_path)
    [kept] = (tmp_path / "briefing" / "python").iterdir()
    kept.write_bytes(b"\x00not marshal data")
    assert probe(tmp_path)["compiled"] > 100
    assert probe(tmp_path)["compiled"] == 0
