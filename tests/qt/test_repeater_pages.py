"""A <Repeater> of Images in the window: each copy the task's list makes is a page, with the regions of its copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.qt.test_data_view import empty_window  # noqa: F401  (the fixture)
from viewer.qt.loader import OpenRequest

REPEATER = Path(__file__).resolve().parents[1] / "data" / "verdicts" / "repeater"


def ids(window) -> set[str]:
    return {key[1] for key in window.scene.items_by_key}


def test_repeated_images_are_pages_of_the_task(empty_window, qtbot, tmp_path):  # noqa: F811
    window = empty_window
    for name in ("tasks.json", "config.xml"):
        shutil.copy(REPEATER / name, tmp_path / name)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open(OpenRequest(str(tmp_path / "tasks.json"), str(tmp_path / "config.xml")))
    assert window.page_label.text().strip() == "page 1 of 2" and ids(window) == {"s0"}
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.actions_by_name["next_page"].trigger()
    assert window.page_label.text().strip() == "page 2 of 2" and ids(window) == {"s1"}
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(1, 0)
    assert window.page_label.text().strip() == "page 1 of 1" and ids(window) == {"s0"}
