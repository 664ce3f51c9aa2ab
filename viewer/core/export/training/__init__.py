"""Exports for training (COCO, YOLO ...): one module per format on a shared framework (core layer, no Qt).

training_formats() maps each `--format` name to its TrainingFormat class; export_training (run.py) writes one. The
framework's interface is described in job.py (the format's side) and run.py (the run).
"""

from __future__ import annotations

from viewer.core.export.training.job import Job, TrainingFormat
from viewer.core.export.training.options import TrainingOptions
from viewer.core.export.training.run import ExportCancelled, export_training
from viewer.core.export.training.summary import TrainingSummary

__all__ = ["FORMAT_MODULES", "ExportCancelled", "Job", "TrainingFormat", "TrainingOptions", "TrainingSummary",
           "export_training", "training_formats"]


# The modules holding formats; each lists its classes in a module-level FORMATS. Imported when first asked for,
# so `lsview validate` never loads an exporter.
FORMAT_MODULES = ("yolo",)


def training_formats() -> dict[str, type[TrainingFormat]]:
    """--format name -> format class, in the order the CLI and the dialog list them."""
    import importlib

    found: dict[str, type[TrainingFormat]] = {}
    for module in FORMAT_MODULES:
        for fmt in importlib.import_module(f"{__name__}.{module}").FORMATS:
            found[fmt.name] = fmt
    return found
