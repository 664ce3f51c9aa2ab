"""The X11 plugin's missing system libraries are named with their apt command before Qt starts (ldd faked here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.qt import system_libs

PLUGIN_LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""
QPA_LDD = """\
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-weird.so.7 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)
"""


def fake_ldd(path: Path) -> str:
    return PLUGIN_LDD if path.name == "libqxcb.so" else QPA_LDD


@pytest.fixture
def x11(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(system_libs, "run_ldd", fake_ldd)


def test_missing_libraries_are_named_with_the_apt_line(x11):
    assert system_libs.missing_xcb_libraries(fake_ldd) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1",
                                                          "libxcb-weird.so.7"]
    problem = system_libs.xcb_problem(fake_ldd)
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in problem
    assert "provides libxcb-weird.so.7" in problem


def test_the_window_command_exits_2_before_qt_starts(x11, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "viewer.qt.app", None)  # importing the window now fails the test
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in err and "apt-get install libxcb-icccm4" in err


# what the plugin lacked on a fresh minimal Debian 12 (debootstrap --variant=minbase, python3-venv only)
MINIMAL_DEBIAN_MISSING = (
    "libGL.so.1 libxkbcommon.so.0 libxkbcommon-x11.so.0 libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-util.so.1 "
    "libxcb-image.so.0 libxcb-keysyms.so.1 libxcb-randr.so.0 libxcb-render-util.so.0 libxcb-shm.so.0 "
    "libxcb-sync.so.1 libxcb-xfixes.so.0 libxcb-render.so.0 libxcb-shape.so.0 libxcb-xkb.so.1 libxcb.so.1 "
    "libX11-xcb.so.1 libX11.so.6 libglib-2.0.so.0 libgthread-2.0.so.0 libEGL.so.1 libfontconfig.so.1 "
    "libfreetype.so.6 libdbus-1.so.3").split()


def test_every_library_a_minimal_debian_lacks_has_its_package(x11):
    ldd = "".join(f"\t{name} => not found\n" for name in MINIMAL_DEBIAN_MISSING)
    problem = system_libs.xcb_problem(lambda path: ldd)
    assert "provides" not in problem
    apt_line = next(line for line in problem.splitlines() if "apt-get install" in line)
    assert apt_line.count("libglib2.0-0") == 1


def test_the_readme_apt_line_covers_a_minimal_debian():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    apt_line = next(line for line in readme.splitlines() if line.startswith("sudo apt-get install python3-venv"))
    needed = {system_libs.DEBIAN_PACKAGES[name] for name in MINIMAL_DEBIAN_MISSING}
    # a package another one on the line depends on is pulled in by apt (libxcb1 by every libxcb-*, and so on)
    pulled_in = {"libxkbcommon0", "libxcb1", "libxcb-util1", "libxcb-shm0", "libxcb-render0", "libx11-6",
                 "libfreetype6"}
    assert needed - pulled_in <= set(apt_line.split()[4:])


def test_nothing_missing_says_nothing(x11):
    assert system_libs.xcb_problem(lambda path: "\tlibxcb.so.1 => /lib/libxcb.so.1 (0x1)\n") is None


@pytest.mark.parametrize("platform, wayland", [("offscreen", None), ("wayland", None), (None, "wayland-0")])
def test_ldd_runs_only_where_qt_takes_xcb(x11, monkeypatch, platform, wayland):
    if platform:
        monkeypatch.setenv("QT_QPA_PLATFORM", platform)
    if wayland:
        monkeypatch.setenv("WAYLAND_DISPLAY", wayland)

    def refused(path):
        raise AssertionError("ldd ran")

    assert system_libs.xcb_problem(refused) is None


def test_ldd_output_parsing():
    assert system_libs.not_found("\tlibfoo.so.1 => not found\n\tlibbar.so.2 => /x/libbar.so.2 (0x1)\n"
                                 "\tlibfoo.so.1 => not found\n") == ["libfoo.so.1"]


def test_the_real_plugin_is_found_and_ldd_reads_it():
    """On this machine: the plugin resolves (the real ldd), or the check stays silent where there is none."""
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    assert system_libs.missing_xcb_libraries() == [] or (system_libs.qt_folder() / "plugins").is_dir()
