"""Helpers shared by the tests: write sources, run the CLI as a user would."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from readers import ooxml_errors_of  # noqa: F401 - the validator, by name for the pool's process
from fuzzing import use_profile

use_profile()  # property tests: the same examples every everyday run, fresh ones in a deep run

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


@pytest.fixture
def outside():
    """A folder the suite's OOXML check does not look through (it checks
    every DOCX under pytest's temporary folders that carries our document
    properties): for Word files that keep our properties but are not ours
    to keep valid, hostile ones and LibreOffice's."""
    with tempfile.TemporaryDirectory(prefix="briefing-import-") as folder:
        yield Path(folder)


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


# Ctrl-C as a terminal sends it: a shell that starts the suite in the
# background (`make test &`, some CI runners) hands it SIGINT ignored, which
# every `briefing` the tests start would inherit, so that the tests that
# interrupt a build or stop `watch` with it waited in vain.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# A build stopped at its time limit adds its processes' Python stacks to
# this file first (pipeline/run/forked.py): a test that fails then shows
# where the build hung, whatever the machine it ran on.
STALLS = Path(tempfile.mkdtemp(prefix="briefing-stalls-")) / "stacks.txt"
os.environ["BRIEFING_STALL_TRACES"] = str(STALLS)


def pytest_unconfigure(config):
    STALLS.unlink(missing_ok=True)
    STALLS.parent.rmdir()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and STALLS.exists() and STALLS.stat().st_size:
        report.sections.append(("stacks of builds stopped at their time limit", STALLS.read_text()))
    if report.when == "teardown" and STALLS.exists():
        STALLS.write_text("")  # each test's own


def pytest_collection_modifyitems(items):
    for item in items:
        if item.module.__name__ in SLOW_MODULES or "libreoffice" in item.name:
            item.add_marker(pytest.mark.slow)


# Every DOCX a test builds is checked against the OOXML schemas (and the
# Open XML SDK's semantic rules) by openxml-audit, an independent validator:
# Word answers a schema-invalid part with a repair prompt. For the whole
# session, the DOCX backend's bytes are caught as it returns them in this
# process (a module's fixtures build before any test's own fixtures run);
# and every folder a test or fixture makes is looked through when the test
# ends, for DOCX files built elsewhere (a subprocess, a forked worker), and
# once more at the session's end, for files written into a folder later. A
# process of its own validates while the tests go on (about 80 ms a file, on
# the machine's other core); a test waits for the verdicts at its end, and
# fails with them.
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


class OoxmlChecks:
    """The session's DOCX checks: what was checked (by content), what waits
    for a verdict, the folders tests and fixtures made and which of them
    have been looked through."""

    def __init__(self, pool, folder: Path) -> None:
        self.pool, self.folder, self.pid = pool, folder, os.getpid()
        self.checked: set[str] = set()
        self.pending: list = []
        self.folders: list[Path] = []
        self.looked = 0  # folders[:looked] looked through at a test's end
        self.seen: set[tuple[str, int, int]] = set()

    def check(self, data: bytes, name: str) -> None:
        import hashlib
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.checked:
            return
        self.checked.add(digest)
        path = self.folder / f"{len(self.checked)}.docx"
        path.write_bytes(data)
        self.pending.append((name, self.pool.submit(ooxml_errors_of, str(path))))

    def look_through(self, folders: list[Path]) -> None:
        for folder in folders:
            for path in sorted(folder.rglob("*.docx")) if folder.is_dir() else ():
                stat = path.stat()
                if (key := (str(path), stat.st_mtime_ns, stat.st_size)) in self.seen:
                    continue
                self.seen.add(key)
                if built_by_briefing(path):
                    self.check(path.read_bytes(), str(path))

    def failures(self) -> list[str]:
        done, self.pending = self.pending, []
        return [f"{name}: {error}" for name, future in done for error in future.result()]


@pytest.fixture(scope="session", autouse=True)
def ooxml_checks(ooxml_pool, tmp_path_factory):
    from pipeline.render import docx as backend

    checks = OoxmlChecks(ooxml_pool, tmp_path_factory.mktemp("ooxml"))
    render, mktemp = backend.render, pytest.TempPathFactory.mktemp

    def validated(doc, ctx, reporter):
        data = render(doc, ctx, reporter)
        if os.getpid() == checks.pid:
            checks.check(data, doc.path)
        else:  # a forked build process (every build runs in one): its DOCX left where we look
            import uuid
            (checks.folder / "forked").mkdir(exist_ok=True)
            (checks.folder / "forked" / f"{uuid.uuid4().hex}.docx").write_bytes(data)
        return data

    def made(factory, basename, numbered=True):
        folder = mktemp(factory, basename, numbered)
        checks.folders.append(folder)
        return folder

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backend, "render", validated)
        patch.setattr(pytest.TempPathFactory, "mktemp", made)
        yield checks
        checks.look_through(checks.folders)  # files written into a folder after its test
        failures = checks.failures()
    assert not failures, "DOCX parts not valid OOXML:\n" + "\n".join(failures[:20])


@pytest.fixture(autouse=True)
def docx_schema_valid(ooxml_checks):
    yield
    new, ooxml_checks.looked = ooxml_checks.folders[ooxml_checks.looked:], len(ooxml_checks.folders)
    ooxml_checks.look_through([*new, ooxml_checks.folder / "forked"])
    failures = ooxml_checks.failures()
    assert not failures, "DOCX parts not valid OOXML:\n" + "\n".join(failures[:20])
