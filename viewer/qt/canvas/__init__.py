"""The canvas: RegionScene (model -> items), CanvasView (zoom and pan) and one item class per region kind."""
