"""`lsview example`: the task Label Studio's Playground shows by hand, made from a labeling config.

Core layer, no Qt. One task with `data` for every `$variable` and one prediction holding an example result for
every control, in plain JSON: the shape a converter should aim at. Images are a small PNG in a data: URI, so the
task needs no file beside it and Label Studio shows it as it is.
"""

from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from viewer.core import rle
from viewer.core.config import ControlTag, LabelConfig, ObjectTag, data_vars, parse_data_path
from viewer.core.regions import RESULT_TYPES

IMAGE_SIZE = (640, 480)
MODEL_VERSION = "example"
TEXT = "Alice flew from Paris to Berlin on Monday."
HTML = "<div><p>Alice flew from <b>Paris</b> to Berlin.</p></div>"
_TOOL_OF_LABELS = {"rectanglelabels": "rectangle", "polygonlabels": "polygon", "ellipselabels": "ellipse",
                   "keypointlabels": "keypoint", "brushlabels": "brush", "bitmasklabels": "bitmask",
                   "vectorlabels": "vector"}
_TIMED = frozenset({"timeserieslabels", "timelinelabels", "videorectangle"})
_REGION_KINDS = frozenset({*_TOOL_OF_LABELS, *_TOOL_OF_LABELS.values(), "ocrlabels"})


def placeholder_png(size: tuple[int, int] = IMAGE_SIZE, page: int = 0) -> bytes:
    """A grey PNG with a lighter grid (so shapes have something to sit on); a few hundred bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (90 + 30 * page, 98, 110))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 64):
        draw.line([(x, 0), (x, size[1])], fill=(140, 148, 160))
    for y in range(0, size[1], 64):
        draw.line([(0, y), (size[0], y)], fill=(140, 148, 160))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _data_uri(mime: str, blob: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(blob).decode('ascii')}"


class _Ids:
    """Result ids as Label Studio writes them: short strings, unique within the prediction."""

    def __init__(self) -> None:
        self._count = 0

    def next(self) -> str:
        self._count += 1
        return f"ex{self._count:03d}"


@dataclass(frozen=True)
class Example:
    """The example task, and the controls that got no result with the reason (shown on stderr by the CLI)."""

    task: dict
    skipped: tuple[tuple[str, str], ...] = ()


def make_example(config: LabelConfig, data: Mapping[str, Any] | None = None) -> Example:
    """The example task of `config` and the controls it has no result for."""
    task_data: dict[str, Any] = {}
    for key, value in (data or {}).items():  # first: what is already there is never replaced below
        _set(task_data, parse_data_path("$" + key) or (key,), value)
    for tag in config.objects.values():
        _fill_object(task_data, tag)
    for control in config.controls.values():
        if control.dynamic_labels and control.attrs.get("value"):
            _set(task_data, parse_data_path(control.attrs["value"]), [{"value": "Example"}])
    for text, _paths in config.headers:
        for expr in data_vars(text):
            path = parse_data_path(expr)
            if path and _get(task_data, path) is None:
                _set(task_data, path, "Example header")
    result = list(_Results(config, task_data).all())
    scores = [item["score"] for item in result if "score" in item]
    # the prediction's score is the mean of its regions' scores, as `lsview import` sets it
    prediction = {"model_version": MODEL_VERSION, "score": round(sum(scores) / len(scores), 4) if scores else 1.0,
                  "result": result}
    return Example({"data": task_data, "predictions": [prediction]}, tuple(_skipped(config, result)))


def _skipped(config: LabelConfig, result: list[dict]) -> Iterator[tuple[str, str]]:
    written = {item.get("from_name") for item in result} | ({"relations"} if any(
        item["type"] == "relation" for item in result) else set())
    for control in config.controls.values():
        if control.kind == "relations":
            if "relations" not in written:
                yield control.name or "Relations", "a relation needs two regions and the config makes fewer"
        elif control.kind == "magicwand":
            yield control.name, "the MagicWand tool paints brush regions, which the brush controls write"
        elif control.name not in written:
            yield control.name, (f"<{control.tag}> writes no result type Label Studio's editor knows"
                                 if control.kind not in RESULT_TYPES else
                                 "it has no object, region or option to give a result for")


def _get(data: Any, path) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _set(data: dict, path, value: Any) -> None:
    """Put value at path, making dicts (and lists for integer keys) on the way; an existing value stays."""
    if not path:
        return
    current: Any = data
    for key, following in zip(path[:-1], path[1:]):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(key, int):
            while len(current) <= key:
                current.append(None)
            if current[key] is None:
                current[key] = empty
        elif key not in current:
            current[key] = empty
        current = current[key]
        if not isinstance(current, (dict, list)):
            return
    last = path[-1]
    if isinstance(last, int):
        if not isinstance(current, list):
            return
        while len(current) <= last:
            current.append(None)
        if current[last] is None:
            current[last] = value
    elif isinstance(current, dict) and last not in current:
        current[last] = value


def _object_data(tag: ObjectTag) -> Any:
    kind = tag.kind
    if kind == "image":
        return _data_uri("image/png", placeholder_png())
    if kind == "text":
        return TEXT
    if kind == "hypertext":
        return HTML
    if kind == "paragraphs":
        name, text = tag.attrs.get("nameKey", "author"), tag.attrs.get("textKey", "text")
        return [{name: "Alice", text: "Hello, how are you?"}, {name: "Bob", text: "Fine, thanks. And you?"}]
    if kind == "list":
        return [{"id": f"item{i}", "title": f"Item {i}", "body": f"Text of item {i}"} for i in (1, 2, 3)]
    if kind == "table":
        return {"name": "Alice", "city": "Paris"}
    if kind == "timeseries":
        if tag.attrs.get("valueType", "").lower() == "url":
            return "https://example.com/series.csv"
        columns = {tag.attrs.get("timeColumn") or "time": [0, 1, 2, 3]}
        return columns
    if kind in ("audio", "audioplus"):
        return "https://example.com/audio.wav"
    if kind == "video":
        return "https://example.com/video.mp4"
    if kind == "pdf":
        return "https://example.com/document.pdf"
    if kind == "chat":
        return [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi!"}]
    return "Example"


def _fill_object(task_data: dict, tag: ObjectTag) -> None:
    if tag.data_path is not None:
        _set(task_data, tag.data_path, _object_data(tag))
    elif tag.value_list is not None:
        pages = [_data_uri("image/png", placeholder_png(page=i)) for i in range(2)] if tag.kind == "image" \
            else [_object_data(tag) for _ in range(2)]
        _set(task_data, tag.value_list, pages)


class _Results:
    """Example results for every control of a config, regions first so per-region controls can join them."""

    def __init__(self, config: LabelConfig, data: dict) -> None:
        self.config = config
        self.data = data
        self.ids = _Ids()
        self.regions: dict[str, list[dict]] = {}   # object name -> its region results (first result of each)
        self._slot = 0                             # spreads shapes over the image

    def all(self) -> Iterator[dict]:
        controls = list(self.config.controls.values())
        # a tool that a plain <Labels> on the same image pairs with gets its result in the pair only (the OCR way)
        paired = {tool.name for control in controls if control.kind == "labels" and self._is_image(control)
                  for tool in [self._tool_for(self._target(control))] if tool is not None}
        later = []
        for control in controls:
            if control.kind not in RESULT_TYPES and control.kind != "relations":
                continue  # the paid editions' tags (OcrLabels, Cube ...): their results would stop the editor
            if control.name in paired:
                continue
            if control.kind in _REGION_KINDS or (control.kind == "labels" and self._is_image(control)):
                yield from self._region(control)
            elif control.kind in ("labels", "hypertextlabels", "paragraphlabels"):
                yield from self._span(control)
            elif control.kind in _TIMED:
                yield from self._timed(control)
            else:
                later.append(control)
        for control in later:
            yield from self._other(control)

    # ---------------------------------------------------------------- helpers
    def _target(self, control: ControlTag) -> ObjectTag | None:
        for name in control.to_names:
            tag = self.config.objects.get(name)
            if tag is not None:
                return tag
        return None

    def _is_image(self, control: ControlTag) -> bool:
        tag = self._target(control)
        return tag is not None and tag.kind == "image"

    def _label(self, control: ControlTag) -> str:
        if control.labels:
            return control.labels[0].stored
        return "Example"

    def _envelope(self, control: ControlTag, tag: ObjectTag, value: dict, kind: str | None = None,
                  rid: str | None = None) -> dict:
        item = {"id": rid or self.ids.next(), "type": kind or control.kind, "from_name": control.name,
                "to_name": tag.name, "value": value}
        if tag.kind == "image":
            width, height = self._size(tag)
            item.update(original_width=width, original_height=height, image_rotation=0)
            if tag.value_list is not None:
                item["item_index"] = 0
        return item

    def _size(self, tag: ObjectTag) -> tuple[int, int]:
        """The placeholder's size, or that of a local image given with --data (a URL's is not known here: Label
        Studio replaces original_width/height with the size it decodes, and the percent geometry stays right)."""
        ref = _get(self.data, tag.data_path) if tag.data_path else None
        if isinstance(ref, str) and not ref.startswith("data:") and os.path.isfile(ref):
            from viewer.core.errors import MediaError
            from viewer.core.images import image_size

            try:
                return image_size(ref)
            except MediaError:
                pass
        return IMAGE_SIZE

    # ---------------------------------------------------------------- image regions
    def _geometry(self, kind: str) -> dict:
        slot = self._slot
        self._slot += 1
        x, y = 5 + (slot % 4) * 23, 5 + (slot // 4 % 4) * 23
        if kind in ("rectangle", "ocrlabels", "labels"):
            return {"x": x, "y": y, "width": 18, "height": 15, "rotation": 0}
        if kind == "polygon":
            return {"points": [[x, y + 15], [x + 9, y], [x + 18, y + 15]], "closed": True}
        if kind == "ellipse":
            return {"x": x + 9, "y": y + 8, "radiusX": 9, "radiusY": 7, "rotation": 0}
        if kind == "keypoint":
            return {"x": x + 9, "y": y + 8, "width": 0.75}
        if kind == "vector":
            points = [(x, y + 15), (x + 9, y), (x + 18, y + 15)]
            vertices, previous = [], None
            for i, (px, py) in enumerate(points):
                vertex = {"id": f"v{slot}_{i}", "x": px, "y": py, "isBezier": False}
                if previous is not None:
                    vertex["prevPointId"] = previous
                vertices.append(vertex)
                previous = vertex["id"]
            return {"vertices": vertices, "closed": False}
        if kind == "brush":
            return {"format": "rle", "rle": rle.encode(self._mask(x, y))}
        if kind == "bitmask":
            return {"imageDataURL": self._bitmask_png(x, y)}
        return {"x": x, "y": y, "width": 18, "height": 15, "rotation": 0}

    @staticmethod
    def _mask(x: float, y: float):
        import numpy as np

        width, height = IMAGE_SIZE
        mask = np.zeros((height, width), np.uint8)
        left, top = int(x / 100 * width), int(y / 100 * height)
        mask[top:top + int(0.15 * height), left:left + int(0.18 * width)] = 255   # alpha 255: LS draws alpha
        return mask

    def _bitmask_png(self, x: float, y: float) -> str:
        from PIL import Image

        alpha = Image.fromarray(self._mask(x, y), "L")
        image = Image.new("RGBA", IMAGE_SIZE, (0, 0, 0, 0))
        image.putalpha(alpha)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return _data_uri("image/png", out.getvalue())

    def _region(self, control: ControlTag) -> Iterator[dict]:
        tag = self._target(control)
        if tag is None:
            return
        kind = control.kind
        if kind == "labels" or kind == "ocrlabels":
            # plain <Labels> on an image: Label Studio writes the tool's result and the labels result with one id
            tool = self._tool_for(tag)
            geometry_kind = tool.kind if tool is not None else "rectangle"
            value = self._geometry(geometry_kind)
            rid = self.ids.next()
            if tool is not None:
                first = self._envelope(tool, tag, dict(value), rid=rid)
                first["score"] = 0.9
                yield first
            labelled = self._envelope(control, tag, {**value, control.value_key: [self._label(control)]}, rid=rid)
            labelled["score"] = 0.9
            self.regions.setdefault(tag.name, []).append(labelled)
            yield labelled
            return
        geometry_kind = _TOOL_OF_LABELS.get(kind, kind)
        value = self._geometry(geometry_kind)
        if kind in _TOOL_OF_LABELS:
            value[kind] = [self._label(control)]
        item = self._envelope(control, tag, value)
        item["score"] = 0.9
        self.regions.setdefault(tag.name, []).append(item)
        yield item

    def _tool_for(self, tag: ObjectTag) -> ControlTag | None:
        for control in self.config.controls_for(tag.name):
            if control.kind in ("rectangle", "polygon", "ellipse", "keypoint", "brush"):
                return control
        return None

    # ---------------------------------------------------------------- text spans
    def _span(self, control: ControlTag) -> Iterator[dict]:
        tag = self._target(control)
        if tag is None:
            return
        label = self._label(control)
        if control.kind == "labels":
            text = _get(self.data, tag.data_path) if tag.data_path else None
            if not isinstance(text, str) or not text:
                return
            end = text.find(" ") if " " in text else len(text)
            value = {"start": 0, "end": end, "text": text[:end], "labels": [label]}
        elif control.kind == "hypertextlabels":
            value = {"start": "/div[1]/p[1]/text()[1]", "end": "/div[1]/p[1]/text()[1]", "startOffset": 0,
                     "endOffset": 5, "globalOffsets": {"start": 0, "end": 5}, "text": "Alice",
                     "hypertextlabels": [label]}
            html = _get(self.data, tag.data_path) if tag.data_path else None
            if html != HTML:
                return
        else:
            phrases = _get(self.data, tag.data_path) if tag.data_path else None
            key = tag.attrs.get("textKey", "text")
            if not isinstance(phrases, list) or not phrases or not isinstance(phrases[0], dict) \
                    or not isinstance(phrases[0].get(key), str):
                return
            first = phrases[0][key]
            value = {"start": "0", "end": "0", "startOffset": 0, "endOffset": len(first.encode("utf-16-le")) // 2,
                     "text": first, "paragraphlabels": [label]}
        item = self._envelope(control, tag, value)
        item["score"] = 0.9
        self.regions.setdefault(tag.name, []).append(item)
        yield item

    # ---------------------------------------------------------------- time series and video
    def _timed(self, control: ControlTag) -> Iterator[dict]:
        tag = self._target(control)
        if tag is None:
            return
        if control.kind == "timeserieslabels":
            value = {"start": 1, "end": 2, "instant": False, "timeserieslabels": [self._label(control)]}
        elif control.kind == "timelinelabels":
            value = {"ranges": [{"start": 1, "end": 25}], "timelinelabels": [self._label(control)]}
        else:  # videorectangle: keyframes of a box, frame numbers from 1, time = frame / framerate (24)
            value = {"framesCount": 100, "duration": 4.1667, "sequence": [
                {"frame": 1, "time": 0.0417, "enabled": True, "x": 10, "y": 10, "width": 20, "height": 20,
                 "rotation": 0},
                {"frame": 25, "time": 1.0417, "enabled": False, "x": 40, "y": 30, "width": 20, "height": 20,
                 "rotation": 0}]}
        item = self._envelope(control, tag, value)
        item["score"] = 0.9
        self.regions.setdefault(tag.name, []).append(item)
        yield item

    # ---------------------------------------------------------------- everything else
    def _other(self, control: ControlTag) -> Iterator[dict]:
        if control.kind == "relations":
            yield from self._relation(control)
            return
        if control.kind == "pairwise":
            yield {"id": self.ids.next(), "type": "pairwise", "from_name": control.name, "to_name": control.name,
                   "value": {"selected": "left"}}
            return
        tag = self._target(control)
        if tag is None:
            return
        payload = self._payload(control, tag)
        if payload is None:
            return
        if control.per_region:
            region = self._region_for(control, tag)
            if region is None:
                return
            geometry = {k: v for k, v in region["value"].items() if k != _value_key(region)}
            yield self._envelope(control, tag, {**geometry, control.value_key: payload}, rid=region["id"])
            return
        item = self._envelope(control, tag, {control.value_key: payload})
        if tag.kind == "image":  # whole-image classifications carry no geometry and no size
            for key in ("original_width", "original_height", "image_rotation"):
                item.pop(key, None)
        yield item

    def _region_for(self, control: ControlTag, tag: ObjectTag) -> dict | None:
        wanted = control.when_label_value
        fitting = [region for region in self.regions.get(tag.name, ())
                   if wanted is None or wanted in (region["value"].get(_value_key(region)) or [])]
        # a transcription goes best with a region of a plain <Labels> (the OCR template), else the first that fits
        return next((region for region in fitting if region["type"] == "labels"), fitting[0] if fitting else None)

    def _payload(self, control: ControlTag, tag: ObjectTag) -> Any:
        kind = control.kind
        if kind == "choices":
            if control.dynamic_labels:
                return ["Example"]
            return [control.labels[0].stored] if control.labels else None
        if kind == "taxonomy":
            if not control.labels:
                return [["Example"]] if control.dynamic_labels else None
            deepest = max(control.labels, key=lambda label: len(label.parents))
            return [deepest.path]
        if kind == "textarea":
            return ["Example text"]
        if kind == "rating":
            return min(4, int(float(control.attrs.get("maxRating", "5") or 5)))
        if kind == "number":
            low = float(control.attrs.get("min", "0") or 0)
            high = float(control.attrs.get("max", low + 10) or low + 10)
            middle = (low + high) / 2
            return int(middle) if middle == int(middle) else middle
        if kind == "datetime":
            only = control.attrs.get("only", "")
            return {"date": "2024-05-01", "time": "13:45"}.get(only, "2024-05-01T13:45")
        if kind == "ranker":
            items = _get(self.data, tag.data_path) if tag.data_path else None
            ids = [item["id"] for item in items if isinstance(item, dict) and "id" in item] \
                if isinstance(items, list) else []
            buckets = [child for child in control.attrs.get("_buckets", "").split(",") if child]
            return {(buckets[0] if buckets else tag.name): ids}
        return None

    def _relation(self, control: ControlTag) -> Iterator[dict]:
        regions = [region for found in self.regions.values() for region in found]
        if len(regions) < 2:
            return
        relation = {"type": "relation", "from_id": regions[0]["id"], "to_id": regions[1]["id"], "direction": "right"}
        if control.labels:
            relation["labels"] = [control.labels[0].stored]
        yield relation


def _value_key(result: dict) -> str:
    return result["type"] if result["type"] != "textarea" else "text"
