"""An audio task drawn to a QImage: each <Audio> object's waveform with its segments and time axis, one under the
other, whole file in view.

Render layer. `lsview render` writes these; the window's waveform view paints through the same WaveformPainter.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from viewer.core.audio.content import AudioContent, audio_contents, peaks_of
from viewer.core.errors import LsviewError
from viewer.core.project import Project
from viewer.core.tasks import Task
from viewer.render.style import StyleBook
from viewer.render.waveform import AXIS_HEIGHT, WaveformFrame, WaveformPainter

ROW_HEIGHT = 100         # px a waveform row gets in a rendered picture
TITLE_HEIGHT = 20.0
FALLBACK_SECONDS = 10.0  # the time shown when neither the file nor the segments say how long the audio is


def loaded_peaks(project: Project, content: AudioContent):
    """(peaks, None), or (None, why the waveform is not drawn)."""
    if not content.media.readable:
        return None, f"audio not read: {content.media.error}"
    try:
        return peaks_of(project, content.media), None
    except LsviewError as exc:
        return None, f"audio not read: {exc}"


def shown_seconds(content: AudioContent, peaks) -> float:
    """The length drawn: the file's, else its container's, else the furthest segment end or original_length."""
    if peaks is not None and peaks.duration > 0:
        return peaks.duration
    if content.media.duration:
        return content.media.duration
    ends = [max(region.shape.start, region.shape.end) for _, region in content.regions()]
    for _, region in content.regions():
        for result in region.results:
            length = result.get("original_length")
            if isinstance(length, (int, float)) and not isinstance(length, bool) and math.isfinite(length):
                ends.append(float(length))
    return max([e for e in ends if math.isfinite(e) and e > 0], default=FALLBACK_SECONDS)


def render_audio_task(project: Project, task: Task, width: int = 1000, *, source: str = "all",
                      model_version: str | None = None, labels: bool = True, transcriptions: bool = True,
                      styles: StyleBook | None = None) -> tuple[QImage, list[str]]:
    """The task's audio objects (the whole length of each) and the notes of what could not be read."""
    contents = audio_contents(project, task, source=source, model_version=model_version)
    painter = WaveformPainter(styles or StyleBook(project.config))
    titled = len(contents) > 1
    blocks, notes = [], []
    for content in contents:
        peaks, note = loaded_peaks(project, content)
        if note:
            notes.append(f"{content.object_name}: {note}")
        rows = content.rows if peaks is None else (peaks.channels if content.rows > 1 else 1)
        blocks.append((content, peaks, note, rows, rows * ROW_HEIGHT + AXIS_HEIGHT + (TITLE_HEIGHT if titled else 0)))
    height = max(1, math.ceil(sum(block[4] for block in blocks)))
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(255, 255, 255))
    p = QPainter(image)
    try:
        top = 0.0
        for content, peaks, note, rows, block_height in blocks:
            if titled:
                p.setPen(QColor(90, 90, 90))
                font = QFont()
                font.setPixelSize(12)
                p.setFont(font)
                p.drawText(QRectF(4, top, width - 8, TITLE_HEIGHT), f"Audio \u201c{content.object_name}\u201d")
                top += TITLE_HEIGHT
            frame = WaveformFrame(float(width), rows * ROW_HEIGHT + AXIS_HEIGHT, rows, 0.0,
                                  shown_seconds(content, peaks), top=top)
            painter.paint(p, frame, content, peaks, tags=labels, transcriptions=transcriptions, note=note)
            top += frame.height
    finally:
        p.end()
    return image, notes
