"""Video regions as the player uses them: which regions it shows, where each is on the timeline, the video's length
they know, and a region's results with its track changed (labels, other keys and results as given)."""

from __future__ import annotations

import pytest

from viewer.core.regions import group_results
from viewer.core.shapes import Rectangle
from viewer.core.video_timeline import box_of, keyframes, known_frames, spans, track_of, video_regions, with_track
from viewer.core.video.track import with_box_at


def keyframe(frame, x, enabled=True):
    return {"frame": frame, "enabled": enabled, "x": x, "y": 10, "width": 20, "height": 20, "rotation": 0}


def video_results(frames_count=60):
    value = {"framesCount": frames_count, "duration": 2.4, "labels": ["Car"],
             "sequence": [keyframe(1, 10), keyframe(21, 50), keyframe(40, 50, enabled=False)]}
    return [{"id": "car1", "from_name": "box", "to_name": "video", "type": "videorectangle", "value": value,
             "meta": {"kept": True}},
            {"id": "car1", "from_name": "note", "to_name": "video", "type": "textarea",
             "value": {"text": ["white van"]}},
            {"id": "scene1", "from_name": "scenes", "to_name": "video", "type": "timelinelabels",
             "value": {"ranges": [{"start": 3, "end": 9}, {"start": 70, "end": 80}], "timelinelabels": ["Day"]}}]


def regions(results=None):
    return {r.id: r for r in group_results(results or video_results(), "prediction", 0).regions}


def test_the_player_shows_tracks_and_timeline_ranges_of_its_video():
    found = regions()
    assert [r.id for r in video_regions(found.values(), "video")] == ["car1", "scene1"]
    assert video_regions(found.values(), "other-video") == ()
    broken = video_results()
    broken[0] = {**broken[0], "value": {"sequence": [{"frame": "one"}]}}
    assert track_of(regions(broken)["car1"]) is None
    assert [r.id for r in video_regions(regions(broken).values(), "video")] == ["scene1"]


def test_where_each_region_is_on_the_timeline():
    found = regions()
    assert spans(found["car1"], 60) == ((1, 40),) and keyframes(found["car1"]) == (
        (1, True), (21, True), (40, False))
    assert spans(found["scene1"], 60) == ((3, 9), (70, 80)) and keyframes(found["scene1"]) == ()


def test_known_frames_from_frames_count_keyframes_or_range_ends():
    assert known_frames([regions()["car1"]]) == 60
    assert known_frames(regions().values()) == 80  # a range past framesCount
    short = video_results()
    del short[0]["value"]["framesCount"]
    assert known_frames([regions(short)["car1"]]) == 40
    assert known_frames([]) == 1


def test_with_track_changes_only_the_track():
    car = regions()["car1"]
    track = with_box_at(track_of(car), 11, box_of(Rectangle(40, 20, 20, 20)), 25.0)
    results = with_track(car, track)
    assert [k["frame"] for k in results[0]["value"]["sequence"]] == [1, 11, 21, 40]
    assert results[0]["value"]["labels"] == ["Car"] and results[0]["meta"] == {"kept": True}
    assert results[0]["value"]["framesCount"] == 60 and results[0]["value"]["duration"] == 2.4
    assert results[0]["value"]["sequence"][1]["time"] == pytest.approx(11 / 25)
    assert results[1] == video_results()[1]
    assert car.results[0]["value"]["sequence"][1]["frame"] == 21  # the region's own results are not changed
    with pytest.raises(ValueError):
        with_track(regions()["scene1"], track)


def test_a_track_is_placed_by_its_box_where_it_first_shows():
    from viewer.core.video_timeline import first_place

    late = video_results()
    late[0]["value"]["sequence"] = [keyframe(30, 40, enabled=False), keyframe(50, 10)]
    assert first_place(regions()["car1"], (200, 100)) == (10.0, 20.0)        # (top, left) in pixels
    assert first_place(regions(late)["car1"], (200, 100)) == (10.0, 80.0)    # a disabled first keyframe shows
    turned = video_results()
    turned[0]["value"]["sequence"] = [{**keyframe(1, 10), "rotation": 90}]    # turned about its top-left corner
    assert first_place(regions(turned)["car1"], (200, 100)) == pytest.approx((10.0, 0.0))  # its left edge swung 20 px left
    assert first_place(regions()["scene1"], (200, 100)) is None


def test_relabelling_a_track_sets_its_own_value_labels():
    from viewer.core.config import parse_config
    from viewer.core.editing.results import region_label_choices, relabelled

    config = parse_config('<View><Video name="video" value="$video"/><VideoRectangle name="box" toName="video"/>'
                          '<Labels name="cars" toName="video" choice="multiple"><Label value="Car"/>'
                          '<Label value="Van"/></Labels><Labels name="people" toName="video"><Label value="Person"/>'
                          '</Labels><TimelineLabels name="scenes" toName="video"><Label value="Day"/>'
                          '</TimelineLabels></View>')
    car = regions()["car1"]
    choices = {(c.control.name, c.label.value): c for c in region_label_choices(config, car)}
    assert set(choices) == {("cars", "Car"), ("cars", "Van"), ("people", "Person")}   # not the timeline's
    results = relabelled(car, choices[("cars", "Van")])          # a multiple-choice control adds
    assert results[0]["value"]["labels"] == ["Car", "Van"] and results[0]["value"]["sequence"] == \
        car.results[0]["value"]["sequence"] and results[1] == car.results[1]
    results = relabelled(car, choices[("people", "Person")])     # another control's label comes first
    assert results[0]["value"]["labels"] == ["Person", "Car"]
    assert car.results[0]["value"]["labels"] == ["Car"]          # the region's own results are not changed
