"""Side panels of the window: the region list and the layer list."""
