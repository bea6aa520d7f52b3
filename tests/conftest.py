"""Helpers shared by the tests: write sources, run the CLI as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "source" / "military-diplomacy-counter-terrorism.md"

FRONT = "---\ntitle: Test briefing\nclassification: UNCLASSIFIED\n---\n"


@pytest.fixture
def write(tmp_path: Path):
    """write(text, name="brief.md") -> path of a source file in tmp_path."""
    def write(text: str, name: str = "brief.md", front: str | None = FRONT) -> Path:
        path = tmp_path / name
        body = textwrap.dedent(text)
        path.write_text((front or "") + body, encoding="utf-8")
        return path
    return write


def run_cli(*args: str | Path, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The `briefing` command in a subprocess, exactly as a user runs it
    (with `env` added to the environment)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=300)
