"""Before the window starts on Linux/X11: the system libraries Qt's xcb platform plugin needs and cannot find, and
the Debian/Ubuntu command that installs them.

Qt layer by purpose, but loads no Qt: Qt aborts the process when the plugin cannot load, naming a package that is
often installed already, so lsview asks `ldd` first (two calls, under 0.1 s) and says what is missing itself.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path
from typing import Callable

# soname -> the Debian/Ubuntu package holding it (Debian 12 and Ubuntu 22.04 names)
DEBIAN_PACKAGES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}


def qt_folder() -> Path | None:
    """PySide6's Qt folder, found without importing PySide6 (which would load Qt's libraries)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def run_ldd(path: Path) -> str:
    """`ldd path`'s output; empty when ldd is not there or fails (the check then says nothing)."""
    try:
        done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout


def not_found(ldd_output: str) -> list[str]:
    """The sonames ldd could not resolve ("libxcb-icccm.so.4 => not found"), in its order."""
    missing = []
    for line in ldd_output.splitlines():
        name, arrow, where = line.strip().partition("=>")
        if arrow and where.strip() == "not found" and name.strip() not in missing:
            missing.append(name.strip())
    return missing


def missing_xcb_libraries(ldd: Callable[[Path], str] | None = None) -> list[str]:
    """What the xcb platform plugin (and its Qt6XcbQpa library) needs and the system lacks; [] when unknown.
    `ldd` reads a library's dependencies (run_ldd unless given)."""
    ldd = ldd or run_ldd
    qt = qt_folder()
    if qt is None:
        return []
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        return []
    missing = not_found(ldd(plugin))
    qpa = next(iter(sorted((qt / "lib").glob("libQt6XcbQpa.so*"))), None)
    if qpa is not None:
        missing += [name for name in not_found(ldd(qpa)) if name not in missing]
    # Qt's own libraries resolve through the plugin's rpath; one reported missing is not the system's to install
    return [name for name in missing if not name.startswith("libQt6")]


def xcb_problem(ldd: Callable[[Path], str] | None = None) -> str | None:
    """Why the window cannot open on X11 here, with the command that fixes it; None when nothing is known missing.

    Checked only where Qt will pick xcb: a DISPLAY set and QT_QPA_PLATFORM xcb, or unset outside a Wayland
    session (there Qt takes its Wayland plugin, which needs none of these).
    """
    platform = os.environ.get("QT_QPA_PLATFORM")
    if not os.environ.get("DISPLAY") or platform not in (None, "", "xcb"):
        return None
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None
    missing = missing_xcb_libraries(ldd)
    if not missing:
        return None
    packages = list(dict.fromkeys(DEBIAN_PACKAGES[name] for name in missing if name in DEBIAN_PACKAGES))
    unknown = [name for name in missing if name not in DEBIAN_PACKAGES]
    lines = [f"the window cannot open: Qt's X11 (xcb) platform plugin needs system libraries that are not "
             f"installed: {', '.join(missing)}."]
    if packages:
        lines.append(f"On Debian/Ubuntu install them with:  sudo apt-get install {' '.join(packages)}")
    if unknown:
        lines.append(f"Install the package that provides {', '.join(unknown)} with your system's package manager.")
    lines.append("The headless commands work without them: lsview validate | inspect | render")
    return "\n".join(lines)
