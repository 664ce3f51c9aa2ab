"""Exporters of a review session: one module per format behind one small protocol (core layer, no Qt).

The shared names live in .base; formats() lists the writers by name.
"""

from __future__ import annotations

from viewer.core.export.base import ExportError, ExportOptions, ExportSummary, Writer, guard_output

__all__ = ["ExportError", "ExportOptions", "ExportSummary", "Writer", "guard_output", "formats"]


def formats() -> dict[str, Writer]:
    # imported here: every command's parser names the training formats (export.training), which imports this
    # package, and ls_json brings the diagnostics, RLE and numpy (~100 ms) to commands that never export
    from viewer.core.export.ls_json import write_ls_json

    return {"ls-json": write_ls_json}
