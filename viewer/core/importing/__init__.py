"""Imports of a model's output as Label Studio predictions (YOLO, COCO ...), and the Python API behind them.

Core layer, no Qt. The run is run.import_predictions; a format is a job.ImportFormat subclass listed in its
module's FORMATS. This package only names them (FORMAT_MODULES), so building the command line imports no reader.
Scripts holding arrays use viewer.core.importing.api.
"""

from __future__ import annotations

import importlib

# FORMAT name -> the module (of this package) holding its class, in the order the CLI lists them.
FORMAT_MODULES = {
    "yolo": "yolo",
    "coco": "coco",
    "masks": "masks",
    "voc": "voc",
}


def format_names() -> list[str]:
    return list(FORMAT_MODULES)


def import_format(name: str) -> type:
    module = importlib.import_module(f"{__name__}.{FORMAT_MODULES[name]}")
    return {fmt.name: fmt for fmt in module.FORMATS}[name]
