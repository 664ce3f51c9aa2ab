"""LeadClock: how long a task has been open while the window was active (Label Studio's `lead_time`).

Core layer, no Qt: plain Python with a replaceable clock, so tests can move time by hand.
"""

from __future__ import annotations

import time
from typing import Callable


class LeadClock:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.task: int | None = None
        self.active = True
        self._spent = 0.0
        self._since: float | None = None

    def start(self, task: int | None) -> tuple[int | None, float]:
        """Time a new task; returns the task timed until now and its seconds (not yet saved)."""
        finished = self.stop()
        self.task = task
        self._since = self.clock() if self.active and task is not None else None
        return finished

    def stop(self) -> tuple[int | None, float]:
        """Stop timing; the task that was timed and its seconds. The clock then times nothing."""
        self.pause()
        finished = (self.task, self._spent)
        self.task, self._spent = None, 0.0
        return finished

    def pause(self) -> None:
        if self._since is not None:
            self._spent += max(self.clock() - self._since, 0.0)
            self._since = None

    def set_active(self, active: bool) -> None:
        """The window became active (the clock runs) or not (it waits)."""
        self.active = active
        if not active:
            self.pause()
        elif self.task is not None and self._since is None:
            self._since = self.clock()
