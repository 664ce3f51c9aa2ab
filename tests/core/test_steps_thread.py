"""StepsThread: steps run on a thread of their own, the caller's steps handing on their progress and result; closing
the caller's steps stops the thread after the step under way, its finally blocks running there."""

from __future__ import annotations

import threading

import pytest

from viewer.core.errors import LsviewError
from viewer.core.steps import Progress, run_through
from viewer.core.steps_thread import StepsThread


def test_the_result_and_the_progress_come_through_from_the_thread():
    threads = []

    def work():
        threads.append(threading.current_thread())
        for done in range(3):
            yield Progress("Working", done, 3)
        return "done"

    running = StepsThread(work, Progress("Working", 0, 0), "test")
    seen = []
    steps = running.steps()
    try:
        while True:
            seen.append(next(steps))
    except StopIteration as stop:
        assert stop.value == "done"
    assert seen[0] == Progress("Working", 0, 0)
    assert list(dict.fromkeys(p for p in seen[1:] if p.total)) == [Progress("Working", d, 3) for d in range(3)]
    assert threads != [threading.current_thread()] and running.join(5)


def test_closing_the_steps_stops_the_thread_after_the_step_under_way():
    in_step, release, closed = threading.Event(), threading.Event(), []

    def work():
        try:
            yield Progress("Working", 0, 2)
            in_step.set()
            release.wait(5)  # a request in flight
            yield Progress("Working", 1, 2)
            yield Progress("Working", 2, 2)  # never reached: stopped before
            closed.append("went on")
        finally:
            closed.append("closed")

    running = StepsThread(work, Progress("Working", 0, 0), "test")
    steps = running.steps()
    next(steps)
    assert in_step.wait(5)
    steps.close()  # returns at once, the step in flight going on
    assert running.running and closed == []
    release.set()
    assert running.join(5)
    assert closed == ["closed"]


def test_an_error_on_the_thread_comes_out_of_the_callers_steps():
    def work():
        yield Progress("Working", 0, 1)
        raise LsviewError("the server went away")

    with pytest.raises(LsviewError, match="went away"):
        run_through(StepsThread(work, Progress("Working", 0, 0), "test").steps())


def test_a_thread_waits_for_the_one_before_it():
    release, order = threading.Event(), []

    def first():
        yield Progress("Working", 0, 1)
        release.wait(5)
        order.append("first")

    def second():
        order.append("second")
        yield Progress("Working", 0, 1)

    before = StepsThread(first, Progress("Working", 0, 0), "test")
    steps = before.steps()
    next(steps)
    steps.close()
    after = StepsThread(second, Progress("Working", 0, 0), "test", after=before)
    later = after.steps()
    next(later)
    release.set()
    run_through(later)
    assert order == ["first", "second"]
