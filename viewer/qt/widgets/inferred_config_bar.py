"""InferredConfigBar: a line above the canvas while the open project's labeling config was guessed from its results
(opened without one), with a button to pick the real config; and its short twin for the status bar.

Qt layer; follows the view state's project, and hands the picked file to whoever reopens the project.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton

from viewer.core.config_infer import describe_inferred
from viewer.core.view_state import ViewState
from viewer.qt.view_signals import ViewSignals

NOTE = "Config inferred from the results: labels and colours may differ from your project."


class InferredConfigBar(QFrame):
    config_picked = Signal(str)   # the labeling config file the user chose for the open tasks

    def __init__(self, state: ViewState, signals: ViewSignals, parent=None):
        super().__init__(parent)
        self.state = state
        self.setObjectName("inferredConfigBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # a pale amber, like a notice, light enough for the text in both light and dark themes' default colour
        self.setStyleSheet("#inferredConfigBar { background: #fff4d6; } #inferredConfigBar QLabel { color: #3a2c00; }")
        self.note = QLabel(NOTE)
        self.note.setWordWrap(True)
        self.pick = QPushButton("Pick the real config…")
        self.pick.clicked.connect(self._on_pick_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.pick)
        # permanent in the status bar: task messages replace the status text, not this
        self.status_label = QLabel("Config inferred")
        self.status_label.setToolTip(NOTE)
        signals.project_changed.connect(self._on_signals_project_changed)
        self._on_signals_project_changed()

    def _on_signals_project_changed(self) -> None:
        project = self.state.project
        inferred = project is not None and project.config.inferred
        self.setVisible(inferred)
        self.status_label.setVisible(inferred)
        if inferred:
            self.setToolTip(describe_inferred(project.config))

    def _on_pick_clicked(self) -> None:
        # where the tasks are: a project's config usually sits beside them
        tasks = self.state.project.tasks_path if self.state.project is not None else None
        folder = "" if tasks is None else tasks if Path(tasks).is_dir() else str(Path(tasks).parent)
        config, _ = QFileDialog.getOpenFileName(self, "Labeling config for these tasks", folder,
                                                "Labeling config (*.xml);;All files (*)")
        if config:
            self.config_picked.emit(config)
