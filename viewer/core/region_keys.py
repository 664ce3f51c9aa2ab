"""The keys every layer uses to name a layer, a region and a label. Core layer, no Qt.

A leaf that imports nothing, so core/review, core/content and the Qt views can all share it without a circle.
"""

LayerKey = tuple[str, int]                         # (source, index): ("prediction", 0), ("annotation", 2) ...
RegionKey = tuple[LayerKey, str]                   # (layer key, region id): ids repeat across layers
LabelKey = tuple[str | None, str]                  # (labels control name, stored label)
