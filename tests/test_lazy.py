"""pipeline/lazy.py: modules a library imports and a build never uses stay
unloaded (the placeholder itself is tested in test_typeset.py)."""

import subprocess
import sys

from conftest import FIXTURES, ROOT


def test_reading_a_briefing_leaves_the_network_half_of_urllib_unloaded():
    """pymdownx names two path functions of urllib.request, which would
    load http.client, email and ssl on every build's start."""
    shown = subprocess.run(
        [sys.executable, "-c", "import sys\n"
         "from pathlib import Path\n"
         "from pipeline.run.build import load\n"
         "from pipeline.render import html, docx\n"
         f"load(Path({str(FIXTURES / 'elements.md')!r}))\n"
         "print(*(name in sys.modules for name in ('urllib.request', 'http.client', 'email', 'ssl')))\n"
         "import pymdownx.util\n"
         "print(pymdownx.util.url2pathname('/a%20b'), 'urllib.request' in sys.modules)\n"],
        capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    assert shown == ["False", "False", "False", "False", "/a", "b", "True"]
