"""An OCR transcription (a per-region TextArea, as in Label Studio's OCR template) shows in its region's tag, cut
short, and View > Show transcriptions in tags takes it out and puts it back (issue 13 item 9)."""

from __future__ import annotations

from tests.qt.editing_support import OCR_CONFIG, open_editing_window, result
from viewer.qt.canvas.items import TagItem

LINE = {"x": 10, "y": 20, "width": 50, "height": 8, "rotation": 0}


def tags(window) -> dict[str, str]:
    found = {}
    for key, item in window.scene.items_by_key.items():
        tag = next((child for child in item.childItems() if isinstance(child, TagItem)), None)
        found[key[1]] = tag.text if tag is not None else None
    return found


def test_the_tag_carries_the_transcription_until_the_view_toggle_is_off(qtbot, tmp_path):
    window = open_editing_window(qtbot, tmp_path, [
        result("l1", "bbox", "rectangle", LINE, score=0.97),
        result("l1", "ocr", "labels", {**LINE, "labels": ["Text"]}),
        result("l1", "transcription", "textarea", {**LINE, "text": ["INVOICE No. 2024-117, due in thirty days"]}),
        result("l2", "bbox", "rectangle", {**LINE, "y": 50}),
        result("l2", "transcription", "textarea", {**LINE, "y": 50, "text": ["paid"]}),
    ], OCR_CONFIG)
    toggle = window.actions_by_name["show_transcriptions"]
    assert toggle.isCheckable() and toggle.isChecked()
    assert toggle in window.menuBar().actions()[2].menu().actions()      # in the View menu
    assert tags(window) == {"l1": "Text 0.97: «INVOICE No. 2024-117, d…»", "l2": "«paid»"}
    toggle.setChecked(False)
    assert tags(window) == {"l1": "Text 0.97", "l2": None}               # l2's tag had only the text
    toggle.setChecked(True)
    assert tags(window) == {"l1": "Text 0.97: «INVOICE No. 2024-117, d…»", "l2": "«paid»"}
    items = window.scene.items_by_key.values()
    qtbot.waitUntil(lambda: all(item.tag.placed and item.tag.isVisible() for item in items))   # placed anew
    window.actions_by_name["show_tags"].setChecked(False)                # tags off hides the new ones too
    toggle.setChecked(False)
    toggle.setChecked(True)
    qtbot.wait(50)
    assert not any(item.tag.isVisible() for item in items)
