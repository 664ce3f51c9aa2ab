"""File > Export offers the training formats: a folder target, which labels (predictions of a model version), the
images; the export runs as a long action (progress, Cancel leaves nothing behind) and its summary comes back."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from viewer.core.export.training import format_names
from viewer.core.export.training.options import TrainingOptions
from viewer.qt.review.export_dialog import ExportDialog, summary_text


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


def test_a_folder_that_is_not_empty_keeps_the_dialog_open(review, tmp_path, qtbot, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    dialog = ExportDialog(review)
    qtbot.addWidget(dialog)
    finished = []
    dialog.finished.connect(finished.append)
    dialog.format.setCurrentText("coco")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    dialog.target.setText(str(tmp_path / "full"))
    dialog.accept()
    assert finished == [] and "is a folder that is not empty" in warnings[0]
    dialog.target.setText(str(tmp_path / "new"))
    dialog.accept()
    assert finished == [1]


def test_a_format_the_config_cannot_fill_keeps_the_dialog_open_saying_why(review, tmp_path, qtbot, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    dialog = ExportDialog(review)
    qtbot.addWidget(dialog)
    finished = []
    dialog.finished.connect(finished.append)
    dialog.format.setCurrentText("conll2003")           # an image project: there is no <Text> to take spans from
    dialog.target.setText(str(tmp_path / "ner"))
    dialog.accept()
    assert finished == [] and "the config has no such <Text>" in warnings[0]
    assert not (tmp_path / "ner").exists()


def test_a_training_export_runs_in_slices_and_returns_its_summary(review, tmp_path, qtbot):
    out = tmp_path / "out"
    summaries = []
    options = TrainingOptions(source="predictions", min_score=0.6)
    assert review.start_export_training(out, "yolo", options, summaries.append)
    qtbot.waitUntil(lambda: bool(summaries), timeout=10_000)
    summary = summaries[0]
    assert summary_text(summary).startswith("Exported yolo of 3 task(s), 3 image(s)")
    assert sorted(p.name for p in (out / "labels").iterdir()) == ["a.txt", "b.txt", "c.txt"]
    assert len((out / "labels" / "a.txt").read_text().splitlines()) == 2  # r1 0.9 and r3 0.7; r2 0.5 is below
    assert summary.skipped["below --min-score"] == 2 and not review.busy


def test_cancel_leaves_nothing_written(review, tmp_path, qtbot, monkeypatch):
    import viewer.qt.review.long_action as long_action

    monkeypatch.setattr(long_action, "AT_ONCE", 0)    # three tasks would otherwise run at once
    monkeypatch.setattr(long_action, "SLICE_S", 0.0)  # one task a slice
    out = tmp_path / "out"
    summaries, cancelled = [], []
    review.long.cancelled.connect(cancelled.append)
    assert review.start_export_training(out, "coco", TrainingOptions(source="predictions"), summaries.append)
    assert review.busy
    review.long._timer.stop()           # the slices one by one, here, not from the event loop
    review.long._on_timer_timeout()     # the first task: the temporary folder is being written
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".out.")] and review.busy
    review.cancel()
    assert cancelled == ["Exporting"] and summaries == [] and not review.busy
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_file_export_in_the_window_writes_a_yolo_folder_and_shows_the_summary(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from tests.qt.review_project import make_review_project, open_window

    tasks, config = make_review_project(tmp_path)
    window = open_window(qtbot, tmp_path, tasks, config)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    out = tmp_path / "yolo-out"

    def filled(dialog):
        dialog.format.setCurrentText("yolo")
        dialog.source.setCurrentIndex(dialog.source.findData("predictions"))
        dialog.target.setText(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", filled)
    window.actions_by_name["export"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert window.statusBar().currentMessage().startswith("Exported yolo of 3 task(s), 3 image(s)")
    assert "6 instance(s):\n  Car: 5\n  P: 1" in shown[0]
    assert (out / "data.yaml").exists() and (out / "files.csv").exists()
    window.close()
