"""The Qt-free model of lsview: configs, tasks, regions, geometry, masks, media and diagnostics.

Nothing under viewer.core may import PySide6, viewer.qt or viewer.render (tests/core/test_layering.py).
"""
