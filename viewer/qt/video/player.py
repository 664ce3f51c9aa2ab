"""VideoPlayer: the frame with its boxes, the transport (step, play/pause, frame and time), and the timeline, kept
at one frame; playing follows the clock and skips frames the decoder has not made in time rather than falling
behind.

Qt layer. The page gives it the video to open, the timeline's rows and the boxes at any frame; it reports the
user's choices (frame, region, an edited box) as signals.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QStyle, QToolBar, QVBoxLayout, QWidget

from viewer.core.regions import Region
from viewer.core.region_keys import RegionKey
from viewer.qt.video.frame_view import FrameView
from viewer.qt.video.frames import FrameSource, VideoFacts
from viewer.qt.video.timeline import Timeline, TimelineRow
from viewer.render.content import Layer
from viewer.render.painter import RegionPainter

SP = QStyle.StandardPixmap
TRANSPORT = (("video_first", SP.SP_MediaSkipBackward), ("video_back_10", SP.SP_MediaSeekBackward),
             ("video_back", SP.SP_ArrowLeft), ("video_play", SP.SP_MediaPlay), ("video_forward", SP.SP_ArrowRight),
             ("video_forward_10", SP.SP_MediaSeekForward), ("video_last", SP.SP_MediaSkipForward))
PAUSE = SP.SP_MediaPause
TIMELINE_ROWS_SHOWN = 8   # rows the timeline shows before it scrolls
BoxesAt = Callable[[int], list[tuple[Layer, Region]]]
RowsFor = Callable[[int], list[TimelineRow]]


def clock_text(seconds: float) -> str:
    """m:ss.cc (h:mm:ss.cc past an hour)."""
    hundredths = round(max(seconds, 0.0) * 100)
    minutes, rest = divmod(hundredths, 6000)
    hours, minutes = divmod(minutes, 60)
    text = f"{minutes:d}:{rest // 100:02d}.{rest % 100:02d}"
    return f"{hours:d}:{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}" if hours else text


class VideoPlayer(QWidget):
    frame_changed = Signal(int)           # the frame shown now (1-based)
    region_chosen = Signal(object)        # RegionKey (or None) the user picked on the frame or the timeline
    box_edited = Signal(object, int, object, str)  # (RegionKey, frame, Rectangle in percent, "move" | "resize")
    playing_changed = Signal(bool)
    failed = Signal(str)                  # the video cannot be shown: why

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.frames = FrameSource(self)
        self.view = FrameView(self)
        self.timeline = Timeline(self)
        self.counter = QLabel("")
        self.counter.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.transport = QToolBar("Video", self)
        self.transport.setIconSize(QSize(16, 16))
        self.transport.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)  # the keyframe switch: its text
        for name, icon in TRANSPORT:
            actions[name].setIcon(self.style().standardIcon(icon))
            self.transport.addAction(actions[name])
        self._play_icons = (self.style().standardIcon(PAUSE), actions["video_play"].icon())
        self.transport.addSeparator()
        self.transport.addAction(actions["video_toggle_keyframe"])
        # The counter sits beside the toolbar, not in it: a narrow window sends a toolbar's last items behind its
        # overflow button, and the frame shown must stay in sight; the toolbar's buttons give way instead.
        self.counter.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.transport, 1)
        row.addWidget(self.counter)
        self.play_action = actions["video_play"]
        scroller = QScrollArea(self)
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.timeline)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.timeline_area = scroller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(bar)
        layout.addWidget(scroller)

        self.facts: VideoFacts | None = None
        self.frames_count = 1
        self.fps = 24.0
        self.frame = 1
        self.painter: RegionPainter | None = None
        self.faded: frozenset[RegionKey] = frozenset()
        self._boxes_at: BoxesAt = lambda frame: []
        self._rows_for: RowsFor = lambda frames_count: []
        self._shown_image: int | None = None     # the frame whose picture is on screen
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._play_start: tuple[float, int] = (0.0, 1)   # (clock, frame) playing started at
        self.dropped = 0      # frames playing skipped because their picture was not ready in time
        self.played = 0       # frames playing showed

        self.frames.opened.connect(self._on_frames_opened)
        self.frames.failed.connect(self._on_frames_failed)
        self.frames.frame_ready.connect(self._on_frames_frame_ready)
        self.timeline.seeked.connect(self.seek)
        self.timeline.region_chosen.connect(self.region_chosen)
        self.view.region_chosen.connect(self.region_chosen)
        self.view.box_edited.connect(lambda key, box, how: self.box_edited.emit(key, self.frame, box, how))

    # ------------------------------------------------------------------ the page's calls

    def open_video(self, opener: Callable[[], Any], frames_count: int, size: tuple[int, int]) -> None:
        """Show another video: `opener` makes its reader on the decoding thread; until it is open (or when it
        cannot be) the boxes are drawn on an empty frame of `size`, over `frames_count` frames."""
        self.pause()
        self.facts = None
        self.frames_count = max(1, frames_count)
        self.frame = 1
        self._shown_image = None
        self.view.set_image(None)
        self.view.set_video_size(size)
        self.frames.open(opener)
        self._show_frame()

    def close_video(self) -> None:
        self.pause()
        self.facts = None
        self.frames.close_video()

    def set_regions(self, rows_for: RowsFor, boxes_at: BoxesAt, painter: RegionPainter,
                    frames_count: int | None = None, faded: frozenset[RegionKey] = frozenset()) -> None:
        """What the regions are (after a task, an edit or a change of what is hidden): `rows_for(frames_count)`
        gives the timeline's rows for a video that long, `boxes_at(frame)` the boxes, `faded` the rejected
        ones; the frame stays."""
        self.painter = painter
        self.faded = faded
        self._boxes_at, self._rows_for = boxes_at, rows_for
        if frames_count is not None and self.facts is None:
            self.frames_count = max(1, frames_count)
        self._show_rows()
        self._show_boxes()

    def _show_rows(self) -> None:
        self.timeline.set_rows(self._rows_for(self.frames_count), self.frames_count)
        self.timeline_area.setFixedHeight(min(self.timeline.sizeHint().height(),
                                              self.timeline.row_top(TIMELINE_ROWS_SHOWN)) + 2)

    def select(self, key: RegionKey | None) -> None:
        self.view.select(key)
        self.timeline.select(key)

    # ------------------------------------------------------------------ moving along the video

    def seek(self, frame: int) -> None:
        frame = min(max(int(frame), 1), self.frames_count)
        if frame == self.frame and self._shown_image == frame:
            return
        self.frame = frame
        self._show_frame()
        self.frame_changed.emit(frame)

    def step(self, frames: int) -> None:
        self.pause()
        self.seek(self.frame + frames)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def play(self) -> None:
        if self.playing:
            return
        if self.frame >= self.frames_count:
            self.seek(1)  # from the start again, as players do at the end
        self._play_start = (time.monotonic(), self.frame)
        self.dropped = self.played = 0
        self._timer.start(max(5, round(1000 / max(self.fps, 1.0))))
        self._set_playing(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self._set_playing(False)

    def _set_playing(self, playing: bool) -> None:
        self.play_action.setText("&Pause video" if playing else "&Play video")
        self.play_action.setIcon(self._play_icons[0 if playing else 1])
        self.playing_changed.emit(playing)

    def _on_timer_timeout(self) -> None:
        if self._shown_image != self.frame:
            return  # the picture of the frame before is still being decoded: this turn is skipped
        started, first = self._play_start
        due = first + int((time.monotonic() - started) * self.fps)
        if due <= self.frame:
            return
        last = min(due, self.frames_count)
        self.dropped += last - self.frame - 1
        self.played += 1
        self.seek(last)
        if last >= self.frames_count:
            self.pause()

    # ------------------------------------------------------------------ showing

    def _show_frame(self) -> None:
        self.timeline.set_frame(self.frame)
        self._show_counter()
        self._show_boxes()
        image = self.frames.request(self.frame) if self.facts is not None else None
        if image is not None:
            self._show_image(self.frame, image)

    def _show_image(self, frame: int, image: QImage) -> None:
        self.view.set_image(image)
        self._shown_image = frame

    def _show_boxes(self) -> None:
        if self.painter is not None:
            self.view.set_boxes(self._boxes_at(self.frame), self.painter, self.faded)

    def _show_counter(self) -> None:
        self.counter.setText(self._counter_text(self.frame))

    def _counter_text(self, frame: int) -> str:
        seconds = (frame - 1) / self.fps if self.fps > 0 else 0.0
        return (f"  frame {frame:,} / {self.frames_count:,}   {clock_text(seconds)}"
                f" / {clock_text(self.frames_count / self.fps if self.fps > 0 else 0.0)}  ")

    def _on_frames_opened(self, facts: VideoFacts) -> None:
        self.facts = facts
        self.frames_count = max(1, facts.frames_count)
        self.fps = facts.fps if facts.fps > 0 else self.fps
        self.frame = min(self.frame, self.frames_count)
        # as wide as at the last frame, so the toolbar beside it does not shift while the digits change
        self.counter.setMinimumWidth(self.counter.fontMetrics().horizontalAdvance(
            self._counter_text(self.frames_count)) + 2 * self.counter.margin() + 4)
        if (facts.width, facts.height) != self.view.size_px:
            self.view.set_video_size((facts.width, facts.height))
        self._show_rows()  # lifespans held to the end reach the video's end
        self._shown_image = None
        self._show_frame()

    def _on_frames_failed(self, message: str) -> None:
        self.pause()
        self._shown_image = self.frame  # nothing will come: playing and stepping go on over the empty frame
        self.failed.emit(message)

    def _on_frames_frame_ready(self, frame: int, image: QImage) -> None:
        if frame == self.frame:
            self._show_image(frame, image)

    # ------------------------------------------------------------------ keys the player reads itself

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Space plays and pauses (on the image canvas it pans while held; the frame pans by a plain drag)
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and not event.modifiers():
            self.toggle_play()
            event.accept()
            return
        super().keyPressEvent(event)

    def shut(self) -> None:
        self.pause()
        self.frames.shut()
