"""Settings Qt reads once, when it starts: made before the first QGuiApplication by the window and `lsview render`.

Render layer; importing this module loads no Qt.
"""

from __future__ import annotations

import os


def serial_fills() -> None:
    """Keep the raster engine's fills on the painting thread. Qt hands every fill of 96 spans or more (most
    regions at fit zoom) to its GUI thread pool and waits for it: for a thousand small fills the hand-offs cost
    more than the fills, 60 of the 125 ms of a first frame of 1,000 rectangles (scripts/bench_speed.py). A user
    who sets the variable keeps theirs."""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
