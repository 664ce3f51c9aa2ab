"""VideoPage: the window's player for a task whose object is a <Video>, wired to the side panels and the review.

Qt layer, glue like TextPage. For such a task, task_loaded() shows the VideoPlayer and points region list, layers
and legend at the video's tracks; selection works as on the canvas; a box dragged at a frame becomes a keyframe,
and the keyframe switch and a label hotkey relabelling the selected track are one review command each (undoable,
saved at once), for tracks of the working annotation. It tells the Region panel and the review order which
track is selected and where each track first shows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStackedWidget

from viewer.core.content import Layer, TaskContent
from viewer.core.editing import results as made
from viewer.core.numbers import preview
from viewer.core.region_keys import LayerKey, RegionKey
from viewer.core.regions import Region
from viewer.core.review.working import working_layer_key
from viewer.core.shapes import Rectangle
from viewer.core.video.decode import VideoReader
from viewer.core.video.timing import LabelStudioFrames
from viewer.core.video_timeline import (box_of, first_place, keyframes, known_frames, spans, track_of,
                                       video_regions, with_track)
from viewer.core.video.track import Track, with_box_at, with_enabled
from viewer.core.video_content import region_at, video_framerate, video_object
from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.label_keys import LabelKeys
from viewer.qt.loader import LoadedTask
from viewer.qt.task_names import task_name, window_text
from viewer.qt.video.player import VideoPlayer
from viewer.qt.video.timeline import TimelineRow
from viewer.qt.canvas.view import ZOOM_STEP
from viewer.qt.central_page import CentralPage, Panel
from viewer.qt.view_signals import ViewSignals
from viewer.qt.widgets.region_list import RegionList
from viewer.render.content import FALLBACK_SIZE
from viewer.render.painter import RegionPainter, qcolor

VIDEO_ACTIONS = ("video_play", "video_back", "video_forward", "video_back_10", "video_forward_10", "video_first",
                 "video_last", "video_toggle_keyframe")
ZOOM_ACTIONS = ("fit", "actual_size", "zoom_in", "zoom_out")
SHORT_SOURCE = {"prediction": "pred", "annotation": "ann"}


class VideoPage(CentralPage):
    """Shown in `central` when a task is a video. The window calls task_loaded and, when what is hidden changed,
    apply_visibility."""

    regions_listed = Signal()  # the side panels list the tracks shown now

    def __init__(self, state: ViewState, signals: ViewSignals, visibility: Visibility, *, central: QStackedWidget,
                 actions: dict[str, QAction], painter: Callable[[], RegionPainter | None], region_list: RegionList,
                 layer_list: Panel, legend: Panel, show_message: Callable[..., None]):
        super().__init__(state, signals, visibility, central=central, region_list=region_list, layer_list=layer_list,
                         legend=legend, show_message=show_message)
        self.actions_by_name = actions
        self._painter = painter
        self.player = VideoPlayer(actions, central)
        self.stack(self.player)
        self.object_name: str | None = None
        self.content: TaskContent | None = None     # the task's content with the tracks as each layer's regions
        self.framerate = 24.0
        self._video_key: tuple[int, str] | None = None   # (task index, video reference) open in the player
        self.label_keys = LabelKeys()
        self._keys_config = None      # the config label_keys were made from
        a = actions
        a["video_play"].triggered.connect(self.player.toggle_play)
        a["video_back"].triggered.connect(lambda: self.player.step(-1))
        a["video_forward"].triggered.connect(lambda: self.player.step(1))
        a["video_back_10"].triggered.connect(lambda: self.player.step(-10))
        a["video_forward_10"].triggered.connect(lambda: self.player.step(10))
        a["video_first"].triggered.connect(lambda: self.player.step(-self.player.frames_count))
        a["video_last"].triggered.connect(lambda: self.player.step(self.player.frames_count))
        a["video_toggle_keyframe"].triggered.connect(self.toggle_keyframe)
        view = self.player.view
        self.zooms = {"fit": view.fit, "actual_size": view.actual_size, "zoom_in": lambda: view.zoom_by(ZOOM_STEP),
                      "zoom_out": lambda: view.zoom_by(1 / ZOOM_STEP)}
        a["show_tags"].toggled.connect(view.set_tags_shown)
        self.player.region_chosen.connect(self._on_player_region_chosen)
        self.player.box_edited.connect(self._on_player_box_edited)
        self.player.failed.connect(self._on_player_failed)
        signals.selection_changed.connect(self._on_signals_selection_changed)
        signals.layer_changed.connect(self._on_signals_layer_changed)
        central.currentChanged.connect(lambda _index: self._on_central_changed())
        # label hotkeys relabel the selected working track: the frame has the focus, the player's other parts
        # pass their keys up to the player
        view.installEventFilter(self)
        self.player.installEventFilter(self)
        self._enable()

    # ------------------------------------------------------------------ the window's calls

    def task_loaded(self, loaded: LoadedTask) -> None:
        """Show the task in the player when its object is a Video."""
        project = self.state.project
        task = project.tasks[loaded.index]
        name = video_object(project, task) if not loaded.content.is_image else None
        if name is None:
            return
        self.object_name = name
        self.framerate = video_framerate(project.config, name, task)  # may be the task's own ($fps)
        if project.config is not self._keys_config:
            self._keys_config, self.label_keys = project.config, LabelKeys(project.config)
        self._show_tracks(loaded.content)
        self.central.setCurrentWidget(self.player)
        self._list_regions(fresh=True)
        tag = project.config.objects[name]
        try:
            ref = project.object_value(task, tag)
        except KeyError as exc:
            ref, problem = None, f"the task data has no {exc.args[0]!r} for the video"
        else:
            problem = None if isinstance(ref, str) and ref else f"the video reference is {preview(ref)}, not a path " \
                                                                "or URL"
        title = task_name(task.index, task.id, len(project.tasks))
        frames = known_frames(region for _, region in self.content.regions())
        if problem is not None:
            self.player.open_video(lambda: None, frames, FALLBACK_SIZE)  # no reader: an empty frame
            self.show_message(f"{title}: {problem}; the tracks are drawn on an empty frame")
        elif self._video_key != (loaded.index, ref):
            resolver, rate = project.resolver, self.framerate
            # frames as Label Studio numbers them: the picture playing at (N - 1) / framerate, its length
            self.player.open_video(lambda: LabelStudioFrames(VideoReader(resolver.resolve(ref)), rate), frames,
                                   FALLBACK_SIZE)
            count = len(self.content.regions())
            listed = {(layer.key, region.id) for layer, region in self.content.regions()}
            undrawn = sum(1 for layer in loaded.content.layers for region in layer.regions + layer.others
                          if region.to_name == name and (layer.key, region.id) not in listed)
            note = f"; {undrawn} other region(s) on it are not drawn (lsview inspect lists them)" if undrawn else ""
            self.show_message(f"{title}: {count} track(s) on the video {ref}{note}")
        self._video_key = (loaded.index, ref) if problem is None else None
        self.player.view.setFocus()
        self._enable()

    def apply_visibility(self) -> None:
        """What is hidden changed: the boxes and the timeline's rows again."""
        if self.active:
            self._show_regions()

    # ------------------------------------------------------------------ what the player shows

    def _show_tracks(self, content: TaskContent) -> None:
        """The content's tracks on the video into the side panels and the player (another task or an edit)."""
        name = self.object_name
        layers = tuple(replace(layer, regions=video_regions(layer.regions + layer.others, name))
                       for layer in content.layers)
        self.content = replace(content, layers=layers)

    def _list_regions(self, fresh: bool) -> None:
        if fresh:
            self.visibility.start_task(self.content)  # tracks saved with `hidden: true` start hidden, as regions do
        self.list_panels(self.content)
        self._show_regions()
        self.regions_listed.emit()

    def _show_regions(self) -> None:
        painter = self._painter()
        if painter is None or self.content is None:
            return
        shown = [(layer, region) for layer, region in self.content.regions()
                 if self.visibility.region_shown(layer.key, region)]

        faded = self._rejected()

        def rows_for(frames_count: int) -> list[TimelineRow]:
            return [self._row(layer, region, painter, frames_count, (layer.key, region.id) in faded)
                    for layer, region in shown]

        def boxes_at(frame: int) -> list[tuple[Layer, Region]]:
            boxes = []
            for layer, region in shown:
                boxed = region_at(region, frame)
                if boxed is not None:
                    boxes.append((layer, boxed))
            return boxes

        frames = known_frames(region for _, region in self.content.regions())
        self.player.set_regions(rows_for, boxes_at, painter, frames, faded)
        self.player.view.editable = self.editable
        self.player.select(self.state.selection)

    def _rejected(self) -> frozenset[RegionKey]:
        """The prediction tracks the reviewer rejected: faint on the frame and the timeline."""
        review, index = self.state.review, self.state.index
        if review is None or index < 0:
            return frozenset()
        return frozenset((("prediction", prediction), rid) for (prediction, rid), decision
                         in review.decisions(index).items() if decision == "rejected")

    def _row(self, layer: Layer, region: Region, painter: RegionPainter, frames: int,
             faded: bool = False) -> TimelineRow:
        source = SHORT_SOURCE.get(layer.source, layer.source)
        working = self.state.task() is not None and layer.key == working_layer_key(self.state.task())
        # the region id as the Region panel names a region ("Selected videorectangle · <id>"): tracks of one label
        # are otherwise rows that read alike
        named = f"{', '.join(region.labels)} · {region.id}" if region.labels else region.id
        title = f"{named} · {'working' if working else f'{source} {layer.index}'}"
        return TimelineRow((layer.key, region.id), title, qcolor(painter.style(region).stroke),
                           spans(region, frames), keyframes(region), faded)

    # ------------------------------------------------------------------ editing at a frame

    def _region(self, key: RegionKey | None) -> Region | None:
        if key is None or self.content is None:
            return None
        layer = self.content.layer(key[0])
        return next((r for r in layer.regions if r.id == key[1]), None) if layer is not None else None

    def _editable_region(self, key: RegionKey | None, doing: str) -> Region | None:
        """The working region `key` names, or None after saying why it cannot be edited."""
        region = self._region(key)
        if region is None:
            self.show_message(f"Select a track to {doing}")
            return None
        if self.state.review is None:
            self.show_message("No review session: tracks cannot be changed")
            return None
        if not self.editable(key):
            self.show_message("Accept the track first (A): only tracks of the working annotation are changed")
            return None
        return region

    def working_track(self, key: RegionKey | None) -> Region | None:
        """The working annotation's track `key` names (the Region panel edits it); None for any other region."""
        return self._region(key) if key is not None and self.editable(key) else None

    def place(self, key: RegionKey) -> tuple[float, float] | None:
        """Where a track first shows, (top, left) in pixels of the frame: the review's position order."""
        region = self._region(key)
        return first_place(region, self.player.view.size_px) if region is not None else None

    def relabel(self, choice: made.LabelChoice) -> bool:
        """Give the selected working track this label (a label hotkey), one review command; False when no working
        track is selected or the label is not one a track can have."""
        region = self.working_track(self.state.selection)
        config = self.state.project.config if self.state.project is not None else None
        if region is None or config is None or choice not in made.region_label_choices(config, region):
            return False
        results = made.relabelled(region, choice)
        if results != [dict(r) for r in region.results]:
            self.state.review.edit_region(self.state.index, region.id, results, "Relabel region")
        return True

    def _hotkey_choice(self, event) -> made.LabelChoice | None:
        """The label a key press gives the selected working track, None when it gives none."""
        region = self.working_track(self.state.selection) if self.active else None
        options = self.label_keys.choices(event) if region is not None else []
        if not options:
            return None
        fitting = made.region_label_choices(self.state.project.config, region)
        return next((c for c in options if c in fitting), None)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        choice = self._hotkey_choice(event)
        if choice is None:
            return False
        # the label's key comes before the window's one-key shortcuts, as on the canvas
        event.accept()
        if kind == QEvent.Type.KeyPress:
            self.relabel(choice)
        return True

    def _on_player_box_edited(self, key: RegionKey, frame: int, box: Rectangle, how: str) -> None:
        region = self._editable_region(key, "change its box")
        if region is None:
            return
        track = with_box_at(track_of(region), frame, box_of(box), self.framerate)
        self._save(region, track, f"{'Resize' if how == 'resize' else 'Move'} box at frame {frame}")

    def toggle_keyframe(self) -> None:
        """Switch the selected working track off from the keyframe at or before the frame shown, or on again."""
        region = self._editable_region(self.state.selection, "switch it off or on")
        if region is None:
            return
        frame, track = self.player.frame, track_of(region)
        if track is None:
            self.show_message("A timeline region has no keyframes to switch: only box tracks do")
            return
        # the keyframe that decides the frame, as the editor's toggleLifespan picks it (before the track: its first)
        decider = next((k for k in reversed(track.keyframes) if k.frame <= frame), track.keyframes[0])
        changed = with_enabled(track, frame, not decider.enabled)
        state = "on" if not decider.enabled else "off"
        self._save(region, changed, f"Switch track {state} at frame {decider.frame}")

    def _save(self, region: Region, track: Track, label: str) -> None:
        # one review command; one that cannot be saved is said by the review (its `failed`, in the status bar)
        self.state.review.edit_region(self.state.index, region.id, with_track(region, track), label)

    # ------------------------------------------------------------------ following the window

    def _on_central_changed(self) -> None:
        if not self.active:
            self.player.pause()
            self.player.close_video()
            self._video_key = None
        self._enable()

    def _enable(self) -> None:
        on = self.active
        for name in VIDEO_ACTIONS:
            self.actions_by_name[name].setEnabled(on)
        if on:  # the frame zooms as the image canvas does
            for name in ZOOM_ACTIONS:
                self.actions_by_name[name].setEnabled(True)

    def _on_signals_layer_changed(self, content: TaskContent, _key: LayerKey) -> None:
        if self.active:  # the working annotation after a command: same task, frame, selection and hidden tracks
            self._show_tracks(content)
            self._list_regions(fresh=False)

    def _on_player_region_chosen(self, key) -> None:
        self.state.select(key, again=True)

    def _on_signals_selection_changed(self, key) -> None:
        if self.active:
            self.player.select(key)

    def _on_player_failed(self, message: str) -> None:
        self.show_message(f"The video cannot be shown: {window_text(message)}; the tracks are drawn on an empty "
                          f"frame")

    def shut(self) -> None:
        self.player.shut()
