"""How the window names a task (Qt layer, no widget): by its place counted from 1 ("Task 3 of 20") and by its id
("id 17"), never "task 0". Core messages keep the command line's 0-based index ("task 2 (id 17)", README "task":
0); window_text shows one in the window by the window's rule.
"""

from __future__ import annotations

import re
from typing import Any

from viewer.core.tasks import id_text

# How core messages name a task: Task.label(), Diagnostic.location() and the session's errors all write
# "task <index>", the index 0-based.
_CORE_TASK = re.compile(r"\b([Tt]ask) (\d+)\b")


def task_name(index: int, task_id: Any = None, count: int | None = None) -> str:
    """ "Task 3", "Task 3 of 20", "Task 3 of 20 (id 17)": the task at 0-based `index`."""
    name = f"Task {index + 1:,}" + (f" of {count:,}" if count is not None else "")
    return name + (f" (id {id_text(task_id)})" if task_id is not None else "")


def window_text(message: str) -> str:
    """A core message (an error, a diagnostic's location) with its task indices shown as the window counts them:
    "task 2 (id 17): ..." reads "task 3 (id 17): ...". Only for text made in core; the window's own is made by
    task_name."""
    return _CORE_TASK.sub(lambda found: f"{found.group(1)} {int(found.group(2)) + 1:,}", message)
