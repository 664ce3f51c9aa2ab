"""The player's timeline cuts a track's bar at the video's last frame: a lifespan held to a keyframe past the end
stops there, and one hollow arrow at the last frame stands for the keyframes past it (none drawn in the margin)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from viewer.qt.video.timeline import MARGIN, ROW_HEIGHT, RULER_HEIGHT, Timeline, TimelineRow

RED = QColor(255, 0, 0)


def reddish(color: QColor) -> bool:
    """The row's red, filled at part opacity (pink) or as the outline."""
    return color.red() > 150 and color.red() - color.green() > 60 and color.red() - color.blue() > 60


def test_a_bar_past_the_end_stops_at_the_last_frame(qtbot):
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(600, 100)
    row = TimelineRow(("prediction", 0), "beyond", RED, spans=((5, 60),), keyframes=((5, True), (60, True)))
    timeline.set_rows([row], 40)
    timeline.set_frame(1)
    image = timeline.grab().toImage()
    middle = int(RULER_HEIGHT + ROW_HEIGHT / 2)
    bar_top = int(RULER_HEIGHT + 5)   # inside the bar, above the keyframe arrow
    end = timeline.x_of(40)
    assert reddish(image.pixelColor(int(end) - 3, bar_top))          # the bar reaches the last frame
    for x in range(int(end) + 8, timeline.width()):                  # and nothing of the row is drawn past it
        assert not reddish(image.pixelColor(x, bar_top)), x
        assert not reddish(image.pixelColor(x, middle)), x
    assert timeline.width() - end == MARGIN
    # the arrow for keyframe 60: its outline just right of the last frame
    assert any(reddish(image.pixelColor(x, middle)) for x in range(int(end) + 1, int(end) + 7))

