"""The suite's own promise: every DOCX a test builds is checked against the
OOXML schemas (conftest.py). Run on a small suite of its own, in a pytest
process of its own, with this conftest: a faulty DOCX made by a module's
fixture, rendered in this process or written to disk by another (the
command builds each briefing in a forked process), fails the run; a sound
one passes. (Checks made only at each test's own folder, with the backend
patched for each test, missed both: a module's fixtures build first.)"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

CONFTEST = f'''
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("suite_conftest", {str(ROOT / "tests" / "conftest.py")!r})
suite = importlib.util.module_from_spec(spec)
sys.modules["suite_conftest"] = suite
spec.loader.exec_module(suite)
globals().update({{name: value for name, value in vars(suite).items() if not name.startswith("__")}})
'''

FAULTS = {
    # Written by another process (a worker, a subprocess): a part out of order on disk.
    "on disk": '''
        import zipfile

        def fault(path):
            with zipfile.ZipFile(path) as package:
                parts = {name: package.read(name) for name in package.namelist()}
            parts["word/document.xml"] = parts["word/document.xml"].replace(
                b"<w:pPr><w:pStyle", b"<w:pPr><w:jc w:val=\\"left\\"/><w:pStyle", 1)
            with zipfile.ZipFile(path, "w") as package:
                for name, data in parts.items():
                    package.writestr(name, data)
    ''',
    # Rendered in this process by a faulty writer (as tests/rendering.py
    # renders), never written to a file.
    "in this process": '''
        from docx.oxml import OxmlElement
        from pipeline.render import docx as page  # where the writer finds page_break
        from pipeline.run.build import load
        from rendering import rendered

        original = page.page_break

        def faulty(state):
            p = original(state)
            p.insert(0, OxmlElement("w:jc"))  # a paragraph property outside w:pPr
            return p

        def fault(path):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(page, "page_break", faulty)
                rendered(load(FIXTURES / "information-paper.md"), "docx")
    ''',
    "none": '''
        def fault(path):
            pass
    ''',
}

TEST = '''
import pytest
from suite_conftest import FIXTURES, run_cli
{fault}

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    result = run_cli("build", FIXTURES / "information-paper.md", "--to", "docx", "--out", out)
    assert result.returncode == 0, result.stderr
    fault(out / "information-paper.docx")
    return out


def test_uses_it(built):
    assert built.is_dir()
'''


@pytest.mark.parametrize("fault", FAULTS)
def test_a_faulty_docx_built_by_a_modules_fixture_fails_the_run(fault, tmp_path):
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (suite / "test_inner.py").write_text(TEST.format(fault=textwrap.dedent(FAULTS[fault])),
                                         encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)],
                         capture_output=True, text=True, cwd=suite, timeout=300,
                         env={**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}"})
    if fault == "none":
        assert run.returncode == 0, run.stdout + run.stderr
    else:
        assert run.returncode == 1 and "not valid OOXML" in run.stdout, run.stdout + run.stderr


def test_a_part_met_before_gets_the_same_verdict(tmp_path, outside):
    """The check remembers each part's verdict by its bytes: a styles part
    changed in one byte is checked again, and a faulty part is faulty each
    time it is met, not only the first. (The faulty file is made outside
    pytest's folders, which the suite's own check looks through.)"""
    import zipfile

    from readers import ooxml_errors_of

    result = run_cli("build", ROOT / "tests" / "fixtures" / "information-paper.md", "--to", "docx",
                     "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    good = tmp_path / "information-paper.docx"
    with zipfile.ZipFile(good) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    styles = parts["word/styles.xml"]
    assert b"<w:rPr><w:b/>" in styles
    parts["word/styles.xml"] = styles.replace(b"<w:rPr><w:b/>", b"<w:rPr><w:bogus/><w:b/>", 1)
    bad = outside / "bad.docx"
    with zipfile.ZipFile(bad, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    assert ooxml_errors_of(good) == []
    first = ooxml_errors_of(bad)
    assert first and all(error.startswith("/word/styles.xml: ") for error in first)
    assert ooxml_errors_of(bad) == first
    assert ooxml_errors_of(good) == []
