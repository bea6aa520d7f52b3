"""Helpers shared by the tests: write sources, run the CLI as a user would."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "source" / "military-diplomacy-counter-terrorism.md"

FRONT = "---\ntitle: Test briefing\nclassification: UNCLASSIFIED\n---\n"


def built_fixture(tmp_path_factory, name: str) -> Path:
    """The folder holding tests/fixtures/`name` built into all three
    formats as `briefing build` builds it, which must say nothing."""
    out = tmp_path_factory.mktemp(Path(name).stem)
    result = run_cli("build", FIXTURES / name, "--out", out)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    return out


@pytest.fixture
def write(tmp_path: Path):
    """write(text, name="brief.md") -> path of a source file in tmp_path."""
    def write(text: str, name: str = "brief.md", front: str | None = FRONT) -> Path:
        path = tmp_path / name
        body = textwrap.dedent(text)
        path.write_text((front or "") + body, encoding="utf-8")
        return path
    return write


def run_cli(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
            process: bool = False) -> subprocess.CompletedProcess:
    """The `briefing` command as a user runs it, with `env` added to the
    environment: in a subprocess when `process` (what a process does at its
    start or end is under test: imports, signals, exit), else in this
    process through `cli.main`, the same code without the cost of starting
    Python and loading the pipeline again."""
    if process or cwd is not None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)],
                              capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=300)
    return run_in_process([str(a) for a in args], env or {})


def run_in_process(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    from pipeline import cli
    from pipeline.run.batch import warm_up

    # The command makes each briefing in a process forked from this one: warm
    # this one up once (as `watch` does), or every fork would pay for it.
    warm_up(("pdf", "docx", "html"))

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.chdir(ROOT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exit:  # argparse's usage errors and --version
                code = exit.code if isinstance(exit.code, int) else 2
    return subprocess.CompletedProcess(["briefing", *argv], code, out.getvalue(), err.getvalue())


# End-to-end modules: real briefings built whole and read back by LibreOffice,
# Chromium, poppler or pandoc. `make test` runs them; `-m "not slow"` leaves
# them out while working on one module.
SLOW_MODULES = {"test_end_to_end", "test_end_to_end_markings", "test_browser", "test_house_style",
                "test_ci_examples", "test_page_styles", "test_versions", "test_architecture",
                "test_corpus", "test_fidelity"}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.module.__name__ in SLOW_MODULES or "libreoffice" in item.name:
            item.add_marker(pytest.mark.slow)


# Every DOCX a test builds is checked against the OOXML schemas (and the
# Open XML SDK's semantic rules) by openxml-audit, an independent validator:
# Word answers a schema-invalid part with a repair prompt. In this process the
# DOCX backend's bytes are caught as it returns them; files a test's own
# folder holds afterwards (built by a subprocess or a forked worker) are
# checked at its end too. A process of its own validates while the test goes
# on (about 80 ms a file, on the machine's other core); the test waits for
# its files' verdicts at its end and fails with them.
def ooxml_errors_of(path: str | Path) -> list[str]:
    """openxml-audit's findings for one file, each `part: message`. A fresh
    validator each time (40 ms): openxml-audit 0.8.0 caches what one part
    says of another by id() of the package, so a validator that has checked
    other files can take a later file's footnotes for an earlier one's."""
    from openxml_audit.validator import OpenXmlValidator
    result = OpenXmlValidator().validate(Path(path))
    return [f"{getattr(error, 'part_uri', '?')}: {error.description}" for error in result.errors]


@pytest.fixture(scope="session")
def ooxml_pool():
    import concurrent.futures
    import multiprocessing

    with concurrent.futures.ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("forkserver")) as pool:
        yield pool


def built_by_briefing(path: Path) -> bool:
    """A DOCX of ours: not a test's stand-in for an output (a few bytes, no
    zip), nor a reference document a test made with python-docx."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as package:
        return ("docProps/custom.xml" in package.namelist()
                and b'name="Classification"' in package.read("docProps/custom.xml"))


@pytest.fixture(autouse=True)
def docx_schema_valid(request, ooxml_pool, tmp_path_factory, monkeypatch):
    import hashlib

    from pipeline.render import docx as backend

    checked: set[str] = set()
    pending: list = []
    folders: list[Path] = []
    render = backend.render
    here = os.getpid()

    def check(data: bytes, name: str) -> None:
        digest = hashlib.sha256(data).hexdigest()
        if digest in checked:
            return
        checked.add(digest)
        if not folders:
            folders.append(tmp_path_factory.mktemp("ooxml", numbered=True))
        path = folders[0] / f"{len(checked)}.docx"
        path.write_bytes(data)
        pending.append((name, ooxml_pool.submit(ooxml_errors_of, str(path))))

    def validated(doc, ctx, reporter):
        data = render(doc, ctx, reporter)
        if os.getpid() == here:  # a forked build process: its files are checked at the end
            check(data, doc.path)
        return data

    monkeypatch.setattr(backend, "render", validated)
    yield
    own = request.node.funcargs.get("tmp_path")
    if own is not None:
        for path in sorted(Path(own).rglob("*.docx")):
            if built_by_briefing(path):
                check(path.read_bytes(), str(path))
    failures = [f"{name}: {error}" for name, future in pending for error in future.result()]
    assert not failures, "DOCX parts not valid OOXML:\n" + "\n".join(failures[:20])
