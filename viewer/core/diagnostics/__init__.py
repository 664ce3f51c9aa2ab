"""The pre-flight report: why a prediction would not show, or show wrong, in Label Studio.

Core layer, no Qt; shared by `lsview validate` and the window. Every diagnostic names the file, the task (index
and id), the prediction or annotation and the result id, says what is wrong and what Label Studio would do.
"""

from __future__ import annotations

from viewer.core.diagnostics.model import CODES, Diagnostic, Reporter, summary
from viewer.core.diagnostics.run import diagnose, diagnose_config, diagnose_task

__all__ = ["CODES", "Diagnostic", "Reporter", "diagnose", "diagnose_config", "diagnose_task", "summary"]
