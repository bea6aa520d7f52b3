"""run/forked.py: forked processes, their exit codes and sentinels, and
the pickled messages between them."""

import os
import select
import signal
import sys
import time

import pytest

from pipeline.run import forked


def echo(channel):
    """In a child: send back what comes, until the end of file."""
    while True:
        try:
            channel.send(channel.recv())
        except EOFError:
            return


def test_messages_of_any_size_go_and_come_back_whole():
    mine, theirs = forked.pipe()
    process = forked.Process(echo, (theirs,), theirs=(mine,))
    process.start()
    theirs.close()
    big = bytes(range(256)) * 40_000  # 10 MB: many times a pipe's buffer
    for value in ({"a": [1, 2.5, None]}, big, ("ready", None)):
        mine.send(value)
        assert mine.recv() == value
    mine.close()  # the end of file: echo returns
    process.join()
    assert process.exitcode == 0 and not process.is_alive()


def test_one_way_pipes_and_the_end_of_file():
    receive, send = forked.pipe(duplex=False)
    assert not receive.poll(0.05)
    send.send(1)
    assert receive.poll(0) and receive.recv() == 1
    send.close()
    assert receive.poll(0)  # the end of file is there to read
    with pytest.raises(EOFError):
        receive.recv()
    with pytest.raises(ValueError):
        send.send(2)
    receive.close()


def raise_error():
    raise RuntimeError("boom")


def sleep_long():
    time.sleep(60)


def exit_with(code):
    sys.exit(code)


@pytest.mark.parametrize(("target", "args", "code"), [
    (lambda: None, (), 0), (raise_error, (), 1), (exit_with, (3,), 3), (exit_with, ("why",), 1)])
def test_exit_codes(target, args, code, capfd):
    process = forked.Process(target, args)
    process.start()
    process.join()
    assert process.exitcode == code
    if target is raise_error:
        assert "RuntimeError: boom" in capfd.readouterr().err  # a process's last word is printed


def test_a_killed_process_has_minus_its_signal_and_its_sentinel_is_ready():
    process = forked.Process(sleep_long)
    process.start()
    assert process.pid in forked.STARTED and process.is_alive() and process.exitcode is None
    sentinel = process.sentinel
    assert forked.wait([sentinel], 0.05) == []
    process.kill()
    assert forked.wait([sentinel], 5) == [sentinel]
    process.join()
    assert process.exitcode == -signal.SIGKILL
    assert process.pid not in forked.STARTED and not process.is_alive()
    process.kill()  # harmless once ended
    process.join()


def test_wait_names_whichever_is_ready():
    quiet_end, _quiet = forked.pipe(duplex=False)
    told_end, told = forked.pipe(duplex=False)
    told.send("here")
    assert forked.wait([quiet_end, told_end], 1) == [told_end]
    for channel in (quiet_end, _quiet, told_end, told):
        channel.close()


def report_stdin(channel):
    channel.send(sys.stdin.read())


def test_a_child_reads_nothing_of_its_parents_input():
    receive, send = forked.pipe(duplex=False)
    process = forked.Process(report_stdin, (send,))
    process.start()
    send.close()
    assert receive.recv() == ""
    process.join()


def ask_about(process, channel):
    try:
        process.kill()
    except AssertionError:
        channel.send("refused")


def test_only_the_parent_ends_a_process():
    elder = forked.Process(sleep_long)
    elder.start()
    receive, send = forked.pipe(duplex=False)
    younger = forked.Process(ask_about, (elder, send))
    younger.start()
    assert receive.recv() == "refused"
    younger.join()
    assert elder.is_alive()
    elder.kill()
    elder.join()
    assert os.getpid() == elder.parent


def hang():
    select.poll().poll()  # as a process waiting for a message that never comes


@pytest.mark.parametrize("trace", [True, False])
def test_a_process_stopped_at_a_time_limit_says_where_it_was(trace, tmp_path, monkeypatch):
    stacks = tmp_path / "stacks.txt"
    monkeypatch.setenv(forked.TRACES, str(stacks))
    process = forked.Process(hang)
    process.start()
    time.sleep(0.3)  # into hang()
    process.kill(trace)
    process.join()
    assert process.exitcode == -signal.SIGKILL
    written = stacks.read_text() if stacks.exists() else ""
    if trace:
        assert f"process {process.pid}, stopped at its time limit:" in written
        assert 'in hang' in written and "test_forked.py" in written
    else:
        assert written == ""


def test_a_waiter_that_gave_up_says_where_it_waited_and_what_became_of_the_process(tmp_path, monkeypatch):
    stacks = tmp_path / "stacks.txt"
    monkeypatch.setenv(forked.TRACES, str(stacks))
    ended = forked.Process(lambda: None)
    ended.start()
    time.sleep(0.3)
    forked.waiting_traced(ended)
    running = forked.Process(hang)
    running.start()
    forked.waiting_traced(running)
    running.kill()
    running.join()
    written = stacks.read_text()
    assert f"waited in vain for process {ended.pid} (ended, exit code 0)" in written
    assert f"waited in vain for process {running.pid} (still running)" in written
    assert "in test_a_waiter_that_gave_up_says_where_it_waited" in written  # this process's own stack
