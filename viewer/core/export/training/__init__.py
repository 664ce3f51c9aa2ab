"""Exports for training (COCO, YOLO ...): one module per format on a shared framework (core layer, no Qt).

The run is run.export_training; a format is a job.TrainingFormat subclass listed in its module's FORMATS. This
package only names them (FORMAT_MODULES), so building the command line imports no exporter.
"""

from __future__ import annotations

import importlib

# --format name -> the module (of this package) holding its class, in the order the CLI and the dialog list them.
FORMAT_MODULES = {
    "coco": "coco",
    "yolo": "yolo", "yolo-seg": "yolo", "yolo-obb": "yolo", "yolo-pose": "yolo",
    "voc": "voc", "masks": "segmentation", "conll2003": "ner", "ner-jsonl": "ner",
}


def format_names() -> list[str]:
    return list(FORMAT_MODULES)


def training_formats() -> dict[str, type]:
    """--format name -> its TrainingFormat class."""
    found = {}
    for name, module in FORMAT_MODULES.items():
        classes = {fmt.name: fmt for fmt in importlib.import_module(f"{__name__}.{module}").FORMATS}
        found[name] = classes[name]
    return found
