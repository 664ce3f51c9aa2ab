"""Video regions through the core: parsing (labels in value.labels), validate codes, inspect records per frame,
matching by per-frame box IoU, and the LS JSON export keeping the sequence as it was given."""

from __future__ import annotations

import json

import pytest

from tests.builders import VIDEO_CONFIG, keyframe, video_box, video_task, write_project
from viewer.core.diagnostics import diagnose
from viewer.core.matching import MATCHED, compare, timeline_overlap, track_overlap
from viewer.core.project import open_project
from viewer.core.regions import group_results
from viewer.core.resolve import task_records
from viewer.core.shapes import TimelineRanges, VideoRectangle, to_value
from viewer.core.video.synth import write_video
from viewer.core.video.track import Track


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """48 frames of 160x120 at 24 fps, a keyframe every 12."""
    return write_video(tmp_path_factory.mktemp("media") / "clip.mp4", 48, 160, 120, fps=24, gop=12)


def project_of(tmp_path, clip, *results, video="clip.mp4"):
    (tmp_path / "clip.mp4").write_bytes(clip.read_bytes())
    tasks, config = write_project(tmp_path, [video_task(*results, video=video, task_id=7)], VIDEO_CONFIG)
    return open_project(tasks, config)


def diagnosed(tmp_path, clip, *results, video="clip.mp4"):
    return [(d.code, d.severity, d.message) for d in diagnose(project_of(tmp_path, clip, *results, video=video))]


def test_a_video_box_is_a_track_with_its_labels():
    result = video_box("car", keyframe(1), keyframe(10, x=50.0))
    region = group_results([result], "prediction", 0).regions[0]
    assert isinstance(region.shape, VideoRectangle) and region.kind == "videorectangle"
    assert region.labels == ("Car",)
    assert region.values == {}   # sequence, framesCount and duration are geometry, not per-region values
    assert region.shape.track.frames == [1, 10]
    written = to_value(region.shape)
    assert written["sequence"] == result["value"]["sequence"] and written["framesCount"] == 48


def test_a_malformed_sequence_is_an_invalid_value_naming_the_keyframe():
    result = video_box("car", keyframe(1), {**keyframe(5), "x": "10"})
    regions = group_results([result], "prediction", 0)
    assert regions.regions[0].kind == "invalid"
    assert [(p.code, p.result_id) for p in regions.problems] == [("invalid-value", "car")]
    assert "`value.sequence[1]`.x is a string '10'" in regions.problems[0].message


TWO_LABEL_SETS = """<View>
  <Video name="video" value="$video" framerate="24"/>
  <VideoRectangle name="box" toName="video"/>
  <TimelineLabels name="events" toName="video"><Label value="Braking"/></TimelineLabels>
  <Labels name="vehicles" toName="video"><Label value="Car" background="#00ff00"/></Labels>
  <Labels name="people" toName="video"><Label value="Person" background="#ff0000"/></Labels>
</View>
"""


def test_a_tracks_labels_belong_to_the_labels_control_on_its_video_that_has_them(tmp_path, clip):
    # The editor (Annotation deserializeSingleResult; Video has mergeLabelsAndResults) gives value.labels of a
    # videorectangle to the first *labels control on the Video holding the first label, not to <VideoRectangle>.
    (tmp_path / "clip.mp4").write_bytes(clip.read_bytes())
    results = [video_box("car", keyframe(1)), video_box("walker", keyframe(1), labels=("Person",)),
               video_box("ufo", keyframe(1), labels=("Ufo",))]
    tasks, config = write_project(tmp_path, [video_task(*results, task_id=7)], TWO_LABEL_SETS)
    project = open_project(tasks, config)
    (_, regions), = project.regions(project.tasks[0])
    found = {r.id: r.label_from_name for r in regions.regions}
    assert found == {"car": "vehicles", "walker": "people", "ufo": "box"}  # no control has Ufo: left as given
    assert project.labels_control("video", "Braking") == "events" and project.labels_control(None, "Car") is None
    # the same through the review session's working layer, which groups its own results
    session_regions = group_results(results, "annotation", 0, project.object_kind, project.labels_control)
    assert [r.label_from_name for r in session_regions.regions] == ["vehicles", "people", "box"]


def test_timeline_ranges():
    result = {"id": "t", "from_name": "events", "to_name": "video", "type": "timelinelabels",
              "value": {"ranges": [{"start": 3, "end": 9}], "timelinelabels": ["Braking"]}}
    region = group_results([result], "prediction", 0).regions[0]
    assert region.shape == TimelineRanges(((3, 9),)) and region.labels == ("Braking",)
    assert timeline_overlap(TimelineRanges(((1, 10),)), TimelineRanges(((6, 15),))) == pytest.approx(5 / 15)


def test_a_track_or_timeline_result_without_its_geometry_is_an_invalid_region_naming_the_result():
    # Kinds come from the value's keys; for these two types the type says the region is broken, not a
    # whole-task classification (which validate said nothing about)
    track = video_box("car")
    del track["value"]["sequence"]
    timeline = {"id": "t", "from_name": "events", "to_name": "video", "type": "timelinelabels",
                "value": {"timelinelabels": ["Braking"]}}
    regions = group_results([track, timeline], "prediction", 0)
    assert [r.kind for r in regions.regions] == ["invalid", "invalid"]
    assert [(p.code, p.result_id) for p in regions.problems] == [("invalid-value", "car"), ("invalid-value", "t")]
    assert "`value.sequence` is missing" in regions.problems[0].message
    assert "`value.ranges` is missing" in regions.problems[1].message


def test_a_track_label_no_labels_control_on_the_video_holds_is_reported(tmp_path, clip):
    found = diagnosed(tmp_path, clip, video_box("car", keyframe(1)), video_box("ufo", keyframe(1), labels=("Ufo",)))
    assert [(code, severity) for code, severity, _ in found] == [("unknown-label", "warning")]
    assert 'label "Ufo" is in no labels control on "video"' in found[0][2]
    assert '<Labels name="videoLabels">: "Car", "Person"' in found[0][2]


def test_track_labels_of_the_wrong_type_are_named_by_their_key():
    result = video_box("car", keyframe(1))
    result["value"]["labels"] = "Car"
    problems = group_results([result], "prediction", 0).problems
    assert [(p.code, p.result_id) for p in problems] == [("invalid-value", "car")]
    assert problems[0].message.startswith("`value.labels` is a string, not a list of label strings")


def test_a_clean_video_task_has_no_diagnostics(tmp_path, clip):
    assert diagnosed(tmp_path, clip, video_box("car", keyframe(1), keyframe(48, x=60.0))) == []


def test_keyframes_past_the_video(tmp_path, clip):
    found = diagnosed(tmp_path, clip, video_box("car", keyframe(40), keyframe(60)),
                      video_box("gone", keyframe(50), keyframe(70)))
    assert [(code, severity) for code, severity, _ in found] == [("frame-out-of-range", "warning"),
                                                                 ("frame-out-of-range", "error")]
    assert "keyframe frame 60 is past the last frame: the video has 48" in found[0][2]
    assert "no box of the region ever shows" in found[1][2]


def test_frame_zero_and_times_counted_from_zero(tmp_path, clip):
    zero_based = [{**keyframe(f), "time": (f - 1) / 24} for f in (1, 12)]
    found = diagnosed(tmp_path, clip, video_box("a", keyframe(0), keyframe(12)), video_box("b", *zero_based))
    assert [(code, severity) for code, severity, _ in found] == [("frame-out-of-range", "warning"),
                                                                 ("keyframe-time-mismatch", "warning")]
    assert "before frame 1" in found[0][2]
    assert "frame 1 says 0 s, not 0.04167 s (it fits frames counted from 0)" in found[1][2]


def test_frames_count_and_duration_against_the_file(tmp_path, clip):
    found = diagnosed(tmp_path, clip, video_box("a", keyframe(1), frames_count=100, duration=4.0))
    assert [code for code, _, _ in found] == ["frames-count-mismatch"]
    assert "`value.framesCount` is 100 but the video has 48 frames" in found[0][2]
    assert "`value.duration` is 4 s but the video lasts 2.000 s" in found[0][2]


def test_frames_are_counted_at_the_configs_framerate_not_the_files(tmp_path):
    # 60 pictures at 30 a second under framerate 24: Label Studio's timeline has 48 frames and saves framesCount 48
    (tmp_path / "media30").mkdir()
    clip30 = write_video(tmp_path / "media30" / "clip.mp4", 60, 96, 72, fps=30, gop=15)
    found = diagnosed(tmp_path, clip30, video_box("a", keyframe(1), keyframe(48), frames_count=48),
                      video_box("b", keyframe(1), keyframe(55), frames_count=60),
                      video_box("c", keyframe(1), keyframe(48), frames_count=47))
    assert [(code, severity) for code, severity, _ in found] == [
        ("frames-count-mismatch", "warning"), ("frame-out-of-range", "warning"),
        ("frames-count-mismatch", "warning"), ("frames-count-mismatch", "warning")]
    assert "plays 30 frames a second but the <Video> framerate is 24" in found[0][2]   # once for the task
    assert "keyframe frame 55 is past the last frame: the video has 48 at framerate 24" in found[1][2]
    assert "`value.framesCount` is 60 but the video has 48 frames at framerate 24" in found[2][2]
    assert "`value.framesCount` is 47 but" in found[3][2]


def test_an_older_editors_ceiling_count_is_not_a_mismatch(tmp_path):
    # 47.2 frames' worth: 1.23.2 counts round() = 47, an editor before FF_VIDEO_FRAME_SEEK_PRECISION ceil() = 48
    (tmp_path / "media").mkdir()
    clip = write_video(tmp_path / "media" / "clip.mp4", 59, 96, 72, fps=30, gop=15)
    assert diagnosed(tmp_path, clip, video_box("a", keyframe(1), frames_count=47, duration=59 / 30),
                     video_box("b", keyframe(1), frames_count=48, duration=59 / 30)) == [
        ("frames-count-mismatch", "warning",
         "the video file plays 30 frames a second but the <Video> framerate is 24: Label Studio's editor (and "
         "lsview) time the boxes by the config's framerate, frame N at (N - 1) / 24 s, so the file's pictures "
         "and the frame numbers do not step together")]


def test_a_negative_frames_count_is_an_invalid_value(tmp_path, clip):
    found = diagnosed(tmp_path, clip, video_box("a", keyframe(1), frames_count=-4),
                      video_box("b", keyframe(1), frames_count=4.5))
    assert [(code, severity) for code, severity, _ in found] == [("invalid-value", "error")] * 2
    assert "`value.framesCount` is -4, a negative number of frames" in found[0][2]


def test_order_duplicates_empty_and_percent(tmp_path, clip):
    found = diagnosed(tmp_path, clip, video_box("a", keyframe(10), keyframe(2), keyframe(10)),
                      video_box("b"), video_box("c", keyframe(1, x=95.0)))
    assert [(code, severity) for code, severity, _ in found] == [
        ("keyframes-unsorted", "warning"), ("duplicate-keyframe", "warning"), ("video-track-empty", "error"),
        ("percent-out-of-range", "error")]
    assert "keyframe on frame 1: x + width is 125 %" in found[3][2]


def test_a_video_that_cannot_be_found(tmp_path, clip):
    found = diagnosed(tmp_path, clip, video_box("a", keyframe(1), frames_count=48), video="missing.mp4")
    assert [(code, severity) for code, severity, _ in found] == [("media-not-found", "info")]
    assert found[0][2].startswith('<Video name="video">: ')


def test_inspect_frames_in_pixels(tmp_path, clip):
    project = project_of(tmp_path, clip, video_box("car", keyframe(5, x=10.0, y=20.0, width=25.0, height=50.0),
                                                   keyframe(15, x=30.0, y=20.0, width=25.0, height=50.0,
                                                            rotation=90.0),
                                                   keyframe(20, enabled=False), keyframe(30, x=50.0)))
    record = next(task_records(project, project.tasks[0], (1, 10, 20, 25, 48)))
    assert record["shape"]["lifespans"] == [[5, 20], [30, 48]]
    assert record["shape"]["video"] == {"size": [160, 120], "frames": 48, "fps": 24.0, "duration": 2.0,
                                        "framerate": 24.0, "labelStudioFrames": 48}
    frames = {f["frame"]: f for f in record["frames"]}
    assert frames[1] == {"frame": 1, "visible": False}
    assert frames[25] == {"frame": 25, "visible": False}
    ten = frames[10]  # halfway from 5 to 15: x 20 % of 160 = 32 px, y 20 % of 120 = 24 px, rotation 45
    assert ten["visible"] and ten["rotation"] == pytest.approx(45.0)
    assert ten["corners"][0] == pytest.approx([32.0, 24.0])
    assert ten["size"] == pytest.approx([40.0, 60.0])
    assert frames[20]["visible"] and frames[20]["corners"][0] == pytest.approx([16.0, 24.0])  # its own frame
    assert frames[48]["corners"][0] == pytest.approx([80.0, 24.0])                           # the last one held


def test_per_frame_iou_over_the_union_of_lifespans():
    a = Track.from_value({"sequence": [keyframe(1, x=0.0, y=0.0, width=10.0, height=10.0)]})
    same = track_overlap(a, a, 10, (100, 100))
    assert same == pytest.approx(1.0)
    # b shows on frames 6-10 only, with half of a's box: IoU 0.5 on 5 of the 10 frames a shows
    b = Track.from_value({"sequence": [keyframe(6, x=0.0, y=0.0, width=5.0, height=10.0)]})
    assert track_overlap(a, b, 10, (100, 100)) == pytest.approx(0.25)
    rotated = Track.from_value({"sequence": [keyframe(1, x=0.0, y=0.0, width=10.0, height=10.0, rotation=360.0)]})
    assert track_overlap(a, rotated, 10, (100, 100)) == pytest.approx(1.0)


def test_compare_pairs_video_boxes(tmp_path, clip):
    project = project_of(tmp_path, clip, video_box("car", keyframe(1), keyframe(48, x=50.0)))
    region = project.regions(project.tasks[0])[0][1].regions[0]
    moved = group_results([video_box("car2", keyframe(1, x=12.0), keyframe(48, x=52.0))], "annotation", 0).regions
    rows = compare(project, project.tasks[0], [region], list(moved))
    assert [row.status for row in rows] == [MATCHED]
    assert rows[0].overlap == pytest.approx(28 / 32)  # boxes 30 wide, 2 apart: 28 common over 32 on every frame


def test_ls_json_export_keeps_the_sequence(tmp_path, clip):
    from viewer.cli import main

    sequence = [keyframe(1), {**keyframe(7, x=11.5), "auto": True, "note": "kept"}, keyframe(9, enabled=False)]
    project_of(tmp_path, clip, video_box("car", *sequence))
    out = tmp_path / "out.json"
    assert main(["export", str(tmp_path / "tasks.json"), "--config", str(tmp_path / "config.xml"), "--out",
                 str(out), "--source", "predictions"]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    results = [r for task in exported for key in ("annotations", "predictions") for a in task.get(key, [])
               for r in a["result"]]
    assert [r["value"]["sequence"] for r in results if r["type"] == "videorectangle"] == [sequence]


def test_an_accepted_track_is_exported_with_its_sequence_as_given(tmp_path, clip):
    from viewer.cli import main

    sequence = [keyframe(1, x=3), {**keyframe(7, x=11.5), "auto": True}, keyframe(9, enabled=False)]
    project_of(tmp_path, clip, video_box("car", *sequence))
    tasks, session, out = tmp_path / "tasks.json", tmp_path / "review.lsview", tmp_path / "out.json"
    config = tmp_path / "config.xml"
    assert main(["accept", str(tasks), "--config", str(config), "--session", str(session)]) == 0
    assert main(["export", str(tasks), "--config", str(config), "--session", str(session), "--out", str(out)]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    reviewed = exported[0]["annotations"][-1]["result"]
    assert [r["value"]["sequence"] for r in reviewed] == [sequence]
    assert json.dumps(reviewed[0]["value"]["sequence"]) == json.dumps(sequence)   # 3 stays 3, not 3.0


def test_the_video_demo_validates_clean_and_its_boxes_follow_the_objects():
    from pathlib import Path

    demo = Path(__file__).parents[2] / "viewer" / "resources" / "demo_video"
    project = open_project(demo / "tasks.json", demo / "config.xml")
    assert list(diagnose(project)) == []
    records = list(task_records(project, project.tasks[0], (1, 40, 41)))
    assert [r["labels"] for r in records] == [["Car"], ["Person"], ["Sign"], ["Crossing"]]
    person = records[1]["frames"]
    assert [f["visible"] for f in person] == [True, True, False]   # the disabled keyframe on 40 ends it
    assert records[0]["shape"]["video"]["frames"] == 72
    assert sum(p.stat().st_size for p in demo.rglob("*") if p.is_file()) < 300_000


def test_a_video_url_is_downloaded_to_the_cache_and_a_local_files_path_is_found(tmp_path, clip):
    import threading
    from http.server import BaseHTTPRequestHandler

    from tests.http_trickle import local_server

    class Serve(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            self.server.hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(len(self.server.body)))
            self.end_headers()
            self.wfile.write(self.server.body)

        def log_message(self, *args):
            pass

    with local_server(Serve, threading.Event(), hits=[], body=clip.read_bytes()) as server:
        url = server.base + "/videos/clip?id=3"
        (tmp_path / "media").mkdir()
        (tmp_path / "media" / "clip.mp4").write_bytes(clip.read_bytes())
        tasks, config = write_project(tmp_path, [video_task(video_box("a", keyframe(1)), video=url),
                                                 video_task(video_box("b", keyframe(1)),
                                                            video="/data/local-files/?d=media/clip.mp4")],
                                      VIDEO_CONFIG)
        project = open_project(tasks, config, root=tmp_path, cache_dir=tmp_path / "cache")
        first, second = (project.task_video(task, "video") for task in project.tasks)
        assert first.error is None and first.frames_count == 48 and first.size == (160, 120)
        assert first.path.is_relative_to(tmp_path / "cache") and first.path.suffix == ".mp4"
        assert second.error is None and second.path == tmp_path / "media" / "clip.mp4"
        project.task_video(project.tasks[0], "video")
        assert server.hits == ["/videos/clip?id=3"]   # opened once per reference


def test_the_framerate_may_come_from_task_data(tmp_path, clip):
    from viewer.core.video_content import video_framerate

    config = VIDEO_CONFIG.replace('framerate="24"', 'frameRate="$fps"')
    (tmp_path / "clip.mp4").write_bytes(clip.read_bytes())
    at_30 = [{**keyframe(f), "time": f / 30} for f in (1, 12)]
    tasks = [video_task(video_box("a", *at_30), task_id=1), video_task(video_box("b", *at_30), task_id=2)]
    tasks[0]["data"]["fps"] = 30
    tasks[1]["data"]["fps"] = "0.04"   # below 1: seconds a frame, 25 frames a second
    tasks_path, config_path = write_project(tmp_path, tasks, config)
    project = open_project(tasks_path, config_path)
    assert [video_framerate(project.config, "video", task) for task in project.tasks] == [30.0, 25.0]
    assert video_framerate(project.config, "video") == 24.0
    found = [(d.task, d.code) for d in diagnose(project) if d.code == "keyframe-time-mismatch"]
    assert found == [(1, "keyframe-time-mismatch")]   # times made at 30 fps fit the first task only
    # the 24 fps file under framerates 30 and 25: Label Studio counts 60 and 50 frames, not the tracks' 48, and
    # each task is told once that the file's rate is not the framerate
    lengths = " | ".join(d.message for d in diagnose(project) if d.code == "frames-count-mismatch")
    assert lengths.count(" | ") == 3
    assert "`value.framesCount` is 48 but the video has 60 frames at framerate 30" in lengths
    assert "plays 24 frames a second but the <Video> framerate is 30" in lengths
    assert "`value.framesCount` is 48 but the video has 50 frames at framerate 25" in lengths


def test_a_frame_past_label_studios_count_is_outside_the_video(tmp_path):
    from viewer.core.video_content import frame_content

    (tmp_path / "media").mkdir()
    clip30 = write_video(tmp_path / "media" / "clip.mp4", 60, 96, 72, fps=30, gop=15)   # 48 frames at 24
    project = project_of(tmp_path, clip30, video_box("a", keyframe(1)))
    assert frame_content(project, project.tasks[0], 48).problem is None
    assert frame_content(project, project.tasks[0], 50).problem == "frame 50 is outside the video's frames 1..48"
