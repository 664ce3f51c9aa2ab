"""Audio segments (issue 18): parsing, peaks decoded with PyAV and cached on disk, inspect records in seconds and
samples, validate's checks against the file, temporal IoU."""

from __future__ import annotations

import os
from importlib.util import find_spec

import numpy as np
import pytest

from tests.audio_builders import AUDIO_CONFIG, RATE, audio_project, segment, two_channel_clip, write_wav
from viewer.core.audio import peaks as peaks_module
from viewer.core.audio.content import audio_contents
from viewer.core.audio.peaks import BUCKET, cache_folder, compute, load_peaks
from viewer.core.diagnostics.run import diagnose
from viewer.core.errors import MediaError
from viewer.core.matching import compare, span_overlap, span_range
from viewer.core.project import open_project
from viewer.core.regions import group_results
from viewer.core.resolve import task_records
from viewer.core.shapes import AudioSegment, parse_shape, to_value


# Decoding needs PyAV, a dependency (CI's Qt-free venv installs it); a venv made before it was one skips these.
needs_av = pytest.mark.skipif(find_spec("av") is None, reason="PyAV is not installed")


@pytest.fixture(autouse=True)
def _fresh_memory():
    peaks_module.forget_memory()
    yield
    peaks_module.forget_memory()


def _project(tmp_path, results, **kw):
    tasks, config = audio_project(tmp_path, results, **kw)
    return open_project(tasks, config, cache_dir=tmp_path / "cache" / "media")


def test_a_labels_result_on_an_audio_object_is_a_segment_with_channel_0_by_default():
    value = {"start": 1.5, "end": 3.25, "labels": ["Speech"]}
    shape, problem = parse_shape(value, "labels", "audio")
    assert (shape, problem) == (AudioSegment(1.5, 3.25, 0.0), None)
    assert parse_shape({**value, "channel": 1}, "labels", "audioplus")[0] == AudioSegment(1.5, 3.25, 1.0)
    assert to_value(AudioSegment(1.5, 3.25, 1.0)) == {"start": 1.5, "end": 3.25, "channel": 1}
    bad, problem = parse_shape({"start": "1.5", "end": 2}, "labels", "audio")
    assert bad.kind == "invalid" and "value.start" in problem


def test_per_region_textarea_shares_the_segment_and_channel_is_geometry_not_payload():
    results = [segment("s1", 0.5, 1.5, "Speech"),
               {"id": "s1", "from_name": "transcript", "to_name": "audio", "type": "textarea",
                "value": {"start": 0.5, "end": 1.5, "channel": 0, "text": ["hello"]}}]
    region, = group_results(results, "prediction", 0, lambda name: "audio").regions
    assert region.shape == AudioSegment(0.5, 1.5, 0.0)
    assert region.labels == ("Speech",)
    assert region.values == {"transcript": {"text": ["hello"]}}


@needs_av
def test_peaks_hold_min_and_max_per_bucket_per_channel(tmp_path):
    clip = two_channel_clip(tmp_path / "clip.wav")
    peaks = compute(clip)
    assert (peaks.sample_rate, peaks.channels, peaks.frames) == (RATE, 2, 4 * RATE)
    assert peaks.low.shape == (2, -(-4 * RATE // BUCKET))
    first_second = slice(0, RATE // BUCKET)
    assert peaks.high[0, first_second].max() == pytest.approx(0.8 * 32767, rel=0.01)
    assert peaks.high[1, first_second].max() == 0           # right channel silent for the first second
    # columns of 32 buckets (1.024 s at 8 kHz): the left tone stops at 2 s, the right one starts at 1 s
    low, high = peaks.columns(0.0, 4.096, 4)
    assert high[0] == pytest.approx([0.8, 0.8, 0.0, 0.0], abs=0.01)
    assert low[1] == pytest.approx([-0.4, -0.4, -0.4, -0.4], abs=0.01)
    low, high = peaks.columns(0.0, 0.96, 3)
    assert low[1] == pytest.approx([0.0, 0.0, 0.0]) and high[0] == pytest.approx([0.8] * 3, abs=0.01)
    low, high = peaks.columns(3.0, 5.0, 2)                  # nothing past the end
    assert np.isnan(high[:, 1]).all() and not np.isnan(high[:, 0]).any()


@pytest.mark.parametrize("name, codec, layout, exact", [
    ("tone.flac", "flac", "mono", True),    # packed s16 from the decoder
    ("tone.m4a", "aac", "stereo", False),   # planar floats (fltp), encoder delay and frame padding
])
def test_peaks_of_formats_other_than_wav(tmp_path, name, codec, layout, exact):
    av = pytest.importorskip("av")  # PyAV writes the file too
    path = tmp_path / name
    rate = 16000
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate)
    channels = 1 if layout == "mono" else 2
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        if codec == "flac":
            frame = av.AudioFrame.from_ndarray((tone * 32767).astype(np.int16).reshape(1, -1), format="s16",
                                               layout=layout)
        else:
            planes = np.stack([tone, np.zeros_like(tone)]).astype(np.float32)
            frame = av.AudioFrame.from_ndarray(planes, format="fltp", layout=layout)
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    peaks = compute(path)
    assert (peaks.sample_rate, peaks.channels) == (rate, channels)
    assert peaks.frames == rate if exact else abs(peaks.frames - rate) < 4096
    high = peaks.columns(0.1, 0.9, 1)[1]
    assert high[0, 0] == pytest.approx(0.5, abs=0.03)
    if channels == 2:
        assert abs(high[1, 0]) < 0.05                       # the silent right channel stays apart


@needs_av
def test_peaks_are_cached_on_disk_beside_the_media_cache_and_a_changed_file_is_read_again(tmp_path, monkeypatch):
    clip = two_channel_clip(tmp_path / "clip.wav")
    media = tmp_path / "cache" / "media"
    first = load_peaks(clip, media)
    stored = list(cache_folder(media).rglob("*.npz"))
    assert len(stored) == 1 and cache_folder(media) == tmp_path / "cache" / "peaks"
    peaks_module.forget_memory()
    monkeypatch.setattr(peaks_module, "compute", lambda path: pytest.fail("decoded again"))
    again = load_peaks(clip, media)
    assert np.array_equal(again.high, first.high) and again.frames == first.frames
    monkeypatch.undo()
    write_wav(clip, [np.zeros(RATE)])        # same path, new content: a new identity
    os.utime(clip, ns=(1, 1))
    peaks_module.forget_memory()
    assert load_peaks(clip, media).channels == 1


@needs_av
def test_a_damaged_cache_file_is_decoded_again_and_a_non_audio_file_is_a_media_error(tmp_path):
    clip = two_channel_clip(tmp_path / "clip.wav")
    media = tmp_path / "cache" / "media"
    load_peaks(clip, media)
    stored, = cache_folder(media).rglob("*.npz")
    stored.write_bytes(b"not numpy")
    peaks_module.forget_memory()
    assert load_peaks(clip, media).channels == 2
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF nonsense")
    with pytest.raises(MediaError, match="junk.wav"):
        load_peaks(junk, media)


@needs_av
def test_inspect_gives_seconds_and_samples_at_the_files_rate(tmp_path):
    project = _project(tmp_path, [segment("s1", 0.5, 1.5, "Speech"), segment("s2", 2.0, 3.25, "Music", 1)])
    shapes = {r["id"]: r["shape"] for r in task_records(project, project.tasks[0])}
    assert shapes["s1"] == {"kind": "audio-segment", "start": 0.5, "end": 1.5, "channel": 0, "original_length": 4.0,
                            "sample_rate": RATE, "start_sample": 4000, "end_sample": 12000, "duration": 4.0,
                            "channels": 2}
    assert (shapes["s2"]["start_sample"], shapes["s2"]["end_sample"], shapes["s2"]["channel"]) == (16000, 26000, 1)


def test_inspect_names_why_samples_are_missing(tmp_path):
    project = _project(tmp_path, [segment("s1", 0.5, 1.5, "Speech")], audio="missing.wav")
    record, = task_records(project, project.tasks[0])
    assert record["shape"]["start_sample"] is None and "missing.wav" in record["shape"]["error"]


@needs_av
@pytest.mark.parametrize("start, end, channel, length, expected", [
    (0.5, 1.5, 0, 4.0, set()),
    (4.5, 5.0, 0, 4.0, {("audio-segment-outside", "error")}),
    (3.5, 5.0, 0, 4.0, {("audio-segment-outside", "warning")}),
    (-0.5, 1.0, 0, 4.0, {("audio-segment-outside", "error")}),
    (2.0, 1.0, 0, 4.0, {("audio-segment-reversed", "warning")}),
    (0.5, 1.5, 2, 4.0, {("audio-channel-out-of-range", "warning")}),
    (0.5, 1.5, 0, 9.0, {("audio-length-mismatch", "warning")}),
])
def test_validate_checks_segments_against_the_file(tmp_path, start, end, channel, length, expected):
    project = _project(tmp_path, [segment("s1", start, end, "Speech", channel, length=length)])
    found = list(diagnose(project))
    assert {(d.code, d.severity) for d in found if d.code.startswith("audio")} == expected
    assert all(d.result_id == "s1" and d.task == 0 for d in found if d.code.startswith("audio"))


@needs_av
def test_temporal_iou_counts_segments_on_the_same_channel_only(tmp_path):
    results = [segment("a", 1.0, 3.0, "Speech"), segment("b", 2.0, 4.0, "Speech"),
               segment("c", 2.0, 4.0, "Speech", 1)]
    project = _project(tmp_path, results)
    a, b, c = (r for _, rs in project.regions(project.tasks[0]) for r in rs.regions)
    assert span_overlap(span_range(a), span_range(b)) == pytest.approx(1 / 3)
    assert span_overlap(span_range(a), span_range(c)) == 0.0
    rows = compare(project, project.tasks[0], [a], [b, c], threshold=0.3)
    assert [(row.status, row.b.id if row.b else None) for row in rows] == [("matched", "b"), ("only-b", "c")]


@needs_av
def test_audio_contents_put_segments_on_rows_with_splitchannels_only(tmp_path):
    results = [segment("a", 1.0, 2.0, "Speech", 1), segment("b", 1.0, 2.0, "Speech", 5)]
    project = _project(tmp_path, results)
    content, = audio_contents(project, project.tasks[0])
    assert content.rows == 2 and content.media.sample_rate == RATE
    rows = {region.id: content.row_of(region) for _, region in content.regions()}
    assert rows == {"a": 1, "b": None}
    single = AUDIO_CONFIG.replace(' splitchannels="true"', "")
    (tmp_path / "one").mkdir()
    project = _project(tmp_path / "one", results, config=single)
    content, = audio_contents(project, project.tasks[0])
    assert content.rows == 1 and content.row_of(content.layers[0].regions[0]) is None


def test_an_audio_file_not_found_is_a_note_and_its_segments_are_not_checked(tmp_path):
    project = _project(tmp_path, [segment("s1", 5.0, 9.0, "Speech", 4)], audio="missing.wav")
    found = [(d.code, d.severity, d.task) for d in diagnose(project)]
    assert found == [("media-not-found", "info", 0)]


@needs_av
def test_the_bundled_audio_demo_is_clean_and_small():
    from pathlib import Path

    demo = Path(__file__).resolve().parents[2] / "viewer" / "resources" / "demo_audio"
    assert sum(p.stat().st_size for p in demo.rglob("*") if p.is_file()) < 200_000
    made = open_project(demo / "tasks.json", demo / "config.xml", offline=True)
    assert list(diagnose(made)) == []
    shapes = [r["shape"] for r in task_records(made, made.tasks[0]) if "shape" in r]
    assert len(shapes) == 7 and all(s["kind"] == "audio-segment" and s["sample_rate"] == 8000 for s in shapes)
    assert {s["channel"] for s in shapes} == {0, 1}


def test_a_file_not_fetched_yet_is_not_remembered_as_unreadable(tmp_path, monkeypatch):
    """The GUI thread may not download (DownloadCancelled): the loader's later look must still read the file."""
    from viewer.core.audio.content import audio_media
    from viewer.core.errors import DownloadCancelled

    project = _project(tmp_path, [segment("s1", 0.5, 1.5, "Speech")])
    task, name = project.tasks[0], "audio"
    real = project.resolver.resolve
    monkeypatch.setattr(project.resolver, "resolve", lambda ref: (_ for _ in ()).throw(DownloadCancelled("not now")))
    assert not audio_media(project, task, name).readable
    monkeypatch.setattr(project.resolver, "resolve", real)
    assert audio_media(project, task, name).readable
