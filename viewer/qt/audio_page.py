"""AudioPage: the window's waveform view for <Audio> tasks, wired to the side panels and the review session.

Qt layer, glue like TextPage. For a task with audio and no image, task_loaded() shows the WaveformView and points
region list, layers and legend at its segments; selection, hidden layers/labels/regions, accept and reject work
as on the canvas; dragging an edge of a working segment becomes one review command. Peaks are read off the GUI
thread (an hour of audio decodes in about a second the first time).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStackedWidget

from viewer.core.audio.content import AudioContent, AudioMedia, audio_contents, audio_media, audio_objects
from viewer.core.errors import LsviewError
from viewer.core.region_kinds import AUDIO_KINDS
from viewer.core.review import working
from viewer.core.shapes import to_value
from viewer.core.text_layout import text_objects
from viewer.core.video_content import video_object
from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.audio_player import SegmentPlayer
from viewer.qt.loader import LoadedTask
from viewer.qt.task_names import task_name
from viewer.qt.canvas.view import ZOOM_STEP
from viewer.qt.central_page import CentralPage
from viewer.qt.view_signals import ViewSignals
from viewer.qt.widgets.region_list import RegionList
from viewer.qt.widgets.waveform_view import WaveformView
from viewer.render.audio_render import shown_seconds
from viewer.render.content import TaskContent
from viewer.render.style import StyleBook
from viewer.render.waveform import WaveformPainter

LOADING = "reading the audio…"


def default_zoom(text: str | None) -> float:
    """<Audio defaultzoom> as the editor reads it: a number from 1 (the whole file) to 1500; anything else is 1."""
    try:
        zoom = float(text) if text is not None else 1.0
    except ValueError:
        return 1.0
    return min(max(zoom, 1.0), 1500.0) if zoom == zoom else 1.0


class PeaksReader(QObject):
    """Reads a file's description and peaks on a thread of its own; `read` says so on the GUI thread."""

    read = Signal(object, object, object, object)   # (ticket, AudioMedia, peaks or None, note or None)

    def start(self, ticket: object, project, task, name: str) -> None:
        threading.Thread(target=self._run, args=(ticket, project, task, name), daemon=True,
                         name="lsview-peaks").start()

    def _run(self, ticket, project, task, name) -> None:
        from viewer.core.audio.content import peaks_of

        media = audio_media(project, task, name)
        peaks = note = None
        if not media.readable:
            note = f"audio not read: {media.error}"
        else:
            try:
                peaks = peaks_of(project, media)
            except LsviewError as exc:
                note = f"audio not read: {exc}"
        self.read.emit(ticket, media, peaks, note)


class AudioPage(CentralPage):
    """Shown in `central` when a task has audio; the window calls task_loaded and apply_visibility."""

    segments_listed = Signal()   # the side panels list the segments shown now
    working_selected = Signal(object)  # the working annotation's segment now selected (for the Region panel), or None

    def __init__(self, state: ViewState, signals: ViewSignals, visibility: Visibility, *, central: QStackedWidget,
                 region_list: RegionList, layer_list, legend, actions: dict[str, QAction],
                 show_message: Callable[..., None]):
        super().__init__(state, signals, visibility, central=central, region_list=region_list, layer_list=layer_list,
                         legend=legend, show_message=show_message)
        self.actions = actions
        self.view = WaveformView(WaveformPainter(StyleBook(None)), central)
        self.canvas = self.view.canvas
        self.canvas.shown = visibility.region_shown
        self.canvas.editable = self.editable
        self.stack(self.view)
        self.base: TaskContent | None = None
        self.content: AudioContent | None = None
        self.player = SegmentPlayer(self)
        self.player.position.connect(self._on_player_position)
        self.player.stopped.connect(self._on_player_stopped)
        self.player.failed.connect(lambda message: self.show_message(message, 8000))
        actions["play_segment"].triggered.connect(self.play)
        self.canvas.region_double_clicked.connect(self._on_canvas_region_double_clicked)
        self.reader = PeaksReader(self)
        self._ticket: object = None
        self._zoom = 1.0
        self.reader.read.connect(self._on_reader_read)
        self.canvas.region_clicked.connect(self._on_canvas_region_clicked)
        self.canvas.segment_moved.connect(self._on_canvas_segment_moved)
        signals.project_changed.connect(self._on_signals_project_changed)
        signals.selection_changed.connect(self._on_signals_selection_changed)
        signals.layer_changed.connect(self._on_signals_layer_changed)
        self.zooms = {"fit": self.canvas.fit, "zoom_in": lambda: self.canvas.zoom_by(ZOOM_STEP),
                      "zoom_out": lambda: self.canvas.zoom_by(1 / ZOOM_STEP)}

    def set_tags_shown(self, shown: bool) -> None:
        self.canvas.tags = shown
        self.canvas.update()

    def task_loaded(self, loaded: LoadedTask) -> None:
        self.player.stop()
        project = self.state.project
        task = project.tasks[loaded.index]
        names = audio_objects(project, task)
        segments = any(region.kind in AUDIO_KINDS for layer in loaded.content.layers for region in layer.others)
        other = text_objects(project, task) or video_object(project, task) is not None
        if loaded.content.is_image or not names or (other and not segments):
            # a transcript (Paragraphs) or a video synced with the audio, and no segment to review: the text page
            # or the video player keeps the view
            self._ticket = None
            return
        self.base, self.content = loaded.content, None
        self.central.setCurrentWidget(self.view)
        for name in ("fit", "zoom_in", "zoom_out"):
            self.actions[name].setEnabled(True)
        self._show(self._content(loaded.content, names[0]), keep_window=False)
        self._zoom = default_zoom(project.config.objects[names[0]].attrs.get("defaultzoom"))
        self._ticket = ticket = (loaded.index, names[0], object())
        self.canvas.set_peaks(None, LOADING, self.canvas.duration)
        self.reader.start(ticket, project, task, names[0])
        count = len(self.content.regions())
        more = f" (the first of {len(names)} audio objects)" if len(names) > 1 else ""
        self.show_message(f"{task_name(task.index, task.id, len(project.tasks))}: {count} segments on "
                          f"\u201c{names[0]}\u201d{more}")

    def _content(self, base: TaskContent, name: str, media: AudioMedia | None = None) -> AudioContent:
        """The object's segments from the window's layers; the file's description once it has been read."""
        project = self.state.project
        tag = project.config.objects[name]
        contents = [c for c in audio_contents(project, self.state.task(), base.layers, describe=False)
                    if c.object_name == name]
        content = contents[0] if contents else AudioContent(name, AudioMedia(None, None), False, (), project)
        if media is not None:
            content = replace(content, media=media)
        elif self.content is not None and self.content.object_name == name:
            content = replace(content, media=self.content.media)  # the same task's file, read already
        return replace(content, split_channels=tag.attrs.flag("splitchannels"))

    def _show(self, content: AudioContent, *, keep_window: bool) -> None:
        self.content = content
        self.canvas.painter = WaveformPainter(StyleBook(self.state.project.config))
        self.canvas.set_content(content, shown_seconds(content, self.canvas.peaks if keep_window else None),
                                keep_window=keep_window)
        shown = replace(self.base, layers=content.layers)
        self.visibility.start_task(shown)  # segments saved with `hidden: true` start hidden, as regions do
        self.list_panels(shown)
        self.segments_listed.emit()

    def refresh_layers(self, content: TaskContent) -> None:
        """The task's layers changed (a review command): show them, keeping the time window, what is hidden and
        the selection."""
        if self.content is None:
            return
        self.base = content
        hidden = set(self.visibility.hidden_regions)
        self._show(self._content(content, self.content.object_name), keep_window=True)
        self.visibility.hidden_regions = hidden
        self.region_list.apply_visibility(self.visibility)
        self.canvas.selected = self.state.selection
        self.canvas.update()
        self._tell_working(self.state.selection)

    def apply_visibility(self) -> None:
        if self.active:
            self.canvas.update()

    def _on_reader_read(self, ticket, media: AudioMedia, peaks, note) -> None:
        if ticket is not self._ticket or self.content is None:
            return  # another task is shown now
        self.content = replace(self.content, media=media)
        self.canvas.content = self.content
        self.canvas.set_peaks(peaks, note, shown_seconds(self.content, peaks))
        if self._zoom > 1:
            self.canvas.zoom_by(self._zoom, at_x=0.0)   # the editor opens at defaultzoom from the start
        if note:
            self.show_message(f"{self.content.object_name}: {note}")

    def _on_signals_project_changed(self) -> None:
        self.player.stop()
        self._ticket = None
        self.content = None

    # ------------------------------------------------------------------ playing

    def play(self) -> None:
        """The Play segment action: the selected segment (else the stretch shown); again while playing stops."""
        if not self.active or self.content is None:
            return
        if self.player.playing:
            self.player.stop()
            return
        media = self.content.media
        if not media.readable:
            self.show_message(f"Nothing to play: {media.error or LOADING}", 5000)
            return
        key = self.state.selection
        region = next((r for k, r in self.canvas.entries() if k == key), None)
        start, end = (region.shape.start, region.shape.end) if region is not None else \
            (self.canvas.start, self.canvas.end)
        self.player.play(media.path, start, end)
        self.show_message(f"Playing {min(start, end):.2f}-{max(start, end):.2f} s (Ctrl+P again stops)", 4000)

    def _on_canvas_region_double_clicked(self, key) -> None:
        self.state.select(key, again=True)
        if self.player.playing:
            self.player.stop()
        self.play()

    def _on_player_position(self, seconds: float) -> None:
        self.canvas.playhead = seconds
        self.canvas.update()

    def _on_player_stopped(self) -> None:
        self.canvas.playhead = None
        self.canvas.update()

    def _on_canvas_region_clicked(self, key) -> None:
        self.state.select(key, again=True)

    def _on_signals_selection_changed(self, key) -> None:
        if self.active:
            self.canvas.selected = key
            if key is not None:
                self.canvas.reveal(key)
            self.canvas.update()
            self._tell_working(key)

    def _tell_working(self, key) -> None:
        """The Region panel edits the selected segment's label and per-region values when it is a working one."""
        region = next((r for k, r in self.canvas.entries() if k == key), None) \
            if key is not None and self.editable(key) else None
        self.working_selected.emit(region)

    def _on_signals_layer_changed(self, content: TaskContent, _key) -> None:
        if self.active:  # the canvas's panels are the window's to update
            self.refresh_layers(content)

    def _on_canvas_segment_moved(self, key, start: float, end: float) -> None:
        review, task = self.state.review, self.state.task()
        region = next((r for k, r in self.canvas.entries() if k == key), None) if self.content else None
        if review is None or task is None or region is None or not self.editable(key):
            self.show_message("Only segments of the working annotation move: accept the prediction's segment first",
                              5000)
            return
        shape = replace(region.shape, start=start, end=end)
        results = working.with_geometry([dict(r) for r in region.results], to_value(shape))
        label = f"Move {', '.join(region.labels) or 'segment'} to {start:.3f}-{end:.3f} s"
        review.edit_region(self.state.index, region.id, results, label)
