"""FrameSource on a stand-in reader (no video file): the newest request wins over ones still waiting, frames are
kept within their byte budget and decoded ahead of the last request, a reader that fails says why, and frames of a
video no longer shown never arrive."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PySide6.QtGui import QImage

from viewer.core.errors import MediaError
from viewer.qt.video.frames import AHEAD, FrameCache, FrameSource


class SlowReader:
    """Frames of one grey level each (the number), `delay` seconds a frame; remembers what it was asked."""

    frames_count, fps, width, height = 100, 25.0, 8, 6

    def __init__(self, delay: float = 0.0, gate: threading.Event | None = None):
        self.delay, self.gate, self.asked = delay, gate, []

    def frame(self, n: int):
        self.asked.append(n)
        if self.gate is not None:
            self.gate.wait(5)
        time.sleep(self.delay)
        if n == 66:
            raise MediaError("clip.mp4: frame 66 cannot be decoded (test)")
        return np.full((self.height, self.width, 3), n, np.uint8)


@pytest.fixture
def source(qapp):
    made = FrameSource()
    yield made
    made.shut()


def opened(qtbot, source, reader) -> None:
    with qtbot.waitSignal(source.opened, timeout=5_000):
        source.open(lambda: reader)


def test_the_newest_request_wins_over_those_still_waiting(qtbot, source):
    gate = threading.Event()
    reader = SlowReader(gate=gate)
    opened(qtbot, source, reader)
    got = []
    source.frame_ready.connect(lambda n, image: got.append((n, image.pixelColor(0, 0).red())))
    assert source.request(5) is None
    qtbot.waitUntil(lambda: reader.asked == [5])
    source.request(6)  # replaced by 7 before the thread is free
    source.request(7)
    gate.set()
    qtbot.waitUntil(lambda: (7, 7) in got, timeout=5_000)
    assert got[:2] == [(5, 5), (7, 7)] and 6 not in [n for n, _ in got]
    assert source.request(7).pixelColor(0, 0).red() == 7  # kept: given at once


def test_frames_after_the_last_request_are_decoded_ahead(qtbot, source):
    reader = SlowReader()
    opened(qtbot, source, reader)
    source.request(10)
    qtbot.waitUntil(lambda: all(n in source.cache for n in range(10, 11 + AHEAD)), timeout=5_000)
    assert source.request(11) is not None and 10 + AHEAD + 1 not in source.cache


def test_a_frame_that_cannot_be_decoded_is_said(qtbot, source):
    opened(qtbot, source, SlowReader())
    with qtbot.waitSignal(source.failed, timeout=5_000) as failed:
        source.request(66)
    assert failed.args == ["clip.mp4: frame 66 cannot be decoded (test)"]


def test_a_video_that_cannot_be_opened_is_said(qtbot, source):
    def broken():
        raise MediaError("clip.mp4: not found (test)")

    with qtbot.waitSignal(source.failed, timeout=5_000) as failed:
        source.open(broken)
    assert failed.args == ["clip.mp4: not found (test)"] and source.facts is None


def test_frames_of_a_video_no_longer_shown_never_arrive(qtbot, source):
    gate = threading.Event()
    opened(qtbot, source, SlowReader(gate=gate))
    got = []
    source.frame_ready.connect(lambda n, image: got.append(n))
    source.request(3)
    source.close_video()
    gate.set()
    qtbot.wait(200)
    assert got == [] and 3 not in source.cache


def test_the_cache_keeps_the_newest_within_its_budget(qapp):
    image = QImage(10, 10, QImage.Format.Format_RGB32)
    cache = FrameCache(limit=3 * image.sizeInBytes())
    for n in (1, 2, 3):
        cache.put(n, image)
    cache.get(1)  # used again: kept over 2
    cache.put(4, image)
    assert [n in cache for n in (1, 2, 3, 4)] == [True, False, True, True]
