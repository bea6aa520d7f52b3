"""pipeline/weasy/typeset.py: how WeasyPrint is loaded and set up (the PDF's
content is tested in test_render_pdf.py and test_pdf_artifacts.py)."""

import subprocess
import sys

from pipeline.weasy import typeset
from pipeline.weasy.typeset import Deferred, deferred_modules

from conftest import FIXTURES, ROOT


def test_weasyprint_loads_without_the_font_tools_a_briefing_does_not_use():
    # A fresh process: this one has long loaded everything.
    shown = subprocess.run(
        [sys.executable, "-c", "import sys\n"
         "from pathlib import Path\n"
         "from pipeline.problems import Reporter\n"
         "from pipeline.run.build import Options, context, load, render\n"
         "from pipeline.weasy.typeset import import_weasyprint\n"
         "import_weasyprint()\n"
         "print('weasyprint.pdf.fonts' in sys.modules, 'fontTools.subset' in sys.modules,\n"
         "      'fontTools.varLib.instancer' in sys.modules)\n"
         f"doc = load(Path({str(FIXTURES / 'elements.md')!r}))\n"
         "data = render(doc, 'pdf', context(doc, Options()), Reporter(doc.path)).data\n"
         "print(data[:5] == b'%PDF-', 'fontTools.subset' in sys.modules)\n"],
        capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    assert shown == ["True", "False", "False", "True", "False"]


def test_a_deferred_module_is_imported_when_first_used(tmp_path, monkeypatch):
    (tmp_path / "deferred_sample.py").write_text(
        "import sys\nsys.deferred_sample_loads = getattr(sys, 'deferred_sample_loads', 0) + 1\n"
        "def twice(x):\n    return 2 * x\nTHREE = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(typeset, "DEFERRED", {"deferred_sample": ("twice",)})
    monkeypatch.setattr(sys, "deferred_sample_loads", 0, raising=False)
    with deferred_modules():
        import deferred_sample
        from deferred_sample import twice
    assert isinstance(deferred_sample, Deferred) and sys.deferred_sample_loads == 0
    assert "deferred_sample" not in sys.modules  # a later import gets the real module
    assert twice(4) == 8 and sys.deferred_sample_loads == 1
    assert deferred_sample.THREE == 3 and sys.deferred_sample_loads == 1
    monkeypatch.delitem(sys.modules, "deferred_sample")


