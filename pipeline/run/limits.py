"""Bounded work: the default time limit (crew.py enforces it, by ending
the process doing the work), and a forked worker that can be stopped when
the limit passes or the user presses Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from pipeline.run.forked import Channel


DEFAULT_SECONDS = 120


class WorkerLost(Exception):
    """A worker's process ended without an answer (killed from outside)."""


class Worker:
    """`fn(*args)` in a forked process; `result()` waits for it, `stop()`
    ends it. Exceptions come back whole (BriefingError pickles).

    `Worker.ahead(fn, warm)` forks before the arguments exist: the process
    runs `warm()` (slow imports) while this one goes on, then waits for
    `give(*args)`."""

    def __init__(self, fn: Callable[..., Any], *args: Any,
                 warm: Callable[[], Any] | None = None, ahead: bool = False) -> None:
        from pipeline.run.forked import Process, pipe  # only a build that forks pays for it

        self.receive, send = pipe(duplex=False)
        arguments: Channel | None = None
        self.give_end: Channel | None = None
        if ahead:
            arguments, self.give_end = pipe(duplex=False)
        self.owner = os.getpid()
        self.process = Process(target=run_and_send, args=(send, fn, args, warm, arguments, self.owner),
                               theirs=(self.receive, self.give_end) if self.give_end else (self.receive,))
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

    def result(self, timeout: float | None = None) -> Any:
        """Its answer; TimeoutError when none came within `timeout` seconds
        (the worker goes on: stop() ends it). A process forked after the
        worker was may wait for it too; only its parent joins it."""
        # Read before joining: a worker blocks on sending a large result
        # until it is read. If reading is cut short, stop() ends the worker.
        if timeout is not None and not self.receive.poll(max(0.0, timeout)):
            raise TimeoutError
        try:
            succeeded, value = self.receive.recv()
        except EOFError:
            raise WorkerLost(self.process.exitcode) from None
        if os.getpid() == self.owner:
            self.process.join()
        if succeeded:
            return value
        raise value

    def stop(self, trace: bool = False) -> None:
        """`trace`: it passed its time limit (forked.TRACES)."""
        if os.getpid() != self.owner:
            return  # the parent's to stop
        if trace:
            from pipeline.run.forked import waiting_traced

            waiting_traced(self.process)  # where this process waited, and whether the worker still ran
        if self.process.is_alive():
            self.process.kill(trace)  # SIGKILL: no handler of the work's can delay it
        self.process.join()


class Stoppable(Protocol):
    def stop(self) -> None: ...


S = TypeVar("S", bound=Stoppable)


@contextlib.contextmanager
def stopped(worker: S | None) -> Iterator[S | None]:
    """The worker, stopped on the way out (harmless once it has answered)."""
    try:
        yield worker
    finally:
        if worker:
            worker.stop()


def run_and_send(send, fn: Callable[..., Any], args: tuple[Any, ...],
                 warm: Callable[[], Any] | None = None, arguments=None, parent: int = 0) -> None:
    from pipeline.run.crew import die_with

    die_with(parent or os.getppid())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops us
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)  # not the parent's handlers, inherited by the fork
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
