"""What an audio task shows: each <Audio> object's file (resolved, described) and the segments of each layer on
it, placed on waveform rows.

Core layer, no Qt; shared by `lsview render`, `inspect`, `validate` and the window's waveform view.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from viewer.core.content import Layer, task_content
from viewer.core.errors import DownloadCancelled, LsviewError
from viewer.core.numbers import preview
from viewer.core.project import Project
from viewer.core.region_kinds import AUDIO_KINDS
from viewer.core.regions import Region
from viewer.core.shapes import AUDIO_OBJECT_KINDS
from viewer.core.tasks import Task


@dataclass(frozen=True)
class AudioMedia:
    """One <Audio> object's file for a task: its reference, local path and what its container says, or why not."""

    ref: object
    path: Path | None
    sample_rate: int | None = None
    channels: int | None = None
    duration: float | None = None
    error: str | None = None
    lasting: bool = True   # False when the file was not fetched yet (DownloadCancelled): not to be remembered

    @property
    def readable(self) -> bool:
        return self.path is not None and self.error is None


def audio_objects(project: Project, task: Task) -> list[str]:
    """The Audio (and AudioPlus) objects of the config whose data this task has, in config order."""
    return project.objects_with_data(task, AUDIO_OBJECT_KINDS)


_described: weakref.WeakKeyDictionary[Project, dict] = weakref.WeakKeyDictionary()
_described_lock = threading.Lock()


def audio_media(project: Project, task: Task, name: str) -> AudioMedia:
    """The file an <Audio> object plays for a task, described from its container (no decoding); kept per project
    and reference, so a task looked at again is not read again."""
    tag = project.config.objects[name]
    try:
        ref = project.object_value(task, tag)
    except KeyError as missing:
        return AudioMedia(None, None, error=f"the task data has no {missing.args[0]} for <{tag.tag} name=\"{name}\">")
    if not isinstance(ref, str) or not ref:
        return AudioMedia(ref, None, error=f"the audio reference is {preview(ref)}, not a path or URL")
    with _described_lock:
        known = _described.setdefault(project, {})
        if ref in known:
            return known[ref]
    media = _describe(project, ref)
    if media.lasting:
        with _described_lock:
            known[ref] = media
    return media


def _describe(project: Project, ref: str) -> AudioMedia:
    from viewer.core.audio.decode import audio_info  # PyAV only when there is audio to read

    try:
        path = project.resolver.resolve(ref)
    except DownloadCancelled as exc:
        return AudioMedia(ref, None, error=str(exc), lasting=False)
    except LsviewError as exc:
        return AudioMedia(ref, None, error=str(exc))
    try:
        info = audio_info(path)
    except LsviewError as exc:
        return AudioMedia(ref, path, error=str(exc))
    return AudioMedia(ref, path, info.sample_rate, info.channels, info.duration)


def peaks_of(project: Project, media: AudioMedia):
    """The file's peaks (core.audio.peaks.Peaks), cached beside the project's media cache; MediaError if unread."""
    from viewer.core.audio.peaks import load_peaks

    return load_peaks(media.path, project.resolver.cache_dir)


@dataclass(frozen=True)
class AudioContent:
    """One <Audio> object of a task: its file, how many waveform rows it shows, and every prediction/annotation
    with its segments on it."""

    object_name: str
    media: AudioMedia
    split_channels: bool
    layers: tuple[Layer, ...]
    project: Project | None = field(default=None, compare=False, repr=False)

    @property
    def rows(self) -> int:
        """Waveform rows: one per channel with splitchannels="true" (as the editor shows them), else one."""
        channels = self.media.channels or 1
        return channels if self.split_channels and channels > 1 else 1

    def row_of(self, region: Region) -> int | None:
        """The row a segment is drawn on; None: across every row (one row shown, or a channel the file lacks)."""
        channel = region.shape.channel
        if self.rows == 1 or not float(channel).is_integer() or not 0 <= channel < self.rows:
            return None
        return int(channel)

    def regions(self) -> list[tuple[Layer, Region]]:
        return [(layer, region) for layer in self.layers for region in layer.regions]

    def layer(self, key) -> Layer | None:
        return next((layer for layer in self.layers if layer.key == key), None)


def audio_contents(project: Project, task: Task, layers: Sequence[Layer] | None = None, *, source: str = "all",
                   model_version: str | None = None, describe: bool = True) -> list[AudioContent]:
    """Every audio object of the task; `layers` (from task_content, which applies the filters) name the layers,
    their segments coming from the layers' `others`. `describe=False` leaves the file unread (AudioMedia with no
    path): the window reads it off its GUI thread, a download included."""
    if layers is None:
        layers = task_content(project, task, source=source, model_version=model_version).layers
    contents = []
    for name in audio_objects(project, task):
        tag = project.config.objects[name]
        own = tuple(replace(layer, regions=tuple(r for r in layer.regions + layer.others
                                                 if r.to_name == name and r.kind in AUDIO_KINDS))
                    for layer in layers)
        media = audio_media(project, task, name) if describe else AudioMedia(None, None)
        contents.append(AudioContent(name, media, tag.attrs.flag("splitchannels"), own, project))
    return contents


def seconds_to_samples(seconds: float, sample_rate: int) -> int:
    """The sample at a time, as the editor's player counts (round to the nearest sample)."""
    return int(round(seconds * sample_rate))
