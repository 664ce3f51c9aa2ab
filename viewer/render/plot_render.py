"""A time-series task drawn to one QImage: each <TimeSeries> object's plot over the whole of its data, one under the
other, with the ranges of the chosen predictions and annotations.

Render layer. `lsview render` writes it; the window's plot view paints the same rows through PlotPainter.
"""

from __future__ import annotations

from PySide6.QtGui import QImage, QPainter

from viewer.core.content import task_content
from viewer.core.project import Project
from viewer.core.tasks import Task
from viewer.core.timeseries.plot import full_range, lay_out, plot_regions
from viewer.render.plot_painter import BACKGROUND, PlotPainter

DEFAULT_WIDTH = 1000


def series_objects(project: Project, task: Task) -> list[str]:
    """The names of the <TimeSeries> objects the task has data for, in config order."""
    names = []
    for name, tag in project.config.objects.items():
        if tag.kind != "timeseries":
            continue
        loaded = project.series(task, name)
        if loaded is not None and not any(code == "missing-data-key" for code, _ in loaded.problems):
            names.append(name)
    return names


def render_series_task(project: Project, task: Task, width: int = DEFAULT_WIDTH, *, source: str = "all",
                       model_version: str | None = None, labels: bool = True) -> tuple[QImage | None, list[str]]:
    """The picture of every plot of the task (None when no plot can be drawn), and a note per plot left out."""
    content = task_content(project, task, source=source, model_version=model_version)
    regions = [region for layer in content.layers for region in layer.others if not region.hidden]
    painter = PlotPainter(project.config, labels=labels)
    plots, notes = [], []
    for name in series_objects(project, task):
        spec = project.series_spec(name)
        loaded = project.series(task, name)
        if loaded is None or loaded.data is None:
            why = loaded.problems[0][1] if loaded is not None and loaded.problems else "no data"
            notes.append(f"<TimeSeries name=\"{name}\">: {why}")
            continue
        t0, t1 = full_range(loaded.data)
        plots.append((lay_out(spec, loaded.data, width, t0, t1), spec, loaded.data, plot_regions(spec, regions)))
    if not plots:
        return None, notes
    image = QImage(width, sum(layout.height for layout, *_ in plots), QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    p = QPainter(image)
    try:
        top = 0
        for layout, spec, data, ranges in plots:
            p.save()
            p.translate(0, top)
            painter.paint(p, layout, spec, data, ranges)
            p.restore()
            top += layout.height
    finally:
        p.end()
    return image, notes
