"""The Python API of imports: arrays a script holds (pixel boxes, polygons, masks, keypoints, labels, scores)
-> Label Studio prediction results for one image. Core layer, no Qt.

    from viewer.core.importing.api import box_results, make_prediction
    results = box_results(config, boxes_xyxy, labels, scores, image_size=(1920, 1080))
    task = {"data": {"image": "img.jpg"}, "predictions": [make_prediction(results, "yolov8n-2026-12")]}

Pixels are those of the image as decoded (EXIF orientation applied), (width, height). `labels` are class names,
or class ids with `names` (a list or a dict id -> name). `config` is a LabelConfig, a config file's path or the
XML text. A class no control of the config offers raises PredictionImportError naming it (`label_map` maps
source classes to config labels).
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Sequence

import numpy as np

from viewer.core.config import LabelConfig, load_config, parse_config
from viewer.core.importing.base import PredictionImportError
from viewer.core.importing.controls import ControlChooser
from viewer.core.importing.detections import Box, Detection, KeyPoint, Mask, Polygon, RotatedBox
from viewer.core.importing.results import IdMaker, ResultMaker, make_prediction

__all__ = ["box_results", "rotated_box_results", "polygon_results", "mask_results", "keypoint_results",
           "make_prediction", "detection_results", "PredictionImportError", "IdMaker"]


def _config(config: LabelConfig | str | os.PathLike) -> LabelConfig:
    if isinstance(config, LabelConfig):
        return config
    if isinstance(config, str) and config.lstrip().startswith("<"):
        return parse_config(config)
    return load_config(config)


def _names(labels: Sequence[Any], names: Sequence[str] | Mapping[int, str] | None) -> list[str]:
    out = []
    for label in labels:
        if isinstance(label, str):
            out.append(label)
            continue
        number = int(label)
        if names is None:
            raise PredictionImportError(f"class id {number} given without `names` to say which label it is")
        try:
            out.append(names[number])
        except (IndexError, KeyError):
            raise PredictionImportError(f"class id {number} is not in `names`") from None
    return out


def _scores(scores: Sequence[float] | None, count: int) -> list[float | None]:
    if scores is None:
        return [None] * count
    values = [None if s is None else float(s) for s in scores]
    if len(values) != count:
        raise ValueError(f"{len(values)} scores for {count} shapes")
    return values


def detection_results(config, detections: Sequence[Detection], image_size: tuple[int, int], *,
                      to_name: str | None = None, label_map: Mapping[str, str | None] | None = None,
                      ids: IdMaker | None = None) -> list[dict]:
    """The results of detections.Detection values (any mix of shapes) on one image of `image_size`."""
    maker = ResultMaker(ControlChooser(_config(config), to_name, dict(label_map or {})), ids)
    width, height = image_size
    return maker.results(detections, int(width), int(height))


def _detections(shapes, labels, scores, names) -> list[Detection]:
    label_names = _names(labels, names)
    if len(label_names) != len(shapes):
        raise ValueError(f"{len(label_names)} labels for {len(shapes)} shapes")
    return [Detection(shape, label, score) for shape, label, score in
            zip(shapes, label_names, _scores(scores, len(shapes)))]


def box_results(config, boxes, labels, scores=None, *, image_size: tuple[int, int], box_format: str = "xyxy",
                names=None, keypoints=None, keypoint_names: Sequence[str] | None = None, **kwargs) -> list[dict]:
    """Axis-aligned boxes (N x 4 pixels): `box_format` "xyxy" (x0 y0 x1 y1), "xywh" (top-left x y, width,
    height) or "cxcywh" (centre, width, height). With `keypoints` (N x K x 2, or x 3 with a visibility, 0 =
    absent) a pose: each box gets K <KeyPointLabels> results named by `keypoint_names` (default: the config's
    KeyPointLabels in order), parentID the box."""
    make = {"xyxy": Box, "xywh": Box.from_xywh, "cxcywh": Box.from_center}.get(box_format)
    if make is None:
        raise ValueError(f"box_format {box_format!r}: one of xyxy, xywh, cxcywh")
    shapes = [make(*map(float, row)) for row in np.asarray(boxes, dtype=float).reshape(-1, 4)]
    detections = _detections(shapes, labels, scores, names)
    if keypoints is not None:
        config = _config(config)
        if keypoint_names is None:
            from viewer.core.export.training.classes import keypoint_names as config_keypoints

            keypoint_names = config_keypoints(config)
        points = np.asarray(keypoints, dtype=float)
        if points.ndim != 3 or points.shape[0] != len(detections) or points.shape[2] not in (2, 3):
            raise ValueError(f"keypoints must be N x K x 2 or N x K x 3 for {len(detections)} boxes, got "
                             f"{points.shape}")
        if points.shape[1] > len(keypoint_names):
            raise PredictionImportError(f"{points.shape[1]} keypoints per box, but {len(keypoint_names)} "
                                        "keypoint names")
        for detection, row in zip(detections, points):
            detection.keypoints = [KeyPoint(float(p[0]), float(p[1]), name) for p, name in zip(row, keypoint_names)
                                   if len(p) == 2 or p[2] > 0]
    return detection_results(config, detections, image_size, **kwargs)


def rotated_box_results(config, corners, labels, scores=None, *, image_size: tuple[int, int], names=None,
                        **kwargs) -> list[dict]:
    """Oriented boxes by their four corners (N x 4 x 2 pixels, either way round): Label Studio rectangles with
    the first corner as the top-left pivot and a clockwise rotation."""
    array = np.asarray(corners, dtype=float).reshape(-1, 4, 2)
    shapes = [RotatedBox(tuple((float(x), float(y)) for x, y in row)) for row in array]
    return detection_results(config, _detections(shapes, labels, scores, names), image_size, **kwargs)


def polygon_results(config, polygons, labels, scores=None, *, image_size: tuple[int, int], names=None,
                    **kwargs) -> list[dict]:
    """Polygons: each a sequence of (x, y) pixels (or a flat x1 y1 x2 y2 ... list)."""
    shapes = []
    for polygon in polygons:
        points = np.asarray(polygon, dtype=float).reshape(-1, 2)
        shapes.append(Polygon(tuple((float(x), float(y)) for x, y in points)))
    return detection_results(config, _detections(shapes, labels, scores, names), image_size, **kwargs)


def mask_results(config, masks, labels, scores=None, *, image_size: tuple[int, int] | None = None, names=None,
                 **kwargs) -> list[dict]:
    """Masks (N x H x W, bool or uint8 with non-zero on): brush RLE with alpha 0/255, or traced polygons where
    the config wants polygons. The image size defaults to the masks' (W, H)."""
    array = np.asarray(masks)
    if array.ndim == 2:
        array = array[None]
    if image_size is None:
        image_size = (array.shape[2], array.shape[1])
    shapes = [Mask(plane) for plane in array]
    return detection_results(config, _detections(shapes, labels, scores, names), image_size, **kwargs)


def keypoint_results(config, points, labels, scores=None, *, image_size: tuple[int, int], names=None,
                     **kwargs) -> list[dict]:
    """Lone keypoints (N x 2 pixels), each a <KeyPointLabels> result with its label."""
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    shapes = [KeyPoint(float(x), float(y)) for x, y in array]
    return detection_results(config, _detections(shapes, labels, scores, names), image_size, **kwargs)
