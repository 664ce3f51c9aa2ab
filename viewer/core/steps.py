"""Actions over many tasks done a slice at a time (core layer, no Qt): a generator that yields its Progress and
returns its result. The command line runs it to the end at once; the window runs a slice between its events, and
closing the generator cancels it (its transaction rolls back, so nothing of it stays).
"""

from __future__ import annotations

import time
from typing import Callable, Generator, Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Progress(NamedTuple):
    """How far an action is: "Accepting", 12000, 20000 -> "Accepting 12,000 / 20,000 tasks"."""
    doing: str
    done: int
    total: int

    @property
    def text(self) -> str:
        return f"{self.doing} {self.done:,} / {self.total:,} tasks"


# Yields Progress (the first before any task is changed, so the total is known), returns the action's result.
Steps = Generator[Progress, None, T]


def run_through(steps: Steps[T], on_step: Callable[[Progress], None] | None = None) -> T:
    """Run the steps to the end at once, showing each Progress to `on_step`; their result."""
    while True:
        try:
            step = next(steps)
        except StopIteration as stop:
            return stop.value
        if on_step is not None:
            on_step(step)


class Slices(Generic[T]):
    """Runs steps for a slice of time at a time; `done` and `result` once they returned, `progress` the last
    report. An exception of the steps comes out of run() (they are over then)."""

    def __init__(self, steps: Steps[T]):
        self._steps = steps
        self.progress: Progress | None = None
        self.done = False
        self.result: T | None = None

    def run(self, seconds: float | None) -> bool:
        """Go on for about `seconds` (None: to the end); whether the steps are done."""
        end = None if seconds is None else time.perf_counter() + seconds
        try:
            while True:
                self.progress = next(self._steps)
                if end is not None and time.perf_counter() >= end:
                    return False
        except StopIteration as stop:
            self.done, self.result = True, stop.value
            return True
        except BaseException:
            self.done = True
            raise

    def cancel(self) -> None:
        """Stop where the steps are: GeneratorExit goes through their `with` blocks, so a transaction rolls back."""
        self._steps.close()
        self.done = True
