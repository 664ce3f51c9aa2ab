"""What a text task shows: each text object's document and the task's layers holding that object's spans.

Render layer, Qt-free, shared by `lsview render` and the window's text view so both place the same spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Collection, Sequence

from viewer.core.project import Project
from viewer.core.regions import Region
from viewer.core.tasks import Task
from viewer.core.text_layout import (SPAN_SHAPES, LayerKey, TextDocument, TextLayoutModel, build_document,
                                     place_spans, text_objects)
from viewer.render.content import Layer, task_content


@dataclass(frozen=True)
class TextContent:
    """One text object of a task: its document, and every prediction/annotation with its spans on it."""

    document: TextDocument
    layers: tuple[Layer, ...]
    project: Project | None = field(default=None, compare=False, repr=False)
    task: Task | None = field(default=None, compare=False, repr=False)

    @property
    def object_name(self) -> str:
        return self.document.object_name

    def regions(self) -> list[tuple[Layer, Region]]:
        return [(layer, region) for layer in self.layers for region in layer.regions]

    def layer(self, key: LayerKey) -> Layer | None:
        return next((layer for layer in self.layers if layer.key == key), None)

    def model(self, keys: Collection[LayerKey] | None = None,
              shown: Callable[[LayerKey, Region], bool] | None = None) -> TextLayoutModel:
        """The spans of the layers in `keys` (all when None) that `shown` lets through, placed on the document."""
        chosen = [(layer.key, [r for r in layer.regions if shown is None or shown(layer.key, r)])
                  for layer in self.layers if keys is None or layer.key in keys]
        return place_spans(self.document, chosen, self.project, self.task)


def text_contents(project: Project, task: Task, layers: Sequence[Layer] | None = None, *, source: str = "all",
                  model_version: str | None = None) -> list[TextContent]:
    """Every text object of the task; `layers` (from task_content, which applies the filters) name the layers."""
    if layers is None:
        layers = task_content(project, task, source=source, model_version=model_version).layers
    grouped = {(result_set.source, result_set.index): region_set.regions
               for result_set, region_set in project.regions(task)}
    # A layer that is not in the task file (the window's working annotation) brings its own regions.
    grouped.update({layer.key: layer.regions + layer.others for layer in layers if layer.key not in grouped})
    contents = []
    for name in text_objects(project, task):
        own = tuple(replace(layer, regions=tuple(r for r in grouped[layer.key]
                                                 if r.to_name == name and isinstance(r.shape, SPAN_SHAPES)))
                    for layer in layers)
        contents.append(TextContent(build_document(project, task, name), own, project, task))
    return contents
