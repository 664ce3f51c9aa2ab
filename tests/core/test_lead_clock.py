"""LeadClock (viewer.core.review.lead_time): a task's lead time counts only while the window is active."""

from __future__ import annotations

import pytest

from viewer.core.review.lead_time import LeadClock


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_time_counts_while_active_and_start_returns_the_task_timed_before():
    clock = FakeClock()
    lead = LeadClock(clock)
    assert lead.start(3) == (None, 0.0)
    clock.now += 5
    finished = lead.start(4)
    assert finished == (3, pytest.approx(5.0))
    clock.now += 2
    assert lead.stop() == (4, pytest.approx(2.0))
    clock.now += 10
    assert lead.stop() == (None, 0.0)            # stopped: nothing is timed


def test_time_pauses_while_the_window_is_inactive():
    clock = FakeClock()
    lead = LeadClock(clock)
    lead.start(0)
    clock.now += 3
    lead.set_active(False)
    clock.now += 60                              # away: not counted
    lead.set_active(True)
    clock.now += 4
    assert lead.stop() == (0, pytest.approx(7.0))


def test_a_task_started_while_inactive_waits_for_the_window():
    clock = FakeClock()
    lead = LeadClock(clock)
    lead.set_active(False)
    lead.start(1)
    clock.now += 30
    lead.set_active(True)
    clock.now += 1.5
    assert lead.start(None) == (1, pytest.approx(1.5))
    clock.now += 8
    assert lead.stop() == (None, 0.0)            # no task: nothing counted
