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

from conftest import ROOT

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
