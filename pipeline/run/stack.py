"""Heavy work (typesetting a PDF) on a Python stack of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def on_a_fresh_stack(work: Callable[..., T], *args: object) -> T:
    """`work(*args)` in a thread of its own, waited for.

    CPython 3.11 keeps the frames of Python calls in 16 KB chunks, each
    mapped and unmapped as the calls cross into it and back: where a
    layout function called again and again starts a chunk, every call maps
    one. How often that happens depends on how deep the layout starts, so
    on every frame under it: one line more in the command's entry point,
    or another way of forking, made the 71-page PDF 8% slower (42,000 maps
    against 18,000). A new thread's stack starts empty, the same whatever
    called it: 10,000 maps there."""
    outcome: list = []

    def run_it() -> None:
        try:
            outcome.append((True, work(*args)))
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            outcome.append((False, error))

    # A daemon: should Ctrl-C leave it running, it never holds the process open.
    thread = threading.Thread(target=run_it, name="fresh stack", daemon=True)
    thread.start()
    thread.join()
    succeeded, value = outcome[0]
    if succeeded:
        return value
    raise value
