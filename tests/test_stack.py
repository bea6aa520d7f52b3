"""run/stack.py: work on a fresh stack gives its value or raises its error
in the caller, and runs at the same depth however deep it is called."""

import sys
import threading

import pytest

from pipeline.run.stack import on_a_fresh_stack


def depth() -> int:
    frame, count = sys._getframe(), 0
    while frame is not None:
        frame, count = frame.f_back, count + 1
    return count


def nested(levels: int) -> int:
    return on_a_fresh_stack(depth) if levels == 0 else nested(levels - 1)


def test_the_value_comes_back_from_another_thread():
    seen = []
    assert on_a_fresh_stack(lambda a, b: seen.append(threading.current_thread()) or a + b, 2, 3) == 5
    assert seen[0] is not threading.main_thread() and seen[0].daemon


def test_an_error_is_raised_in_the_caller():
    def fail():
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        on_a_fresh_stack(fail)
    with pytest.raises(SystemExit):
        on_a_fresh_stack(sys.exit, 3)


def test_the_work_starts_at_one_depth_however_deep_the_caller():
    assert nested(1) == nested(40) == on_a_fresh_stack(depth) < depth() + 40
