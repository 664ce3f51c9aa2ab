"""What the reviewer has hidden: whole layers, labels (from the legend) and single regions (from the region list).

Core layer, no Qt: the scene, the region list and the results panel all ask it, so they always agree.
"""

from __future__ import annotations

from typing import Callable

from viewer.core.content import ShownContent
from viewer.core.region_keys import LabelKey, LayerKey, RegionKey
from viewer.core.regions import Region


def label_keys(region: Region) -> list[LabelKey]:
    return [(region.label_from_name, label) for label in region.labels]


class Visibility:
    """Layers and labels stay hidden from task to task; single regions are chosen per task, starting with the
    ones saved with `hidden: true`."""

    def __init__(self) -> None:
        self.hidden_layers: set[LayerKey] = set()
        self.hidden_labels: set[LabelKey] = set()
        self.hidden_regions: set[RegionKey] = set()
        # Set by the confidence threshold while it hides (rather than fades) low-scoring predictions.
        self.below_threshold: Callable[[LayerKey, Region], bool] | None = None

    def clear(self) -> None:
        self.hidden_layers.clear()
        self.hidden_labels.clear()
        self.hidden_regions.clear()

    def start_task(self, content: ShownContent) -> None:
        self.hidden_regions = {(layer.key, region.id) for layer, region in content.regions() if region.hidden}

    def set_layer(self, key: LayerKey, visible: bool) -> None:
        (self.hidden_layers.discard if visible else self.hidden_layers.add)(key)

    def set_label(self, key: LabelKey, visible: bool) -> None:
        (self.hidden_labels.discard if visible else self.hidden_labels.add)(key)

    def set_region(self, key: RegionKey, visible: bool) -> None:
        (self.hidden_regions.discard if visible else self.hidden_regions.add)(key)

    def set_below_threshold(self, below: Callable[[LayerKey, Region], bool] | None) -> None:
        """Hide what `below` says is under the confidence threshold; None hides nothing for it."""
        self.below_threshold = below

    def layer_shown(self, key: LayerKey) -> bool:
        return key not in self.hidden_layers

    def label_hidden(self, region: Region) -> bool:
        """A region with several labels goes when any of them is hidden, as in the editor's label groups."""
        return bool(self.hidden_labels) and any(key in self.hidden_labels for key in label_keys(region))

    def region_shown(self, layer_key: LayerKey, region: Region) -> bool:
        return (layer_key not in self.hidden_layers and (layer_key, region.id) not in self.hidden_regions
                and not self.label_hidden(region)
                and not (self.below_threshold is not None and self.below_threshold(layer_key, region)))
