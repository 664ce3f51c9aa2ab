"""Exporters of a review session: one module per format behind one small protocol (core layer, no Qt).

Every export is written whole or not at all (core.atomic) and never over an input file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from viewer.core.errors import LsviewError


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


def formats() -> dict[str, Writer]:
    from viewer.core.export.ls_json import write_ls_json

    return {"ls-json": write_ls_json}


def guard_output(out: str | os.PathLike, inputs: Iterable[str | os.PathLike | None]) -> Path:
    """The output path, refused when it is one of the input files (or a folder)."""
    target = Path(os.path.abspath(os.fspath(out)))
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name for the export")
    for source in inputs:
        if source is None:
            continue
        source_path = Path(os.path.abspath(os.fspath(source)))
        if source_path == target or (target.exists() and source_path.exists() and
                                     os.path.samefile(source_path, target)):
            raise ExportError(f"{target} is an input file; lsview never writes over its inputs")
    return target
