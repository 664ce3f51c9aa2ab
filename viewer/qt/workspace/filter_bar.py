"""FilterBar: the task list's filter controls (status, model version, label, lowest-score range, diagnostics,
text search), giving one core TaskFilter.

Qt layer. The search waits for a pause in typing: its first run reads every task's data.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from viewer.core.review.store import STATUS_NAMES, STATUSES
from viewer.core.task_index import TaskFilter

ANY = "Any"
SEARCH_PAUSE_MS = 300


class FilterBar(QWidget):
    filter_changed = Signal(object)   # the new TaskFilter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.status = QComboBox()
        self.status.addItem(ANY, None)
        for status in STATUSES:
            self.status.addItem(STATUS_NAMES[status], status)
        self.model_version = QComboBox()
        self.label = QComboBox()
        # The ends of the range mean "no bound", so tasks without scores stay in until a bound is set.
        self.min_score, self.max_score = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value in ((self.min_score, 0.0), (self.max_score, 1.0)):
            box.setRange(0.0, 1.0)
            box.setSingleStep(0.05)
            box.setDecimals(2)
            box.setValue(value)
        self.min_score.setToolTip("Lowest region score at least this (0: no bound)")
        self.max_score.setToolTip("Lowest region score at most this (1: no bound)")
        self.diagnostics_only = QCheckBox("With diagnostics")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search task data")
        self.search.setClearButtonEnabled(True)
        self.count = QLabel("")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._quiet = False
        self.set_choices([], [])

        # One row, so the task table below keeps its rows in the default dock height; the combos size to a few
        # characters and show the whole value in their pop-up.
        for combo in (self.status, self.model_version, self.label):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.diagnostics_only.setToolTip("Only tasks with diagnostics")
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 2, 2, 2)
        row.addWidget(self.search, 3)
        for caption, widget in (("Status", self.status), ("Model", self.model_version), ("Label", self.label),
                                ("Lowest score", self.min_score), ("to", self.max_score)):
            row.addWidget(QLabel(caption))
            row.addWidget(widget, 1 if isinstance(widget, QComboBox) else 0)
        row.addWidget(self.diagnostics_only)
        row.addWidget(self.count)

        for combo in (self.status, self.model_version, self.label):
            combo.currentIndexChanged.connect(self._emit)
        self.min_score.valueChanged.connect(self._emit)
        self.max_score.valueChanged.connect(self._emit)
        self.diagnostics_only.toggled.connect(self._emit)
        self.search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self._emit)

    def set_choices(self, model_versions: list[str], labels: list[str]) -> None:
        """The project's model versions and labels; a choice no longer offered goes back to Any."""
        self._quiet = True
        for combo, values in ((self.model_version, model_versions), (self.label, labels)):
            kept = combo.currentData()
            combo.clear()
            combo.addItem(ANY, None)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(combo.findData(kept), 0) if kept is not None else 0)
        self._quiet = False

    def rule(self) -> TaskFilter:
        status = self.status.currentData()
        low, high = self.min_score.value(), self.max_score.value()
        return TaskFilter(statuses=frozenset({status}) if status else frozenset(),
                          model_version=self.model_version.currentData(), label=self.label.currentData(),
                          min_score=low if low > 0 else None, max_score=high if high < 1 else None,
                          diagnostics_only=self.diagnostics_only.isChecked(), search=self.search.text())

    def set_rule(self, rule: TaskFilter) -> None:
        """Show `rule` (a remembered filter); one filter_changed at the end."""
        self._quiet = True
        status = next(iter(rule.statuses), None)
        self.status.setCurrentIndex(max(self.status.findData(status), 0) if status else 0)
        for combo, value in ((self.model_version, rule.model_version), (self.label, rule.label)):
            if value is not None and combo.findData(value) < 0:
                combo.addItem(value, value)
            combo.setCurrentIndex(combo.findData(value) if value is not None else 0)
        self.min_score.setValue(rule.min_score or 0.0)
        self.max_score.setValue(1.0 if rule.max_score is None else rule.max_score)
        self.diagnostics_only.setChecked(rule.diagnostics_only)
        self.search.setText(rule.search)
        self._search_timer.stop()
        self._quiet = False
        self._emit()

    def _emit(self) -> None:
        if not self._quiet:
            self._search_timer.stop()
            self.filter_changed.emit(self.rule())
