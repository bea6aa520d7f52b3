"""What the command does when the work itself goes wrong: it hangs past its
time limit while catching every exception, its process is killed from
outside, it raises what nothing expects, the command is sent SIGTERM, SIGHUP
or Ctrl-C, the disk fills up. Real processes, real signals, a real full file
system; the faults are planted by tests/faults.py where a source is read."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FRONT, ROOT
from processes import BOUND, descendants, gone, wait_until

FAULTS = Path(__file__).resolve().parent / "faults.py"


def faulty(faults: str, *args, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`briefing ARGS` with faults planted (`hang:slow.md`: see tests/faults.py)."""
    return subprocess.run([sys.executable, str(FAULTS), faults, *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=BOUND,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def started(faults: str, *args, mark: Path) -> subprocess.Popen:
    """The same, running, in a session of its own (as a terminal runs a
    command in its own process group)."""
    return subprocess.Popen([sys.executable, str(FAULTS), faults, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            start_new_session=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "FAULT_MARK": str(mark)})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three briefings: slow.md (where a test plants its fault), good.md and
    other.md."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("slow.md", "good.md", "other.md"):
        (source / name).write_text(FRONT + f"\n# {name}\n\nText.\n")
    return source


MODES = {
    "check": lambda f: ["check", f / "slow.md", f / "good.md"],
    "lone build": lambda f: ["build", f / "slow.md", "--to", "html"],
    "lone build with a PDF worker": lambda f: ["build", f / "slow.md", "--to", "pdf,html"],
    "--jobs 1": lambda f: ["build", f / "slow.md", f / "good.md", "--to", "html", "--jobs", "1"],
    "--jobs 2": lambda f: ["build", f / "slow.md", f / "good.md", "--to", "html", "--jobs", "2"],
}


@pytest.mark.parametrize("mode", MODES)
def test_a_time_limit_holds_against_work_that_catches_every_exception(mode, folder, tmp_path):
    out = tmp_path / "out"
    result = faulty("hang:slow.md", *MODES[mode](folder), "--time-limit", "1", *(
        ["--out", out] if mode != "check" else []))
    assert result.returncode == 1, result.stderr
    assert f"{folder / 'slow.md'}: stopped after 1 s: the build took longer than its time limit " \
           "(--time-limit)\n" in result.stderr
    assert "Traceback" not in result.stderr
    if mode == "check":
        assert result.stdout == f"{folder / 'good.md'}: ok\n"
    else:
        assert not (out / "slow.html").exists() and not (out / "slow.pdf").exists()
        assert (out / "good.html").exists() == (mode.startswith("--jobs"))


# 190 KB that WeasyPrint takes about 13 s to draw: a marker at each of the
# path's 40,000 vertices, each drawn as an SVG of its own.
HEAVY = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">'
         '<defs><marker id="m" markerWidth="2" markerHeight="2"><circle cx="1" cy="1" r="1"/>'
         '<rect width="1" height="1"/></marker></defs>'
         '<path d="M1 1 {}" fill="none" stroke="black" marker-mid="url(#m)"/></svg>')


@pytest.mark.parametrize("formats, jobs, others", [
    ("pdf", "1", 0),  # typeset in the build process
    ("pdf,html", "2", 0),  # typeset in the PDF worker, the HTML made meanwhile
    ("pdf", "1", 1),  # a batch, one after another
    ("pdf", "2", 1),  # a batch, two at once
])
def test_a_heavy_svg_figure_is_stopped_at_the_time_limit(formats, jobs, others, folder, tmp_path):
    """WeasyPrint draws an SVG inside `except BaseException`: a limit raised
    as an exception was caught there, the PDF shipped without the figure."""
    (folder / "heavy.svg").write_text(HEAVY.format("l1 0 0 1 -1 0 0 -1 " * 10_000))
    (folder / "heavy.md").write_text(FRONT + "\n![A heavy figure](heavy.svg)\n\n![Again](heavy.svg)\n")
    out = tmp_path / "out"
    sources = [folder / "heavy.md", *[folder / "good.md"] * others]
    # 3 s: room for good.md's first typesetting in a fresh process (fonts, caches).
    result = faulty("none:-", "build", *sources, "--to", formats, "--jobs", jobs, "--out", out,
                    "--time-limit", "3")
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [f"{folder / 'heavy.md'}: stopped after 3 s: the build took "
                                          "longer than its time limit (--time-limit)"]
    assert sorted(p.name for p in out.glob("*.pdf")) == \
        (["good.pdf"] if others else [])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_internal_error_fails_that_briefing_alone(jobs, folder, tmp_path):
    out, report = tmp_path / "out", tmp_path / "report.json"
    sources = [folder / "good.md", folder / "slow.md", folder / "other.md"]
    result = faulty("raise:slow.md", "build", *sources, "--to", "html", "--jobs", jobs,
                    "--out", out, "--report", report)
    assert result.returncode == 1
    assert result.stderr == f"{folder / 'slow.md'}: internal error: KeyError: 'planted' " \
                            "(run with --debug for details)\n"
    assert sorted(p.name for p in out.glob("*.html")) == ["good.html", "other.html"]
    briefings = json.loads(report.read_text())["briefings"]
    assert [(b["status"], [e["code"] for e in b["errors"]]) for b in briefings] == [
        ("built", []), ("failed", ["build.internal"]), ("built", [])]
    debug = faulty("raise:slow.md", "--debug", "build", *sources, "--to", "html", "--jobs", jobs,
                   "--out", out, "--force")
    assert "Traceback (most recent call last)" in debug.stderr and "KeyError: 'planted'" in debug.stderr
    checked = faulty("raise:slow.md", "check", *sources)
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [f"{folder / 'good.md'}: ok", f"{folder / 'other.md'}: ok"]


@pytest.mark.parametrize("command", [
    ["build", "--jobs", "2"], ["build", "--jobs", "1"], ["check"]])
def test_a_process_killed_from_outside_fails_its_briefing_and_the_rest_finish(command, folder, tmp_path):
    out = tmp_path / "out"
    sources = [folder / "slow.md", folder / "good.md", folder / "other.md"]
    result = faulty("kill:slow.md", *command, *sources,
                    *(["--to", "html", "--out", out] if command[0] == "build" else []))
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{folder / 'slow.md'}: its process was ended by "
                                                   "SIGKILL (from outside: the system's out-of-memory "
                                                   "killer sends it) after "), result.stderr
    assert lines[0].endswith(" s; nothing was written for it")
    if command[0] == "build":
        assert sorted(p.name for p in out.glob("*.html")) == ["good.html", "other.html"]
        assert result.stdout.splitlines()[-1] == "2 built, 0 up to date, 1 failed"
    else:
        assert result.stdout.splitlines() == [f"{folder / 'good.md'}: ok", f"{folder / 'other.md'}: ok"]


def test_the_pdf_worker_killed_from_outside_fails_the_briefing(folder, tmp_path):
    """A lone briefing's PDF is typeset in a worker of its own: killed, it
    fails the briefing with a line, and nothing is written."""
    mark = tmp_path / "typesetting"
    script = (f"import os, signal, sys; sys.argv[1:] = {['build', str(folder / 'good.md'), '--to', 'pdf,html', '--out', str(tmp_path / 'out')]!r}\n"
              "from pipeline.weasy import typeset as weasy\n"
              "def killed(job):\n"
              f"    open({str(mark)!r}, 'w').close(); os.kill(os.getpid(), signal.SIGKILL)\n"
              "weasy.typeset = killed\n"
              "from pipeline import cli; sys.exit(cli.main())\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                            timeout=BOUND, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert mark.exists()  # the worker typeset it, or the test would prove nothing
    assert result.returncode == 1
    assert result.stderr == f"{folder / 'good.md'}: the process typesetting its PDF ended without an " \
                            "answer (killed from outside? the system's out-of-memory killer does " \
                            "that); nothing was written\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_stops_a_lone_build_and_every_process_it_started(number, folder, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "slow.html").write_text("previous good output")
    mark = tmp_path / "reading"
    command = started("hang:slow.md", "build", folder / "slow.md", "--to", "pdf,html", "--out", out,
                      mark=mark)
    try:
        wait_until(Path(f"{mark}.slow.md").exists, "the build to reach the source")
        workers = descendants(command.pid)
        assert workers  # the PDF worker, and the build process (now that the command only supervises)
        if number == signal.SIGINT:
            os.killpg(command.pid, number)  # Ctrl-C: the terminal signals the whole group
        else:
            command.send_signal(number)  # `kill`, a CI runner's cancel, a closed terminal
        _, stderr = command.communicate(timeout=BOUND)
    finally:
        command.kill()
    assert command.returncode == (130 if number == signal.SIGINT else 128 + number)
    name = {signal.SIGINT: "interrupted", signal.SIGTERM: "stopped by SIGTERM",
            signal.SIGHUP: "stopped by SIGHUP"}[number]
    assert stderr == f"briefing: {name}; earlier outputs are unchanged\n"
    wait_until(lambda: all(gone(pid) for pid in workers), "every worker to end")
    assert [p.name for p in out.iterdir()] == ["slow.html"]
    assert (out / "slow.html").read_text() == "previous good output"


def test_ctrl_c_stops_a_batch_after_a_process_was_killed_and_one_hangs(folder, tmp_path):
    mark = tmp_path / "reading"
    command = started("kill:other.md,hang:slow.md", "build", folder / "other.md", folder / "slow.md",
                      folder / "good.md", "--to", "html", "--jobs", "2", "--out", tmp_path / "out", mark=mark)
    try:
        wait_until(lambda: Path(f"{mark}.slow.md").exists() and Path(f"{mark}.other.md").exists(),
                   "the build to reach both sources")
        wait_until(lambda: (tmp_path / "out" / "good.html").exists(), "good.md to be built")
        workers = descendants(command.pid)
        os.killpg(command.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group
        stdout, stderr = command.communicate(timeout=BOUND)
    finally:
        command.kill()
    assert command.returncode == 130
    assert stderr.splitlines()[-1] == "briefing: interrupted; earlier outputs are unchanged"
    assert f"{folder / 'other.md'}: its process was ended by SIGKILL" in stderr
    wait_until(lambda: all(gone(pid) for pid in workers), "every worker to end")


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real file system of 2 MB (a tmpfs), to fill up."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill up needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def fill(disk: Path, leave: int) -> None:
    """Fill the disk but for `leave` blocks."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_bsize
    with open(disk / ".filler", "wb") as filler:
        filler.write(b"\0" * (free - leave * stat.f_bsize))
    assert os.statvfs(disk).f_bavail == leave


def blocks(size: int, disk: Path) -> int:
    return -(-size // os.statvfs(disk).f_bsize)


def sizes(source: Path, tmp_path: Path) -> dict[str, int]:
    """What each output of `source` weighs (built the same way: fixed dates)."""
    out = tmp_path / "measured"
    result = faulty("none:-", "build", source, "--to", "pdf,html", "--out", out,
                    env={"SOURCE_DATE_EPOCH": "1764000000"})
    assert result.returncode == 0, result.stderr
    return {p.suffix: p.stat().st_size for p in out.glob("brief.*")}


def test_a_full_disk_writes_no_output_beside_an_old_one(small_disk, folder, tmp_path):
    """The PDF fits, the HTML does not: neither replaces its earlier output."""
    source = folder / "brief.md"
    source.write_text(FRONT + "\n# One\n\nText.\n")
    size = sizes(source, tmp_path)
    for suffix in (".pdf", ".html"):
        (small_disk / f"brief{suffix}").write_text("previous good output")
    fill(small_disk, leave=blocks(size[".pdf"], small_disk) + 1)
    assert blocks(size[".html"], small_disk) > 1  # so the HTML cannot fit in what is left
    # Short relative paths, so that the message quotes them whole.
    result = faulty("none:-", "build", "src/brief.md", "--to", "pdf,html", "--out", "disk",
                    env={"SOURCE_DATE_EPOCH": "1764000000"}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "src/brief.md: cannot write disk/brief.html: No space left on device\n"
    assert sorted(p.name for p in small_disk.iterdir()) == [".filler", "brief.html", "brief.pdf"]
    assert all((small_disk / f"brief{s}").read_text() == "previous good output" for s in (".pdf", ".html"))


def test_a_full_disk_when_the_manifest_is_saved_is_a_problem_line(small_disk, folder, tmp_path):
    source = folder / "brief.md"
    source.write_text(FRONT + "\n# One\n\nText.\n")
    size = sizes(source, tmp_path)
    fill(small_disk, leave=blocks(size[".pdf"], small_disk) + blocks(size[".html"], small_disk))
    report = tmp_path / "report.json"
    result = faulty("none:-", "build", source, "--to", "pdf,html", "--out", small_disk, "--report", report,
                    env={"SOURCE_DATE_EPOCH": "1764000000"})
    assert result.returncode == 1
    assert result.stderr == f"{small_disk / '.briefing-manifest.json'}: cannot write: No space left on device\n"
    assert sorted(p.name for p in small_disk.iterdir()) == [".filler", "brief.html", "brief.pdf"]
    assert json.loads(report.read_text())["briefings"][0]["status"] == "built"


def test_sigterm_stops_watch_with_its_exit_code_and_every_process(folder, tmp_path):
    mark = tmp_path / "reading"
    command = started("hang:slow.md", "watch", folder / "slow.md", "--to", "pdf,html", "--port", "0",
                      "--out", tmp_path / "out", mark=mark)
    try:
        wait_until(Path(f"{mark}.slow.md").exists, "the first build to reach the source")
        workers = descendants(command.pid)
        assert workers  # the build process, stuck in its briefing
        command.send_signal(signal.SIGTERM)
        _, stderr = command.communicate(timeout=BOUND)
    finally:
        command.kill()
    assert command.returncode == 128 + signal.SIGTERM
    assert stderr.splitlines()[-1] == "briefing: stopped by SIGTERM; earlier outputs are unchanged"
    wait_until(lambda: all(gone(pid) for pid in workers), "every worker to end")
