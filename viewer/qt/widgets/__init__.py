"""Panels of the window: region list, layer list, legend, whole-object results, and the data view for undrawn tasks."""
