"""What a training format is given: the job (project, options, folder, classes, summary) and its base class.

Core layer, no Qt. A format is a TrainingFormat subclass listed in its module's FORMATS (the package's
FORMAT_MODULES names the modules); one instance writes one export: begin(), task(item) for every task with labels
(in file order), finish().
"""

from __future__ import annotations

from dataclasses import dataclass, field

from viewer.core.export.training.classes import ClassMap
from viewer.core.export.training.folder import OutputFolder
from viewer.core.export.training.items import Names, TaskItem
from viewer.core.export.training.options import TrainingOptions
from viewer.core.export.training.summary import TrainingSummary


@dataclass
class Job:
    project: object
    options: TrainingOptions
    folder: OutputFolder
    classes: ClassMap
    summary: TrainingSummary
    model_version: str | None = None          # the predictions' model version (source "predictions")
    keypoint_names: list[str] = field(default_factory=list)
    names: Names = field(default_factory=Names)

    @property
    def scored(self) -> bool:
        """Whether the export is of predictions, whose scores formats keep (COCO `score`)."""
        return self.options.source == "predictions"


class TrainingFormat:
    """One training format. `needs` is "image" (items carry images with pixel instances) or "text"."""

    name = ""
    help = ""
    needs = "image"

    def __init__(self, job: Job):
        self.job = job

    @classmethod
    def config_problem(cls, config) -> str | None:
        """Why this format can export nothing under `config` (asked before any work, so the window can say it
        while its dialog is open); None when it can."""
        if cls.needs == "image" and config is not None and not any(tag.kind == "image"
                                                                   for tag in config.objects.values()):
            return f"{cls.name} exports the regions of an <Image>; the config has no <Image>"
        return None

    def begin(self) -> None:
        """Before the first task (open a big file, write a header)."""

    def task(self, item: TaskItem) -> list[str]:
        """Write what belongs to one task; the files written (relative to DIR, '/'-separated) for files.csv."""
        raise NotImplementedError

    def finish(self) -> list[str]:
        """After the last task (the files that hold all tasks: annotations.json, data.yaml ...), named."""
        return []
