"""Work that a time limit can always end: every briefing is read and
rendered in a forked process that this one only supervises.

A limit raised as an exception inside the work can be caught by the code it
interrupts: WeasyPrint draws an SVG inside `except BaseException` ("Failed to
render SVG image") and goes on, so a heavy figure shipped missing from the
PDF and two of them ran unbounded. Here the limit is the supervisor's: a task
that passes it has its process killed (SIGKILL, which nothing can catch or
ignore), and a fresh process takes the tasks after it. A process killed from
outside (the OOM killer) is noticed the same way, by its sentinel: its task
is lost, the others go on.

A process serves many tasks: a fresh one pays a warm-up (imports, fonts,
caches). Every process dies with this one (PR_SET_PDEATHSIG), whatever ends
it, even a SIGKILL; Ctrl-C is this process's to handle (they ignore SIGINT).
"""

from __future__ import annotations

import math
import os
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Ready:
    """A process's word that it has warmed up."""


@dataclass(frozen=True)
class Early:
    """What a task said before its answer (`tell`): in `watch`, the HTML
    of a briefing, shown while its PDF is still being made."""
    value: Any


# In a crew process whose crew listens (Crew(early=True)): where `tell` sends.
TOLD: Any = None


def tell(value: Any) -> None:
    """From inside a task: send `value` to the crew's runner now, before
    the answer; nothing when no one listens (or outside a crew)."""
    if TOLD is not None:
        TOLD.send(("early", value))


@dataclass(frozen=True)
class Lost:
    """A task that gave no answer: stopped at its time limit, or its process
    ended (killed from outside, or by a crash in native code)."""
    seconds: float  # how long it ran
    limit: float | None = None  # the time limit it passed; None: its process ended
    exitcode: int | None = None  # negative: the signal that ended the process

    def describe(self) -> str:
        if self.limit is not None:
            return f"stopped after {self.limit:g} s: the build took longer than its time limit (--time-limit)"
        if self.exitcode is not None and self.exitcode < 0:
            number = -self.exitcode
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            why = " (from outside: the system's out-of-memory killer sends it)" if number == signal.SIGKILL else ""
            return f"its process was ended by {name}{why} after {self.seconds:.1f} s; nothing was written for it"
        return f"its process ended (exit code {self.exitcode}) without an answer; nothing was written for it"


@dataclass(frozen=True)
class Crashed:
    """A task that raised: a task should answer for itself, this is the last guard."""
    error: str  # "KeyError: 'x'"
    details: str  # the traceback


class Member:
    """One process of the crew, and the task it is on."""

    def __init__(self, task: Callable[[Any], Any] | None, warm: Callable[[], Any] | None, early: bool = False,
                 after: Callable[[], Any] | None = None,
                 setup: Callable[[Any], Callable[[Any], Any]] | None = None) -> None:
        from pipeline.run.forked import Process, pipe

        self.connection, theirs = pipe()
        self.process = Process(target=serve, args=(theirs, task, os.getpid(), warm, early, after, setup),
                               theirs=(self.connection,))
        self.process.start()
        theirs.close()
        self.ready = False  # warmed up: the clock of its task runs
        self.served = 0
        self.item: Any = None
        self.seconds = 0.0
        self.started = 0.0
        self.deadline = math.inf

    @classmethod
    def ahead(cls, setup: Callable[[Any], Callable[[Any], Any]], warm: Callable[[], Any] | None,
              after: Callable[[], Any] | None = None) -> Member:
        """A process forked before its task exists: it warms up meanwhile,
        and `setup(value)` makes its task once `set_up(value)` is sent; it
        may fork in turn (ahead.py's renderer)."""
        return cls(None, warm, after=after, setup=setup)

    def set_up(self, value: Any) -> bool:
        """Give a process started ahead what makes its task; False when it is gone."""
        try:
            self.connection.send(("setup", value))
        except (OSError, ValueError):
            return False
        return True

    def give(self, item: Any, seconds: float) -> bool:
        """Start `item`; False when the process is gone already."""
        try:
            self.connection.send(("task", item))
        except (OSError, ValueError):
            return False
        self.item, self.seconds = item, seconds
        self.clock()
        return True

    def clock(self) -> None:
        """Start the task's clock, once the process is ready for it."""
        self.started = time.monotonic()
        self.deadline = self.started + self.seconds if self.ready else math.inf

    def kill(self, trace: bool = False) -> None:
        self.process.kill(trace)
        self.process.join()
        self.connection.close()

    def dismiss(self) -> None:
        """End an idle process at once: it holds no task (it may still be
        clearing up after its last, which nobody needs to wait for)."""
        self.kill()


class Crew(Generic[T, R]):
    """Up to `size` forked processes running `task(item)` for each item,
    each task within `seconds`. `run(items)` yields (item, answer) as they
    finish; the answer is the task's value, a Lost or a Crashed. Leaving the
    `with` block ends every process, busy or not. With `early`, what a task
    says with `tell` before its answer comes as (item, Early(value)) too.
    `after` runs in a process once it has sent an answer, while its parent
    deals with it: clearing up for the next task costs that task nothing.
    `ready`: processes started ahead, already given what makes this task."""

    def __init__(self, task: Callable[[T], R], *, size: int, seconds: float,
                 tasks_per_process: int = 50, warm: Callable[[], Any] | None = None,
                 early: bool = False, after: Callable[[], Any] | None = None,
                 ready: tuple[Member, ...] = ()) -> None:
        self.task, self.size, self.seconds, self.warm = task, max(1, size), seconds, warm
        self.early, self.after = early, after
        self.tasks_per_process = tasks_per_process
        self.idle: list[Member] = list(ready)  # started ahead (Member.ahead) and set up for this task
        self.busy: list[Member] = []

    def __enter__(self) -> Crew[T, R]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def run(self, items: Iterable[T]) -> Iterator[tuple[T, R | Lost | Crashed | Early]]:
        waiting = deque(items)
        while waiting or self.busy:
            while waiting and len(self.busy) < self.size:
                self.start(waiting.popleft())
            yield from self.collect()

    def start(self, item: T) -> None:
        while True:
            member = self.idle.pop() if self.idle else Member(self.task, self.warm, self.early, self.after)
            if member.give(item, self.seconds):
                self.busy.append(member)
                return
            member.kill()  # died while idle: another takes the task

    def collect(self) -> list[tuple[T, R | Lost | Crashed | Early]]:
        """Wait for the first answer, end or deadline; what it brought."""
        from pipeline.run.forked import wait

        soonest = min(m.deadline for m in self.busy)
        timeout = None if soonest == math.inf else max(0.0, soonest - time.monotonic())
        watched: list[Any] = [m.connection for m in self.busy]
        watched += [m.process.sentinel for m in (*self.busy, *self.idle)]
        ready = set(wait(watched, timeout))
        for member in [m for m in self.idle if m.process.sentinel in ready]:
            self.idle.remove(member)  # killed while idle: nothing lost
            member.kill()
        finished: list[tuple[T, R | Lost | Crashed | Early]] = []
        for member in list(self.busy):
            if member.connection in ready or member.process.sentinel in ready:
                if not isinstance(answer := self.answer(member), Ready):
                    finished.append((member.item, answer))
            elif time.monotonic() >= member.deadline:
                self.busy.remove(member)
                member.kill(trace=True)
                finished.append((member.item, Lost(time.monotonic() - member.started, limit=self.seconds)))
        return finished

    def answer(self, member: Member) -> R | Lost | Crashed | Ready | Early:
        """What the process said: its answer (it is then free), Ready, or
        Early (the task goes on)."""
        try:
            kind, value = member.connection.recv()
        except (EOFError, OSError):
            self.busy.remove(member)
            member.kill()
            return Lost(time.monotonic() - member.started, exitcode=member.process.exitcode)
        if kind == "ready":  # warmed up: the clock starts now
            member.ready = True
            member.clock()
            return Ready()
        if kind == "early":
            return Early(value)
        self.busy.remove(member)
        member.served += 1
        if member.served >= self.tasks_per_process:
            member.dismiss()  # a fresh process for the next, should anything outlive tidying
        else:
            self.idle.append(member)
        return value

    def close(self) -> None:
        for member in self.busy:
            member.kill()
        for member in self.idle:
            member.dismiss()
        self.busy, self.idle = [], []


def serve(connection: Any, task: Callable[[Any], Any] | None, parent: int,
          warm: Callable[[], Any] | None = None, early: bool = False,
          after: Callable[[], Any] | None = None,
          setup: Callable[[Any], Callable[[Any], Any]] | None = None) -> None:
    """A crew process: warm up (imports: not on a task's clock), then tasks
    in, answers out (and, with `early`, what they `tell` before; then
    `after`), until its parent kills it or is gone. Started ahead, it has
    no task until a ("setup", value) message: its task is `setup(value)`."""
    global TOLD
    TOLD = connection if early else None
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent decides, and stops us
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)  # not the parent's handlers, inherited by the fork
    if warm is not None:
        warm()
    connection.send(("ready", None))
    while True:
        try:
            kind, item = connection.recv()  # a task: the parent ends a process by killing it
        except EOFError:
            return
        if kind == "setup" and setup is not None:
            task = setup(item)
            continue
        try:
            assert task is not None, "a process started ahead is given its task before work"
            answer = task(item)
        except BaseException as error:  # noqa: BLE001 - said to the parent, whatever it is
            answer = Crashed(f"{type(error).__name__}: {error}", traceback.format_exc())
        try:
            connection.send(("answer", answer))
        except Exception as error:  # an answer that does not pickle
            connection.send(("answer", Crashed(f"{type(error).__name__}: {error}", traceback.format_exc())))
        del answer  # what `after` frees too
        if after is not None:
            after()


def die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent ends (Linux's
    PR_SET_PDEATHSIG); elsewhere the parent's own clean-up must do."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before we asked
        os._exit(1)
