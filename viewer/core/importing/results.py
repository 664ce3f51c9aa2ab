"""Detections in pixels -> Label Studio prediction results: percent of the decoded image, ids, scores.

Core layer, no Qt. Every result carries original_width/height (the decoded size) and image_rotation 0; a region
written by a tool and a <Labels> is two results sharing one id, both with the geometry, as Label Studio writes it.
Rotated boxes keep Label Studio's top-left pivot (detections.rectangle_of_corners); masks are brush RLE with
alpha 0/255 (never 0/1, which the editor draws nearly invisible).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Iterable


from viewer.core import rle
from viewer.core.importing.controls import ControlChooser, Target
from viewer.core.importing.detections import Detection, KeyPoint
from viewer.core.importing.summary import ImportSummary

DIGITS = 6                      # of a percent: 1e-6 % of a 100,000 px image is 0.001 px
DEFAULT_KEYPOINT_RADIUS = 2.0   # px, the editor's default strokeWidth of <KeyPointLabels> (FORMAT.md 1.5)


class IdMaker:
    """Result ids unique over one import: a prefix of the seed's hash and a counter; ids in `taken` are passed
    over. The same seed (the model version) gives the same ids, so an import run twice writes the same file."""

    def __init__(self, seed: str | None = None, taken: Iterable[str] = ()):
        if seed is None:
            prefix = secrets.token_hex(3)
        else:
            prefix = hashlib.blake2b(seed.encode("utf-8", "surrogatepass"), digest_size=3).hexdigest()
        self.prefix = prefix
        self.taken = set(taken)
        self.count = 0

    def next(self) -> str:
        while True:
            self.count += 1
            found = f"{self.prefix}{self.count:04x}"
            if found not in self.taken:
                self.taken.add(found)
                return found


def _pct(value: float, size: int) -> float:
    return round(value / size * 100.0, DIGITS)


class ResultMaker:
    """Makes the results of one image's detections for one image object of a config."""

    def __init__(self, chooser: ControlChooser, ids: IdMaker | None = None, summary: ImportSummary | None = None):
        self.chooser = chooser
        self.ids = ids or IdMaker()
        self.summary = summary if summary is not None else ImportSummary()

    def results(self, detections: Iterable[Detection], width: int, height: int) -> list[dict]:
        """The results of the detections, in order; PredictionImportError for a class no control offers."""
        out: list[dict] = []
        for detection in detections:
            label = self.chooser.mapped(detection.label)
            if label is None:
                self.summary.skip(f"class {detection.label!r}: mapped to nothing by --label-map")
                continue
            kinds = detection.shape.kinds
            target = self.chooser.target(kinds, label)
            values = self._values(detection.shape, target, width, height)
            if not values:
                self.summary.skip(f"a {target.kind} with nothing inside the image")
                continue
            if target.kind != kinds[0]:
                self.summary.mention(f"{type(detection.shape).__name__.lower()}(s) written as {target.kind} "
                                     "(the config has no control of the first kind for their class)")
            for value in values:
                region_id = self.ids.next()
                out.extend(self._region(region_id, target, value, width, height, detection.score))
                self.summary.regions[target.label] += 1
            for point in detection.keypoints:
                part = self.chooser.keypoint_part(point.name or "")
                value = self._keypoint(point, width, height, part)
                results = self._region(self.ids.next(), part, value, width, height, detection.score)
                for result in results:
                    result["parentID"] = region_id
                out.extend(results)
        return out

    def _values(self, shape, target: Target, width: int, height: int) -> list[dict]:
        """The `value`s (geometry only) of a shape as the target's kind: one, or one a part of a traced mask."""
        kind = target.kind
        if kind == "rectangle":
            x, y, w, h, rotation = shape.rectangle()
            return [{"x": _pct(x, width), "y": _pct(y, height), "width": _pct(w, width),
                     "height": _pct(h, height), "rotation": round(rotation, DIGITS)}]
        if kind == "polygon":
            outlines = shape.outlines()
            if len(outlines) > 1:
                self.summary.mention("mask(s) of several parts written as one polygon a part")
            return [{"points": [[_pct(x, width), _pct(y, height)] for x, y in outline], "closed": True}
                    for outline in outlines if len(outline) >= 3]
        if kind == "brush":
            mask = shape.pixels(width, height)
            if not mask.any():
                return []
            return [{"format": "rle", "rle": rle.encode(mask)}]
        return [self._keypoint(shape, width, height, target)]

    def _keypoint(self, point: KeyPoint, width: int, height: int, target: Target | None) -> dict:
        radius = DEFAULT_KEYPOINT_RADIUS
        control = target.control if target is not None else None
        if control is not None and control.stroke_width:
            try:
                radius = float(control.stroke_width)
            except ValueError:
                pass
        return {"x": _pct(point.x, width), "y": _pct(point.y, height), "width": _pct(radius, width)}

    def _region(self, region_id: str, target: Target, value: dict, width: int, height: int,
                score: float | None) -> list[dict]:
        def result(control, value_: dict) -> dict:
            found = {"id": region_id, "type": control.kind, "from_name": control.name,
                     "to_name": self.chooser.to_name, "original_width": width, "original_height": height,
                     "image_rotation": 0, "value": value_}
            if score is not None:
                found["score"] = float(score)
            return found

        if target.labels_control is None:
            return [result(target.control, {**value, target.control.value_key: [target.label]})]
        return [result(target.control, dict(value)),
                result(target.labels_control, {**value, "labels": [target.label]})]


def region_scores(results: Iterable[dict]) -> list[float]:
    """One score per region (results sharing an id count once), in order."""
    seen: dict[str, float] = {}
    for result in results:
        score = result.get("score")
        if isinstance(score, (int, float)) and result.get("id") not in seen:
            seen[result.get("id")] = float(score)
    return list(seen.values())


def make_prediction(results: list[dict], model_version: str, score: float | None = None) -> dict:
    """A prediction: `score` as given, else the mean of its regions' scores (none when no region has one)."""
    prediction: dict = {"model_version": model_version}
    if score is None:
        scores = region_scores(results)
        if scores:
            score = sum(scores) / len(scores)
    if score is not None:
        prediction["score"] = float(score)
    prediction["result"] = results
    return prediction
