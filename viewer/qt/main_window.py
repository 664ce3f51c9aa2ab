"""MainWindow: wiring only. Connects the loader, the canvas, the side panels, actions, menus and recent files.

Qt layer. Loading is the Loader's, drawing the painter's and the scene's, viewing the CanvasView's.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QLabel, QLineEdit, QMainWindow, QMenu, QMessageBox,
                               QToolBar)

from viewer.core.project import Project
from viewer.qt.actions import make_actions
from viewer.qt.canvas.scene import RegionScene
from viewer.qt.canvas.view import CanvasView
from viewer.qt.loader import LoadedTask, Loader, OpenRequest
from viewer.qt.settings import RecentFiles, default_settings
from viewer.qt.widgets.layer_list import LayerList
from viewer.qt.widgets.region_list import RegionList
from viewer.render.painter import RegionPainter

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


class MainWindow(QMainWindow):
    project_changed = Signal()
    task_shown = Signal(int)

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.setWindowTitle("lsview")
        self.resize(1280, 820)
        self.setAcceptDrops(True)
        self.project: Project | None = None
        self.request: OpenRequest | None = None
        self.painter: RegionPainter | None = None
        self.index = -1
        self.recent = RecentFiles(settings if settings is not None else default_settings())

        self.loader = Loader(self)
        self.scene = RegionScene(self)
        self.view = CanvasView(self.scene, self)
        self.view.setAcceptDrops(False)  # drops go to the window, which opens them
        self.setCentralWidget(self.view)
        self.region_list = RegionList(self)
        self.layer_list = LayerList(self)
        self._dock("Regions", self.region_list, Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("Layers", self.layer_list, Qt.DockWidgetArea.RightDockWidgetArea)

        self.actions_by_name = make_actions(self)
        self.position = QLabel("0 / 0")
        self.jump = QLineEdit()
        self.jump.setPlaceholderText("task # or id")
        self.jump.setMaximumWidth(110)
        self.zoom_label = QLabel("")
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.recent_menu = QMenu("Open &Recent", self)
        self._build_menus()
        self._build_toolbar()
        self._connect()
        self._update_navigation()

    def _dock(self, title: str, widget, area) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.resizeDocks([dock], [380], Qt.Orientation.Horizontal)

    def _build_menus(self) -> None:
        a = self.actions_by_name
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(a["open"])
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])
        view_menu = self.menuBar().addMenu("&View")
        for name in ("fit", "actual_size", "zoom_in", "zoom_out"):
            view_menu.addAction(a[name])
        view_menu.addSeparator()
        view_menu.addAction(a["show_tags"])
        go_menu = self.menuBar().addMenu("&Go")
        for name in ("previous_task", "next_task", "go_to_task"):
            go_menu.addAction(a[name])
        self._fill_recent_menu()

    def _build_toolbar(self) -> None:
        a = self.actions_by_name
        bar = QToolBar("Navigation", self)
        bar.setObjectName("navigation")
        bar.addAction(a["open"])
        bar.addSeparator()
        bar.addAction(a["previous_task"])
        bar.addWidget(self.position)
        bar.addAction(a["next_task"])
        bar.addWidget(self.jump)
        bar.addSeparator()
        for name in ("fit", "actual_size", "show_tags"):
            bar.addAction(a[name])
        self.addToolBar(bar)

    def _connect(self) -> None:
        a = self.actions_by_name
        a["open"].triggered.connect(self._on_open_triggered)
        a["quit"].triggered.connect(self.close)
        a["previous_task"].triggered.connect(lambda: self.show_task(self.index - 1))
        a["next_task"].triggered.connect(lambda: self.show_task(self.index + 1))
        a["go_to_task"].triggered.connect(self._on_go_to_task_triggered)
        a["fit"].triggered.connect(self.view.fit)
        a["actual_size"].triggered.connect(self.view.actual_size)
        a["zoom_in"].triggered.connect(lambda: self.view.zoom_by(1.25))
        a["zoom_out"].triggered.connect(lambda: self.view.zoom_by(0.8))
        a["show_tags"].toggled.connect(self.scene.set_tags_shown)
        self.jump.returnPressed.connect(self._on_jump_return_pressed)
        self.loader.project_opened.connect(self._on_loader_project_opened)
        self.loader.task_loaded.connect(self._on_loader_task_loaded)
        self.loader.failed.connect(self._on_loader_failed)
        self.loader.progressed.connect(self.statusBar().showMessage)
        self.scene.selection_changed_to.connect(self.region_list.select)
        self.region_list.region_chosen.connect(self.scene.select)
        self.layer_list.layer_toggled.connect(self._on_layer_list_layer_toggled)
        self.view.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom:.0%}"))

    # ------------------------------------------------------------------ opening

    def open_demo(self) -> None:
        self.open(demo_request())

    def open(self, request: OpenRequest) -> None:
        self.loader.open_project(request)

    def _on_loader_project_opened(self, request: OpenRequest, project: Project) -> None:
        self.project, self.request = project, request
        self.painter = RegionPainter(project.config)
        self.scene.hidden_layers.clear()
        self.recent.add(request)
        self._fill_recent_menu()
        self.setWindowTitle(f"lsview - {Path(request.tasks).name}")
        self.project_changed.emit()
        self.index = -1
        if project.tasks:
            self.show_task(0)
        else:
            self.statusBar().showMessage(f"{request.tasks} holds no tasks")
        self._update_navigation()

    def _on_loader_failed(self, message: str) -> None:
        self.statusBar().showMessage(message)
        QMessageBox.warning(self, "lsview", message)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for entry in self.recent.entries():
            action = self.recent_menu.addAction(entry.tasks + (f"  ({Path(entry.config).name})" if entry.config
                                                               else ""))
            action.triggered.connect(lambda _=False, e=entry: self.open(e))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def _on_open_triggered(self) -> None:
        tasks, _ = QFileDialog.getOpenFileName(self, "Open tasks", "", "Label Studio tasks (*.json *.jsonl "
                                               "*.ndjson);;All files (*)")
        if not tasks:
            return
        config, _ = QFileDialog.getOpenFileName(self, "Labeling config (cancel: infer one from the results)",
                                                str(Path(tasks).parent), "Labeling config (*.xml);;All files (*)")
        self.open(OpenRequest(tasks, config or None))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        request = self.dropped_request(paths)
        if request is None:
            self.statusBar().showMessage("Drop a task file (.json, .jsonl) or folder, with or without its .xml "
                                         "config")
            return
        event.acceptProposedAction()
        self.open(request)

    def dropped_request(self, paths: list[Path]) -> OpenRequest | None:
        """A task file or folder plus an optional .xml config; an .xml alone re-opens the open tasks with it."""
        config = next((str(p) for p in paths if p.suffix.lower() == ".xml"), None)
        tasks = next((str(p) for p in paths if p.is_dir() or p.suffix.lower() in TASK_SUFFIXES), None)
        if tasks is None and config is not None and self.request is not None:
            return OpenRequest(self.request.tasks, config, self.request.root)
        return OpenRequest(tasks, config) if tasks is not None else None

    # ------------------------------------------------------------------ tasks

    def show_task(self, index: int) -> None:
        if self.project is None or not 0 <= index < len(self.project.tasks):
            return
        self.index = index
        self._update_navigation()
        self.loader.load_task(self.project, index, self.painter)

    def _on_loader_task_loaded(self, loaded: LoadedTask) -> None:
        if loaded.generation != self.loader.generation:
            return
        self.scene.set_task(loaded.content, loaded.image, self.painter)
        self.region_list.set_content(loaded.content, self.scene.hidden_layers)
        self.layer_list.set_content(loaded.content, self.scene.hidden_layers)
        self.view.task_shown()
        task = self.project.tasks[loaded.index]
        note = f" - image not shown: {loaded.image_problem}" if loaded.image_problem else ""
        if not loaded.content.is_image:
            note = " - no Image object in the config for this task; other objects are not drawn yet"
        self.statusBar().showMessage(f"{task.label()}: {len(loaded.content.regions())} regions{note}")
        self.task_shown.emit(loaded.index)

    def _update_navigation(self) -> None:
        count = len(self.project.tasks) if self.project is not None else 0
        self.position.setText(f" {self.index + 1:,} / {count:,} " if count else " 0 / 0 ")
        self.actions_by_name["previous_task"].setEnabled(self.index > 0)
        self.actions_by_name["next_task"].setEnabled(0 <= self.index < count - 1)
        self.actions_by_name["go_to_task"].setEnabled(count > 0)

    def _on_go_to_task_triggered(self) -> None:
        self.jump.setFocus()
        self.jump.selectAll()

    def _on_jump_return_pressed(self) -> None:
        if self.project is None:
            return
        index = find_task(self.project, self.jump.text())
        if index is None:
            self.statusBar().showMessage(f"No task number or id {self.jump.text()!r}")
            return
        self.show_task(index)
        self.view.setFocus()

    def _on_layer_list_layer_toggled(self, key: tuple[str, int], visible: bool) -> None:
        self.scene.set_layer_visible(key, visible)
        self.region_list.set_hidden_layers(self.scene.hidden_layers)

    def closeEvent(self, event) -> None:
        self.loader.wait()
        super().closeEvent(event)
