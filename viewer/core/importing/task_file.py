"""The tasks an import writes: new tasks pointing at the images, or the tasks of --into with a prediction added.

Core layer, no Qt. A new task's image is a path relative to the output file, or with --ls-root a Label Studio
local-files URL `/data/local-files/?d=<path under the root>` (Label Studio serves those with
LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true and LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT set to that root).
--into tasks are matched by the image's path, then by its file name; their existing predictions are kept.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from viewer.core.config import LabelConfig, format_data_path, lookup_data
from viewer.core.export.training.items import file_name_of
from viewer.core.importing.base import PredictionImportError
from viewer.core.tasks import read_task_items


def image_data_path(config: LabelConfig, to_name: str):
    tag = config.objects[to_name]
    if tag.data_path is None:
        raise PredictionImportError(f"<Image name={to_name!r}> takes no $variable (value={tag.value!r}); new tasks "
                                    "need one to point at their image")
    return tag.data_path


def set_data(data: dict, path, value: Any) -> None:
    """data[path] = value, making the dicts on the way (a path of keys only; list indices are refused)."""
    if any(isinstance(step, int) for step in path):
        raise PredictionImportError(f"the image's data path ${format_data_path(path)} has a list index; new tasks "
                                    "cannot be made for it (use --into)")
    for step in path[:-1]:
        data = data.setdefault(step, {})
    data[path[-1]] = value


def image_reference(image_path: str, out_dir: str, ls_root: str | None) -> str:
    """What a new task's data holds for a local image: relative to the output file's folder (forward slashes),
    or the local-files URL under `ls_root`."""
    image_path = os.path.abspath(image_path)
    if ls_root is not None:
        root = os.path.abspath(ls_root)
        relative = os.path.relpath(image_path, root)
        if relative.startswith(os.pardir) or os.path.isabs(relative):
            raise PredictionImportError(f"image {image_path} is not under --ls-root {root}: Label Studio serves "
                                        "local files only from under its document root")
        return "/data/local-files/?d=" + quote(relative.replace(os.sep, "/"), safe="/")
    try:
        return os.path.relpath(image_path, out_dir).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        return image_path


def _ref_path(ref: str, base_dir: str, ls_root: str | None) -> str | None:
    """The local file a task's image reference names, as far as it can be told without looking."""
    if not isinstance(ref, str) or not ref or ref.startswith("data:"):
        return None
    parts = urlsplit(ref)
    if parts.scheme in ("http", "https", "s3", "gs", "azure-blob"):
        return None
    if parts.path.rstrip("/").endswith("/data/local-files") and "d=" in parts.query:
        relative = unquote(parts.query.split("d=", 1)[1].split("&", 1)[0])
        return os.path.abspath(os.path.join(ls_root, relative)) if ls_root else None
    if parts.scheme == "file":
        return os.path.abspath(unquote(parts.path))
    return os.path.abspath(os.path.join(base_dir, ref))


def _name_of(ref: Any) -> str | None:
    stem, suffix = file_name_of(ref, "")
    return (stem + suffix).casefold() if stem else None


class IntoTasks:
    """The tasks of --into, as read (raw dicts, written back verbatim), with their images indexed."""

    def __init__(self, path: str, config: LabelConfig, to_name: str, ls_root: str | None = None):
        self.path = path
        self.tasks = [item for item, _line in read_task_items(path)]
        data_path = config.objects[to_name].data_path or config.objects[to_name].value_list
        base = os.path.dirname(os.path.abspath(path))
        self._by_path: dict[str, int] = {}
        self._by_name: dict[str, list[int]] = {}
        self.result_ids: set[str] = set()
        for index, task in enumerate(self.tasks):
            if not isinstance(task, dict):
                continue
            for prediction in task.get("predictions") or []:
                for result in (prediction.get("result") or []) if isinstance(prediction, dict) else []:
                    if isinstance(result, dict) and isinstance(result.get("id"), str):
                        self.result_ids.add(result["id"])
            try:
                ref = lookup_data(task.get("data"), data_path) if data_path is not None else None
            except (KeyError, TypeError, ValueError, IndexError):
                continue
            found = _ref_path(ref, base, ls_root)
            if found is not None:
                self._by_path.setdefault(os.path.normcase(found), index)
            name = _name_of(ref)
            if name is not None:
                self._by_name.setdefault(name, []).append(index)

    def match(self, image_path: str | None, name: str) -> int | None:
        """The index of the task showing this image: by path, then by a file name only one task has."""
        if image_path is not None:
            found = self._by_path.get(os.path.normcase(os.path.abspath(image_path)))
            if found is not None:
                return found
        file_name = os.path.basename(image_path) if image_path is not None else name.replace("\\", "/")
        candidates = self._by_name.get(os.path.basename(file_name).casefold(), [])
        return candidates[0] if len(candidates) == 1 else None

    def add(self, index: int, prediction: dict) -> None:
        task = self.tasks[index]
        predictions = task.get("predictions")
        if not isinstance(predictions, list):
            predictions = task["predictions"] = []
        predictions.append(prediction)
