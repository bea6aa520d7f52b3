"""Forked processes and the pipes between them: the little of
`multiprocessing` the crew and the workers used, which cost 7 ms of
loading (sockets, temporary files, its reducers) on every build's way to
its first fork, where nothing else is yet running beside this process.

A message is pickled and sent after its length; a process's sentinel is
the read end of a pipe whose other end only the process holds, so it reads
as ready (at its end of file) once the process has ended, however it ended.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

HEADER = struct.Struct("!Q")  # a message's length
STARTED: set[int] = set()  # this process's children, started and not yet joined
# A file: a forked process stopped at a time limit (kill(trace=True))
# adds its Python stacks to it first. The test suite sets it, so that a
# build that hangs says where.
TRACES = "BRIEFING_STALL_TRACES"


class Channel:
    """One end of a pipe or a pair of them: send() pickles a value to the
    other end, recv() takes one (EOFError once the other end is closed)."""

    def __init__(self, reading: int | None, writing: int | None) -> None:
        self.reading, self.writing = reading, writing

    def fileno(self) -> int:
        assert self.reading is not None, "a channel that only sends"
        return self.reading

    def send(self, value: Any) -> None:
        if self.writing is None:
            raise ValueError("a closed or receiving channel")
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_all(self.writing, HEADER.pack(len(data)))
        write_all(self.writing, data)

    def recv(self) -> Any:
        if self.reading is None:
            raise ValueError("a closed or sending channel")
        (size,) = HEADER.unpack(read_exactly(self.reading, HEADER.size))
        return pickle.loads(read_exactly(self.reading, size))

    def poll(self, timeout: float | None = 0.0) -> bool:
        """Whether a message (or the end of file) is there to read, waiting
        up to `timeout` seconds (None: as long as it takes)."""
        return bool(wait([self], timeout))

    def close(self) -> None:
        for end in (self.reading, self.writing):
            if end is not None:
                os.close(end)
        self.reading = self.writing = None


def pipe(duplex: bool = True) -> tuple[Channel, Channel]:
    """Two connected channels; not duplex: the first receives, the second sends."""
    reading, writing = os.pipe()
    if not duplex:
        return Channel(reading, None), Channel(None, writing)
    back_reading, back_writing = os.pipe()
    return Channel(reading, back_writing), Channel(back_reading, writing)


def write_all(end: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(end, view):]


def read_exactly(end: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(end, min(left, 1 << 24))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def wait(objects: Iterable[Any], timeout: float | None = None) -> list[Any]:
    """Those of `objects` (channels, sentinels: anything with a file
    descriptor) that are ready to read, once one is or `timeout` passed."""
    objects = list(objects)
    poller = select.poll()
    by_number: dict[int, list[Any]] = {}
    for thing in objects:
        number = thing if isinstance(thing, int) else thing.fileno()
        by_number.setdefault(number, []).append(thing)
        poller.register(number, select.POLLIN)
    events = poller.poll(None if timeout is None else max(0, int(timeout * 1000 + 0.999)))
    return [thing for number, _ in events for thing in by_number[number]]


class Process:
    """`target(*args)` in a forked process. Its exit code is 0, or 1 after
    an exception (printed), or minus the signal that ended it. `theirs`:
    the parent's ends of the pipes to it, closed in the child, so that the
    child reads the end of file once the parent closes them (or ends)."""

    def __init__(self, target: Callable[..., Any], args: tuple[Any, ...] = (),
                 theirs: tuple[Channel, ...] = ()) -> None:
        self.target, self.args, self.theirs = target, args, theirs
        self.pid = 0
        self.sentinel = -1
        self.code: int | None = None  # once reaped
        self.parent = os.getpid()

    def start(self) -> None:
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(reading)
            for channel in self.theirs:
                channel.close()
            STARTED.clear()  # the parent's children are not ours
            self.run()
        self.parent = os.getpid()
        os.close(writing)
        self.pid, self.sentinel = pid, reading
        STARTED.add(pid)

    def run(self) -> None:
        code = 1
        try:
            trace_on_signal()
            if sys.stdin is not None:  # the parent's to read, as in multiprocessing
                sys.stdin.close()
                sys.stdin = open(os.devnull)  # noqa: SIM115 - the process's, for its life
            self.target(*self.args)
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:  # noqa: BLE001 - printed, as a process's last word
            traceback.print_exc()
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:  # noqa: BLE001 - a closed stream: nothing to say it on
                    pass
            os._exit(code)

    @property
    def exitcode(self) -> int | None:
        """None while it runs (or before it started)."""
        if self.pid and self.code is None and os.getpid() == self.parent:
            self.reaped(os.WNOHANG)
        return self.code

    def is_alive(self) -> bool:
        self.check_parent()
        return self.pid != 0 and self.code is None and not self.reaped(os.WNOHANG)

    def join(self) -> None:
        self.check_parent()
        if self.pid and self.code is None:
            self.reaped(0)

    def kill(self, trace: bool = False) -> None:
        """SIGKILL it; `trace`: after it wrote its stacks, if TRACES is set."""
        self.check_parent()
        if self.pid and self.code is None:
            try:
                if trace and (path := os.environ.get(TRACES)):
                    with open(path, "a") as traces:
                        traces.write(f"\nprocess {self.pid}, stopped at its time limit:\n")
                    os.kill(self.pid, signal.SIGUSR1)
                    select.poll().poll(500)  # faulthandler writes from the signal handler itself
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def check_parent(self) -> None:
        assert os.getpid() == self.parent, "only the process that started a process may end or wait for it"

    def reaped(self, flags: int) -> bool:
        """Collect its exit status, if it has ended (`flags` 0: wait for it)."""
        try:
            pid, status = os.waitpid(self.pid, flags)
        except ChildProcessError:  # collected elsewhere: ended, its code unknown
            pid, status = self.pid, 255 << 8
        if pid == 0:
            return False
        self.code = os.waitstatus_to_exitcode(status)
        STARTED.discard(self.pid)
        os.close(self.sentinel)
        self.sentinel = -1
        return True


def trace_on_signal() -> None:
    """Where TRACES names a file, add this process's stacks to it on
    SIGUSR1 (see Process.kill)."""
    path = os.environ.get(TRACES)
    if not path:
        return
    import faulthandler

    try:
        traces = open(path, "a")  # noqa: SIM115 - for the process's life
    except OSError:
        return
    faulthandler.register(signal.SIGUSR1, file=traces, all_threads=True)


def waiting_traced(process: Process) -> None:
    """Where TRACES names a file, add this (waiting) process's stacks to it,
    and whether `process`, which gave no answer in time, still runs: one
    that ended without an answer its waiter never saw end says more than
    its own stacks can."""
    path = os.environ.get(TRACES)
    if not path:
        return
    import faulthandler

    with open(path, "a") as traces:
        state = "still running" if process.is_alive() else f"ended, exit code {process.exitcode}"
        traces.write(f"\nprocess {os.getpid()} waited in vain for process {process.pid} ({state}):\n")
        traces.flush()
        faulthandler.dump_traceback(traces, all_threads=True)
