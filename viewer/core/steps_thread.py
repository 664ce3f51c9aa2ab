"""Steps that wait on the network, run on a thread of their own (core layer, no Qt): the caller's steps only hand
on the thread's progress, so a window running them a slice at a time (LongActions) never waits on a request.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable, Generic, TypeVar

from viewer.core.steps import Progress, Steps

T = TypeVar("T")

WAIT_S = 0.01  # how long one of the caller's steps waits for news from the thread before it reports again


class StepsThread(Generic[T]):
    """Runs `make()`'s steps on a daemon thread once steps() is first advanced. Closing steps() (the window's
    Cancel) stops the thread at its next step, after the work in flight: the steps' `finally` blocks then run on
    the thread. `after`: another StepsThread this one waits for first (a cancelled push still finishing)."""

    def __init__(self, make: Callable[[], Steps[T]], first: Progress, name: str,
                 after: StepsThread | None = None):
        self._make = make
        self._first = first
        self._after = after
        self._news: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def join(self, seconds: float | None = None) -> bool:
        """Wait for the thread to end (for tests and for the next push); whether it did."""
        if self._thread.ident is None:
            return True
        self._thread.join(seconds)
        return not self._thread.is_alive()

    def steps(self) -> Steps[T]:
        self._thread.start()
        last = self._first
        try:
            yield last
            while True:
                try:
                    kind, value = self._news.get(timeout=WAIT_S)
                except queue.Empty:
                    yield last
                    continue
                if kind == "progress":
                    last = value
                    yield last
                elif kind == "done":
                    return value
                else:
                    raise value
        finally:
            self._stop.set()  # done already, or cancelled: the thread stops after the step under way

    def _run(self) -> None:
        try:
            if self._after is not None:
                self._after.join()
            steps = self._make()
            try:
                while not self._stop.is_set():
                    try:
                        progress = next(steps)
                    except StopIteration as stop:
                        self._news.put(("done", stop.value))
                        return
                    self._news.put(("progress", progress))
            finally:
                steps.close()
        except BaseException as exc:  # handed to the caller's thread by steps()
            self._news.put(("error", exc))
