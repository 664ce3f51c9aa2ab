"""File > Export refuses a task's image (or any other input) as its file: the dialog stays open and says which
input it is, and the exporter behind it refuses the same file again."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from viewer.core.export import ExportOptions
from viewer.qt.review.export_dialog import ExportDialog, run_export


def test_a_tasks_image_as_the_export_file_keeps_the_dialog_open(review, tmp_path, qtbot, monkeypatch):
    image = tmp_path / "img" / "b.png"
    before = image.read_bytes()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    dialog = ExportDialog(review)
    qtbot.addWidget(dialog)
    finished = []
    dialog.finished.connect(finished.append)
    dialog.target.setText(str(image))
    dialog.accept()
    assert finished == [] and len(warnings) == 1
    assert warnings[0].startswith(f"{image}: is an input file (the media of task 2 (id 2)")
    assert run_export(None, review, str(image), ExportOptions()) is None and "is an input file" in warnings[1]
    assert image.read_bytes() == before
    dialog.target.setText(str(tmp_path / "reviewed.json"))
    dialog.accept()
    assert finished == [1] and len(warnings) == 2
