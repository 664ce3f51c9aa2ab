"""What a training export is asked for: which labels, which classes, what to do with the images (core, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

SOURCES = ("reviewed", "annotations", "predictions")
IMAGE_MODES = ("none", "copy", "link")


@dataclass(frozen=True)
class TrainingOptions:
    """`source`: reviewed (the session's working annotation, else the latest annotation), annotations (the latest
    annotation), predictions (of `model_version`, regions scoring at least `min_score`)."""

    source: str = "reviewed"
    model_version: str | None = None
    min_score: float | None = None
    classes: str | None = None          # a classes.txt or data.yaml pinning label -> class id
    images: str = "none"                # none | copy | link, into DIR/images/
    with_scores: bool = False           # YOLO: a 6th column (the region's score) on every line

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {self.source!r}")
        if self.images not in IMAGE_MODES:
            raise ValueError(f"images must be one of {', '.join(IMAGE_MODES)}, not {self.images!r}")
