"""Bounded work: a time limit on a build, and a forked worker that can be
stopped when the limit passes or the user presses Ctrl-C."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

from pipeline.problems import BriefingError

DEFAULT_SECONDS = 120


class TimeLimit(Exception):
    """Raised in the main thread when a build runs past its limit."""


@contextlib.contextmanager
def time_limit(seconds: float, path: str) -> Iterator[None]:
    """Stop the work inside with a clear error after `seconds`. It needs the
    main thread (signals); elsewhere the work runs unbounded."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TimeLimit:
        raise BriefingError.one(path, None, "build.time-limit", f"stopped after {seconds:g} s: the build took longer "
                            "than its time limit (--time-limit)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Worker:
    """`fn(*args)` in a forked process; `result()` waits for it, `stop()`
    ends it. Exceptions come back whole (BriefingError pickles).

    `Worker.ahead(fn, warm)` forks before the arguments exist: the process
    runs `warm()` (slow imports) while this one goes on, then waits for
    `give(*args)`."""

    def __init__(self, fn: Callable[..., Any], *args: Any,
                 warm: Callable[[], Any] | None = None, ahead: bool = False) -> None:
        from multiprocessing import get_context  # only a build that forks pays for it

        context = get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        arguments: Connection | None = None
        self.give_end: Connection | None = None
        if ahead:
            arguments, self.give_end = context.Pipe(duplex=False)
        self.process = context.Process(target=run_and_send, daemon=True,
                                       args=(send, fn, args, warm, arguments))
        self.process.start()
        send.close()
        if arguments is not None:
            arguments.close()

    @classmethod
    def ahead(cls, fn: Callable[..., Any], warm: Callable[[], Any]) -> Worker:
        return cls(fn, warm=warm, ahead=True)

    def give(self, *args: Any) -> None:
        """The arguments of a worker started ahead: it runs fn(*args) now."""
        assert self.give_end is not None, "give() is for a worker started ahead"
        self.give_end.send(args)
        self.give_end.close()

    def result(self) -> Any:
        # Read before joining: a worker blocks on sending a large result
        # until it is read. If reading is cut short, stop() ends the worker.
        try:
            succeeded, value = self.receive.recv()
        except EOFError:
            raise RuntimeError("the PDF worker ended without an answer") from None
        self.process.join()
        if succeeded:
            return value
        raise value

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


@contextlib.contextmanager
def stopped(worker: Worker | None) -> Iterator[Worker | None]:
    """The worker, stopped on the way out (harmless once it has answered)."""
    try:
        yield worker
    finally:
        if worker:
            worker.stop()


def run_and_send(send, fn: Callable[..., Any], args: tuple[Any, ...],
                 warm: Callable[[], Any] | None = None, arguments=None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops us
    try:
        if warm is not None:
            warm()
        if arguments is not None:
            args = arguments.recv()
        send.send((True, fn(*args)))
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        try:
            send.send((False, error))
        except Exception:  # an exception that does not pickle
            send.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        send.close()
