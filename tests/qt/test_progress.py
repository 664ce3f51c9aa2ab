"""Opening a big task file shows progress in the status bar and never stops the event loop; the reporting reader
reads every task file exactly as core's open_project does, errors included."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings, QTimer

from viewer.core import json_list
from viewer.core.errors import LsviewError
from viewer.core.project import open_project
from viewer.qt import main_window
from viewer.qt.loader import OpenRequest
from viewer.qt.main_window import MainWindow

TASK = {"data": {"image": "img/none.png"}, "predictions": [{"model_version": "m", "result": [
    {"id": "a", "type": "rectanglelabels", "from_name": "box", "to_name": "image", "original_width": 100,
     "original_height": 80, "value": {"x": 1, "y": 2, "width": 30, "height": 40, "rectanglelabels": ["Car"]}},
    {"id": "b", "type": "rectanglelabels", "from_name": "box", "to_name": "image", "original_width": 100,
     "original_height": 80, "value": {"x": 50, "y": 40, "width": 20, "height": 10, "rectanglelabels": ["Bus"]}}]}]}


def same_as_core(path, config=None):
    reports = []
    ours = open_project(str(path), config, progress=lambda *r: reports.append(r))
    core = open_project(path, config)
    assert [(t.raw, t.index, t.file, t.line, [n.code for n in t.notes]) for t in ours.tasks] == \
        [(t.raw, t.index, t.file, t.line, [n.code for n in t.notes]) for t in core.tasks]
    assert ours.config == core.config
    assert ours.resolver.base_dir == core.resolver.base_dir
    return reports


@pytest.mark.parametrize("text", [
    json.dumps([TASK, {"id": 2, "data": {"image": "x"}}, [1, 2], 3.5e3, {"nan": float("nan")}]),
    "  \ufeff[ ]  ".replace("\ufeff", ""),
    json.dumps(TASK),
    "\n".join(json.dumps({**TASK, "id": n}) for n in range(3)),   # JSON Lines in a .json file
    '[{"data": {"a": 1}}, ]',                                        # not JSON: core's error
    '[{"data": {"a": 1}}] trailing',
    "",
])
def test_every_shape_of_task_file_reads_as_core_reads_it(tmp_path, text):
    path = tmp_path / "tasks.json"
    path.write_text(text, encoding="utf-8")
    try:
        open_project(path)
    except LsviewError as core_error:
        with pytest.raises(type(core_error)) as ours:
            open_project(str(path), None, progress=lambda *r: None)
        assert str(ours.value) == str(core_error)
        return
    same_as_core(path)


def test_folders_and_json_lines_read_as_core_reads_them(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.json").write_text(json.dumps([TASK] * 3))
    (tmp_path / "b" / "c.jsonl").write_text("\n".join(json.dumps(TASK) for _ in range(2)))
    same_as_core(tmp_path)


def test_a_big_list_reports_measured_progress(tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([TASK] * 2000))
    reports = same_as_core(path)
    measured = [(done, total) for _, done, total in reports if total]
    assert len(measured) > 3 and measured == sorted(measured)  # one bar, only ever forward
    assert any(0 < done < total for done, total in measured)


def test_big_json_lines_report_measured_progress_while_decoding(tmp_path):
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(json.dumps({**TASK, "id": n}) for n in range(10_000)))
    reports = same_as_core(path)
    reading = [done for message, done, total in reports if total and message.startswith("Reading")]
    assert len(reading) > 3 and reading == sorted(reading) and 0 < reading[-2] < reading[-1]


def test_the_event_loop_keeps_turning_while_a_20000_task_file_opens(qtbot, tmp_path, monkeypatch):
    # 20,000 tasks read in a quarter of a second: smaller pieces and every report shown, so that short a load
    # still shows whether the GUI thread runs between pieces and the bar moves part way.
    monkeypatch.setattr(json_list, "PIECE", 1 << 16)
    monkeypatch.setattr(main_window, "PROGRESS_EVERY_S", 0.0)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{**TASK, "id": n} for n in range(20_000)]))
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    ticks, values = [], []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(window.project is None))
    window.progress.valueChanged.connect(lambda value: values.append((value, window.progress.maximum())))
    timer.start()
    with qtbot.waitSignal(window.task_shown, timeout=60_000):
        window.open(OpenRequest(str(path)))
    timer.stop()
    while_loading = ticks.count(True)
    assert while_loading >= 5, f"the GUI thread ran only {while_loading} timer ticks while the file loaded"
    assert any(0 < value < maximum for value, maximum in values)  # a measured bar, part way
    assert window.progress.isHidden()
    assert window.position.text().strip() == "Task 1 of 20,000"


def test_decoding_a_tasks_masks_is_measured_mask_by_mask(window, qtbot):
    reports = []
    window.loader.progressed.connect(lambda message, done, total: reports.append((message, done, total)))
    with qtbot.waitSignal(window.task_shown, timeout=10_000):
        window.show_task(1)  # the park: two brush masks in the second model's predictions
    masks = [(done, total) for message, done, total in reports if message.startswith("Decoding masks")]
    assert masks == [(0, 2), (1, 2)]
    assert window.progress.isHidden()
