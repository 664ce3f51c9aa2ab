"""Which tasks to open and how to name what is shown: the window's small rules that need no widget (Qt layer):
the bundled demo, a dropped set of files, a task by number or id, the status line of a task just shown."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from viewer.core.project import Project
from viewer.qt.loader import LoadedTask, OpenRequest
from viewer.qt.task_names import task_name

TASK_SUFFIXES = (".json", ".jsonl", ".ndjson")


def demo_request() -> OpenRequest:
    demo = Path(str(resources.files("viewer") / "resources" / "demo"))
    return OpenRequest(str(demo / "tasks.json"), str(demo / "config.xml"))


def find_task(project: Project, text: str) -> int | None:
    """A task by its 1-based number, or by its id (ids win when written as #id)."""
    text = text.strip()
    if not text:
        return None
    if not text.startswith("#") and text.replace(",", "").isdigit():
        number = int(text.replace(",", ""))
        if 1 <= number <= len(project.tasks):
            return number - 1
    wanted = text.lstrip("#")
    return next((t.index for t in project.tasks if t.id is not None and str(t.id) == wanted), None)


def dropped_request(paths: list[Path], current: OpenRequest | None) -> OpenRequest | None:
    """A task file or folder plus an optional .xml config; an .xml alone re-opens the open tasks with it."""
    config = next((str(p) for p in paths if p.suffix.lower() == ".xml"), None)
    tasks = next((str(p) for p in paths if p.is_dir() or p.suffix.lower() in TASK_SUFFIXES), None)
    if tasks is None and config is not None and current is not None:
        return OpenRequest(current.tasks, config, current.root, current.session)
    return OpenRequest(tasks, config) if tasks is not None else None


def task_summary(project: Project, loaded: LoadedTask, hidden: int) -> str:
    """The status line of a task just shown: its name, page, regions and results, hidden ones and why the image
    is missing ("Task 1 of 5 (id 101): 2 regions, 1 result")."""
    task = project.tasks[loaded.index]
    content = loaded.content
    name = task_name(task.index, task.id, len(project.tasks))
    if not content.is_image:
        return f"{name}: shown as data only"
    page = f", page {content.page + 1} of {content.page_count}" if content.multi_page else ""
    note = f" - image not shown: {loaded.image_problem}" if loaded.image_problem else ""
    hidden_note = f" ({hidden} saved as hidden)" if hidden else ""
    return f"{name}{page}: {count_text(content.layers)}{hidden_note}{note}"


def count_text(layers) -> str:
    """ "2 regions, 1 result": regions have a shape on an object (this page's, and those on objects the canvas does
    not draw), results are whole-task answers; the task list's Regions and Results columns count the same."""
    regions = sum(len(layer.regions) + len(layer.others) for layer in layers)
    results = sum(len(layer.classifications) for layer in layers)
    text = f"{regions:,} region" + ("" if regions == 1 else "s")
    return text + (f", {results:,} result" + ("" if results == 1 else "s") if results else "")
