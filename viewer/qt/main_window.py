"""MainWindow: wiring only. Connects the loader, the canvas or data view, the side panels (regions, layers,
legend, whole-object results), the review desk, actions, menus, progress and recent files.

Qt layer. Loading is the Loader's, drawing the painter's and the scene's, viewing the CanvasView's, what is
hidden the Visibility's.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QLabel, QLineEdit, QMainWindow, QMenu, QMessageBox,
                               QProgressBar, QStackedWidget, QToolBar, QToolButton, QVBoxLayout, QWidget)

from viewer.core.project import Project
from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.actions import make_actions
from viewer.qt.audio_page import AudioPage
from viewer.qt.canvas_room import FocusCanvas, give_canvas_room, keep_on_screen, scrolling
from viewer.qt.canvas.editing.install import Editing
from viewer.qt.canvas.scene import RegionScene
from viewer.qt.canvas.tag_placer import TagPlacer
from viewer.qt.canvas.view import ZOOM_STEP, CanvasView
from viewer.qt.loader import LoadedTask, Loader, OpenRequest
from viewer.qt.ml_predict import Predictor
from viewer.qt.opening import demo_request, dropped_request, find_task, task_summary
from viewer.qt.parts import menu_titled
from viewer.qt.review.desk import ReviewDesk
from viewer.qt.review.review_actions import REVIEW_MENU, ReviewActions
from viewer.qt.settings import RecentFiles, WindowLayout, default_settings
from viewer.qt.shortcuts import ShortcutMap
from viewer.qt.status_line import MessageBar
from viewer.qt.task_names import task_name
from viewer.qt.series_page import SeriesPage
from viewer.qt.text_page import TextPage
from viewer.qt.video_page import VideoPage
from viewer.qt.view_signals import StateAttribute, ViewSignals
from viewer.qt.widgets.data_view import DataView
from viewer.qt.widgets.inferred_config_bar import InferredConfigBar
from viewer.qt.widgets.keyboard_dialog import KeyboardDialog
from viewer.qt.widgets.layer_list import LayerList
from viewer.qt.widgets.legend import Legend
from viewer.qt.widgets.region_list import RegionList
from viewer.qt.widgets.results_panel import ResultsPanel
from viewer.qt.workspace import Workspace
from viewer.qt.workspace.diagnostics_panel import DiagnosticsPanel, add_diagnostics_dock
from viewer.render.content import TaskContent
from viewer.render.painter import RegionPainter

PROGRESS_EVERY_S = 0.1


class MainWindow(QMainWindow):
    project_changed = Signal()
    task_shown = Signal(int)

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.setWindowTitle("lsview")
        screen = self.screen().availableGeometry()
        self.resize(min(1440, screen.width() * 9 // 10), min(860, screen.height() * 9 // 10))
        self.setAcceptDrops(True)
        # tooltips show on hover while another window has the focus (Qt shows them in the active window only)
        self.setAttribute(Qt.WidgetAttribute.WA_AlwaysShowToolTips, True)
        self.setStatusBar(MessageBar(self))   # its message ends in "…" before the zoom and session fields
        # project, task shown, page, content, review and selection live in the state; the window's attributes of
        # those names read and write it
        self.state = ViewState()
        self.signals = ViewSignals(self.state, self)
        self.signals.project_changed.connect(self._on_signals_project_changed)
        self.signals.task_shown.connect(self._on_signals_task_shown)
        self.request: OpenRequest | None = None
        self.painter: RegionPainter | None = None
        self.settings = settings if settings is not None else default_settings()
        self.recent = RecentFiles(self.settings)
        self.keyboard_dialog: KeyboardDialog | None = None
        self._progress_shown = 0.0

        self.visibility = Visibility()
        self.loader = Loader(self)
        self.scene = RegionScene(self, self.visibility)
        self.view = CanvasView(self.scene, self)
        self.tag_placer = TagPlacer(self.view, self.scene, self)
        self.view.setAcceptDrops(False)  # drops go to the window, which opens them
        self.data_view = DataView(self)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.view)
        self.central.addWidget(self.data_view)
        # above the canvas: the notice while the config is a guess from the results
        self.config_bar = InferredConfigBar(self.state, self.signals, self)
        self.config_bar.config_picked.connect(self._on_config_bar_config_picked)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(0)
        middle_layout.addWidget(self.config_bar)
        middle_layout.addWidget(self.central, 1)
        self.setCentralWidget(middle)
        self.region_list = RegionList(self)
        self.layer_list = LayerList(self)
        self.legend = Legend(self)
        self.results = ResultsPanel(self)
        self.docks: dict[str, QDockWidget] = {}
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.add_dock("Layers", self.layer_list, left)
        self.add_dock("Legend", self.legend, left)
        self.add_dock("Regions", self.region_list, right)
        self.add_dock("Results", self.results, right)
        self.resizeDocks([self.docks["Layers"], self.docks["Legend"]], [150, 450], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["Regions"], self.docks["Results"]], [420, 180], Qt.Orientation.Vertical)

        self.actions_by_name = make_actions(self)
        self.position = QLabel("")
        self.page_label = QLabel("")
        self.jump = QLineEdit()
        self.jump.setPlaceholderText("task # or id")
        self.jump.setMaximumWidth(110)
        self.zoom_label = QLabel("")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.cancel_download = QToolButton(text="Cancel", toolTip="Stop the download; the task shows without its image")
        self.cancel_download.hide()
        self.statusBar().addPermanentWidget(self.cancel_download)
        self.statusBar().addPermanentWidget(self.config_bar.status_label)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.recent_menu = QMenu("Open &Recent", self)
        self._build_menus()
        self._build_toolbar()
        self._connect()
        show_message = self.statusBar().showMessage
        # Text, HyperText and Paragraphs tasks
        self.text_page = TextPage(self.state, self.signals, self.visibility, central=self.central,
                                  region_list=self.region_list, layer_list=self.layer_list, legend=self.legend,
                                  show_message=show_message)
        self.actions_by_name["show_tags"].toggled.connect(self.text_page.view.set_tags_shown)
        # TimeSeries tasks
        self.series_page = SeriesPage(self.state, self.signals, self.visibility, central=self.central,
                                      region_list=self.region_list, layer_list=self.layer_list, legend=self.legend,
                                      show_message=show_message)
        self.actions_by_name["show_tags"].toggled.connect(self.series_page.set_tags_shown)
        # Video tasks: the player, its timeline and keyframe edits
        self.video_page = VideoPage(self.state, self.signals, self.visibility, central=self.central,
                                    actions=self.actions_by_name, painter=lambda: self.painter,
                                    region_list=self.region_list, layer_list=self.layer_list, legend=self.legend,
                                    show_message=show_message)
        self.video_page.player.view.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom:.0%}"))
        # Audio tasks: the waveform and its segments
        self.audio_page = AudioPage(self.state, self.signals, self.visibility, central=self.central,
                                    region_list=self.region_list, layer_list=self.layer_list, legend=self.legend,
                                    actions=self.actions_by_name, show_message=show_message)
        self.actions_by_name["show_tags"].toggled.connect(self.audio_page.set_tags_shown)
        self.pages = (self.text_page, self.series_page, self.video_page, self.audio_page)  # the canvas area's others
        # the session: sets self.review, the ReviewController (None without a session)
        self.review_desk = ReviewDesk(self.state, self.signals, actions=self.actions_by_name, scene=self.scene,
                                      view=self.view, region_list=self.region_list, results=self.results,
                                      reader=self.text_page, player=self.video_page, show_message=show_message,
                                      parent=self)
        self.review_actions = ReviewActions(self.review_desk, self.state, self.visibility,
                                            actions=self.actions_by_name, show_task=self.show_task,
                                            show_message=show_message, parent=self)
        self.importer = None  # File > Import predictions: made when first used (it loads the import machinery)
        self.puller = None    # File > Open from Label Studio: made when first used (it loads the HTTP client)
        # Under the canvas, a row of its own: the note needs the width, and the top rows are for navigation
        # and the canvas tools.
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.review_desk.bar)
        self.statusBar().addPermanentWidget(self.review_desk.session_label)
        self.review_desk.bar.note_finished.connect(lambda: self.central.currentWidget().setFocus())
        self.text_page.spans_listed.connect(self.review_desk.refresh_marks)  # marks on the spans listed now
        self.video_page.regions_listed.connect(self.review_desk.refresh_marks)
        self.signals.layer_changed.connect(self._on_signals_layer_changed)
        self.installEventFilter(self.review_desk)  # the lead time counts while the window is active
        self._update_navigation()
        # canvas tools, Region panel, text spans: they edit through the state's review
        self.editing = Editing(self.state, self.signals, self, actions=self.actions_by_name, view=self.view,
                               scene=self.scene, text=self.text_page, video=self.video_page,
                               painter=lambda: self.painter, show_message=show_message, parent=self)
        self.audio_page.working_selected.connect(self.editing.region_editor.show_region)
        # task list, filter-driven navigation, threshold, compare, statistics
        self.workspace = Workspace(self.state, self.signals, self, actions=self.actions_by_name,
                                   settings=self.settings, show_task=self.show_task, show_message=show_message,
                                   scene=self.scene, visibility=self.visibility, region_list=self.region_list,
                                   results=self.results, text=self.text_page, parent=self)
        # Review > Predict: the open tasks sent to an ML backend; the predicted copy opens with this session
        self.predictor = Predictor(self, self.state, self.settings, current=lambda: self.request,
                                   listed=lambda: self.workspace.order, open_request=self.open,
                                   compare_new=self.workspace.compare.compare_next,
                                   show_message=self.statusBar().showMessage)
        review_menu = menu_titled(self, "&Review")
        review_menu.addSeparator()
        self._add_actions(review_menu, ("predict_task", "predict_listed", "ml_backend"))
        self.actions_by_name["predict_task"].triggered.connect(self.predictor.predict_task)
        self.actions_by_name["predict_listed"].triggered.connect(self.predictor.predict_listed)
        self.actions_by_name["ml_backend"].triggered.connect(self.predictor.configure)
        # what validate reports, the shown task's or all (as the task list's check finds them), by the task list
        self.diagnostics = DiagnosticsPanel(self.state, self.signals, self.workspace.filler, show_task=self.show_task,
                                            reveal=self.view.reveal)
        add_diagnostics_dock(self, self.diagnostics)
        # every panel in one place, made once the last dock exists (a closed panel is found here, Region too)
        view_menu = menu_titled(self, "&View")
        view_menu.addSeparator()
        panels = view_menu.addMenu("&Panels")
        for dock in self.docks.values():
            panels.addAction(dock.toggleViewAction())
        # Every action exists and sits in its menu now: bind the user's keys, then put the docks where they were.
        self.shortcuts = ShortcutMap(self.actions_by_name, self.settings, self)
        if self.shortcuts.notes:
            self.statusBar().showMessage("; ".join(self.shortcuts.notes))
        self._add_actions(self.menuBar().addMenu("&Help"), ("keyboard_help",))
        self.actions_by_name["keyboard_help"].triggered.connect(self.show_keyboard_help)
        self.layout_memory = WindowLayout(self.settings)
        # without a remembered layout the docks get their default sizes once the window has its size
        self._room_given = self.layout_memory.restore(self.restoreGeometry, self.restoreState)
        keep_on_screen(self)
        self.focus = FocusCanvas(self.actions_by_name["focus_canvas"], self.saveState, self.restoreState,
                                 self._panes, self)
        self.focus.restored.connect(self._update_navigation)  # the page bar is for multi-image tasks only

    def add_dock(self, title: str, widget, area: Qt.DockWidgetArea, width: int | None = None) -> QDockWidget:
        """A dock named `title` (its name in the saved layout too), kept in self.docks."""
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setAttribute(Qt.WidgetAttribute.WA_AlwaysShowToolTips, True)  # a floating dock is a window too
        dock.setWidget(scrolling(widget))
        self.addDockWidget(area, dock)
        if width is not None:
            self.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        self.docks[title] = dock
        return dock

    def _panes(self) -> list:
        """Every dock and tool bar: what Focus canvas hides."""
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        return self.findChildren(QDockWidget, options=direct) + self.findChildren(QToolBar, options=direct)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._room_given:
            self._room_given = True
            give_canvas_room(self.resizeDocks, self.docks.values(), self.dockWidgetArea, self.width(), self.height())

    def _build_menus(self) -> None:
        a = self.actions_by_name
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(a["open"])
        file_menu.addAction(a["open_server"])
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(a["import_predictions"])
        file_menu.addAction(a["export"])
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])
        self._add_actions(self.menuBar().addMenu("&Edit"), ("undo", "redo"))
        view_menu = self.menuBar().addMenu("&View")
        self._add_actions(view_menu, ("fit", "actual_size", "zoom_in", "zoom_out", None, "show_tags",
                                      "show_transcriptions", "show_relations", None, "focus_canvas", None,
                                      "play_segment", None))
        self._add_actions(self.menuBar().addMenu("V&ideo"), ("video_play", None, "video_back", "video_forward",
                                                            "video_back_10", "video_forward_10", "video_first",
                                                            "video_last", None, "video_toggle_keyframe"))
        go_menu = self.menuBar().addMenu("&Go")
        self._add_actions(go_menu, ("previous_task", "next_task", "go_to_task", None, "previous_page", "next_page"))
        self._add_actions(self.menuBar().addMenu("&Review"), REVIEW_MENU)
        self._fill_recent_menu()

    def _add_actions(self, menu: QMenu, names) -> None:
        """Actions by name into a menu; None is a separator."""
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions_by_name[name])

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
        for name in ("fit", "actual_size", "show_tags", "show_relations"):
            bar.addAction(a[name])
        self.addToolBar(bar)
        # a bar of its own, shown only for multi-image tasks
        self.page_bar = QToolBar("Pages", self)
        self.page_bar.setObjectName("pages")
        self.page_bar.addAction(a["previous_page"])
        self.page_bar.addWidget(self.page_label)
        self.page_bar.addAction(a["next_page"])
        self.addToolBar(self.page_bar)

    def _connect(self) -> None:
        a = self.actions_by_name
        a["open"].triggered.connect(self._on_open_triggered)
        a["import_predictions"].triggered.connect(self._on_import_predictions_triggered)
        a["open_server"].triggered.connect(self._on_open_server_triggered)
        a["quit"].triggered.connect(self.close)
        a["previous_task"].triggered.connect(lambda: self.show_task(self.index - 1))
        a["next_task"].triggered.connect(lambda: self.show_task(self.index + 1))
        a["go_to_task"].triggered.connect(self._on_go_to_task_triggered)
        a["previous_page"].triggered.connect(lambda: self.show_page(self.page - 1))
        a["next_page"].triggered.connect(lambda: self.show_page(self.page + 1))
        canvas_zooms = {"fit": self.view.fit, "actual_size": self.view.actual_size,
                        "zoom_in": lambda: self.view.zoom_by(ZOOM_STEP),
                        "zoom_out": lambda: self.view.zoom_by(1 / ZOOM_STEP)}
        for name, act in canvas_zooms.items():   # the shown page's own zoom, else the image canvas's
            a[name].triggered.connect(lambda _=False, name=name, act=act: any(
                page.zoom(name) for page in self.pages) or act())
        a["show_tags"].toggled.connect(self.scene.set_tags_shown)
        a["show_transcriptions"].toggled.connect(self.scene.set_transcriptions_shown)
        a["show_relations"].toggled.connect(self.scene.set_relations_shown)
        self.jump.returnPressed.connect(self._on_jump_return_pressed)
        self.loader.project_opened.connect(self._on_loader_project_opened)
        self.loader.task_loaded.connect(self._on_loader_task_loaded)
        self.loader.failed.connect(self._on_loader_failed)
        self.loader.progressed.connect(self._on_loader_progressed)
        self.loader.finished.connect(self.progress.hide)
        self.loader.download_started.connect(self.cancel_download.show)
        self.loader.finished.connect(self.cancel_download.hide)
        self.cancel_download.clicked.connect(self.loader.cancel_download)
        # one selection: what a view's user picks goes to the state, which every view then shows
        self.scene.selection_changed_to.connect(self._on_view_region_chosen)
        self.region_list.region_chosen.connect(self._on_view_region_chosen)
        self.results.result_chosen.connect(self._on_view_region_chosen)
        self.region_list.region_chosen.connect(self.view.reveal)   # chosen in a list: scrolled into view
        self.signals.selection_changed.connect(self._on_signals_selection_changed)
        self.signals.selection_changed.connect(self.tag_placer.set_selected)
        self.region_list.region_toggled.connect(self._on_region_list_region_toggled)
        self.layer_list.layer_toggled.connect(self._on_layer_list_layer_toggled)
        self.legend.label_toggled.connect(self._on_legend_label_toggled)
        self.view.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom:.0%}"))

    # ------------------------------------------------------------------ the view state's parts

    project = StateAttribute()
    index = StateAttribute()
    page = StateAttribute()
    content = StateAttribute("set_content")
    review = StateAttribute("set_review")  # the review controller (the edit target), None without a session

    def _on_signals_project_changed(self) -> None:
        self.project_changed.emit()

    def _on_signals_task_shown(self, index: int) -> None:
        self.task_shown.emit(index)

    def _on_view_region_chosen(self, key) -> None:
        # again: the view may show what the state already holds after its items or rows were made anew
        self.state.select(key, again=True)

    def _on_signals_layer_changed(self, content: TaskContent, key) -> None:
        # one layer changed in place (the working annotation after a review command): the text, time-series, video
        # and audio pages list their own spans, ranges, tracks and segments when shown
        if not any(page.active for page in self.pages):
            if content.is_image:
                self.scene.update_layer(content, key, self.painter)
            self.region_list.update_layer(content, key, self.visibility)
            self.layer_list.set_content(content, self.visibility)
            self.legend.set_content(content, self.visibility)
        self.results.set_content(self.project.config, content, self.visibility, keep_selection=True)

    def _on_signals_selection_changed(self, key) -> None:
        # all stay silent, so this does not come back as a choice
        if self.scene.selected_key() != key:
            self.scene.select(key)
        if self.region_list.selected_key() != key:
            self.region_list.select(key)
        if self.results.selected_key() != key:
            self.results.select(key)

    # ------------------------------------------------------------------ opening

    def open_demo(self) -> None:
        self.open(demo_request())

    def open(self, request: OpenRequest) -> None:
        self.loader.open_project(request)

    def _on_loader_progressed(self, message: str, done: int, total: int) -> None:
        # A step between the first and the last shows only every PROGRESS_EVERY_S: each repaints the bar, and
        # the reader sends hundreds of them (0.1 s of the GUI thread for 100,000 tasks).
        now = time.monotonic()
        if 0 < done < total and self.progress.isVisible() and now - self._progress_shown < PROGRESS_EVERY_S:
            return
        self._progress_shown = now
        self.statusBar().showMessage(message)
        if total < 0:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.show()

    def _on_loader_project_opened(self, request: OpenRequest, project: Project) -> None:
        self.request = request
        self.painter = RegionPainter(project.config)
        self.visibility.clear()
        self.legend.set_config(project.config, self.painter.styles)
        self.recent.add(request)
        self._fill_recent_menu()
        self.setWindowTitle(f"lsview - {Path(request.tasks).name}")
        # the session first, so what follows the project finds the project's review open
        start = self.review_desk.project_opened(request, project)  # where the reviewer stopped last time
        self.state.open_project(project)  # project_changed
        if project.tasks:
            self.show_task(start)
        else:
            self.statusBar().showMessage(f"{request.tasks} holds no tasks")
        self._update_navigation()

    def _on_loader_failed(self, message: str) -> None:
        self.statusBar().showMessage(message)
        QMessageBox.warning(self, "lsview", message)

    def _fill_recent_menu(self) -> None:
        dropped = self.recent.prune()
        if dropped:
            entries = "1 entry" if len(dropped) == 1 else f"{len(dropped)} entries"
            self.statusBar().showMessage(f"Open Recent: removed {entries} whose file is gone: {', '.join(dropped)}")
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

    def _on_import_predictions_triggered(self) -> None:
        if self.importer is None:
            from viewer.qt.import_predictions import PredictionImporter

            # opens the task file it wrote
            self.importer = PredictionImporter(self, self.open, self.statusBar().showMessage)
        self.importer.ask(self.request)

    def _on_open_server_triggered(self) -> None:
        if self.puller is None:
            from viewer.qt.open_from_server import ServerPuller

            self.puller = ServerPuller(self, self.open, self.statusBar().showMessage)  # opens the pulled folder
        self.puller.ask()

    def _on_config_bar_config_picked(self, config: str) -> None:
        # the same tasks, media and session, now read with the real config
        if self.request is not None:
            self.open(OpenRequest(self.request.tasks, config, self.request.root, self.request.session))

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
        return dropped_request(paths, self.request)

    # ------------------------------------------------------------------ tasks

    def show_task(self, index: int, page: int = 0) -> None:
        if self.project is None or not 0 <= index < len(self.project.tasks):
            return
        self.index, self.page = index, page
        self._update_navigation()
        self.loader.load_task(self.project, index, self.painter, page)

    def show_page(self, page: int) -> None:
        """Another image of the multi-image task shown (pages count from 0, like item_index)."""
        if self.content is not None and 0 <= page < self.content.page_count and page != self.content.page:
            self.show_task(self.index, page)

    def _on_loader_task_loaded(self, loaded: LoadedTask) -> None:
        if loaded.generation != self.loader.generation:
            return
        loaded = self.review_desk.task_loaded(loaded)  # the working annotation joins as a layer
        content = self.content = loaded.content
        self.page = content.page
        self.visibility.start_task(content)
        if content.is_image:
            self.scene.set_task(content, loaded.image, self.painter)
            self.central.setCurrentWidget(self.view)
            self.view.task_shown()
        else:
            self.scene.clear_task()
            self.state.select(None)  # the scene drops its items silently; nothing of the last task stays chosen
            self.data_view.show_data(loaded.data_note, loaded.data_text)
            self.central.setCurrentWidget(self.data_view)
        self.region_list.set_content(content, self.visibility)
        self.layer_list.set_content(content, self.visibility)
        self.legend.set_content(content, self.visibility)
        self.results.set_content(self.project.config, content, self.visibility)
        self._update_navigation()
        self.statusBar().showMessage(task_summary(self.project, loaded, len(self.visibility.hidden_regions)))
        self.text_page.task_loaded(loaded)
        self.series_page.task_loaded(loaded)
        self.video_page.task_loaded(loaded)
        self.audio_page.task_loaded(loaded)
        self.state.shown(loaded.index)  # task_shown

    def _update_navigation(self) -> None:
        a = self.actions_by_name
        count = len(self.project.tasks) if self.project is not None else 0
        self.position.setText(f" {task_name(self.index, count=count)} " if count else " No tasks ")
        a["previous_task"].setEnabled(self.index > 0)
        a["next_task"].setEnabled(0 <= self.index < count - 1)
        a["go_to_task"].setEnabled(count > 0)
        content = self.content
        multi = content is not None and content.multi_page
        self.page_bar.setVisible(multi)
        self.page_label.setText(f" page {content.page + 1} of {content.page_count} " if multi else "")
        a["previous_page"].setEnabled(multi and content.page > 0)
        a["next_page"].setEnabled(multi and content.page < content.page_count - 1)
        drawn = content is None or content.is_image or self.video_page.active
        for name in ("fit", "actual_size", "zoom_in", "zoom_out"):
            a[name].setEnabled(drawn)

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

    # ------------------------------------------------------------------ what is hidden

    def _on_layer_list_layer_toggled(self, key: tuple[str, int], visible: bool) -> None:
        self.visibility.set_layer(key, visible)
        self._apply_visibility()

    def _on_legend_label_toggled(self, key: tuple[str | None, str], visible: bool) -> None:
        self.visibility.set_label(key, visible)
        self._apply_visibility()

    def _on_region_list_region_toggled(self, key, visible: bool) -> None:
        self.visibility.set_region(key, visible)
        self._apply_visibility()

    def _apply_visibility(self) -> None:
        self.scene.apply_visibility()
        self.region_list.apply_visibility(self.visibility)
        self.results.apply_visibility(self.visibility)
        self.text_page.apply_visibility()
        self.series_page.apply_visibility()
        self.video_page.apply_visibility()
        self.audio_page.apply_visibility()

    def show_keyboard_help(self) -> KeyboardDialog:
        """The cheat sheet (one, not modal), listing the open project's label hotkeys too."""
        config = self.project.config if self.project is not None else None
        if self.keyboard_dialog is None:
            self.keyboard_dialog = KeyboardDialog(self.shortcuts, config, self)
            self.project_changed.connect(self._on_project_changed)
        else:
            self.keyboard_dialog.set_config(config)
        self.keyboard_dialog.show()
        self.keyboard_dialog.raise_()
        self.keyboard_dialog.activateWindow()
        return self.keyboard_dialog

    def _on_project_changed(self) -> None:
        if self.keyboard_dialog.isVisible():
            self.keyboard_dialog.set_config(self.project.config if self.project is not None else None)

    def closeEvent(self, event) -> None:
        self.layout_memory.save(self.saveGeometry(), self.focus.layout_state())
        self.workspace.close()
        self.loader.wait()
        self.video_page.shut()
        self.review_desk.close()
        super().closeEvent(event)
