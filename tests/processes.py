"""Helpers for tests of real processes: which are still there, and waiting
for an event with a bound, so that a broken build fails its test instead of
hanging the suite."""

import os
import time

BOUND = 120  # seconds


def gone(pid: int) -> bool:
    """The process has ended (or is a zombie that its parent has yet to reap)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def descendants(pid: int) -> set[int]:
    """Every process below `pid`: its children, theirs …"""
    found: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as children:
                for child in map(int, children.read().split()):
                    found |= {child, *descendants(child)}
        except FileNotFoundError:
            pass
    return found


def wait_until(condition, what: str, seconds: float = BOUND) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


def fresh_python(script: str, *args: str, cache) -> str:
    """What `script` prints, run by a new Python as a build runs: this
    checkout's pipeline, its own cache folder (XDG_CACHE_HOME), a fixed
    SOURCE_DATE_EPOCH (fontTools dates the fonts it saves) and nothing else
    of this process's environment. A script that typesets ends with
    os._exit, as the command does (cli.entry): tearing down WeasyPrint's C
    objects at exit can crash."""
    import subprocess
    import sys
    from conftest import ROOT
    result = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True,
                            env={"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin",
                                 "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1764720000"})
    assert result.returncode == 0, result.stderr
    return result.stdout
