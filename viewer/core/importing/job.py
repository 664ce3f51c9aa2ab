"""What an import format is given (the job: options, config, targets, summary) and its base class.

Core layer, no Qt. A format is an ImportFormat subclass listed in its module's FORMATS (the package's
FORMAT_MODULES names the modules); it reads SRC into ImageDetections, one per image, in pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from viewer.core.config import LabelConfig
from viewer.core.importing.base import ImportOptions
from viewer.core.importing.controls import ControlChooser
from viewer.core.importing.detections import ImageDetections
from viewer.core.importing.summary import ImportSummary


@dataclass
class ImportJob:
    src: str
    options: ImportOptions
    config: LabelConfig
    chooser: ControlChooser
    summary: ImportSummary
    classes: dict[int, str] | None = None       # --classes: class id -> name (a format may read its own)
    keypoint_names: list[str] = field(default_factory=list)   # pose parts in order (classes.keypoint_names)


class ImportFormat:
    """One source format. `images()` yields each image's detections; `model_version()` the version the source
    names (None: --model-version is needed)."""

    name = ""
    help = ""

    def __init__(self, job: ImportJob):
        self.job = job

    def check(self) -> None:
        """Refuse a source that is not of this format, before anything is read (PredictionImportError/InputError)."""

    def total(self) -> int:
        """How many images images() will yield, for the progress (0: unknown)."""
        return 0

    def model_version(self) -> str | None:
        return None

    def images(self) -> Iterator[ImageDetections]:
        raise NotImplementedError
