"""Time limits that nothing can swallow (pipeline/run/crew.py) and the
stoppable worker (pipeline/run/limits.py), with real processes and signals."""

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from processes import gone, wait_until
from pipeline.problems import BriefingError
from pipeline.run.crew import Crashed, Crew, Lost
from pipeline.run.limits import Worker


def spin_forever():
    while True:
        pass


def swallow_everything(item):
    """Work whose library code catches whatever is raised in it, as
    WeasyPrint's SVG drawing catches BaseException: no exception can stop it."""
    if item == "quick":
        return "done"
    while True:
        try:
            time.sleep(0.05)
        except BaseException:  # noqa: BLE001 - that is the point
            pass


def backtrack(item):
    import re
    return re.match(r"(a+)+$", "a" * 40 + "!")  # catastrophic backtracking, inside C code


def die_on(item):
    if item == "die":
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer would
    if item == "raise":
        raise KeyError("x")
    return item.upper()


def fail(path):
    raise BriefingError.one(path, 3, "test.bad", "bad")


def test_a_task_that_catches_every_exception_is_still_stopped_at_its_limit(tmp_path, monkeypatch):
    stacks = tmp_path / "stacks.txt"
    monkeypatch.setenv("BRIEFING_STALL_TRACES", str(stacks))
    with Crew(swallow_everything, size=1, seconds=0.5) as crew:
        answers = dict(crew.run(["stuck", "quick"]))
    assert isinstance(answers["stuck"], Lost) and answers["stuck"].limit == 0.5
    assert "stopped at its time limit" in stacks.read_text()  # where it was, for the test suite
    assert "in swallow_everything" in stacks.read_text()
    assert answers["stuck"].describe().startswith("stopped after 0.5 s")
    assert answers["quick"] == "done"  # a fresh process took the next task


def test_work_inside_c_code_is_stopped_too():
    with Crew(backtrack, size=1, seconds=0.5) as crew:
        [(_, answer)] = crew.run(["x"])
    assert isinstance(answer, Lost) and answer.limit == 0.5


def test_a_process_killed_from_outside_loses_only_its_task():
    with Crew(die_on, size=2, seconds=60) as crew:
        answers = dict(crew.run(["a", "die", "b", "raise", "c"]))
    assert answers["a"] == "A" and answers["b"] == "B" and answers["c"] == "C"
    lost = answers["die"]
    assert isinstance(lost, Lost) and lost.limit is None and lost.exitcode == -signal.SIGKILL
    assert "ended by SIGKILL" in lost.describe()
    crashed = answers["raise"]
    assert isinstance(crashed, Crashed) and crashed.error == "KeyError: 'x'" and "Traceback" in crashed.details


def test_every_process_is_ended_on_the_way_out():
    with Crew(swallow_everything, size=2, seconds=600) as crew:
        assert list(crew.run(["quick", "quick"])) == [("quick", "done")] * 2
        crew.start("stuck")  # one process busy for ever, one idle
        pids = [member.process.pid for member in (*crew.busy, *crew.idle)]
        assert len(pids) == 2 and len(crew.busy) == 1
    assert all(gone(pid) for pid in pids)


def note_pid(item):
    return os.getpid()


def slow_clearing_up():
    time.sleep(1)  # as a full garbage collection after a large briefing


def test_after_runs_once_the_answer_is_sent_and_nobody_waits_for_it():
    with Crew(note_pid, size=1, seconds=60, after=slow_clearing_up) as crew:
        started = time.monotonic()
        [(_, first)] = crew.run(["a"])
        assert time.monotonic() - started < 0.9  # the answer came before `after` ended
        [(_, second)] = crew.run(["b"])  # the same process, once it has cleared up
        assert second == first
        assert time.monotonic() - started >= 1  # ... which it did between the two tasks
        closing = time.monotonic()
    assert time.monotonic() - closing < 0.5  # an idle process is ended at once, mid-`after` or not
    wait_until(lambda: gone(first), "the crew process to end")


ORPHAN = """
import sys, time
from pipeline.run.crew import Crew
def forever(item):
    while True:
        time.sleep(1)
with Crew(forever, size=1, seconds=600) as crew:
    crew.start("x")
    print(crew.busy[0].process.pid, flush=True)
    time.sleep(600)
"""


def test_crew_processes_die_with_their_parent_even_when_it_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    child = int(parent.stdout.readline())
    parent.kill()  # SIGKILL: no clean-up of its own runs
    parent.wait()
    wait_until(lambda: gone(child), "the crew process to die with its parent")


def test_worker_returns_results_and_errors():
    assert Worker(sum, [1, 2, 3]).result() == 6
    with pytest.raises(BriefingError) as caught:
        Worker(fail, "y.md").result()
    assert str(caught.value) == "y.md:3: bad"


def test_worker_result_waits_no_longer_than_its_timeout():
    worker = Worker(spin_forever)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        worker.result(timeout=0.3)
    assert 0.3 <= time.monotonic() - started < 5 and worker.process.is_alive()  # stop() is the caller's
    worker.stop()
    assert Worker(sum, [1, 2]).result(timeout=30) == 3


def test_worker_stops_when_asked():
    worker = Worker(spin_forever)
    time.sleep(0.2)
    worker.stop()
    assert not worker.process.is_alive()
    with pytest.raises(ProcessLookupError):
        os.kill(worker.process.pid, 0)


def test_worker_ahead_warms_up_then_runs_what_it_is_given(tmp_path):
    marker = tmp_path / "warm"
    worker = Worker.ahead(lambda a, b: (marker.exists(), a + b), warm=marker.touch)
    worker.give(2, 3)
    assert worker.result() == (True, 5)  # warm() ran in the worker before fn


def test_worker_ahead_is_stopped_while_it_waits_for_arguments():
    worker = Worker.ahead(sum, warm=lambda: None)
    time.sleep(0.2)
    worker.stop()
    assert not worker.process.is_alive()
