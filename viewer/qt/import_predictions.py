"""File > Import predictions: a dialog (format, source, images, config, model version, classes, output) and the run
of the core import behind it, in slices with progress and Cancel (LongActions); the file written is then opened.
Qt layer. The core writes the task file whole or not at all and never over an input; what goes wrong is said in a
message box, never as a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QWidget)

from viewer.core.importing import format_names, import_format
from viewer.core.importing.base import ImportOptions
from viewer.core.importing.run import import_steps
from viewer.core.importing.summary import ImportSummary
from viewer.core.outputs import InputFiles, OverwriteError
from viewer.qt.loader import OpenRequest
from viewer.qt.review.long_action import LongActions
from viewer.qt.task_names import window_text
from viewer.qt.widgets.progress_dialog import ProgressDialog

FILE_SOURCES = frozenset({"coco"})   # formats whose SRC is one file; the others take a folder
SUMMARY_LINES = 25


def default_output(src: str) -> str:
    """`<source name>.predictions.json` beside the source; in the home folder when that folder is read-only."""
    path = Path(src).expanduser()
    folder = path.parent if path.name else Path.home()
    if not os.access(folder, os.W_OK):
        folder = Path.home()
    return str(folder / f"{path.stem or 'import'}.predictions.json")


class ImportDialog(QDialog):
    """The import's options; `config` and `tasks` are those of the project open now (None: none is)."""

    def __init__(self, config: str | None, tasks: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import predictions")
        self._tasks = tasks
        self.format = QComboBox()
        self.format.addItems(format_names())
        self.source = QLineEdit()
        self.source.setMinimumWidth(420)
        self.source.setPlaceholderText("the model's output: a folder (a COCO JSON file for coco)")
        self.images = QLineEdit()
        self.images.setPlaceholderText("optional: where the images are, when not in the source's own place")
        self.config = QLineEdit(config or "")
        self.model_version = QLineEdit()
        self.model_version.setPlaceholderText("e.g. yolov8n-2026-12 (Label Studio shows predictions by version)")
        self.classes = QLineEdit()
        self.classes.setPlaceholderText("optional: classes.txt or data.yaml naming the class ids")
        self.into = QCheckBox("Add to the tasks of the open task file (written as a new file)")
        self.into.setEnabled(tasks is not None)
        self.out = QLineEdit()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Format:", self.format)
        form.addRow("Source:", self._browsing(self.source, self._on_source_browse_clicked))
        form.addRow("Images:", self._browsing(self.images, self._on_images_browse_clicked))
        form.addRow("Config:", self._browsing(self.config, self._on_config_browse_clicked))
        form.addRow("Model version:", self.model_version)
        form.addRow("Classes:", self._browsing(self.classes, self._on_classes_browse_clicked))
        form.addRow("", self.into)
        form.addRow("Write to:", self._browsing(self.out, self._on_out_browse_clicked))
        form.addRow(buttons)
        self.source.textChanged.connect(self._on_source_text_changed)
        self._default_out = ""

    def _browsing(self, edit: QLineEdit, handler: Callable[[], None]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        browse = QPushButton("Browse...")
        browse.clicked.connect(handler)
        row.addWidget(browse)
        return row

    def _on_source_text_changed(self, text: str) -> None:
        """The output follows the source until it is edited."""
        if self.out.text() in ("", self._default_out):
            self._default_out = default_output(text) if text.strip() else ""
            self.out.setText(self._default_out)

    def _on_source_browse_clicked(self) -> None:
        if self.format.currentText() in FILE_SOURCES:
            chosen, _ = QFileDialog.getOpenFileName(self, "COCO JSON", self.source.text(), "JSON (*.json);;All (*)")
        else:
            chosen = QFileDialog.getExistingDirectory(self, "The model's output folder", self.source.text())
        if chosen:
            self.source.setText(chosen)

    def _on_images_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "The images", self.images.text() or self.source.text())
        if chosen:
            self.images.setText(chosen)

    def _on_config_browse_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Labeling config", self.config.text(),
                                                "Labeling config (*.xml);;All files (*)")
        if chosen:
            self.config.setText(chosen)

    def _on_classes_browse_clicked(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Class names", self.classes.text() or self.source.text(),
                                                "classes.txt or data.yaml (*.txt *.yaml *.yml);;All files (*)")
        if chosen:
            self.classes.setText(chosen)

    def _on_out_browse_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Write the tasks to", self.out.text(),
                                                "Label Studio tasks (*.json);;All files (*)")
        if chosen:
            self.out.setText(chosen)

    @staticmethod
    def _path(edit: QLineEdit) -> str | None:
        text = edit.text().strip()
        return os.fspath(Path(text).expanduser()) if text else None

    def src(self) -> str:
        return self._path(self.source) or ""

    def options(self) -> ImportOptions:
        return ImportOptions(config=self._path(self.config) or "", out=self._path(self.out) or "",
                             images=self._path(self.images), into=self._tasks if self.into.isChecked() else None,
                             model_version=self.model_version.text().strip() or None,
                             classes=self._path(self.classes))

    def _problem(self) -> str | None:
        options = self.options()
        if not self.src() or not os.path.exists(self.src()):
            return "Choose the model's output (the source) to import."
        if not options.config or not os.path.isfile(options.config):
            return "Choose the labeling config: the predictions are made for its controls."
        if options.images is not None and not os.path.isdir(options.images):
            return f"{options.images} is not a folder."
        if options.model_version is None and self.format.currentText() not in FILE_SOURCES:
            return ("Give the model version: Label Studio stores a prediction without one as \"undefined\" and "
                    "shows only the project's chosen version.")
        if not options.out:
            return "Give the file to write the tasks to."
        try:
            InputFiles([(self.src(), "the source"), (options.config, "the labeling config"),
                        (options.into, "the open task file"), (options.classes, "the class names")]).check(options.out)
        except OverwriteError as exc:
            return window_text(str(exc))
        return None

    def accept(self) -> None:  # Qt's slot: the Import button
        """Stay open while something is missing or the output is an input, saying what; the core checks again."""
        problem = self._problem()
        if problem is not None:
            QMessageBox.warning(self, "Import predictions", problem)
            return
        super().accept()


class PredictionImporter(QObject):
    """Asks with an ImportDialog, runs the import as a long action (progress, Cancel: nothing written), then opens
    the task file written with `open_request` and shows the summary."""

    def __init__(self, parent: QWidget, open_request: Callable[[OpenRequest], None],
                 show_message: Callable[[str], None] = lambda text: None):
        super().__init__(parent)
        self._parent = parent
        self._open = open_request
        self._say = show_message
        self.long = LongActions(self._on_long_failed, self)
        self.progress = ProgressDialog(parent)
        self.long.started.connect(self.progress.begin)
        self.long.progressed.connect(self.progress.show_progress)
        self.long.finished.connect(self.progress.end)
        self.progress.cancel_requested.connect(self.long.cancel)
        self.long.cancelled.connect(self._on_long_cancelled)
        self.last: ImportSummary | None = None

    def ask(self, current: OpenRequest | None) -> bool:
        """The dialog, then the import; False when the dialog was cancelled or the import could not start."""
        dialog = ImportDialog(current.config if current else None, current.tasks if current else None, self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.start(dialog.format.currentText(), dialog.src(), dialog.options())

    def start(self, format_name: str, src: str, options: ImportOptions) -> bool:
        try:
            steps = import_steps(import_format(format_name), src, options)
        except KeyError:
            self._on_long_failed(f"no import format {format_name!r}")
            return False
        return self.long.start(steps, lambda summary: self._on_import_done(summary, options))

    def _on_import_done(self, summary: ImportSummary, options: ImportOptions) -> None:
        self.last = summary
        self._open(OpenRequest(summary.path or options.out, options.config))
        lines = summary.lines()
        shown = "\n".join(map(window_text, lines[:SUMMARY_LINES]))
        more = len(lines) - SUMMARY_LINES
        QMessageBox.information(self._parent, "Import predictions",
                                shown + (f"\n... and {more:,} more" if more > 0 else ""))

    def _on_long_cancelled(self, _doing: str) -> None:
        self._say("Import cancelled: nothing was written")

    def _on_long_failed(self, message: str) -> None:
        QMessageBox.warning(self._parent, "Import failed", message)
