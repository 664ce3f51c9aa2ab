"""What every import shares: its options and its error (core layer, no Qt).

The format modules and the run import this, never the package, so the package can list formats without a circle.
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.core.errors import LsviewError


class PredictionImportError(LsviewError):
    """The import cannot be made as asked: a class no control offers, a line read two ways, no model version."""


@dataclass(frozen=True)
class ImportOptions:
    """`lsview import`'s options. Paths as given; None when not given."""

    config: str
    out: str
    images: str | None = None            # where the images are (default: the format's own place, e.g. SRC/images)
    into: str | None = None              # a task file whose tasks get the predictions
    model_version: str | None = None
    classes: str | None = None           # classes.txt or data.yaml: class id -> name
    label_map: str | None = None         # source class -> config label (JSON object, or lines `source=label`)
    task: str | None = None              # yolo: yolo-detect | yolo-seg | yolo-obb | yolo-pose
    coco_images: str | None = None       # coco results list: the dataset JSON naming the images and their sizes
    ls_root: str | None = None           # new tasks point at /data/local-files/?d=<path under this folder>
