"""`lsview [open] [TASKS] [--config XML] [--root DIR] [--session FILE]`: the window (DESIGN.md 3). No TASKS: the bundled demo.

Qt layer by purpose, but importing this module loads no Qt: the parser is built for every command.
"""

from __future__ import annotations

import argparse
import os
import sys


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "open", help="open the window (the default command; with no TASKS it shows the bundled demo)",
        description="Open the lsview window on a task file and its labeling config. `lsview TASKS --config XML` "
        "is the same as `lsview open TASKS --config XML`; `lsview` alone opens the bundled demo project.")
    parser.add_argument("tasks", metavar="TASKS", nargs="?", help="task file (JSON list, one task object, "
                        "JSON Lines) or a folder of them")
    parser.add_argument("--config", metavar="XML", help="the Label Studio labeling config; without it lsview "
                        "infers one from the results")
    parser.add_argument("--root", metavar="DIR", help="folder where media referenced by the tasks live")
    parser.add_argument("--session", metavar="FILE", help="the review session to work in (default: "
                        "<TASKS stem>.lsview.sqlite beside TASKS, or in the user's data folder when that is "
                        "read-only)")
    return parser


def run(args: argparse.Namespace) -> int:
    if args.tasks is None and (args.config or args.root or args.session):
        print("lsview: --config, --root and --session need a TASKS file to go with (lsview TASKS --config XML)",
              file=sys.stderr)
        return 2
    problem = _display_problem() or _platform_libraries_problem()
    if problem:
        print(f"lsview: {problem}", file=sys.stderr)
        return 2
    from viewer.qt.app import run as run_window

    return run_window(args.tasks, args.config, args.root, args.session)


def _display_problem() -> str | None:
    """Why no window can open here, said before Qt aborts the process with its own plugin message."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Run lsview in a "
            "desktop session, or use the headless commands: lsview validate | inspect | render")


def _platform_libraries_problem() -> str | None:
    """The system libraries Qt's X11 plugin lacks, said with their install command instead of Qt's abort."""
    if not sys.platform.startswith("linux"):
        return None
    from viewer.qt.system_libs import xcb_problem

    return xcb_problem()
