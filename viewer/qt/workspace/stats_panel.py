"""StatisticsPanel: the QA figures of the tasks the task list shows, as plots drawn in the app: regions per label,
a model version's score histogram per label, review decisions per label and per score bucket, and the estimated
precision per label at each score threshold.

Qt layer; every number comes from viewer.core.stats (through StatsIndex), the same figures `lsview report` writes.
The panel scrolls itself (its dock adds no second scroll area): the plots share the height it shows and keep their
axes down to their least height, below which it scrolls.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from viewer.core.review.store import STATUS_NAMES
from viewer.core.stats import BUCKET_NAMES, DECISIONS, THRESHOLDS, Figures
from viewer.core.stats_index import ANNOTATIONS
from viewer.qt.widgets.elided_label import ElidedLabel
from viewer.qt.workspace.charts import GROUPED, LINES, STACKED, Chart

DECISION_COLORS = {"accepted": "#2ca02c", "edited": "#1f77b4", "rejected": "#d62728", "added": "#9467bd"}
CHART_WIDTH = 300               # the plots go side by side as long as each gets this much


class StatisticsPanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.figures: Figures | None = None
        # one line: a wrapping label would make the panel ask its height for its width, and the scroll area
        # then gives the plots their full height whatever the dock's
        self.scope = ElidedLabel()
        self.version = QComboBox()
        self.version.setToolTip("The model version whose scores, decisions and precision are plotted")
        self.version.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.version.setMinimumContentsLength(12)
        self.per_label = Chart("Regions per label", GROUPED)
        self.histogram = Chart("Scores per label", STACKED)
        self.decisions = Chart("Review decisions per label", STACKED)
        self.decision_buckets = Chart("Review decisions per score bucket", STACKED)
        self.precision = Chart("Estimated precision at each score threshold", LINES)
        self.per_label.setToolTip("Regions of each model version and of the task's own annotations, per label")
        self.histogram.setToolTip("The model version's regions per score bucket, stacked by label (a region "
                                  "without a score of its own takes its prediction's)")
        self.decisions.setToolTip("Your decisions on the model version's regions: accepted as predicted, edited, "
                                  "rejected; added: regions you drew (of any model)")
        self.decision_buckets.setToolTip("Your decisions on the model version's regions per score bucket")
        self.precision.setToolTip("Of the decided regions scoring at least the threshold, the share you kept "
                                  "(accepted or edited); no point where nothing was decided")
        self.charts = (self.per_label, self.histogram, self.decisions, self.decision_buckets, self.precision)

        top = self.top = QHBoxLayout()
        top.addWidget(self.scope, 1)
        top.addWidget(QLabel("Model"))
        top.addWidget(self.version)
        body = QWidget()
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.columns = 0
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addLayout(self.grid, 1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(body)
        self._place_charts()
        self.version.currentIndexChanged.connect(self._plot)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_charts()

    def _place_charts(self) -> None:
        """As many plots side by side as the width holds (a wide bottom dock shows them all in a row)."""
        columns = max(1, min(len(self.charts), self.viewport().width() // CHART_WIDTH))
        if columns == self.columns:
            return
        self.columns = columns
        for chart in self.charts:
            self.grid.removeWidget(chart)
        for n, chart in enumerate(self.charts):
            self.grid.addWidget(chart, n // columns, n % columns)
        rows = -(-len(self.charts) // columns)
        for line in range(len(self.charts)):    # the rows share the height shown, each down to its least
            self.grid.setColumnStretch(line, 1 if line < columns else 0)
            self.grid.setRowStretch(line, 1 if line < rows else 0)

    def least_height(self) -> int:
        """The height that shows the scope line and one row of plots whole, their axes and labels included."""
        layout = self.widget().layout()
        margins = layout.contentsMargins()
        row = max(chart.minimumSizeHint().height() for chart in self.charts[:max(self.columns, 1)])
        return margins.top() + margins.bottom() + self.top.sizeHint().height() + layout.spacing() + row

    def chosen_version(self) -> str | None:
        return self.version.currentData()

    def show_figures(self, figures: Figures, note: str = "") -> None:
        """Plot `figures`; `note` says which tasks they cover."""
        self.figures = figures
        versions = sorted(set(figures.score_histogram) | set(figures.decisions) |
                          (set(figures.regions_per_label) - {ANNOTATIONS}))
        kept = self.version.currentData()
        self.version.blockSignals(True)
        self.version.clear()
        for version in versions:
            self.version.addItem(version, version)
        self.version.setCurrentIndex(max(self.version.findData(kept), 0) if kept is not None else 0)
        self.version.blockSignals(False)
        statuses = ", ".join(f"{count:,} {STATUS_NAMES.get(status, status).lower()}"
                             for status, count in sorted(figures.status_counts.items()))
        self.scope.setText(f"{note or f'{figures.tasks:,} tasks'}: {figures.reviewed_tasks:,} reviewed"
                           + (f" ({statuses})" if statuses else ""))
        self._plot()

    def _plot(self) -> None:
        figures = self.figures
        if figures is None:
            return
        color = figures.label_colors.get
        sources = sorted(figures.regions_per_label, key=lambda s: (s == ANNOTATIONS, s))
        labels = sorted({label for counts in figures.regions_per_label.values() for label in counts})
        self.per_label.set_data(labels, [(source, None, [figures.regions_per_label[source][label] or None
                                                         for label in labels]) for source in sources])
        version = self.chosen_version()
        name = version if version is not None else "-"
        histogram = figures.score_histogram.get(version, {})
        self.histogram.title = f"Scores of {name} per label"
        self.histogram.set_data(list(BUCKET_NAMES), [(label, color(label), [buckets[b] or None for b in BUCKET_NAMES])
                                                     for label, buckets in sorted(histogram.items())])
        decided = figures.decisions_by_label(version)
        for label, added in figures.added_per_label.items():   # a reviewer's own regions: no model, no score
            decided.setdefault(label, Counter())["added"] = added
        decided_labels = sorted(decided)
        self.decisions.title = f"Decisions on {name} per label"
        self.decisions.set_data(decided_labels, [
            (decision, DECISION_COLORS[decision], [decided[label][decision] or None for label in decided_labels])
            for decision in DECISIONS])
        per_bucket = figures.decisions_by_bucket(version)
        self.decision_buckets.title = f"Decisions on {name} per score"
        self.decision_buckets.set_data(list(BUCKET_NAMES), [
            (decision, DECISION_COLORS[decision], [per_bucket[bucket][decision] or None for bucket in BUCKET_NAMES])
            for decision in DECISIONS if decision != "added"])
        precision = figures.precision().get(version, {})
        self.precision.title = f"Precision of {name} at each threshold"
        self.precision.set_data([f"≥{t:.1f}" for t in THRESHOLDS], [
            (label, color(label), [rows[t]["precision"] for t in THRESHOLDS])
            for label, rows in sorted(precision.items())], maximum=1.0, value_format="{:.2f}")
