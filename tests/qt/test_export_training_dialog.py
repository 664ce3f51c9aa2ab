"""File > Export offers the training formats: a folder target, which labels (predictions of a model version), the
images; the export shows progress, Cancel leaves nothing behind, and the summary comes back."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QProgressDialog

from viewer.core.export.training import format_names
from viewer.qt.review.export_dialog import ExportDialog, run_export, summary_text


def test_the_dialog_offers_every_training_format_with_its_options(review, tmp_path, qtbot):
    dialog = ExportDialog(review)
    qtbot.addWidget(dialog)
    offered = [dialog.format.itemText(i) for i in range(dialog.format.count())]
    assert offered == ["ls-json", *format_names()]
    assert dialog._form.isRowVisible(dialog.only_reviewed) and not dialog._form.isRowVisible(dialog.source)
    dialog.format.setCurrentText("yolo")
    assert dialog.training and dialog.target.text().endswith("tasks.yolo")
    assert not dialog._form.isRowVisible(dialog.only_reviewed) and dialog._form.isRowVisible(dialog.source)
    assert not dialog._form.isRowVisible(dialog.model_version)
    dialog.source.setCurrentIndex(dialog.source.findData("predictions"))
    assert dialog._form.isRowVisible(dialog.model_version) and dialog.model_version.currentText() == "v1"
    dialog.min_score.setValue(0.6)
    options = dialog.training_options()
    assert (options.source, options.model_version, options.min_score) == ("predictions", "v1", 0.6)


def test_a_training_export_from_the_window_writes_the_folder(review, tmp_path, qtbot, monkeypatch):
    dialog = ExportDialog(review)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentText("yolo")
    dialog.source.setCurrentIndex(dialog.source.findData("predictions"))
    dialog.min_score.setValue(0.6)
    out = tmp_path / "out"
    summary = run_export(None, review, str(out), dialog.training_options(), "yolo")
    assert summary is not None and summary_text(summary).startswith("Exported yolo of 3 task(s), 3 image(s)")
    assert sorted(p.name for p in (out / "labels").iterdir()) == ["a.txt", "b.txt", "c.txt"]
    assert len((out / "labels" / "a.txt").read_text().splitlines()) == 2  # r1 0.9 and r3 0.7; r2 0.5 is below
    assert summary.skipped["below --min-score"] == 2


def test_cancel_in_the_progress_dialog_writes_nothing(review, tmp_path, qtbot, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    out = tmp_path / "out"
    from viewer.core.export.training.options import TrainingOptions

    assert run_export(None, review, str(out), TrainingOptions(source="predictions"), "coco") is None
    assert warnings == ["export cancelled; nothing was written"]
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
