"""Project.regions: a task's results grouped once while it is among the last few asked, never stale."""

from __future__ import annotations

from tests.builders import image_task, make_image, rect, write_project
from viewer.core.project import REGIONS_KEPT, open_project
from viewer.core.regions import region_sets


def _project(tmp_path, count=1):
    make_image(tmp_path / "img" / "a.png")
    tasks = [image_task(rect("a"), rect("b", ("Person",)), task_id=n + 1) for n in range(count)]
    return open_project(*write_project(tmp_path, tasks))


def test_regions_are_those_of_region_sets_and_grouped_once(tmp_path):
    project = _project(tmp_path)
    task = project.tasks[0]
    first, again = project.regions(task), project.regions(task)
    assert first == region_sets(task, project.object_kind)
    assert [region_set for _, region_set in again] == [region_set for _, region_set in first]
    assert all(a[1] is b[1] for a, b in zip(first, again))  # the same immutable values, not parsed twice
    first.clear()  # each caller gets a list of its own
    assert len(project.regions(task)) == 1


def test_a_task_whose_result_sets_changed_is_grouped_again(tmp_path):
    project = _project(tmp_path)
    task = project.tasks[0]
    before = project.regions(task)
    task.predictions.append(task.predictions[0])
    after = project.regions(task)
    assert len(after) == 2 and len(before) == 1


def test_only_the_last_few_tasks_stay_grouped(tmp_path):
    project = _project(tmp_path, REGIONS_KEPT + 1)
    kept = [project.regions(task)[0][1] for task in project.tasks]
    # the first task fell out: asked again it is grouped anew (equal, not the same object); the last is kept
    assert project.regions(project.tasks[0])[0][1] is not kept[0]
    assert project.regions(project.tasks[0])[0][1] == kept[0]
    assert project.regions(project.tasks[-1])[0][1] is kept[-1]
