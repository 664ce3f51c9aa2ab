"""Compare: two sources of one task (a model version, the first annotation or the working annotation) matched by
viewer.core.matching, coloured by status on the canvas, the disagreements listed, and a jump to the next task
of the task list that has any.

Qt layer: ComparePanel is the dock's widget, CompareControl the wiring (to the view state, the canvas and the
task list).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDockWidget, QDoubleSpinBox, QGridLayout, QLabel,
                               QListWidget, QListWidgetItem, QWidget)

from viewer.core import matching
from viewer.core.regions import Region
from viewer.core.tasks import Task
from viewer.core.view_state import ViewState
from viewer.qt.canvas.scene import RegionScene
from viewer.qt.parts import ShowMessage
from viewer.qt.view_signals import ViewSignals

COLORS = {matching.MATCHED: "#2ca02c", matching.LABEL_DIFFERS: "#ff7f0e", matching.ONLY_A: "#d62728",
          matching.ONLY_B: "#1f77b4"}
STATUS_TEXT = {matching.MATCHED: "matched", matching.LABEL_DIFFERS: "label differs", matching.ONLY_A: "only in A",
               matching.ONLY_B: "only in B"}
WORKING, ANNOTATION, MODEL = "working", "annotation", "model"


def region_key(region: Region):
    return ((region.source, region.source_index), region.id)


def describe(region: Region | None) -> str:
    return f"{region.id} ({', '.join(region.labels) or 'no label'})" if region is not None else "-"


class ComparePanel(QWidget):
    changed = Signal()
    region_chosen = Signal(object)      # the RegionKey of a disagreement clicked in the list

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.enabled = QCheckBox("Compare")
        self.source_a, self.source_b = QComboBox(), QComboBox()
        self.iou = QDoubleSpinBox()
        self.iou.setRange(0.05, 1.0)
        self.iou.setSingleStep(0.05)
        self.iou.setValue(0.5)
        self.iou.setToolTip("Least overlap (IoU; range overlap for text spans and time-series ranges) for two regions to match")
        self.labels = QCheckBox("Compare labels")
        self.labels.setChecked(True)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.disagreements = QListWidget()
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.addWidget(self.enabled, 0, 0)
        grid.addWidget(self.labels, 0, 1)
        grid.addWidget(QLabel("A"), 1, 0)
        grid.addWidget(self.source_a, 1, 1)
        grid.addWidget(QLabel("B"), 2, 0)
        grid.addWidget(self.source_b, 2, 1)
        grid.addWidget(QLabel("IoU at least"), 3, 0)
        grid.addWidget(self.iou, 3, 1)
        grid.addWidget(self.summary, 4, 0, 1, 2)
        grid.addWidget(self.disagreements, 5, 0, 1, 2)
        for signal in (self.enabled.toggled, self.labels.toggled, self.source_a.currentIndexChanged,
                       self.source_b.currentIndexChanged, self.iou.valueChanged):
            signal.connect(self.changed)
        self.disagreements.itemClicked.connect(
            lambda item: self.region_chosen.emit(item.data(Qt.ItemDataRole.UserRole)))

    def set_sources(self, sources: list[tuple[str, str]]) -> None:
        """(title, source) pairs; A starts on the first model version, B on the working annotation when there is
        one."""
        for combo in (self.source_a, self.source_b):
            combo.blockSignals(True)
            combo.clear()
            for title, source in sources:
                combo.addItem(title, source)
            combo.blockSignals(False)
        kinds = [source.split(":", 1)[0] for _, source in sources]
        self.source_a.setCurrentIndex(kinds.index(MODEL) if MODEL in kinds else 0)
        for kind in (WORKING, ANNOTATION):
            if kind in kinds:
                self.source_b.setCurrentIndex(kinds.index(kind))
                break

    def show_matches(self, rows: list[matching.Match]) -> None:
        self.disagreements.clear()
        counts = {status: 0 for status in COLORS}
        for row in rows:
            counts[row.status] += 1
            if row.status == matching.MATCHED:
                continue
            overlap = f", overlap {row.overlap:.2f}" if row.a is not None and row.b is not None else ""
            item = QListWidgetItem(f"{STATUS_TEXT[row.status]}: {describe(row.a)} / {describe(row.b)}{overlap}")
            item.setForeground(Qt.GlobalColor.black)
            item.setBackground(_light(COLORS[row.status]))
            item.setData(Qt.ItemDataRole.UserRole, region_key(row.a if row.a is not None else row.b))
            self.disagreements.addItem(item)
        self.summary.setText(", ".join(f"{counts[status]} {STATUS_TEXT[status]}" for status in COLORS))


def _light(color: str) -> QColor:
    made = QColor(color)
    made.setAlpha(70)
    return made


class CompareControl(QObject):
    def __init__(self, state: ViewState, signals: ViewSignals,
                 add_dock: Callable[[str, QWidget, Qt.DockWidgetArea], QDockWidget], actions: dict[str, QAction],
                 scene: RegionScene, show_task: Callable[[int], None], show_message: ShowMessage, workspace):
        super().__init__(workspace)
        self.state, self.scene, self.workspace = state, scene, workspace
        self.show_task, self.show_message = show_task, show_message
        self.rows: list[matching.Match] = []
        self._next: str | None = None   # a model version to compare when the next project opens
        self.panel = ComparePanel()
        self.dock = add_dock("Compare", self.panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.panel.changed.connect(self.apply)
        self.panel.region_chosen.connect(self._on_panel_region_chosen)
        signals.task_shown.connect(lambda _index: self.apply())
        actions["next_disagreement"].triggered.connect(self.next_disagreement)
        toggle = actions["compare"]
        toggle.toggled.connect(self.panel.enabled.setChecked)
        self.panel.enabled.toggled.connect(toggle.setChecked)

    def compare_next(self, model_version: str) -> None:
        """When the next project's sources are known, compare this model version (A) with a stored one (B; else
        the working annotation), Compare on: fresh predictions are opened to be set against the stored ones."""
        self._next = model_version

    def project_opened(self, project, model_versions: list[str]) -> None:
        # Sources are "kind:which" strings: Qt hands Python tuples back from item data as lists.
        sources = [(f"Model {version}", f"{MODEL}:{version}") for version in model_versions]
        sources.append(("Annotation 1", f"{ANNOTATION}:0"))
        if self.state.review is not None:
            sources.append(("Working annotation", f"{WORKING}:"))
        self.panel.set_sources(sources)
        wanted, self._next = self._next, None
        if wanted in model_versions:
            panel = self.panel
            panel.source_a.setCurrentIndex(panel.source_a.findData(f"{MODEL}:{wanted}"))
            stored = [version for version in model_versions if version != wanted]
            if stored:
                panel.source_b.setCurrentIndex(panel.source_b.findData(f"{MODEL}:{stored[0]}"))
            panel.enabled.setChecked(True)
            self.dock.raise_()   # its tab in front: the matches listed
        self.apply()

    def regions(self, source: str, task: Task) -> list[Region]:
        kind, which = source.split(":", 1)
        if kind == WORKING:
            review = self.state.review
            return list(review.session.working_regions(task).regions) if review is not None else []
        found = []
        for result_set, region_set in self.state.project.regions(task):
            if kind == MODEL:
                wanted = result_set.source == "prediction" and (result_set.model_version or "undefined") == which
            else:
                wanted = result_set.source == "annotation" and str(result_set.index) == which
            if wanted:
                found.extend(region_set.regions)
        return found

    def compare(self, task: Task) -> list[matching.Match]:
        a, b = self.panel.source_a.currentData(), self.panel.source_b.currentData()
        if a is None or b is None:
            return []
        return matching.compare(self.state.project, task, self.regions(a, task), self.regions(b, task),
                                self.panel.iou.value(), self.panel.labels.isChecked())

    def apply(self) -> None:
        """Compare the task shown and colour its regions (or stop colouring when Compare is off)."""
        task = self.state.task()
        on = self.panel.enabled.isChecked() and task is not None
        self.rows = self.compare(task) if on else []
        colors = {}
        for row in self.rows:
            for region in (row.a, row.b):
                if region is not None:
                    colors[region_key(region)] = COLORS[row.status]
        self.scene.set_overrides(colors)
        self.panel.show_matches(self.rows)
        if not on:
            self.panel.summary.setText("")

    def next_disagreement(self) -> int | None:
        """Show the next task of the list, after the one shown, whose sources disagree; its index, or None."""
        project, order = self.state.project, self.workspace.order
        if project is None:
            return None
        row = self.workspace.panel.model.row_of(self.state.index)
        start = 0 if row is None else row + 1
        for index in order[start:]:
            if any(match.status != matching.MATCHED for match in self.compare(project.tasks[index])):
                self.panel.enabled.setChecked(True)
                self.show_task(index)
                return index
        self.show_message("No later task in the list has a disagreement")
        return None

    def _on_panel_region_chosen(self, key) -> None:
        self.state.select(key, again=True)
