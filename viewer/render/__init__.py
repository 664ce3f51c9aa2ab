"""The one renderer (DESIGN rule 6): regions -> QPainter, shared by the window and `lsview render`.

Render layer: imports PySide6 and viewer.core, never viewer.qt.
"""
