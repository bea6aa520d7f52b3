"""Time limits and the stoppable worker."""

import os
import time

import pytest

from pipeline.problems import BriefingError
from pipeline.run.limits import Worker, time_limit


def spin_forever():
    while True:
        pass


def fail(path):
    raise BriefingError.one(path, 3, "test.bad", "bad")


def test_time_limit_stops_python_and_regex_work():
    import re
    started = time.monotonic()
    with pytest.raises(BriefingError, match=r"x.md: stopped after 0.5 s"):
        with time_limit(0.5, "x.md"):
            re.match(r"(a+)+$", "a" * 40 + "!")  # catastrophic backtracking
    assert time.monotonic() - started < 5


def test_time_limit_leaves_quick_work_alone():
    with time_limit(5, "x.md"):
        assert sum(range(10)) == 45


def test_worker_returns_results_and_errors():
    assert Worker(sum, [1, 2, 3]).result() == 6
    with pytest.raises(BriefingError) as caught:
        Worker(fail, "y.md").result()
    assert str(caught.value) == "y.md:3: bad"


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
