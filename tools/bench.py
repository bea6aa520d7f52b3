"""`make bench`: time briefing against pandoc on the same sources, in one run.

Single briefings: the seed and a synthetic one of about 70 pages, each
format and all three at once, against pandoc's PDF (WeasyPrint), DOCX and
HTML. A batch: 20 briefings built cold with `--jobs 1` and `--jobs 2`, a
rebuild with nothing changed, and pandoc's PDFs of the same 20. Each command
runs several times (a single briefing's commands taking turns); we print medians, peak memory (the largest max RSS of
one process of the tree, as wait4 reports it), and ratios against the
targets. Machines are shared and noisy: read the ratios, not the absolute
times.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "military-diplomacy-counter-terrorism.md"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))  # single briefings: shared machines swing by a fifth
BATCH_RUNS = int(os.environ.get("BENCH_BATCH_RUNS", "3"))
BATCH = 20
LONG_COPIES = 12  # copies of the seed's body that make about 70 pages
BIN = Path(sys.executable).parent


def synthetic(seed: Path, copies: int, target: Path) -> Path:
    """The seed's body `copies` times, headings made unique, one front matter."""
    text = seed.read_text(encoding="utf-8")
    front, body = re.match(r"(---\n.*?\n---\n)(.*)", text, re.S).groups()
    parts = [re.sub(r"^(#+ .*)$", rf"\1 (part {n})", body, flags=re.M) for n in range(1, copies + 1)]
    target.write_text(front + "\n".join(parts), encoding="utf-8")
    return target


def batch_sources(seed: Path, folder: Path, count: int) -> list[Path]:
    """`count` briefings: the seed under different titles."""
    folder.mkdir(parents=True, exist_ok=True)
    text = seed.read_text(encoding="utf-8")
    made = []
    for n in range(1, count + 1):
        path = folder / f"briefing-{n:02}.md"
        path.write_text(re.sub(r"^title: (.*)$", rf"title: \1 ({n})", text, count=1, flags=re.M),
                        encoding="utf-8")
        made.append(path)
    return made


def measure(command: list[str], env: dict[str, str], expect: int = 0) -> tuple[float, int]:
    """Wall seconds and peak RSS in MB of one run (that must exit `expect`)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != expect:
        raise SystemExit(f"bench: unexpected exit: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss // 1024


def median_of(command: list[str], env: dict[str, str], runs: int, warm: bool = True
              ) -> tuple[float, int]:
    """Median time and peak memory of `runs` runs of command, after one
    unmeasured run (unless not `warm`) to warm the file and font caches."""
    if warm:
        measure(command, env)
    results = [measure(command, env) for _ in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def interleaved(commands: dict[str, list[str]], env: dict[str, str], runs: int, warm: bool = True,
                before: Callable[[], None] = lambda: None) -> dict[str, tuple[float, int]]:
    """median_of for several commands that take turns, run after run: a
    neighbour's load that comes and goes on a shared machine then falls on
    both sides of a ratio alike (pandoc's DOCX took 0.12 s in one make bench
    and 0.25 s in another while it ran its five runs apart from ours).
    `before` runs before each run (a cold batch removes its outputs)."""
    for command in commands.values() if warm else ():
        measure(command, env)  # warm the file and font caches once
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            before()
            results[name].append(measure(command, env))
    return {name: (statistics.median(t for t, _ in rows), max(m for _, m in rows))
            for name, rows in results.items()}


def hard_inputs(folder: Path) -> dict[str, tuple[Path, int]]:
    """Sources at or past the documented limits, and whether they build (0) or stop (1)."""
    front = "---\ntitle: Limits\nclassification: UNCLASSIFIED\n---\n"
    paragraph = "Military diplomacy plays a vital role in counter-terrorism cooperation. " * 12
    cases = {
        "5,000-letter word": (front + "A " + "x" * 5000 + " word.\n", 0),
        "2,000-row table": (front + "| n | role |\n|---|---|\n"
                            + "".join(f"| {n} | logistics |\n" for n in range(2000)), 0),
        "10,000-row table": (front + "| n |\n|---|\n" + "".join(f"| {n} |\n" for n in range(10_000)), 1),
        "over 10 MB source": (front + (paragraph + "\n\n") * 12_300, 1),
        "300-deep list": (front + "".join("    " * d + "- x\n" for d in range(300)), 1),
        "20,000 brackets": (front + "[" * 20_000 + "\n", 1),
    }
    made = {}
    for name, (text, expect) in cases.items():
        path = folder / (name.replace(" ", "-").replace(",", "") + ".md")
        path.write_text(text, encoding="utf-8")
        made[name] = (path, expect)
    return made


def row(label: str, name: str, seconds: float, peak: int | str) -> None:
    print(f"{label:<14} {name:<34} {seconds:>9.3f} {peak:>8}")


def ratio(label: str, name: str, value: float, target: str) -> None:
    print(f"{label:<14} {name:<44} {value:>6.2f}   target {target}")


def pages(briefing: list[str], source: Path, out: Path, env: dict[str, str]) -> int:
    report = out / "pages.json"
    subprocess.run([*briefing, str(source), "--to", "pdf", "--out", str(out), "--force",
                    "--report", str(report)], env=env, check=True, capture_output=True)
    return json.loads(report.read_text())["briefings"][0]["pages"]


def singles(briefing: list[str], pandoc: str, out: Path, env: dict[str, str]) -> None:
    sources = {"seed": SEED, "long": synthetic(SEED, LONG_COPIES, out / "long.md")}
    for label, source in sources.items():
        label = f"{label} ({pages(briefing, source, out, env)} p)"
        times: dict[str, float] = {}
        peaks: dict[str, int] = {}
        commands = {
            "briefing pdf+docx+html": [*briefing, str(source), "--out", str(out), "--force"],
            "briefing pdf": [*briefing, str(source), "--to", "pdf", "--out", str(out), "--force"],
            "briefing docx": [*briefing, str(source), "--to", "docx", "--out", str(out), "--force"],
            "briefing html": [*briefing, str(source), "--to", "html", "--out", str(out), "--force"],
            "pandoc pdf (weasyprint)": [pandoc, str(source), "-s", "--pdf-engine=weasyprint",
                                        "-o", str(out / "p.pdf")],
            "pandoc docx": [pandoc, str(source), "-s", "-o", str(out / "p.docx")],
            "pandoc html": [pandoc, str(source), "-s", "-o", str(out / "p.html")],
        }
        for name, (times[name], peaks[name]) in interleaved(commands, env, RUNS).items():
            row(label, name, times[name], peaks[name])
        ratio(label, "all three / pandoc pdf", times["briefing pdf+docx+html"]
              / times["pandoc pdf (weasyprint)"], "<= 0.8")
        ratio(label, "docx / pandoc docx", times["briefing docx"] / times["pandoc docx"], "<= 1.5")
        ratio(label, "html / pandoc html", times["briefing html"] / times["pandoc html"], "<= 1.5")
        if label.startswith("long"):
            print(f"{label:<14} {'peak memory, all three':<44} {peaks['briefing pdf+docx+html']:>6} MB"
                  f"   target < 200 MB")
        print()


# pandoc's PDFs of many sources, `jobs` at a time.
PANDOC_BATCH = """
import subprocess, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
pandoc, out, jobs, *sources = sys.argv[1:]
def one(source):
    subprocess.run([pandoc, source, "-s", "--pdf-engine=weasyprint",
                    "-o", str(Path(out) / (Path(source).stem + ".pdf"))], check=True)
with ThreadPoolExecutor(int(jobs)) as pool:
    list(pool.map(one, sources))
"""


def batch(briefing: list[str], pandoc: str, out: Path, env: dict[str, str]) -> None:
    sources = [str(s) for s in batch_sources(SEED, out / "batch", BATCH)]
    label = f"{BATCH} briefings"
    times: dict[str, float] = {}
    # Taking turns, like the single briefings: the speed-up is a ratio.
    cold = {f"briefing --jobs {jobs}, cold": [*briefing, *sources, "--out", str(out / "cold"),
                                              "--jobs", str(jobs)] for jobs in (1, 2)}
    fresh = lambda: shutil.rmtree(out / "cold", ignore_errors=True)  # noqa: E731 - cold: no outputs, no manifest
    for name, (times[name], peak) in interleaved(cold, env, BATCH_RUNS, warm=False, before=fresh).items():
        row(label, name, times[name], peak)
    unchanged = [*briefing, *sources, "--out", str(out / "cold")]  # built by the last cold run
    times["no change"], peak = median_of(unchanged, env, RUNS)
    row(label, "briefing, nothing changed", times["no change"], peak)
    for jobs, name in ((1, "pandoc pdf, one after another"), (2, "pandoc pdf, two at a time")):
        times[name], peak = median_of([sys.executable, "-c", PANDOC_BATCH, pandoc, str(out), str(jobs),
                                       *sources], env, BATCH_RUNS, warm=False)
        row(label, name, times[name], peak)
    ratio(label, "--jobs 1 / --jobs 2 (speed-up)", times["briefing --jobs 1, cold"]
          / times["briefing --jobs 2, cold"], ">= 1.7")
    ratio(label, "nothing changed, seconds", times["no change"], "< 0.5")
    ratio(label, "--jobs 2 / pandoc pdf two at a time", times["briefing --jobs 2, cold"]
          / times["pandoc pdf, two at a time"], "<= 0.8")
    print()


def main() -> None:
    import pypandoc
    pandoc = pypandoc.get_pandoc_path()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    # Commands that time building pass --force (or a fresh folder): the
    # manifest would otherwise find every run after the first up to date.
    briefing = [str(BIN / "briefing"), "build"]
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp)
        print(f"{RUNS} runs each ({BATCH_RUNS} for cold batches and pandoc's batch), median wall "
              "time; peak RSS of the largest process\n")
        print(f"{'source':<14} {'command':<34} {'median s':>9} {'peak MB':>8}")
        singles(briefing, pandoc, out, env)
        batch(briefing, pandoc, out, env)
        print("At and past the limits (one run each; 'stopped' is the expected clear error):")
        for name, (path, expect) in hard_inputs(out).items():
            seconds, peak = measure([*briefing, str(path), "--out", str(out / "limits")], env, expect)
            outcome = "built" if expect == 0 else "stopped"
            print(f"  {name:<20} {outcome:<8} {seconds:>7.2f} s {peak:>6} MB")


if __name__ == "__main__":
    main()
