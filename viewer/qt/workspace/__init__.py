"""The QA workspace: the task list dock whose filtered order drives next/previous task, with the threshold, compare
and statistics docks.

Qt layer; the main window makes one Workspace from the view state and the parts it uses, and it wires itself.
"""

from viewer.qt.workspace.workspace import Workspace

__all__ = ["Workspace"]
