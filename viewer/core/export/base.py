"""What every exporter shares: options, the summary it returns, its error and the output guard.

Core layer, no Qt. Every export is written whole or not at all (core.atomic) and never over an input file
(core.outputs). The format modules import this, never the package, so the package can list them without a circle.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from viewer.core.errors import LsviewError
from viewer.core.outputs import InputFiles


class ExportError(LsviewError):
    """The export cannot be written where it was asked to go."""


@dataclass(frozen=True)
class ExportOptions:
    only_reviewed: bool = False
    only_accepted: bool = False


@dataclass(frozen=True)
class ExportSummary:
    path: str
    tasks: int
    annotations: int
    regions: int
    warnings: tuple[str, ...] = ()


Writer = Callable[..., ExportSummary]


def guard_output(out: str | os.PathLike, inputs: InputFiles | Iterable[str | os.PathLike | None]) -> Path:
    """The absolute output path; ExportError for a folder, OverwriteError (core.outputs) for an input file."""
    target = Path(os.path.abspath(os.fspath(out)))
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name for the export")
    if not isinstance(inputs, InputFiles):
        inputs = InputFiles((source, "an input file") for source in inputs)
    return inputs.check(target)
