"""A review project for the editing tests (one 640x480 image, every drawing control, per-region and whole-task
controls), a window opened on it at 1:1, and mouse helpers that speak image pixels."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.builders import make_image, write_project

CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#ff0000" hotkey="c"/><Label value="Person" alias="P" hotkey="shift+p"/>
  </RectangleLabels>
  <PolygonLabels name="poly" toName="image"><Label value="Road"/><Label value="Lake"/></PolygonLabels>
  <EllipseLabels name="ell" toName="image"><Label value="Ball"/></EllipseLabels>
  <KeyPointLabels name="kp" toName="image" strokeWidth="4"><Label value="Nose"/></KeyPointLabels>
  <BrushLabels name="brush" toName="image"><Label value="Sky" background="#0000ff"/></BrushLabels>
  <TextArea name="transcription" toName="image" perRegion="true"/>
  <Choices name="colour" toName="image" perRegion="true" whenLabelValue="Car">
    <Choice value="Red"/><Choice value="Blue"/>
  </Choices>
  <Choices name="scene" toName="image"><Choice value="Day"/><Choice value="Night"/></Choices>
  <Rating name="quality" toName="image" maxRating="5"/>
</View>
"""

OCR_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <Labels name="ocr" toName="image"><Label value="Text" hotkey="t"/><Label value="Handwriting"/></Labels>
  <Rectangle name="bbox" toName="image"/>
  <TextArea name="transcription" toName="image" perRegion="true"/>
</View>
"""

W, H = 640, 480


def result(rid: str, from_name: str, rtype: str, value: dict, **extra) -> dict:
    return {"id": rid, "from_name": from_name, "to_name": "image", "type": rtype, "value": value,
            "original_width": W, "original_height": H, "image_rotation": 0, **extra}


def box(rid="r1", x=10.0, y=20.0, width=30.0, height=40.0, rotation=0.0, label="Car") -> dict:
    return result(rid, "label", "rectanglelabels", {"x": x, "y": y, "width": width, "height": height,
                                                    "rotation": rotation, "rectanglelabels": [label]})


def open_editing_window(qtbot, folder: Path, predictions: list[dict], config: str = CONFIG):
    """The window on a one-task project whose prediction holds `predictions`, at 1:1 with the image's top-left
    corner at the viewport's top-left."""
    from viewer.qt.loader import OpenRequest
    from viewer.qt.main_window import MainWindow

    make_image(folder / "img" / "a.png", (W, H))
    tasks, config_path = write_project(folder, [{"id": 1, "data": {"image": "img/a.png"}, "predictions": [
        {"model_version": "v1", "result": predictions}]}], config)
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.open(OpenRequest(str(tasks), str(config_path), None, str(folder / "review.sqlite")))
    window.view.actual_size()
    window.view.horizontalScrollBar().setValue(window.view.horizontalScrollBar().minimum())
    window.view.verticalScrollBar().setValue(window.view.verticalScrollBar().minimum())
    window.view.setFocus()
    assert window.view.zoom() == 1.0
    return window


def task(window):
    return window.project.tasks[window.index]


def working(window) -> list[dict]:
    """The working annotation's results as the session holds them."""
    return window.review.session.working_results(task(window)) or []


def regions(window) -> dict:
    return {region.id: region for region in window.review.session.working_regions(task(window)).regions}


def accept_all(window) -> None:
    """Copy the prediction into the working annotation (ids kept, origin `prediction`)."""
    window.review.copy_prediction(window.index, 0)


def view_point(window, x: float, y: float) -> QPoint:
    point = window.view.mapFromScene(QPointF(x, y))
    assert window.view.viewport().rect().contains(point), f"({x}, {y}) is not in view"
    return point


def send(window, kind, point: QPoint, button, buttons, modifiers) -> None:
    viewport = window.view.viewport()
    event = QMouseEvent(kind, QPointF(point), QPointF(viewport.mapToGlobal(point)), button, buttons, modifiers)
    QApplication.sendEvent(viewport, event)


def drag(window, points: list[tuple[float, float]], modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """Press at the first image point, move through the others, release at the last."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    first = view_point(window, *points[0])
    send(window, QMouseEvent.Type.MouseButtonPress, first, left, left, modifiers)
    for x, y in points[1:]:
        send(window, QMouseEvent.Type.MouseMove, view_point(window, x, y), none, left, modifiers)
    send(window, QMouseEvent.Type.MouseButtonRelease, view_point(window, *points[-1]), left, none, modifiers)
    QApplication.processEvents()  # the selection comes back to a changed region's new item once the window is idle


def click(window, x: float, y: float, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    drag(window, [(x, y)], modifiers)


def double_click(window, x: float, y: float) -> None:
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    point = view_point(window, x, y)
    click(window, x, y)
    send(window, QMouseEvent.Type.MouseButtonDblClick, point, left, left, Qt.KeyboardModifier.NoModifier)
    send(window, QMouseEvent.Type.MouseButtonRelease, point, left, none, Qt.KeyboardModifier.NoModifier)
    QApplication.processEvents()


def select(qtbot, window, region_id: str) -> None:
    window.editing.canvas.select(region_id)
    qtbot.waitUntil(lambda: window.editing.canvas.selected_region() is not None
                    and window.editing.canvas.selected_region().id == region_id, timeout=2000)
