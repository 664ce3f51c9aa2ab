"""File > Export: a small dialog (target, format, which tasks or labels) and the run of the core exporter behind it.
Qt layer. What goes wrong (an input file as target, a read-only folder ...) is said in a message box, never as
a traceback; the core writes the file or folder whole or not at all, and never over an input (core.outputs). A
training export runs as a long action (ReviewController.start_export_training): progress, Cancel, nothing written
when cancelled.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QWidget)

from viewer.core.errors import LsviewError
from viewer.core.export import ExportError, ExportOptions, ExportSummary
from viewer.core.export.training import format_names, training_formats
from viewer.core.export.training.options import TrainingOptions
from viewer.core.export.training.source import model_versions
from viewer.core.export.training.summary import TrainingSummary
from viewer.core.outputs import InputFiles, OverwriteError
from viewer.qt.review.controller import ReviewController, bundled
from viewer.qt.task_names import window_text

LS_JSON = "ls-json"
SOURCES = (("reviewed", "Reviewed (the session's annotation, else the latest annotation)"),
           ("annotations", "Latest annotation of each task"), ("predictions", "Predictions of one model version"))
IMAGES = (("none", "Leave the images where they are"), ("copy", "Copy the images into images/"),
          ("link", "Link the images into images/"))


def default_target(review: ReviewController, format_name: str = LS_JSON) -> Path:
    """`<tasks stem>.reviewed.json` (a folder `<tasks stem>.<format>` for the training formats) beside the task
    file; in the home folder for the bundled demo or when the task file's folder is read-only."""
    tasks = Path(review.project.tasks_path or "tasks.json")
    folder = tasks.parent if os.access(tasks.parent, os.W_OK) and not bundled(tasks) else Path.home()
    stem = tasks.name if tasks.is_dir() else tasks.stem
    return folder / (f"{stem}.reviewed.json" if format_name == LS_JSON else f"{stem}.{format_name}")


class ExportDialog(QDialog):
    def __init__(self, review: ReviewController, parent: QWidget | None = None):
        super().__init__(parent)
        self._review = review
        self.setWindowTitle("Export reviewed tasks")
        self.target = QLineEdit(str(default_target(review)))
        self.target.setMinimumWidth(420)
        browse = QPushButton("Browse...")
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        self.format = QComboBox()
        self.format.addItems([LS_JSON, *format_names()])
        self.only_reviewed = QCheckBox("Only reviewed tasks")
        self.only_reviewed.setToolTip("Leave out tasks the session has no decision, annotation or status for")
        self.only_accepted = QCheckBox("Only tasks marked accepted")
        self.source = QComboBox()
        for value, text in SOURCES:
            self.source.addItem(text, value)
        self.model_version = QComboBox()
        self.model_version.addItems(sorted(model_versions(review.project.tasks)))
        self.min_score = QDoubleSpinBox()
        self.min_score.setRange(0.0, 1.0)
        self.min_score.setSingleStep(0.05)
        self.min_score.setSpecialValueText("any score")  # 0: no threshold
        self.images = QComboBox()
        for value, text in IMAGES:
            self.images.addItem(text, value)
        self.with_scores = QCheckBox("Scores as a last column (YOLO)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("File:", row)
        form.addRow("Format:", self.format)
        form.addRow("", self.only_reviewed)
        form.addRow("", self.only_accepted)
        form.addRow("Labels:", self.source)
        form.addRow("Model version:", self.model_version)
        form.addRow("Minimum score:", self.min_score)
        form.addRow("Images:", self.images)
        form.addRow("", self.with_scores)
        form.addRow(buttons)
        self._form = form
        self.format.currentTextChanged.connect(self._on_format_changed)
        self.source.currentIndexChanged.connect(self._on_source_changed)
        self._on_format_changed(self.format.currentText())

    @property
    def training(self) -> bool:
        return self.format.currentText() != LS_JSON

    def _on_format_changed(self, name: str) -> None:
        """The rows of the chosen kind of export only; the default target follows the format until edited."""
        training = name != LS_JSON
        for widget in (self.only_reviewed, self.only_accepted):
            self._form.setRowVisible(widget, not training)
        for widget in (self.source, self.images, self.with_scores):
            self._form.setRowVisible(widget, training)
        self._form.itemAt(0, QFormLayout.ItemRole.LabelRole).widget().setText("Folder:" if training else "File:")
        defaults = {str(default_target(self._review, n)) for n in [LS_JSON, *format_names()]}
        if self.target.text() in defaults:
            self.target.setText(str(default_target(self._review, name)))
        self._on_source_changed()

    def _on_source_changed(self) -> None:
        predictions = self.training and self.source.currentData() == "predictions"
        self._form.setRowVisible(self.model_version, predictions)
        self._form.setRowVisible(self.min_score, predictions)

    def _on_browse_clicked(self) -> None:
        if self.training:
            chosen = QFileDialog.getExistingDirectory(self, "Export into (a new or empty folder)",
                                                      str(Path(self.target.text()).parent))
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.target.text(),
                                                    "Label Studio JSON (*.json);;All files (*)")
        if chosen:
            self.target.setText(chosen)

    def accept(self) -> None:  # Qt's slot: the Export button
        """Stay open when the file is one of the project's inputs (core.outputs), saying which, so another name can
        be given; for a training export also when the folder is not empty, or the model version is missing. The
        exporter checks again before it writes."""
        target = self.target.text().strip()
        if not target:
            QMessageBox.warning(self, "Export", "Give a file or folder name to export to.")
            return
        inputs = InputFiles.of_project(self._review.project, self._review.path)
        try:
            if self.training:
                from viewer.core.export.training.run import check_export   # the run's modules load when used

                check_export(self._review.project, self._review.path, Path(target).expanduser(),
                             training_formats()[self.format.currentText()], self.training_options())
            else:
                inputs.check(Path(target).expanduser())
        except (OverwriteError, ExportError) as exc:
            QMessageBox.warning(self, "Export", window_text(str(exc)))
            return
        super().accept()

    def options(self) -> ExportOptions:
        return ExportOptions(only_reviewed=self.only_reviewed.isChecked(),
                             only_accepted=self.only_accepted.isChecked())

    def training_options(self) -> TrainingOptions:
        predictions = self.source.currentData() == "predictions"
        return TrainingOptions(
            source=self.source.currentData(),
            model_version=(self.model_version.currentText() or None) if predictions else None,
            min_score=(self.min_score.value() or None) if predictions else None,
            images=self.images.currentData(), with_scores=self.with_scores.isChecked())


def run_export(parent: QWidget, review: ReviewController, target: str, options: ExportOptions,
               format_name: str = LS_JSON) -> ExportSummary | None:
    """An ls-json export, saying any failure in a message box; the summary, or None when nothing was written.
    (A training export runs in slices: ReviewController.start_export_training.)"""
    if not target.strip():
        QMessageBox.warning(parent, "Export", "Give a file name to export to.")
        return None
    out = Path(target.strip()).expanduser()
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return review.export(out, options, format_name)
    except LsviewError as exc:
        problem = window_text(str(exc))
    except OSError as exc:
        problem = f"cannot write {target}: {exc.strerror or exc}"
    except Exception as exc:  # a bug of ours: say it plainly, keep the window and the session
        problem = f"internal error while exporting: {type(exc).__name__}: {exc}. This is a bug in lsview."
    finally:
        QGuiApplication.restoreOverrideCursor()
    QMessageBox.warning(parent, "Export failed", problem)
    return None


def summary_text(summary: ExportSummary | TrainingSummary) -> str:
    if isinstance(summary, TrainingSummary):
        return summary.lines()[0].replace("wrote", "Exported", 1)
    return (f"Exported {summary.tasks:,} task(s) with {summary.annotations:,} reviewer annotation(s) "
            f"({summary.regions:,} regions) to {summary.path}")
