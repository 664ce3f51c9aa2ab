"""File > Import predictions: the dialog asks for what the import needs and stays open while something is missing
or the output is an input; the import runs as a long action (Cancel leaves nothing), and the file written opens."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QDialog, QMessageBox

from tests.builders import make_image
from viewer.core.importing import format_names
from viewer.core.importing.base import ImportOptions
from viewer.qt.import_predictions import ImportDialog, PredictionImporter

CONFIG = """<View>
  <Image name="img" value="$image"/>
  <BrushLabels name="paint" toName="img"><Label value="Sky"/><Label value="Road"/></BrushLabels>
</View>"""


def _masks_source(tmp_path: Path, count: int = 1) -> tuple[Path, Path]:
    src = tmp_path / "seg"
    for number in range(count):
        make_image(src / "images" / f"p{number}.png", (40, 30))
        values = np.zeros((30, 40), np.uint8)
        values[2:12, 3:20] = 1
        values[15:28, 5:35] = 2
        (src / "SegmentationClass").mkdir(parents=True, exist_ok=True)
        image = Image.fromarray(values, "P")
        image.putpalette([0, 0, 0, 128, 0, 0, 0, 128, 0] + [0] * 759)
        image.save(src / "SegmentationClass" / f"p{number}.png")
    (src / "labelmap.txt").write_text("background:0,0,0::\nSky:128,0,0::\nRoad:0,128,0::\n")
    config = tmp_path / "config.xml"
    config.write_text(CONFIG)
    return src, config


def test_the_dialog_offers_every_format_and_stays_open_while_something_is_missing(tmp_path, qtbot, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    src, config = _masks_source(tmp_path)
    dialog = ImportDialog(str(config), None)
    qtbot.addWidget(dialog)
    finished = []
    dialog.finished.connect(finished.append)
    assert [dialog.format.itemText(i) for i in range(dialog.format.count())] == format_names()
    assert "masks" in format_names() and "voc" in format_names()
    assert not dialog.into.isEnabled()  # no task file open
    dialog.format.setCurrentText("masks")
    dialog.accept()
    assert finished == [] and "source" in warnings[-1]
    dialog.source.setText(str(src))
    assert dialog.out.text() == str(tmp_path / "seg.predictions.json")  # follows the source until edited
    dialog.accept()
    assert finished == [] and "model version" in warnings[-1]
    dialog.model_version.setText("seg-1")
    dialog.out.setText(str(config))
    dialog.accept()
    assert finished == [] and "labeling config" in warnings[-1]
    dialog.out.setText(str(tmp_path / "out.json"))
    dialog.accept()
    assert finished == [1]
    options = dialog.options()
    assert (options.config, options.out, options.model_version, options.into) == (
        str(config), str(tmp_path / "out.json"), "seg-1", None)


def test_cancel_leaves_nothing_written(tmp_path, qtbot, monkeypatch):
    import viewer.core.importing.run as run
    import viewer.qt.review.long_action as long_action

    monkeypatch.setattr(long_action, "AT_ONCE", 0)
    monkeypatch.setattr(long_action, "SLICE_S", 0.0)
    monkeypatch.setattr(run, "PROGRESS_EVERY", 1)   # a Progress (so a slice) per image
    src, config = _masks_source(tmp_path, count=3)
    opened = []
    parent = QDialog()
    qtbot.addWidget(parent)
    said = []
    importer = PredictionImporter(parent, opened.append, said.append)
    out = tmp_path / "out.json"
    assert importer.start("masks", str(src), ImportOptions(str(config), str(out), model_version="m"))
    assert importer.long.busy
    importer.long._timer.stop()
    importer.long._on_timer_timeout()
    importer.long.cancel()
    assert not importer.long.busy and opened == [] and not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.json")]
    assert said == ["Import cancelled: nothing was written"]


def test_file_import_in_the_window_writes_the_tasks_and_opens_them(window, qtbot, tmp_path, monkeypatch):
    src, config = _masks_source(tmp_path, count=2)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    out = tmp_path / "imported.json"

    def filled(dialog):
        dialog.format.setCurrentText("masks")
        dialog.source.setText(str(src))
        dialog.config.setText(str(config))
        dialog.model_version.setText("seg-1")
        dialog.out.setText(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", filled)
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.actions_by_name["import_predictions"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0].startswith("imported masks: 2 image(s) into 2 new task(s)")
    assert out.exists() and window.request.tasks == str(out) and window.request.config == str(config)
    assert len(window.state.project.tasks) == 2
    assert window.actions_by_name["import_predictions"] in window.menuBar().actions()[0].menu().actions()
