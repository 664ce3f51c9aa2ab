"""File > Export: a small dialog (file, format, which tasks) and the run of the core exporter behind it.
Qt layer. What goes wrong (an input file as target, a read-only folder ...) is said in a message box, never as
a traceback; the core writes the file whole or not at all, and never over an input (core.outputs).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QWidget)

from viewer.core.errors import LsviewError
from viewer.core.export import ExportOptions, ExportSummary, formats
from viewer.core.outputs import InputFiles, OverwriteError
from viewer.qt.review.controller import ReviewController, bundled
from viewer.qt.task_names import window_text


def default_target(review: ReviewController) -> Path:
    """`<tasks stem>.reviewed.json` beside the task file; in the home folder for the bundled demo or when the
    task file's folder is read-only."""
    tasks = Path(review.project.tasks_path or "tasks.json")
    folder = tasks.parent if os.access(tasks.parent, os.W_OK) and not bundled(tasks) else Path.home()
    stem = tasks.name if tasks.is_dir() else tasks.stem
    return folder / f"{stem}.reviewed.json"


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
        self.format.addItems(sorted(formats()))
        self.only_reviewed = QCheckBox("Only reviewed tasks")
        self.only_reviewed.setToolTip("Leave out tasks the session has no decision, annotation or status for")
        self.only_accepted = QCheckBox("Only tasks marked accepted")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("File:", row)
        form.addRow("Format:", self.format)
        form.addRow("", self.only_reviewed)
        form.addRow("", self.only_accepted)
        form.addRow(buttons)

    def _on_browse_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.target.text(),
                                                "Label Studio JSON (*.json);;All files (*)")
        if chosen:
            self.target.setText(chosen)

    def accept(self) -> None:  # Qt's slot: the Export button
        """Stay open when the file is one of the project's inputs (core.outputs), saying which, so another name can
        be given; the exporter checks again before it writes."""
        target = self.target.text().strip()
        if target:
            inputs = InputFiles.of_project(self._review.project, self._review.path)
            try:
                inputs.check(Path(target).expanduser())
            except OverwriteError as exc:
                QMessageBox.warning(self, "Export", window_text(str(exc)))
                return
        super().accept()

    def options(self) -> ExportOptions:
        return ExportOptions(only_reviewed=self.only_reviewed.isChecked(),
                             only_accepted=self.only_accepted.isChecked())


def run_export(parent: QWidget, review: ReviewController, target: str, options: ExportOptions,
               format_name: str = "ls-json") -> ExportSummary | None:
    """Export, saying any failure in a message box; the summary, or None when nothing was written."""
    if not target.strip():
        QMessageBox.warning(parent, "Export", "Give a file name to export to.")
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return review.export(Path(target.strip()).expanduser(), options, format_name)
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


def summary_text(summary: ExportSummary) -> str:
    return (f"Exported {summary.tasks:,} task(s) with {summary.annotations:,} reviewer annotation(s) "
            f"({summary.regions:,} regions) to {summary.path}")
