"""The QA workspace: the task list dock whose filtered order drives next/previous task.

Qt layer; the main window makes one install_workspace(window) call and the workspace wires itself.
"""

from viewer.qt.workspace.workspace import Workspace


def install_workspace(window) -> Workspace:
    window.workspace = Workspace(window)
    return window.workspace
