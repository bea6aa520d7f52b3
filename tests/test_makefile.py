"""The Makefile's own logic, with a stand-in for the `briefing` command:
what `make` runs, not what the pipeline makes (the end-to-end tests do that)."""

import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Like `briefing build`: writes the three outputs, unless they exist (its
# manifest finds them up to date when only timestamps changed).
FAKE_BRIEFING = """#!/bin/bash
echo "$@" >> calls.log
name=$(basename "$2" .md)
for ext in pdf docx html; do
  [ -e "build/$name.$ext" ] || echo built > "build/$name.$ext"
done
"""


def make(folder: Path) -> None:
    subprocess.run(["make", "--no-print-directory"], cwd=folder, check=True,
                   capture_output=True, timeout=60)


def calls(folder: Path) -> int:
    log = folder / "calls.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_touched_template_asks_briefing_once_then_make_is_satisfied(tmp_path):
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path)
    for folder in ("pipeline", "templates", "source"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "build").mkdir()
    fake = tmp_path / ".venv" / "bin" / "briefing"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAKE_BRIEFING)
    fake.chmod(0o755)
    time.sleep(0.01)
    stamps = tmp_path / ".stamps"
    stamps.mkdir()
    for stamp in ("apt-runtime", "venv", "bytecode"):  # set-up done, in order
        (stamps / stamp).touch()
        time.sleep(0.01)

    make(tmp_path)
    assert calls(tmp_path) == len(list((ROOT / "source").glob("*.md")))
    make(tmp_path)
    first = calls(tmp_path)  # nothing changed: briefing is not run again

    template = tmp_path / "templates" / "html" / "style.css"
    time.sleep(0.05)
    template.touch()
    make(tmp_path)
    assert calls(tmp_path) == first + len(list((ROOT / "source").glob("*.md")))
    make(tmp_path)  # briefing wrote nothing, yet make does not ask again
    assert calls(tmp_path) == first + len(list((ROOT / "source").glob("*.md")))
