"""Label Studio's tag vocabulary: which lower-case tag names are objects, controls, layout, and their value keys.

Core layer, data only. Sets follow the tag registry of the LS 1.23.2 editor, plus the tags its docs describe.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

# Tags that show task data and that results point at with `to_name`. chat, object3d and reactcode are
# documented tags of the paid editions; they are known here so their configs load.
OBJECT_KINDS: frozenset[str] = frozenset({
    "image", "text", "hypertext", "paragraphs", "audio", "audioplus", "video", "timeseries", "table",
    "list", "pdf", "chat", "object3d", "reactcode",
})

# The object kinds lsview draws regions on.
DRAWN_OBJECT_KINDS: frozenset[str] = frozenset({"image", "text", "hypertext", "paragraphs", "audio", "audioplus"})

# OcrLabels, VideoVector(Labels) and Cube(Labels) come from the paid editions' templates and docs.
_LABELS_KINDS = frozenset({
    "labels", "rectanglelabels", "polygonlabels", "ellipselabels", "keypointlabels", "brushlabels",
    "bitmasklabels", "vectorlabels", "hypertextlabels", "paragraphlabels", "timeserieslabels",
    "timelinelabels", "videovectorlabels", "cubelabels", "ocrlabels",
})

_TOOL_KINDS = frozenset({
    "rectangle", "polygon", "ellipse", "keypoint", "brush", "bitmask", "vector", "magicwand",
    "videorectangle", "videovector", "cube",
})

# Control tags; each one's lower-case name is the `type` of the results it writes (Relations excepted:
# its results are `relation`).
CONTROL_KINDS: frozenset[str] = _LABELS_KINDS | _TOOL_KINDS | frozenset({
    "choices", "textarea", "rating", "number", "datetime", "taxonomy", "pairwise", "ranker", "relations",
})

# Result type -> key of `value` holding the control's payload. The editor's `valueType` is the tag type
# except for TextArea ("text") and Pairwise ("selected"); tools store only geometry.
VALUE_KEYS: Mapping[str, str] = MappingProxyType({
    **{kind: kind for kind in sorted(_LABELS_KINDS)},
    **{kind: kind for kind in ("choices", "rating", "number", "datetime", "taxonomy", "ranker")},
    "textarea": "text",
    "pairwise": "selected",
})

# Children that define a control's options: <Label>, <Choice> (also Taxonomy nodes), <Relation>.
LABEL_KINDS: frozenset[str] = frozenset({"label", "choice", "relation"})

# Tags that only arrange or decorate the interface.
LAYOUT_KINDS: frozenset[str] = frozenset({
    "view", "header", "style", "filter", "collapse", "panel", "dialog", "markdown", "pagedview", "repeater",
})

# Other registered helpers: Ranker buckets, TimeSeries channels, TextArea shortcuts, the custom tag.
HELPER_KINDS: frozenset[str] = frozenset({"bucket", "channel", "multichannel", "shortcut", "custominterface"})

KNOWN_KINDS: frozenset[str] = OBJECT_KINDS | CONTROL_KINDS | LABEL_KINDS | LAYOUT_KINDS | HELPER_KINDS

# Controls whose options may come from task data through value="$var" (DynamicChildrenMixin).
DYNAMIC_KINDS: frozenset[str] = _LABELS_KINDS | frozenset({"choices", "taxonomy"})

# Tags the 1.23.2 editor counts as objects when it fills in a missing toName (Tree.tsx extractNames compares
# tag types with object model names, so Text and HyperText, whose model is "RichText", are never counted).
LS_AUTOBIND_KINDS: frozenset[str] = frozenset({
    "audio", "image", "paragraphs", "pdf", "table", "timeseries", "video", "list", "pairwise", "ranker",
    "custominterface",
})

# Controls that results name as their own `to_name` (FORMAT.md 4.7).
SELF_TARGET_KINDS: frozenset[str] = frozenset({"pairwise"})

# Controls that need no name and no toName.
UNBOUND_CONTROL_KINDS: frozenset[str] = frozenset({"relations"})
