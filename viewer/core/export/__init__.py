"""Exporters of a review session: one module per format behind one small protocol (core layer, no Qt).

The shared names live in .base; formats() lists the writers by name.
"""

from __future__ import annotations

from viewer.core.export.base import ExportError, ExportOptions, ExportSummary, Writer, guard_output
from viewer.core.export.ls_json import write_ls_json

__all__ = ["ExportError", "ExportOptions", "ExportSummary", "Writer", "guard_output", "formats"]


def formats() -> dict[str, Writer]:
    return {"ls-json": write_ls_json}
