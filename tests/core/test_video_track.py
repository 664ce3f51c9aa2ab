"""videorectangle tracks: the box at a frame, lifespans and edits, checked on frames computed by hand from the
editor's rules (ECOSYSTEM.md 5.1: getShape, isInLifespan, interpolateProp, normalizeAngle)."""

import pytest

from viewer.core.errors import TrackError
from viewer.core.video.track import (Box, Keyframe, Track, box_at, framerate, in_lifespan, lifespans,
                                     normalize_angle, with_box_at, with_enabled)


def key(frame, x=10.0, y=20.0, width=30.0, height=40.0, rotation=0.0, enabled=True, **more):
    return {"frame": frame, "enabled": enabled, "x": x, "y": y, "width": width, "height": height,
            "rotation": rotation, "time": frame / 24, **more}


def track(*keys, **value):
    return Track.from_value({"sequence": list(keys), **value})


def test_nothing_before_the_first_keyframe():
    t = track(key(5), key(15, x=30.0))
    assert box_at(t, 1) is None and box_at(t, 4) is None
    assert box_at(t, 5) == Box(10.0, 20.0, 30.0, 40.0, 0.0)


def test_linear_between_keyframes():
    t = track(key(5, x=10.0, width=30.0), key(15, x=30.0, width=10.0))
    box = box_at(t, 10)  # r = (10 - 5) / (15 - 5) = 0.5
    assert (box.x, box.y, box.width, box.height) == (20.0, 20.0, 20.0, 40.0)
    assert box_at(t, 7).x == pytest.approx(14.0)  # 10 + 20 * 0.2


def test_last_keyframe_held_to_the_end():
    t = track(key(5), key(15, x=30.0))
    assert box_at(t, 15).x == 30.0
    assert box_at(t, 1000).x == 30.0


def test_rotation_350_to_10_goes_through_0():
    t = track(key(1, rotation=350.0), key(11, rotation=10.0))
    assert box_at(t, 1).rotation == 350.0          # the keyframe's own value, as stored
    assert box_at(t, 6).rotation == pytest.approx(0.0)   # halfway: 350 + 20 * 0.5 = 360 -> 0
    assert box_at(t, 3).rotation == pytest.approx(-6.0)  # 350 + 4 = 354, normalised into (-180, 180]
    assert box_at(t, 9).rotation == pytest.approx(6.0)
    assert box_at(t, 11).rotation == 10.0
    # never the long way round through 180
    assert all(abs(box_at(t, f).rotation) <= 10.0 + 1e-9 for f in range(2, 11))


def test_normalize_angle_half_open():
    assert normalize_angle(180.0) == 180.0
    assert normalize_angle(-180.0) == 180.0
    assert normalize_angle(540.0) == 180.0
    assert normalize_angle(-190.0) == pytest.approx(170.0)


def test_disabled_keyframe_shows_on_its_frame_then_a_gap():
    t = track(key(1), key(10, x=50.0, enabled=False), key(20, x=70.0), frames_count=30)
    assert box_at(t, 9).x == pytest.approx(10.0 + 40.0 * 8 / 9)
    assert box_at(t, 10).x == 50.0                  # its own frame shows
    assert box_at(t, 11) is None and box_at(t, 19) is None
    assert box_at(t, 20).x == 70.0
    assert not in_lifespan(t, 15) and in_lifespan(t, 10)
    assert lifespans(t, 30) == [(1, 10), (20, 30)]


def test_lifespans_edges():
    assert lifespans(track(key(5)), 100) == [(5, 100)]
    assert lifespans(track(key(5)), None) == [(5, 5)]
    assert lifespans(track(key(5, enabled=False)), 100) == [(5, 5)]
    assert lifespans(track(key(3, enabled=False), key(4, enabled=False)), 9) == [(3, 4)]
    assert lifespans(track(), 10) == []


def test_keyframes_sorted_and_round_trip_keeps_unknown_fields():
    value = {"framesCount": 30, "duration": 1.25, "labels": ["Car"],
             "sequence": [key(10, x=2.0, note="b"), key(1, auto=True)], "extra": {"k": 1}}
    t = Track.from_value(value)
    assert t.frames == [1, 10]
    assert t.keyframes[0].extra == {"auto": True}
    out = t.to_value()
    assert out["labels"] == ["Car"] and out["extra"] == {"k": 1}
    assert out["framesCount"] == 30 and out["duration"] == 1.25
    assert out["sequence"] == [key(1, auto=True), key(10, x=2.0, note="b")]
    assert Track.from_value(out) == t


def test_missing_rotation_and_enabled_take_the_editor_defaults():
    t = Track.from_value({"sequence": [{"frame": 3, "x": 1, "y": 2, "width": 3, "height": 4}]})
    assert t.keyframes[0] == Keyframe(3, True, 1.0, 2.0, 3.0, 4.0, 0.0, None)


@pytest.mark.parametrize("value, words", [
    ([], "not an object"),
    ({"sequence": None}, "`value.sequence` is null"),
    ({"sequence": [3]}, "`value.sequence[0]` is a number"),
    ({"sequence": [{"frame": 1.5, "x": 0, "y": 0, "width": 1, "height": 1}]}, ".frame is a number 1.5"),
    ({"sequence": [{"x": 0, "y": 0, "width": 1, "height": 1}]}, ".frame is missing"),
    ({"sequence": [{"frame": 1, "x": "3", "y": 0, "width": 1, "height": 1}]}, ".x is a string '3'"),
    ({"sequence": [{"frame": 1, "x": float("nan"), "y": 0, "width": 1, "height": 1}]}, ".x is NaN"),
    ({"sequence": [{"frame": 1, "x": 0, "y": 0, "height": 1}]}, ".width is missing"),
    ({"sequence": [{"frame": 1, "x": 0, "y": 0, "width": 1, "height": 1, "enabled": 1}]}, "not true/false"),
    ({"sequence": [], "framesCount": "10"}, "`value.framesCount`"),
])
def test_malformed_values_say_where(value, words):
    with pytest.raises(TrackError, match=None) as raised:
        Track.from_value(value)
    assert words in str(raised.value)


def test_editing_a_box_adds_or_replaces_a_keyframe():
    # the editor's updateShape (VideoRectangleRegion.js): a keyframe on the frame takes the box and keeps its
    # `enabled` and fields; a new one is enabled as the keyframe that decided the frame
    t = track(key(1), key(11, x=30.0, note="kept"))
    added = with_box_at(t, 6, Box(1.0, 2.0, 3.0, 4.0, 5.0), framerate=25)
    assert added.frames == [1, 6, 11]
    assert added.keyframes[1] == Keyframe(6, True, 1.0, 2.0, 3.0, 4.0, 5.0, 6 / 25)
    assert box_at(added, 6) == Box(1.0, 2.0, 3.0, 4.0, 5.0)
    replaced = with_box_at(t, 11, Box(9.0, 9.0, 9.0, 9.0))
    assert replaced.frames == [1, 11] and replaced.keyframes[1].x == 9.0
    assert replaced.keyframes[1].extra == {"note": "kept"}
    earliest = with_box_at(track(key(5)), 2, Box(0.0, 0.0, 1.0, 1.0))
    assert earliest.frames == [2, 5] and earliest.keyframes[0].enabled
    assert with_box_at(track(), 3, Box(0.0, 0.0, 1.0, 1.0)).keyframes[0].enabled


def test_editing_the_box_of_a_disabled_keyframe_keeps_it_disabled():
    t = track(key(1), key(10, enabled=False), key(20))
    edited = with_box_at(t, 10, Box(5.0, 5.0, 5.0, 5.0))
    assert [k.enabled for k in edited.keyframes] == [True, False, True]
    assert box_at(edited, 10) == Box(5.0, 5.0, 5.0, 5.0) and box_at(edited, 11) is None
    before_disabled_first = with_box_at(track(key(5, enabled=False)), 2, Box(0.0, 0.0, 1.0, 1.0))
    assert [k.enabled for k in before_disabled_first.keyframes] == [False, False]


def test_with_enabled_switches_the_deciding_keyframe():
    t = track(key(1), key(11, x=30.0), frames_count=20)
    off = with_enabled(t, 15, False)   # frame 15 is decided by the keyframe on 11
    assert [k.enabled for k in off.keyframes] == [True, False]
    assert lifespans(off, 20) == [(1, 11)]
    assert with_enabled(off, 11, True) == t
    assert with_enabled(t, 15, True) is t
    assert not with_enabled(track(key(5)), 2, False).keyframes[0].enabled   # before the first: the first one
    assert with_enabled(track(), 2, False) == track()


def test_framerate_attribute():
    assert framerate(None) == 24.0
    assert framerate("30") == 30.0
    assert framerate("0.04") == pytest.approx(25.0)  # below 1: seconds per frame, inverted as the editor does
    assert framerate("fast") == 24.0 and framerate("0") == 24.0 and framerate("nan") == 24.0


def test_two_keyframes_on_one_frame_as_the_editor_reads_them():
    # getShape returns the first keyframe on the frame; isInLifespan takes the last one at or before it
    t = track(key(1), key(5, x=1.0, enabled=False), key(5, x=2.0, enabled=True), key(9, x=9.0))
    assert box_at(t, 5).x == 1.0
    assert box_at(t, 6).x == pytest.approx(2.0 + 7.0 / 4)   # from the last keyframe on 5 toward 9
    assert in_lifespan(t, 6)
    assert lifespans(t, 10) == [(1, 10)]
