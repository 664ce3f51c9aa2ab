"""RegionScene draws rejected and below-threshold predictions faint, changing only the items whose state changes."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tests.builders import image_task, make_image, rect, write_project
from viewer.core.project import open_project
from viewer.qt.canvas.scene import FADED, RegionScene
from viewer.render.content import task_content
from viewer.render.painter import RegionPainter


def test_faint_items_follow_the_rejected_and_dimmed_keys_across_tasks_and_layer_updates(tmp_path, qapp):
    make_image(tmp_path / "img" / "a.png")
    project = open_project(*write_project(tmp_path, [image_task(rect("a"), rect("b"), rect("c"))]))
    content = task_content(project, project.tasks[0])
    scene, painter = RegionScene(), RegionPainter(project.config)
    scene.set_task(content, QImage(640, 480, QImage.Format.Format_RGB32), painter)
    a, b, c = sorted(scene.items_by_key)

    def opacities():
        return [scene.items_by_key[key].opacity() for key in (a, b, c)]

    scene.set_faded({a})
    scene.set_dimmed({b})
    assert opacities() == [FADED, FADED, 1.0]
    scene.set_faded(set())
    assert opacities() == [1.0, FADED, 1.0]
    scene.set_task(content, QImage(640, 480, QImage.Format.Format_RGB32), painter)  # new items, full strength
    assert opacities() == [1.0, 1.0, 1.0]
    scene.set_faded({c})
    assert opacities() == [1.0, FADED, FADED]
    scene.update_layer(task_content(project, project.tasks[0]), a[0], painter)  # same results: items kept
    scene.set_dimmed(set())
    assert opacities() == [1.0, 1.0, FADED]
