"""Audio segments as `lsview inspect` prints them (seconds and samples) and the checks `validate` makes of them
against the file (duration, channels), with what Label Studio's editor does in each case.

Core layer, no Qt. The file is described from its container, never decoded, so neither command waits on an hour
of audio.
"""

from __future__ import annotations

from typing import Any

from viewer.core.audio.content import AudioMedia, audio_media, seconds_to_samples
from viewer.core.numbers import finite
from viewer.core.project import Project
from viewer.core.regions import Region
from viewer.core.shapes import AUDIO_OBJECT_KINDS, AudioSegment
from viewer.core.tasks import Task

TOLERANCE = 1e-3        # seconds: float noise, and a container's rounded duration
LENGTH_TOLERANCE = 0.05  # seconds between `original_length` and the file's duration that is not worth a word


def media_of(project: Project, task: Task, region: Region) -> AudioMedia | None:
    tag = project.config.objects.get(region.to_name or "")
    if tag is None or tag.kind not in AUDIO_OBJECT_KINDS:
        return None
    return audio_media(project, task, tag.name)


def original_length(region: Region) -> float | None:
    for result in region.results:
        length = finite(result.get("original_length"))
        if length is not None:
            return length
    return None


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def segment_record(project: Project, task: Task, region: Region) -> dict:
    """The `shape` record of an audio segment: seconds as stored, samples at the file's sample rate."""
    shape: AudioSegment = region.shape
    record: dict[str, Any] = {
        "kind": "audio-segment", "start": shape.start, "end": shape.end, "channel": _number(shape.channel),
        "original_length": original_length(region), "sample_rate": None, "start_sample": None, "end_sample": None,
        "duration": None, "channels": None,
    }
    media = media_of(project, task, region)
    if media is None:
        record["error"] = f"\"{region.to_name}\" is no <Audio> object of the config"
    elif not media.readable:
        record["error"] = media.error
    else:
        record.update(sample_rate=media.sample_rate, duration=media.duration, channels=media.channels,
                      start_sample=seconds_to_samples(shape.start, media.sample_rate),
                      end_sample=seconds_to_samples(shape.end, media.sample_rate))
    return record


def check_segment(project: Project, task: Task, region: Region, where) -> None:
    """validate's checks of one segment (`where` is the region's diagnostics Reporter)."""
    shape: AudioSegment = region.shape
    if shape.start < 0 or shape.end < 0:
        where.add("audio-segment-outside", f"segment {shape.start}-{shape.end} s starts before 0; Label Studio's "
                  f"waveform refuses it (\"Segment start must be greater than 0\") and draws nothing")
    if shape.end < shape.start:
        where.add("audio-segment-reversed", f"segment ends ({shape.end} s) before it starts ({shape.start} s); "
                  f"Label Studio draws the band between the two times and swaps them when an edge is dragged")
    media = media_of(project, task, region)
    if media is None or not media.readable:
        return
    duration, channels = media.duration, media.channels or 1
    if duration is not None and max(shape.start, shape.end) > duration + TOLERANCE:
        low = min(shape.start, shape.end)
        if low >= duration - TOLERANCE:
            where.add("audio-segment-outside", f"segment {shape.start}-{shape.end} s lies past the end of the "
                      f"audio ({duration:.3f} s); Label Studio draws it off the waveform, where it cannot be seen")
        else:
            where.add("audio-segment-outside", f"segment {shape.start}-{shape.end} s runs past the end of the "
                      f"audio ({duration:.3f} s); Label Studio draws it up to the end", severity="warning")
    if not float(shape.channel).is_integer() or not 0 <= shape.channel < channels:
        where.add("audio-channel-out-of-range", f"channel {_number(shape.channel)}, but the file has {channels} "
                  f"channel{'s' if channels != 1 else ''} (0 to {channels - 1}); Label Studio keeps it and draws "
                  f"the segment across the whole waveform, as it draws every segment")
    length = original_length(region)
    if duration is not None and length is not None and abs(length - duration) > LENGTH_TOLERANCE:
        where.add("audio-length-mismatch", f"original_length is {length} s but the audio lasts {duration:.3f} s; "
                  f"Label Studio places the segment in seconds of the file it plays, maybe not where the model "
                  f"meant")
