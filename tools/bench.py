"""`make bench`: time briefing against pandoc on the same sources, in one run.

Sources: the seed briefing and a synthetic one ten times longer. Each command
runs several times, the commands taking turns; we print median wall and CPU
times, peak memory (max RSS of the process tree that wait4 reports), and
ratios against pandoc measured in this run. Machines are shared and noisy:
read the ratios, not the absolute times; CPU time suffers least from a
neighbour's load.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "military-diplomacy-counter-terrorism.md"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
BIN = Path(sys.executable).parent


def synthetic(seed: Path, copies: int, target: Path) -> Path:
    """The seed's body `copies` times, headings made unique, one front matter."""
    text = seed.read_text(encoding="utf-8")
    front, body = re.match(r"(---\n.*?\n---\n)(.*)", text, re.S).groups()
    parts = [re.sub(r"^(#+ .*)$", rf"\1 (part {n})", body, flags=re.M) for n in range(1, copies + 1)]
    target.write_text(front + "\n".join(parts), encoding="utf-8")
    return target


def measure(command: list[str], env: dict[str, str], expect: int = 0) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB of one
    run (that must exit `expect`)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != expect:
        raise SystemExit(f"bench: unexpected exit: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


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


def interleaved(commands: dict[str, list[str]], env: dict[str, str]) -> dict[str, tuple[float, float, int]]:
    """Median wall and CPU seconds and peak MB of each command. The commands
    take turns, run after run, so a load that comes and goes on a shared
    machine falls on all of them alike and their ratios stay meaningful."""
    for command in commands.values():
        measure(command, env)  # warm the file cache and font cache once
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            runs[name].append(measure(command, env))
    return {name: (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows),
                   max(r[2] for r in rows)) for name, rows in runs.items()}


def main() -> None:
    import pypandoc
    pandoc = pypandoc.get_pandoc_path()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    # --force: every run really builds, not just finds its outputs up to date.
    briefing = [str(BIN / "briefing"), "build", "--force"]
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp)
        sources = {"seed": SEED, "seed x10": synthetic(SEED, 10, out / "synthetic.md")}
        print(f"{RUNS} runs each, taking turns; median wall and CPU (user + system) time; "
              "peak RSS of the process tree\n")
        print(f"{'source':<10} {'command':<28} {'median s':>9} {'CPU s':>7} {'peak MB':>8}")
        for label, source in sources.items():
            commands = {
                "briefing pdf+docx+html": [*briefing, str(source), "--out", str(out)],
                "briefing pdf": [*briefing, str(source), "--to", "pdf", "--out", str(out)],
                "briefing docx": [*briefing, str(source), "--to", "docx", "--out", str(out)],
                "briefing html": [*briefing, str(source), "--to", "html", "--out", str(out)],
                "pandoc pdf (weasyprint)": [pandoc, str(source), "-s", "--pdf-engine=weasyprint",
                                            "-o", str(out / "p.pdf")],
                "pandoc docx": [pandoc, str(source), "-s", "-o", str(out / "p.docx")],
                "pandoc html": [pandoc, str(source), "-s", "-o", str(out / "p.html")],
            }
            results = interleaved(commands, env)
            for name, (wall, cpu, peak) in results.items():
                print(f"{label:<10} {name:<28} {wall:>9.3f} {cpu:>7.3f} {peak:>8}")
            ratios = {
                "all three / pandoc pdf (target <= 0.8)": ("briefing pdf+docx+html", "pandoc pdf (weasyprint)"),
                "docx / pandoc docx (target <= 1.5)": ("briefing docx", "pandoc docx"),
                "html / pandoc html (target <= 1.5)": ("briefing html", "pandoc html"),
            }
            for name, (ours, theirs) in ratios.items():
                wall = results[ours][0] / results[theirs][0]
                cpu = results[ours][1] / results[theirs][1]
                print(f"{label:<10} ratio {name:<40} {wall:.2f} (CPU {cpu:.2f})")
            print()
        print("At and past the limits (one run each; 'stopped' is the expected clear error):")
        for name, (path, expect) in hard_inputs(out).items():
            seconds, _, peak = measure([*briefing, str(path), "--out", str(out / "limits")], env, expect)
            outcome = "built" if expect == 0 else "stopped"
            print(f"  {name:<20} {outcome:<8} {seconds:>7.2f} s {peak:>6} MB")


if __name__ == "__main__":
    main()
