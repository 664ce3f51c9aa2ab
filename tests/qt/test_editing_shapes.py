"""The editing tools' plain parts that need Qt: label hotkeys as key combinations and brush stamps, checked
without a window. The Qt-free rules are tested in tests/core/test_editing_rules.py."""

from __future__ import annotations

import numpy as np

from viewer.qt.canvas.editing.brush import stamp


def test_label_hotkeys_become_key_combinations(qapp):
    from PySide6.QtCore import Qt

    from viewer.qt.label_keys import key_combination
    assert key_combination("shift+p").toCombined() == (Qt.KeyboardModifier.ShiftModifier | Qt.Key.Key_P).toCombined()
    assert key_combination("ctrl+alt+t").key() == Qt.Key.Key_T
    assert key_combination("1").key() == Qt.Key.Key_1 and key_combination("space").key() == Qt.Key.Key_Space
    assert key_combination("hyper+x") is None and key_combination("") is None


def test_a_stamp_is_a_disk_and_a_stroke_a_capsule_clipped_to_the_image():
    plane = np.zeros((20, 30), dtype=np.uint8)
    assert stamp(plane, (5, 5), (5, 5), 2, 255) == (3, 3, 8, 8)
    ys, xs = np.nonzero(plane)
    assert ((xs + 0.5 - 5) ** 2 + (ys + 0.5 - 5) ** 2 <= 4).all() and len(xs) == 12
    stamp(plane, (5, 15), (25, 15), 1.0, 255)
    assert plane[15, 5:25].all() and plane[14, 5:25].all() and not plane[12, 10]
    assert stamp(plane, (-10, -10), (-5, -5), 2, 255) is None
    stamp(plane, (5, 5), (5, 5), 2, 0)
    assert not plane[:10, :10].any()
