"""The confidence threshold: ScoreThreshold (one level for all regions, one per label) and ThresholdPanel, its
slider, per-label table, fade-or-hide choice, live counts and the "accept all shown" buttons.

Qt layer; ScoreThreshold itself is plain Python so the window and the accept commands read the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QGridLayout, QHeaderView, QLabel, QPushButton, QSlider,
                               QTableWidget, QTableWidgetItem, QWidget)

from viewer.core.regions import Region

STEPS = 100     # slider positions: scores to two decimals
FADE, HIDE = "fade", "hide"


@dataclass
class ScoreThreshold:
    """A region is below when its score is under the all-regions level or under any of its labels' levels."""

    overall: float = 0.0
    per_label: dict[str, float] = field(default_factory=dict)

    def level(self, labels) -> float:
        return max([self.overall] + [self.per_label.get(label, 0.0) for label in labels])

    def below(self, region: Region, score: float | None) -> bool:
        # A region without a score is never set aside: there is nothing to judge it by.
        return score is not None and score < self.level(region.labels)

    @property
    def active(self) -> bool:
        return self.overall > 0 or any(self.per_label.values())


class ThresholdPanel(QWidget):
    changed = Signal()
    accept_task_requested = Signal()
    accept_filtered_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, STEPS)
        self.slider.setToolTip("Prediction regions scoring under this are faded or hidden")
        self.level = QLabel("0.00")
        self.mode = QComboBox()
        self.mode.addItem("Fade below", FADE)
        self.mode.addItem("Hide below", HIDE)
        self.labels = QTableWidget(0, 2)
        self.labels.setHorizontalHeaderLabels(["Label", "At least"])
        self.labels.verticalHeader().hide()
        self.labels.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts = QLabel("")
        self.accept_task = QPushButton("Accept shown in task")
        self.accept_task.setToolTip("Accept this task's undecided prediction regions that are shown, as one step")
        self.accept_filtered = QPushButton("Accept shown in listed tasks")
        self.accept_filtered.setToolTip("Accept the undecided prediction regions at or above the threshold in "
                                        "every task of the task list's filter, as one step")
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.addWidget(QLabel("All regions"), 0, 0)
        grid.addWidget(self.slider, 0, 1)
        grid.addWidget(self.level, 0, 2)
        grid.addWidget(self.mode, 1, 0)
        grid.addWidget(self.counts, 1, 1, 1, 2)
        grid.addWidget(self.labels, 2, 0, 1, 3)
        grid.addWidget(self.accept_task, 3, 0, 1, 3)
        grid.addWidget(self.accept_filtered, 4, 0, 1, 3)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.mode.currentIndexChanged.connect(self.changed)
        self.accept_task.clicked.connect(self.accept_task_requested)
        self.accept_filtered.clicked.connect(self.accept_filtered_requested)

    def set_labels(self, labels: list[str]) -> None:
        self.labels.setRowCount(len(labels))
        for row, label in enumerate(labels):
            name = QTableWidgetItem(label)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.labels.setItem(row, 0, name)
            box = QDoubleSpinBox()
            box.setRange(0.0, 1.0)
            box.setSingleStep(0.05)
            box.setDecimals(2)
            box.valueChanged.connect(self.changed)
            self.labels.setCellWidget(row, 1, box)

    def label_box(self, label: str) -> QDoubleSpinBox | None:
        for row in range(self.labels.rowCount()):
            if self.labels.item(row, 0).text() == label:
                return self.labels.cellWidget(row, 1)
        return None

    def threshold(self) -> ScoreThreshold:
        per_label = {self.labels.item(row, 0).text(): self.labels.cellWidget(row, 1).value()
                     for row in range(self.labels.rowCount())}
        return ScoreThreshold(self.slider.value() / STEPS, {k: v for k, v in per_label.items() if v > 0})

    def step(self, steps: int) -> None:
        """Move the all-regions level by `steps` of 0.05."""
        self.slider.setValue(self.slider.value() + steps * STEPS // 20)

    def hides(self) -> bool:
        return self.mode.currentData() == HIDE

    def show_counts(self, shown: int, below: int) -> None:
        verb = "hidden" if self.hides() else "faded"
        self.counts.setText(f"{shown:,} shown, {below:,} {verb}")

    def _on_slider_value_changed(self, value: int) -> None:
        self.level.setText(f"{value / STEPS:.2f}")
        self.changed.emit()
