"""SeriesPage: the window's plot view for time-series tasks, wired to the side panels and the review.

Qt layer, glue like TextPage. For a task with a <TimeSeries> and no image, task_loaded() shows the PlotView and
points region list, layers and legend at the ranges; selection, hidden layers, labels and regions work as on the
canvas, the review keys accept and reject the selected range, and dragging an edge of a working range is one edit
of the session (undoable).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget

from viewer.core.region_keys import LayerKey, RegionKey
from viewer.core.review import working
from viewer.core.shapes import TimeSeriesRange, to_value
from viewer.core.timeseries.plot import initial_range, plot_regions
from viewer.core.view_state import ViewState
from viewer.core.visibility import Visibility
from viewer.qt.loader import LoadedTask
from viewer.qt.task_names import task_name
from viewer.qt.central_page import CentralPage, Panel
from viewer.qt.view_signals import ViewSignals
from viewer.qt.widgets.plot_view import Plot, PlotView, ShownRange
from viewer.qt.widgets.region_list import RegionList
from viewer.render.content import TaskContent
from viewer.render.plot_painter import PlotPainter
from viewer.render.plot_render import series_objects




class SeriesPage(CentralPage):
    """Shown in `central` when a task is a time series; `show_message` puts a message in the status bar."""

    def __init__(self, state: ViewState, signals: ViewSignals, visibility: Visibility, *, central: QStackedWidget,
                 region_list: RegionList, layer_list: Panel, legend: Panel, show_message: Callable[[str], None]):
        super().__init__(state, signals, visibility, central=central, region_list=region_list, layer_list=layer_list,
                         legend=legend, show_message=show_message)
        self.view = PlotView()
        self.area = QScrollArea(central)
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setWidget(self.view)
        self.stack(self.area)
        self.base: TaskContent | None = None   # the window's content of the task; the page lists its ranges
        self.shown: TaskContent | None = None  # the same with each layer's ranges as its regions
        self.tags_shown = True
        self.view.region_chosen.connect(self._on_view_region_chosen)
        self.view.range_edited.connect(self._on_view_range_edited)
        signals.selection_changed.connect(self._on_signals_selection_changed)
        signals.layer_changed.connect(self._on_signals_layer_changed)

    def task_loaded(self, loaded: LoadedTask) -> None:
        project = self.state.project
        task = project.tasks[loaded.index]
        names = [] if loaded.content.is_image else series_objects(project, task)
        if not names:
            return
        notes = [problem for name in names for _, problem in project.series(task, name).problems]
        if all(project.series(task, name).data is None for name in names):
            # nothing to plot: the window's data view stays, and the status bar says why
            self.show_message(f"{task_name(task.index, task.id, len(project.tasks))}: {notes[0]}")
            return
        self.central.setCurrentWidget(self.area)
        self._show(loaded.content, keep_view=False)
        count = len(self.shown.regions()) if self.shown is not None else 0
        name = task_name(task.index, task.id, len(project.tasks))
        said = f"{name}: {count} ranges" + (f"; {notes[0]}" if notes else "")
        self.show_message(said)

    def _show(self, content: TaskContent, keep_view: bool) -> None:
        """List the content's ranges in the side panels and draw them over the plots."""
        project, task = self.state.project, self.state.task()
        self.base = content
        shown = self.shown = replace(content, layers=tuple(
            replace(layer, regions=tuple(r for r in layer.others if r.kind == "timeseries-range"))
            for layer in content.layers))
        if not keep_view:
            self.visibility.start_task(shown)   # ranges saved with `hidden: true` start hidden, as regions do
        editable = working.working_layer_key(task) if self.state.review is not None else None
        plots = []
        for name in series_objects(project, task):
            loaded = project.series(task, name)
            if loaded is None or loaded.data is None:
                continue
            spec = project.series_spec(name)
            ranges = []
            for layer in shown.layers:
                listed = [r for r in layer.regions if self.visibility.region_shown(layer.key, r)]
                ranges += [ShownRange((layer.key, placed.region.id), placed, layer.key == editable)
                           for placed in plot_regions(spec, listed)]
            plots.append(Plot(spec, loaded.data, ranges, *initial_range(spec, loaded.data)))
        self.view.set_plots(PlotPainter(project.config, labels=self.tags_shown), plots, keep_view=keep_view)
        self.view.select(self.state.selection)
        self.list_panels(shown)

    def set_tags_shown(self, shown: bool) -> None:
        """Show label tags (View > Show label tags), as the canvas and the text view do."""
        self.tags_shown = shown
        if self.view.painter is not None:
            self.view.painter.labels = shown
            self.view.update()

    def apply_visibility(self) -> None:
        """What is hidden changed: draw the ranges again."""
        if self.active and self.base is not None:
            self._show(self.base, keep_view=True)

    def _on_signals_layer_changed(self, content: TaskContent, _key: LayerKey) -> None:
        if self.active:  # the canvas's panels are the window's to update
            self._show(content, keep_view=True)

    def _on_signals_selection_changed(self, key) -> None:
        if self.active:
            self.view.select(key)
            if key is not None:
                self.view.reveal(key)

    def _on_view_region_chosen(self, key: RegionKey | None) -> None:
        self.state.select(key, again=True)

    def _on_view_range_edited(self, key: RegionKey, start: float, end: float) -> None:
        """A dragged edge: the range's new start/end written as the editor writes them, one command."""
        review, project = self.state.review, self.state.project
        layer = self.shown.layer(key[0]) if self.shown is not None else None
        region = next((r for r in layer.regions if r.id == key[1]), None) if layer is not None else None
        if review is None or region is None:
            return
        spec = project.series_spec(region.to_name)
        shape = TimeSeriesRange(spec.write_time(start), spec.write_time(end), region.shape.instant)
        results = working.with_geometry([dict(r) for r in region.results], to_value(shape))
        label = "Move the start of a range" if shape.end == region.shape.end else "Move the end of a range"
        if shape.instant:
            label = "Move an instant"
        review.edit_region(self.state.index, region.id, results, label)
