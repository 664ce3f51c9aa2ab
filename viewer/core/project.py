"""A loaded project: the labeling config, the tasks, and where their media are; resolves regions to pixels.

Core layer, no Qt. Shared by `inspect`, `validate`, `render` and the window, so each answers the same way.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.core.config import LabelConfig, ObjectTag, lookup_data
from viewer.core.errors import DownloadCancelled, LsviewError
from viewer.core.images import image_size
from viewer.core.media import MediaResolver
from viewer.core.numbers import finite, preview
from viewer.core.regions import Region, RegionSet, region_sets
from viewer.core.review.keys import task_key
from viewer.core.task_index import TaskIndex
from viewer.core.tasks import Report, ResultSet, Task
from viewer.core.timeseries.spec import SeriesSpec, series_spec
from viewer.core.video.media import VideoInfo, read_video_info

if TYPE_CHECKING:
    from viewer.core.timeseries.data import SeriesResult

REGIONS_KEPT = 4  # tasks whose grouped regions stay parsed: the one shown, and the few just flipped past
SERIES_KEPT = 4   # time series kept read (a million rows is tens of MB): the task shown and the few before



@dataclass(frozen=True)
class ImageInfo:
    """What lsview knows of one image of a task: its reference, local file and decoded size, or why not."""

    ref: Any
    path: Path | None
    size: tuple[int, int] | None
    error: str | None
    final: bool = True      # False: a download was cancelled or left for later; the next look tries again


@dataclass(frozen=True)
class PixelSpace:
    """The W x H that percentages of a region are taken of, and where that size came from."""

    size: tuple[int, int] | None
    origin: str | None          # "image" (decoded) | "original" (original_width/height of the results) | None
    image: ImageInfo | None


class Project:
    """Config + tasks + media resolver, with per-image caches so a task file is read once."""

    def __init__(self, config: LabelConfig, tasks: list[Task], resolver: MediaResolver,
                 tasks_path: str | os.PathLike | None = None):
        self.config = config
        self.tasks = tasks
        self.resolver = resolver
        self.tasks_path = os.fspath(tasks_path) if tasks_path is not None else None
        self._images: dict[str, ImageInfo] = {}
        self._task_images: dict[tuple, ImageInfo | None] = {}
        self._videos: dict[str, VideoInfo] = {}
        self._videos_lock = threading.Lock()   # the task list's diagnostics (GUI thread) and the loader both ask
        self._task_index: TaskIndex | None = None
        self._task_keys: list[str] | None = None
        # task id -> (task, its result sets, regions); the loader thread and the GUI thread both ask
        self._regions: OrderedDict[int, tuple[Task, tuple, list[tuple[ResultSet, RegionSet]]]] = OrderedDict()
        self._regions_lock = threading.Lock()
        self._series: OrderedDict[tuple[int, str], SeriesResult] = OrderedDict()
        self._series_lock = threading.Lock()

    def task_keys(self) -> list[str]:
        """Each task's review-session key (its id, else a hash of its data), made once: the window makes them on
        its loader thread, so opening the session does not hold up the GUI thread (0.4 s for 100,000 tasks)."""
        if self._task_keys is None:
            self._task_keys = [task_key(task) for task in self.tasks]
        return self._task_keys

    def task_index(self, summarized: bool = True) -> TaskIndex:
        """The task list's summary of every task, made on first use and kept; the first call decides whether the
        rows are read at once (see TaskIndex)."""
        if self._task_index is None:
            self._task_index = TaskIndex(self.tasks, summarized)
        return self._task_index

    def object_kind(self, name: str | None) -> str | None:
        tag = self.config.objects.get(name) if name is not None else None
        return tag.kind if tag is not None else None

    def labels_control(self, to_name: str | None, label: str) -> str | None:
        """The first *labels control on `to_name` that has `label`: the control a videorectangle's own
        value.labels belong to (regions.LabelsControlOf); None when no control there has it."""
        for control in self.config.controls_for(to_name) if to_name is not None else ():
            if control.kind.endswith("labels") and control.find_label(label) is not None:
                return control.name
        return None

    def regions(self, task: Task) -> list[tuple[ResultSet, RegionSet]]:
        """The task's result sets with their regions, grouped once for the last few tasks asked: showing a task
        asks several times (its content, the threshold's counts, the review counts), 10 ms each for 1,000 regions.
        Regions are immutable values; a new list is returned, so a caller's changes stay its own."""
        sets = tuple(task.result_sets())
        with self._regions_lock:
            kept = self._regions.get(id(task))
            if kept is not None and kept[0] is task and len(kept[1]) == len(sets) \
                    and all(a is b for a, b in zip(kept[1], sets)):
                self._regions.move_to_end(id(task))
                return list(kept[2])
        made = region_sets(task, self.object_kind, self.labels_control)
        with self._regions_lock:
            self._regions[id(task)] = (task, sets, made)
            self._regions.move_to_end(id(task))
            while len(self._regions) > REGIONS_KEPT:
                self._regions.popitem(last=False)
        return list(made)

    def objects_with_data(self, task: Task, kinds) -> list[str]:
        """The names of the config's objects of these kinds whose data this task has, in config order."""
        names = []
        for name, tag in self.config.objects.items():
            if tag.kind in kinds and tag.data_path is not None:
                try:
                    lookup_data(task.data, tag.data_path)
                except KeyError:
                    continue
                names.append(name)
        return names

    def object_value(self, task: Task, tag: ObjectTag) -> Any:
        """The task data an object tag shows; KeyError naming the missing path."""
        if tag.data_path is None:
            raise KeyError(tag.value or tag.name)
        return lookup_data(task.data, tag.data_path)

    def image_refs(self, task: Task, tag: ObjectTag) -> list[Any]:
        """The image references of an Image tag: one, or the list of a multi-image (valueList) tag."""
        path = tag.value_list or tag.data_path
        if path is None:
            return []
        value = lookup_data(task.data, path)
        return list(value) if isinstance(value, list) else [value]

    def image(self, ref: Any) -> ImageInfo:
        if not isinstance(ref, str) or not ref:
            return ImageInfo(ref, None, None, f"the image reference is {preview(ref)}, not a path or URL")
        cached = self._images.get(ref)
        if cached is None:
            try:
                path = self.resolver.resolve(ref)
                cached = ImageInfo(ref, path, image_size(path), None)
            except LsviewError as exc:
                cached = ImageInfo(ref, None, None, str(exc), not isinstance(exc, DownloadCancelled))
            if cached.final:
                self._images[ref] = cached
        return cached

    def task_image(self, task: Task, object_name: str | None, item_index: int | None = None) -> ImageInfo | None:
        key = (task.index, object_name, item_index)
        if key not in self._task_images:
            info = self._find_task_image(task, object_name, item_index)
            if info is not None and not info.final:
                return info
            self._task_images[key] = info
        return self._task_images[key]

    def _find_task_image(self, task: Task, object_name: str | None, item_index: int | None) -> ImageInfo | None:
        tag = self.config.objects.get(object_name) if object_name else None
        if tag is None or tag.kind != "image":
            return None
        try:
            refs = self.image_refs(task, tag)
        except KeyError:
            return None
        index = item_index or 0
        if not 0 <= index < len(refs):
            return None
        return self.image(refs[index])

    def task_video(self, task: Task, object_name: str | None) -> VideoInfo | None:
        """The video a `<Video>` tag shows for a task (found as images are: local paths, Label Studio URLs,
        downloads to the cache), its headers read once per reference; None when the name is no Video tag."""
        tag = self.config.objects.get(object_name) if object_name else None
        if tag is None or tag.kind != "video":
            return None
        try:
            ref = self.object_value(task, tag)
        except KeyError:
            return VideoInfo(None, None, error=f"the task data has no {tag.value or tag.name!r} for "
                                                f"<Video name=\"{tag.name}\">")
        key = ref if isinstance(ref, str) else None
        if key is not None:
            with self._videos_lock:
                kept = self._videos.get(key)
            if kept is not None:
                return kept
        # Read outside the lock: a download of the file must not hold up the other thread's other videos.
        info = read_video_info(ref, self.resolver.resolve)
        if key is not None and info.lasting:
            with self._videos_lock:
                info = self._videos.setdefault(key, info)   # both threads read it: they keep one answer
        return info

    def pixel_space(self, task: Task, region: Region) -> PixelSpace:
        """Decoded image size when the image can be read, else the results' original_width/height."""
        info = self.task_image(task, region.to_name, region.item_index)
        if info is not None and info.size is not None:
            return PixelSpace(info.size, "image", info)
        for result in region.results:
            width, height = result.get("original_width"), result.get("original_height")
            if _positive(width) and _positive(height):
                return PixelSpace((int(width), int(height)), "original", info)
        return PixelSpace(None, None, info)

    def series_spec(self, object_name: str | None) -> SeriesSpec | None:
        """The <TimeSeries> of this name as the editor reads it; None for any other object."""
        tag = self.config.objects.get(object_name) if object_name else None
        if tag is None or tag.kind != "timeseries":
            return None
        return series_spec(tag, tag.channels)

    def series(self, task: Task, object_name: str | None) -> SeriesResult | None:
        """A time series' data for a task (read once, a few tasks kept), or why there is none; None when the
        object is no <TimeSeries>."""
        spec = self.series_spec(object_name)
        if spec is None:
            return None
        key = (task.index, spec.name)
        with self._series_lock:
            kept = self._series.get(key)
            if kept is not None:
                self._series.move_to_end(key)
                return kept
        tag = self.config.objects[spec.name]
        try:
            value = self.object_value(task, tag) if tag.data_path is not None else task.data
        except KeyError as missing:
            from viewer.core.timeseries.data import SeriesResult

            made = SeriesResult(None, (("missing-data-key", f"<TimeSeries name=\"{spec.name}\"> shows {tag.value} "
                                        f"but the task data has no {missing.args[0]}"),))
        else:
            from viewer.core.timeseries.data import load_series  # numpy: only a time series pays for it

            made = load_series(spec, value, self.resolver.read_text)
        with self._series_lock:
            self._series[key] = made
            while len(self._series) > SERIES_KEPT:
                self._series.popitem(last=False)
        return made

    def text(self, task: Task, object_name: str | None) -> str | None:
        """The raw string a Text/HyperText tag shows (read from a file when valueType="url")."""
        tag = self.config.objects.get(object_name) if object_name else None
        if tag is None or tag.data_path is None:
            return None
        try:
            value = lookup_data(task.data, tag.data_path)
        except KeyError:
            return None
        if tag.attrs.get("valueType", "").lower() == "url" and isinstance(value, str):
            try:
                value = self.resolver.read_text(value)
            except LsviewError:
                return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            return None
        if tag.attrs.get("encoding", "").lower() == "base64":
            try:
                return base64.b64decode(value, validate=False).decode("utf-8", errors="replace")
            except (binascii.Error, ValueError):
                return None
        return value


def _positive(value: Any) -> bool:
    # Infinity or 10**400 is no size (reported as invalid-value by the region grouping), nor is one under a pixel.
    number = finite(value)
    return number is not None and number >= 1


def open_project(tasks_path: str | os.PathLike, config_path: str | os.PathLike | None = None, *,
                 root: str | os.PathLike | None = None, offline: bool = False,
                 cache_dir: str | os.PathLike | None = None, progress: Report | None = None) -> Project:
    """Read the task file(s) and the config (or infer one); InputError when either cannot be read.

    With `progress`, tasks are read in steps with reports (message, done, total) for a window's status bar.
    """
    from viewer.core.config import load_config
    from viewer.core.config_infer import infer_config
    from viewer.core.tasks import load_tasks

    tasks = load_tasks(tasks_path, progress)
    if progress is not None:
        progress("Reading the labeling config ..." if config_path else "Inferring a config from the results ...",
                 0, 0)
    # The editor expands a <Repeater> per task; one project config holds the copies of the longest list, and a
    # task's own data decides which of them it shows (tags past its list have no data). RepeatCounts reads the
    # tasks only when the config has a Repeater.
    config = load_config(config_path, RepeatCounts(tasks)) if config_path is not None else infer_config(tasks)
    base = Path(tasks_path)
    base_dir = base if base.is_dir() else base.parent
    resolver = MediaResolver(base_dir, root, offline=offline, cache_dir=cache_dir, server_url=pulled_from(base_dir))
    return Project(config, tasks, resolver, tasks_path)


def pulled_from(folder: Path) -> str | None:
    """The server URL of a folder `lsview pull` made (its lsview-project.json), else None; a broken link file only
    means the pulled media are not looked up (push says what is wrong with it)."""
    from viewer.core.server.project_link import load_link

    try:
        link = load_link(folder)
    except LsviewError:
        return None
    return link.server_url if link is not None else None


class RepeatCounts:
    """A <Repeater>'s `on` -> the length of the longest list it names in any task's data (0 where none has one)."""

    def __init__(self, tasks: list[Task]):
        self.tasks = tasks
        self.found: dict[str, int] = {}

    def __call__(self, on: str) -> int:
        if on not in self.found:
            from viewer.core.config import parse_data_path

            path = parse_data_path(on) if on.strip().startswith("$") else None
            self.found[on] = max((repeat_length(task.data, path) for task in self.tasks), default=0)
        return self.found[on]


def repeat_length(data: Any, path: Any) -> int:
    """How many times the editor repeats a <Repeater> for this task data: the length of the list `on` names."""
    if path is None:
        return 0
    try:
        value = lookup_data(data, path)
    except (KeyError, TypeError):
        return 0
    return len(value) if isinstance(value, list) else 0
