"""`make bench`: time briefing against pandoc on the same sources, in one run.

Single briefings: the seed and a synthetic one of about 70 pages, each
format and all three at once, against pandoc's PDF (WeasyPrint), DOCX and
HTML; DOCX and HTML also in a warm process (as watch and a batch make
them). Scaling: all three formats against pandoc's PDF at about 8, 74, 300
and 1,000 pages, with the cost of each page more. Watch: a real save of the
source under `briefing watch`, and the time until the served page (and the
PDF) change, ten saves. A batch: 20 briefings built cold with `--jobs 1`
and `--jobs 2`, a rebuild with nothing changed, with one changed (against
that one alone), the same 20 in four shards, and pandoc's PDFs of the same
20. Each command runs several times (a single briefing's commands taking
turns); we print medians, peak memory (of all the processes of a command at
once, sampled every 20 ms), and ratios against the targets. Machines are
shared and noisy: read the ratios, not the absolute times.

`BENCH_ONLY=singles,scaling,watch,batch,limits` runs some parts;
`BENCH_RUNS`, `BENCH_SCALE_RUNS`, `BENCH_BATCH_RUNS`, `BENCH_SAVES` set how
many runs.
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
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "military-diplomacy-counter-terrorism.md"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))  # single briefings: shared machines swing by a fifth
BATCH_RUNS = int(os.environ.get("BENCH_BATCH_RUNS", "3"))
SCALE_RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "3"))  # the 300 and 1,000 pages
SAVES = int(os.environ.get("BENCH_SAVES", "10"))
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "singles,scaling,watch,batch,limits").split(",")))
# Another checkout (the code before a change) to run beside this one, command
# for command, taking turns: what the change bought, under the same load.
BASELINE = os.environ.get("BENCH_BASELINE")
NO_LIMIT = ["--time-limit", "86400"]  # a loaded machine takes minutes over 1,000 pages
BATCH = 20
LONG_COPIES = 9  # copies of the seed's body that make about 74 pages
SCALE_COPIES = {"300 pages": 38, "1,000 pages": 126}  # about 7.9 pages a copy
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
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


def tree_rss(pid: int) -> int:
    """Bytes resident in `pid` and every process below it, now."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * PAGE_SIZE
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue  # ended meanwhile
    return total


class TreePeak:
    """The most memory a process and its children held at once: their
    resident sizes summed, every 20 ms (pages a fork shares count in each
    process, so this is an upper bound)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, tree_rss(self.pid))

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak // (1024 * 1024)


class Run(NamedTuple):
    seconds: float  # wall time
    peak: int  # MB, all its processes at once
    cpu: float  # seconds of CPU, its processes and all they waited for


def measure(command: list[str], env: dict[str, str], expect: int = 0) -> Run:
    """One run of `command` (that must exit `expect`)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreePeak(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    peak = max(sampler.stop(), usage.ru_maxrss // 1024)  # a short spike between samples
    if os.waitstatus_to_exitcode(status) != expect:
        raise SystemExit(f"bench: unexpected exit: {' '.join(command)}\n{process.stderr.read().decode()}")
    return Run(elapsed, peak, usage.ru_utime + usage.ru_stime)


def summary(runs: list[Run]) -> Run:
    """Median time and CPU, the largest peak."""
    return Run(statistics.median(r.seconds for r in runs), max(r.peak for r in runs),
               statistics.median(r.cpu for r in runs))


def median_of(command: list[str], env: dict[str, str], runs: int, warm: bool = True) -> Run:
    """Of `runs` runs of command, after one unmeasured run (unless not
    `warm`) to warm the file and font caches."""
    if warm:
        measure(command, env)
    return summary([measure(command, env) for _ in range(runs)])


def interleaved(commands: dict[str, list[str]], env: dict[str, str], runs: int, warm: bool = True,
                before: Callable[[], None] = lambda: None) -> dict[str, Run]:
    """median_of for several commands that take turns, run after run: a
    neighbour's load that comes and goes on a shared machine then falls on
    both sides of a ratio alike (pandoc's DOCX took 0.12 s in one make bench
    and 0.25 s in another while it ran its five runs apart from ours).
    `before` runs before each run (a cold batch removes its outputs)."""
    for command in commands.values() if warm else ():
        measure(command, env)  # warm the file and font caches once
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            before()
            results[name].append(measure(command, env))
    return {name: summary(rows) for name, rows in results.items()}


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


def row(label: str, name: str, seconds: float, peak: int | str = "", cpu: float | None = None) -> None:
    print(f"{label:<14} {name:<34} {seconds:>9.3f} {peak:>8} {'' if cpu is None else f'{cpu:9.2f}'}")


def ratio(label: str, name: str, value: float, target: str) -> None:
    print(f"{label:<14} {name:<44} {value:>6.2f}   target {target}")


def before(command: list[str], out: Path) -> list[str]:
    """`command` run with the baseline's code, its cache folder and output folder."""
    moved = [str(out / "before") if part == str(out) else part for part in command]
    return ["env", f"PYTHONPATH={BASELINE}", f"XDG_CACHE_HOME={out / 'cache-before'}", *moved]


def with_baseline(commands: dict[str, list[str]], out: Path) -> dict[str, list[str]]:
    """Each of our commands, and its twin on the baseline's code."""
    twins = {f"before: {name}": before(command, out) for name, command in commands.items()
             if name.startswith("briefing") or name == "all three"}
    return {**commands, **twins} if BASELINE else commands


def pages(briefing: list[str], source: Path, out: Path, env: dict[str, str]) -> int:
    report = out / "pages.json"
    subprocess.run([*briefing, str(source), "--to", "pdf", "--out", str(out), "--force", *NO_LIMIT,
                    "--report", str(report)], env=env, check=True, capture_output=True)
    return json.loads(report.read_text())["briefings"][0]["pages"]


# A warm process: the stages loaded, one build done, then `runs` more timed
# (as `briefing watch` and a batch's workers make a briefing again).
WARM = """
import inspect, statistics, sys, time
from pathlib import Path
from pipeline import collector
from pipeline.run.batch import build_many
from pipeline.run.build import Options
collector.relax()
source, out, fmt, runs = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
options = Options(formats=(fmt,), out_dir=out)
extra = {"warm": True} if "warm" in inspect.signature(build_many).parameters else {}
build_many([source], options, jobs=1, force=True, **extra)
times = []
for _ in range(runs):
    started = time.perf_counter()
    build_many([source], options, jobs=1, force=True, **extra)
    times.append(time.perf_counter() - started)
print(statistics.median(times))
"""


def warm_seconds(source: Path, fmt: str, out: Path, env: dict[str, str]) -> float:
    command = [sys.executable, "-c", WARM, str(source), str(out / "warm"), fmt, str(RUNS)]
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return float(result.stdout.split()[-1])


def singles(briefing: list[str], pandoc: str, out: Path, env: dict[str, str]) -> dict[str, tuple]:
    """Each format alone and all three, against pandoc; what the scaling
    table reuses: {label: (pages, all three s, MB, pandoc pdf s, MB)}."""
    scale: dict[str, tuple] = {}
    sources = {"seed": SEED, "long": synthetic(SEED, LONG_COPIES, out / "long.md")}
    for label, source in sources.items():
        count = pages(briefing, source, out, env)
        label = f"{label} ({count} p)"
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
        runs = interleaved(with_baseline(commands, out), env, RUNS)
        for name, run in runs.items():
            row(label, name, *run)
        times = {name: run.seconds for name, run in runs.items()}
        cpu = {name: run.cpu for name, run in runs.items()}
        for fmt in ("docx", "html"):
            times[f"warm {fmt}"] = warm_seconds(source, fmt, out, env)
            row(label, f"briefing {fmt}, warm process", times[f"warm {fmt}"])
            if BASELINE:
                times[f"before: warm {fmt}"] = warm_seconds(source, fmt, out, {**env, "PYTHONPATH": BASELINE})
                row(label, f"before: briefing {fmt}, warm process", times[f"before: warm {fmt}"])
        ratio(label, "all three / pandoc pdf", times["briefing pdf+docx+html"]
              / times["pandoc pdf (weasyprint)"], "<= 0.55")
        ratio(label, "all three / pandoc pdf, CPU seconds", cpu["briefing pdf+docx+html"]
              / cpu["pandoc pdf (weasyprint)"], "-")
        ratio(label, "pdf alone / all three", times["briefing pdf"] / times["briefing pdf+docx+html"],
              "<= 1.0")
        ratio(label, "docx / pandoc docx", times["briefing docx"] / times["pandoc docx"], "<= 1.5")
        ratio(label, "html / pandoc html", times["briefing html"] / times["pandoc html"], "<= 1.2")
        ratio(label, "docx warm / pandoc docx", times["warm docx"] / times["pandoc docx"], "<= 0.5")
        ratio(label, "html warm / pandoc html", times["warm html"] / times["pandoc html"], "<= 0.5")
        for name in (n for n in commands if n.startswith("briefing") and BASELINE):
            ratio(label, f"{name.removeprefix('briefing ')}: now / before", times[name]
                  / times[f"before: {name}"], "-")
            ratio(label, f"{name.removeprefix('briefing ')}: now / before, CPU", cpu[name]
                  / cpu[f"before: {name}"], "-")
        print()
        scale[label] = (count, runs["briefing pdf+docx+html"], runs["pandoc pdf (weasyprint)"],
                        runs.get("before: briefing pdf+docx+html"))
    return scale


def scaling(briefing: list[str], pandoc: str, out: Path, env: dict[str, str],
            measured: dict[str, tuple]) -> None:
    """All three formats and pandoc's PDF from 8 to 1,000 pages: the time
    and memory of each page more should not grow with the pages."""
    rows = dict(measured)
    for label, copies in SCALE_COPIES.items():
        source = synthetic(SEED, copies, out / f"scale-{copies}.md")
        count = pages(briefing, source, out, env)
        commands = {"all three": [*briefing, str(source), "--out", str(out), "--force", *NO_LIMIT],
                    "pandoc": [pandoc, str(source), "-s", "--pdf-engine=weasyprint", "-o", str(out / "p.pdf")]}
        results = interleaved(with_baseline(commands, out), env, SCALE_RUNS, warm=False)
        rows[label] = (count, results["all three"], results["pandoc"], results.get("before: all three"))
    print(f"{'pages':>6} {'all three s':>12} {'CPU s':>7} {'MB':>6} {'pandoc pdf s':>13} {'CPU s':>7} "
          f"{'MB':>6} {'ratio':>6} {'ms/page more':>13} {'CPU ms/page':>12} {'MB/page more':>13}")
    previous: tuple[int, Run] | None = None
    marginal_time, marginal_cpu, marginal_memory = [], [], []
    for count, ours, theirs, _ in sorted(rows.values(), key=lambda r: r[0]):
        more = ""
        if previous:
            added = count - previous[0]
            marginal_time.append((ours.seconds - previous[1].seconds) / added * 1000)
            marginal_cpu.append((ours.cpu - previous[1].cpu) / added * 1000)
            marginal_memory.append((ours.peak - previous[1].peak) / added)
            more = f"{marginal_time[-1]:>13.1f} {marginal_cpu[-1]:>12.1f} {marginal_memory[-1]:>13.3f}"
        print(f"{count:>6} {ours.seconds:>12.2f} {ours.cpu:>7.2f} {ours.peak:>6} {theirs.seconds:>13.2f} "
              f"{theirs.cpu:>7.2f} {theirs.peak:>6} {ours.seconds / theirs.seconds:>6.2f} {more}")
        previous = (count, ours)
    if BASELINE:
        print(f"{'pages':>6} {'before: all three s':>20} {'CPU s':>7} {'MB':>6} {'now / before':>13} {'CPU':>6} {'MB':>6}")
        for count, ours, _, was in sorted(rows.values(), key=lambda r: r[0]):
            print(f"{count:>6} {was.seconds:>20.2f} {was.cpu:>7.2f} {was.peak:>6} {ours.seconds / was.seconds:>13.2f} "
                  f"{ours.cpu / was.cpu:>6.2f} {ours.peak / was.peak:>6.2f}")
    largest = max(rows.values(), key=lambda r: r[0])
    ratio("scaling", f"peak MB at {largest[0]} pages, all processes", largest[1].peak, "<= 450")
    if len(marginal_time) > 1:
        ratio("scaling", "ms/page more: largest / smallest step", max(marginal_time) / min(marginal_time),
              "<= 1.2")
        ratio("scaling", "CPU ms/page more: largest / smallest step", max(marginal_cpu) / min(marginal_cpu),
              "<= 1.2")
        if min(marginal_memory) > 0:
            ratio("scaling", "MB/page more: largest / smallest step",
                  max(marginal_memory) / min(marginal_memory), "<= 1.2")
    print()


def watch_latency(briefing_bin: Path, source: Path, out: Path, env: dict[str, str],
                  to: str = "pdf,docx,html") -> tuple[float, float | None]:
    """`briefing watch` on a copy of `source`: SAVES saves (the title
    changed each time, written in place as an editor does), and the median
    time from each save until the served page shows it, and until the PDF
    is replaced (None without a PDF)."""
    folder = out / f"watch-{source.stem}-{to.replace(',', '-')}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "src").mkdir(parents=True)
    watched = folder / "src" / source.name
    text = source.read_text(encoding="utf-8")
    watched.write_text(text, encoding="utf-8")
    built = folder / "build"
    process = subprocess.Popen([str(briefing_bin), "watch", str(watched), "--out", str(built), "--port", "0",
                                "--to", to], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    try:
        for line in process.stdout:  # type: ignore[union-attr]
            if line.startswith("serving "):
                url = line.split()[1] + f"{watched.stem}.html"
                version_url = line.split()[1] + "__briefing/version"
                break
        else:
            raise SystemExit("bench: watch stopped before serving")
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # type: ignore
        pdf = built / f"{watched.stem}.pdf"
        html_times, pdf_times = [], []
        for save in range(SAVES):
            with urllib.request.urlopen(version_url) as answer:
                version = answer.read().decode()
            marker = f"save-{save}-{time.time_ns()}"
            before = pdf.stat().st_ino if "pdf" in to else None
            changed = re.sub(r"^title: (.*)$", rf"title: \1 {marker}", text, count=1, flags=re.M)
            with open(watched, "w", encoding="utf-8") as file:
                file.write(changed)
            saved = time.perf_counter()
            seen_html = seen_pdf = None
            while seen_html is None or (before is not None and seen_pdf is None):
                now = time.perf_counter()
                if now - saved > 300:
                    raise SystemExit("bench: watch did not show a save within 300 s")
                if seen_html is None:
                    # As the page's own script asks: the version, answered when
                    # it changes (a server that does not wait answers at once).
                    with urllib.request.urlopen(f"{version_url}?since={version}", timeout=60) as answer:
                        now_version = answer.read().decode()
                    if now_version != version:
                        version = now_version
                        with urllib.request.urlopen(url) as answer:
                            if marker.encode() in answer.read():
                                seen_html = time.perf_counter() - saved
                    else:
                        time.sleep(0.005)
                if before is not None and seen_pdf is None and pdf.stat().st_ino != before:
                    seen_pdf = time.perf_counter() - saved
                if seen_html is not None:
                    time.sleep(0.005)
            html_times.append(seen_html)
            if seen_pdf is not None:
                pdf_times.append(seen_pdf)
            time.sleep(1.0)  # the round's other files written, the watcher waiting again
        return statistics.median(html_times), statistics.median(pdf_times) if pdf_times else None
    finally:
        process.terminate()
        process.wait(timeout=30)


def watching(out: Path, env: dict[str, str]) -> None:
    print(f"watch: median of {SAVES} saves, from the save to the served page showing it (and to the PDF replaced)")
    for label, source in (("seed", SEED), ("long", synthetic(SEED, LONG_COPIES, out / "long.md"))):
        for to, html_target, pdf_target in (("pdf,docx,html", {"seed": "<= 0.15", "long": "<= 0.4"}[label],
                                             {"seed": "<= 0.6", "long": ""}[label]),
                                            ("html", "", "")):
            html, pdf = watch_latency(BIN / "briefing", source, out, env, to)
            ratio(f"watch {label}", f"--to {to}: page shows the save, s", html, html_target or "-")
            if pdf is not None:
                ratio(f"watch {label}", f"--to {to}: PDF replaced, s", pdf, pdf_target or "-")
            if BASELINE:  # one watcher after the other: the load may differ between them
                was = {**env, "PYTHONPATH": BASELINE, "XDG_CACHE_HOME": str(out / "cache-before")}
                html_was, pdf_was = watch_latency(BIN / "briefing", source, out / "before", was, to)
                ratio(f"watch {label}", f"before: --to {to}: page shows the save, s", html_was, "-")
                if pdf_was is not None:
                    ratio(f"watch {label}", f"before: --to {to}: PDF replaced, s", pdf_was, "-")
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
    for name, run in interleaved(cold, env, BATCH_RUNS, warm=False, before=fresh).items():
        row(label, name, *run)
        times[name] = run.seconds
    unchanged = [*briefing, *sources, "--out", str(out / "cold")]  # built by the last cold run
    run = median_of(unchanged, env, RUNS)
    row(label, "briefing, nothing changed", *run)
    times["no change"] = run.seconds

    # One briefing changed (a new title each run), against building it alone.
    one = Path(sources[6])
    original = one.read_text(encoding="utf-8")
    edits = iter(range(10_000))

    def edit() -> None:
        one.write_text(original.replace("title: ", f"title: Edit {next(edits)} ", 1), encoding="utf-8")
    lone = {"one changed of 20": [*briefing, *sources, "--out", str(out / "cold")],
            "that one alone": [*briefing, str(one), "--out", str(out / "alone"), "--force"]}
    for name, run in interleaved(lone, env, RUNS, before=edit).items():
        row(label, name, *run)
        times[name] = run.seconds
    one.write_text(original, encoding="utf-8")

    for jobs, name in ((1, "pandoc pdf, one after another"), (2, "pandoc pdf, two at a time")):
        run = median_of([sys.executable, "-c", PANDOC_BATCH, pandoc, str(out), str(jobs), *sources],
                        env, BATCH_RUNS, warm=False)
        row(label, name, *run)
        times[name] = run.seconds

    # Four CI runners, one after another here: each shard's cold build.
    shard_times = []
    for index in range(1, 5):
        shard = [*briefing, *sources, "--out", str(out / f"shard-{index}"), "--jobs", "2",
                 "--shard", f"{index}/4", "--report", str(out / f"shard-{index}.json")]
        run = median_of(shard, env, 1, warm=False)
        held = len(json.loads((out / f"shard-{index}.json").read_text())["briefings"])
        row(label, f"shard {index}/4 ({held} briefings), cold", *run)
        shard_times.append(run.seconds)
    merged = [str(BIN / "briefing"), "report", "merge", *(str(out / f"shard-{i}.json") for i in range(1, 5)),
              "-o", str(out / "merged.json")]
    row(label, "report merge of the four", *measure(merged, env))

    ratio(label, "--jobs 1 / --jobs 2 (speed-up)", times["briefing --jobs 1, cold"]
          / times["briefing --jobs 2, cold"], ">= 1.8")
    ratio(label, "nothing changed, seconds", times["no change"], "< 0.5")
    ratio(label, "one changed / that one alone", times["one changed of 20"] / times["that one alone"],
          "<= 1.0")
    ratio(label, "--jobs 2 / pandoc pdf two at a time", times["briefing --jobs 2, cold"]
          / times["pandoc pdf, two at a time"], "<= 0.8")
    ratio(label, "slowest of 4 shards / all 20 (--jobs 2)", max(shard_times)
          / times["briefing --jobs 2, cold"], "-")
    print()


def main() -> None:
    import pypandoc
    pandoc = pypandoc.get_pandoc_path()
    # This checkout's pipeline, whichever the virtualenv's editable install
    # names, with its bytecode written (as `make` does: where
    # PYTHONDONTWRITEBYTECODE is set, every run would compile it again).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline")], check=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    # Commands that time building pass --force (or a fresh folder): the
    # manifest would otherwise find every run after the first up to date.
    briefing = [str(BIN / "briefing"), "build"]
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp)
        # A cache folder of its own (compiled templates, hyphenation, compiled
        # code), warmed by each command's first, unmeasured run: what other
        # checkouts on the machine keep in theirs cannot help or hinder.
        env["XDG_CACHE_HOME"] = str(out / "cache")
        load = os.getloadavg()[0]
        print(f"{RUNS} runs each ({BATCH_RUNS} for cold batches and pandoc's batch, {SCALE_RUNS} at 300 "
              f"and 1,000 pages), median wall time; peak memory of all of a command's processes at once; "
              f"load average {load:.1f} on {os.cpu_count()} cores\n")
        measured: dict[str, tuple] = {}
        if ONLY & {"singles", "scaling"}:
            print(f"{'source':<14} {'command':<34} {'median s':>9} {'peak MB':>8} {'CPU s':>9}")
            measured = singles(briefing, pandoc, out, env)
        if "scaling" in ONLY:
            scaling(briefing, pandoc, out, env, measured)
        if "watch" in ONLY:
            watching(out, env)
        if "batch" in ONLY:
            batch(briefing, pandoc, out, env)
        if "limits" in ONLY:
            print("At and past the limits (one run each; 'stopped' is the expected clear error):")
            for name, (path, expect) in hard_inputs(out).items():
                seconds, peak, _ = measure([*briefing, str(path), "--out", str(out / "limits")], env, expect)
                outcome = "built" if expect == 0 else "stopped"
                print(f"  {name:<20} {outcome:<8} {seconds:>7.2f} s {peak:>6} MB")
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
