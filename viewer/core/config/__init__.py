"""Label Studio labeling configs: hardened XML in, immutable LabelConfig out (object tags, controls, labels, $vars).

Core layer, no Qt. A root that is not a Label Studio tag is refused; any LS tag may be the root, as in LS.
"""

from viewer.core.config.datapath import DataPath, data_vars, format_data_path, lookup_data, parse_data_path
from viewer.core.config.kinds import (
    CONTROL_KINDS, DRAWN_OBJECT_KINDS, HELPER_KINDS, KNOWN_KINDS, LABEL_KINDS, LAYOUT_KINDS, OBJECT_KINDS,
    VALUE_KEYS,
)
from viewer.core.config.model import Attrs, ConfigProblem, ControlTag, Label, LabelConfig, ObjectTag
from viewer.core.config.parse import MAX_CONFIG_BYTES, load_config, parse_config
from viewer.core.config.safexml import DOCTYPE_MESSAGE

__all__ = [
    "Attrs", "CONTROL_KINDS", "ConfigProblem", "ControlTag", "DOCTYPE_MESSAGE", "DRAWN_OBJECT_KINDS",
    "DataPath", "HELPER_KINDS", "KNOWN_KINDS", "LABEL_KINDS", "LAYOUT_KINDS", "Label", "LabelConfig",
    "MAX_CONFIG_BYTES", "OBJECT_KINDS", "ObjectTag", "VALUE_KEYS", "data_vars", "format_data_path",
    "load_config", "lookup_data", "parse_config", "parse_data_path",
]
