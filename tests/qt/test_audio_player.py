"""Playing a segment (issue 18): the clip's samples are the file's, the device gets them in the chunks it asks for,
the playhead moves and stops at the end; without a device or miniaudio, a message instead."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from tests.audio_builders import two_channel_clip
from viewer.core.audio.clip import read_clip
from viewer.qt.audio_player import SegmentPlayer, _chunks


def test_a_clip_holds_the_files_samples_between_its_times(tmp_path):
    clip_path = two_channel_clip(tmp_path / "clip.wav")
    clip = read_clip(clip_path, 1.25, 2.5)
    with wave.open(str(clip_path)) as source:
        source.setpos(10000)
        expected = np.frombuffer(source.readframes(10000), "<i2").reshape(-1, 2)
    assert (clip.sample_rate, clip.channels, clip.start) == (8000, 2, 1.25)
    assert np.array_equal(clip.samples, expected)
    assert read_clip(clip_path, 3.5, 9.0).samples.shape[0] == 4000      # clipped to the file's end
    assert read_clip(clip_path, 2.0, 1.0).start == 1.0                  # a reversed segment plays between its ends


def test_the_device_gets_the_samples_in_the_chunks_it_asks_for():
    samples = np.arange(20, dtype=np.int16).reshape(10, 2)
    stream = _chunks(samples)
    assert next(stream) == b""
    got = [stream.send(4), stream.send(4), stream.send(4)]
    assert b"".join(got) == samples.tobytes() and len(got[2]) == 2 * 2 * 2
    with pytest.raises(StopIteration):
        stream.send(4)


class FakeDevice:
    def __init__(self, clip):
        self.clip, self.closed = clip, False

    def close(self):
        self.closed = True


def test_playing_moves_the_playhead_and_stops_at_the_end(qtbot, tmp_path):
    clip_path = two_channel_clip(tmp_path / "clip.wav")
    devices = []
    player = SegmentPlayer(device=lambda clip: devices.append(FakeDevice(clip)) or devices[-1])
    positions = []
    player.position.connect(positions.append)
    with qtbot.waitSignal(player.stopped, timeout=5000):
        player.play(clip_path, 1.0, 1.2)
    device, = devices
    assert device.clip.samples.shape == (1600, 2) and device.closed
    assert positions[0] == 1.0 and all(1.0 <= p < 1.2 for p in positions)
    assert not player.playing


def test_no_sound_card_is_a_message_not_an_error(qtbot, tmp_path):
    clip_path = two_channel_clip(tmp_path / "clip.wav")

    def no_card(clip):
        raise RuntimeError("failed to init device")

    player = SegmentPlayer(device=no_card)
    with qtbot.waitSignal(player.failed, timeout=5000) as said:
        player.play(clip_path, 0.0, 1.0)
    assert "No sound output" in said.args[0] and not player.playing
    player = SegmentPlayer(device=lambda clip: FakeDevice(clip))
    with qtbot.waitSignal(player.failed, timeout=5000) as said:
        player.play(tmp_path / "gone.wav", 0.0, 1.0)
    assert "gone.wav" in said.args[0]
