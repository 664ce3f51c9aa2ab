"""File > Export offers voc, masks, conll2003 and ner-jsonl, and runs them like the other training formats."""

from __future__ import annotations

from viewer.core.export.training.options import TrainingOptions
from viewer.qt.review.export_dialog import ExportDialog, summary_text


def test_the_dialog_offers_the_voc_masks_and_ner_formats(review, qtbot):
    dialog = ExportDialog(review)
    qtbot.addWidget(dialog)
    offered = [dialog.format.itemText(i) for i in range(dialog.format.count())]
    assert {"voc", "masks", "conll2003", "ner-jsonl"} <= set(offered)
    dialog.format.setCurrentText("masks")
    assert dialog.training and dialog.target.text().endswith("tasks.masks")


def test_a_masks_export_from_the_window_writes_the_maps(review, tmp_path, qtbot):
    out = tmp_path / "out"
    summaries = []
    assert review.start_export_training(out, "masks", TrainingOptions(source="predictions"), summaries.append)
    qtbot.waitUntil(lambda: bool(summaries), timeout=10_000)
    assert summary_text(summaries[0]).startswith("Exported masks of 3 task(s), 3 image(s)")
    assert sorted(p.name for p in (out / "SegmentationClass").iterdir()) == ["a.png", "b.png", "c.png"]
    assert (out / "labelmap.txt").read_text(encoding="utf-8").startswith("# label:color_rgb:parts:actions\n")
    assert not review.busy
