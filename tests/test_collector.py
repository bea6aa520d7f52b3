"""pipeline/collector.py: the garbage collector tuned for a build, set by
the command line and after WeasyPrint's import."""

import gc
import subprocess
import sys

import pytest

from pipeline import cli
from pipeline import collector

from conftest import FIXTURES


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_relax_looks_for_cycles_rarely(thresholds):
    gc.set_threshold(700, 10, 10)
    collector.relax()
    assert gc.get_threshold()[0] >= 10_000


def test_the_command_line_relaxes_the_collector_before_it_runs(thresholds, monkeypatch):
    gc.set_threshold(700, 10, 10)
    seen = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(gc.get_threshold()) or 0)
    monkeypatch.setattr(cli.os, "_exit", seen.append)
    cli.entry()
    assert seen == [collector.THRESHOLDS, 0]


def test_weasyprints_modules_are_kept_out_of_collections():
    # In a fresh process: this one imported WeasyPrint long ago.
    shown = subprocess.run(
        [sys.executable, "-c", "import gc, sys\n"
         "from pipeline.weasy.typeset import import_weasyprint\n"
         "import_weasyprint()\n"
         "frozen = gc.get_freeze_count()\n"
         "tracked = len(gc.get_objects())\n"
         "print(frozen, tracked, 'weasyprint.layout' in sys.modules)"],
        capture_output=True, text=True, check=True).stdout.split()
    frozen, tracked, imported = int(shown[0]), int(shown[1]), shown[2]
    assert imported == "True"
    assert frozen > 20_000 and tracked < frozen / 100


def test_tidy_frees_the_cycles_left_behind(thresholds):
    import weakref

    class Node:
        pass

    collector.relax()
    node = Node()
    node.itself = node  # a cycle: reference counting alone never frees it
    gone = weakref.ref(node)
    del node
    collector.tidy()
    assert gone() is None


GIVEN_BACK = """
import sys
from pipeline import collector
def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 // 2**20
blocks = [bytes(2000) for _ in range(50_000)]  # 100 MB from malloc's heap
last = blocks[-1]  # held: the freed memory lies below it, where free() cannot return it
del blocks
before = resident()
collector.give_back()
print(before, resident())
"""


def test_give_back_returns_the_heaps_free_pages_to_the_system():
    before, after = map(int, subprocess.run([sys.executable, "-c", GIVEN_BACK], capture_output=True,
                                            text=True, check=True).stdout.split())
    assert before > 90 and after < before - 80


def test_give_back_does_nothing_where_there_is_no_malloc_trim(monkeypatch):
    import ctypes

    class Libc:  # musl, macOS: no malloc_trim
        pass

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    collector.give_back()  # no error
