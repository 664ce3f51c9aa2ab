"""A video's length and size for validation come from its headers (core.video.probe), read once per file, and the
project's cache of them is shared safely by the task list (GUI thread) and the loader thread."""

from __future__ import annotations

import threading

import av
import pytest

from tests.builders import VIDEO_CONFIG, keyframe, video_box, video_task, write_project
from viewer.core import project as project_module
from viewer.core.diagnostics import diagnose
from viewer.core.errors import MediaError
from viewer.core.project import open_project
from viewer.core.video import decode, probe
from viewer.core.video.media import VideoInfo
from viewer.core.video.synth import write_video


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("probe")
    return {"mp4": write_video(folder / "clip.mp4", 60, 160, 120, fps=25, gop=12),
            "mkv": write_video(folder / "clip.mkv", 60, 160, 120, fps=25, gop=12)}


def test_the_headers_give_what_the_reader_counts(media):
    for path in media.values():
        found = probe.probe(path)
        with decode.VideoReader(path) as reader:
            assert (found.frames_count, found.fps, found.width, found.height) == (
                reader.frames_count, reader.fps, reader.width, reader.height)
            assert found.duration == pytest.approx(reader.duration)
    assert not probe.probe(media["mp4"]).counted     # MP4 keeps the count in its header
    assert probe.probe(media["mkv"]).counted          # Matroska does not: the packets are counted, none decoded


def test_a_file_that_is_no_video_is_a_media_error_naming_it(tmp_path):
    bad = tmp_path / "notes.mp4"
    bad.write_text("not a video")
    with pytest.raises(MediaError, match="notes.mp4: cannot read as a video"):
        probe.probe(bad)
    with pytest.raises(MediaError, match="missing.mp4: cannot read the video"):
        probe.probe(tmp_path / "missing.mp4")


def project_of(folder, clip, *results):
    (folder / "clip.mp4").write_bytes(clip.read_bytes())
    return open_project(*write_project(folder, [video_task(*results, task_id=7)], VIDEO_CONFIG))


def test_validating_a_video_opens_no_reader_and_reads_each_file_once(tmp_path, media, monkeypatch):
    opened = []
    real_open = av.open

    def counting_open(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    def no_reader(*_args, **_kwargs):
        raise AssertionError("validation indexed the video with a VideoReader")

    monkeypatch.setattr(av, "open", counting_open)
    monkeypatch.setattr(decode.VideoReader, "__init__", no_reader)
    track = video_box("car", keyframe(1), keyframe(70), frames_count=70, duration=2.8)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = project_of(tmp_path / "a", media["mp4"], track)
    codes = [d.code for d in diagnose(first)]
    assert "frame-out-of-range" in codes and "frames-count-mismatch" in codes   # 70 against the file's 60
    assert first.task_video(first.tasks[0], "video").frames_count == 60
    assert len(opened) == 1
    list(diagnose(first))
    again = open_project(tmp_path / "a" / "tasks.json", first.config.path)   # another project, the same file
    list(diagnose(again))
    assert len(opened) == 1
    other = project_of(tmp_path / "b", media["mp4"], track)     # a copy is another file: read once
    list(diagnose(other))
    assert len(opened) == 2


def test_two_threads_asking_for_a_video_at_once_keep_one_answer(tmp_path, media, monkeypatch):
    project = project_of(tmp_path, media["mp4"], video_box("car", keyframe(1)))
    both_inside = threading.Barrier(2, timeout=10)

    def slow_read(ref, resolve):
        both_inside.wait()    # the loader and the GUI thread are both reading it
        return VideoInfo(ref, resolve(ref), 60, 25.0, (160, 120), 2.4)

    monkeypatch.setattr(project_module, "read_video_info", slow_read)
    got = []
    threads = [threading.Thread(target=lambda: got.append(project.task_video(project.tasks[0], "video")))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 2 and got[0] is got[1]
    assert project.task_video(project.tasks[0], "video") is got[0]
