"""Exporters of a review session: one module per format behind one small protocol (core layer, no Qt).

Every export is written whole or not at all (a temporary file renamed into place) and never over an input file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, TextIO

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


def write_atomically(target: Path, produce: Callable[[TextIO], None]) -> None:
    """Write through a temporary file beside the target, then rename: a reader sees all of it or none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            produce(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
