"""DESIGN.md rule 1: viewer.core imports no Qt, nor viewer.qt / viewer.render, even indirectly."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import viewer.core

ROOT = Path(__file__).resolve().parents[2]


def core_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(viewer.core.__path__, "viewer.core."))


def test_there_are_core_modules_to_check():
    assert {"viewer.core.tasks", "viewer.core.rle", "viewer.core.config", "viewer.core.diagnostics"} <= set(
        core_modules())


def test_importing_every_core_module_and_the_headless_cli_loads_no_qt():
    modules = core_modules() + ["viewer.cli"]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')"
        " or m.startswith(('viewer.qt', 'viewer.render')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_core_source_has_no_qt_import_statement():
    offenders = []
    for path in (ROOT / "viewer" / "core").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")) and any(
                    q in stripped for q in ("PySide6", "PyQt", "shiboken", "viewer.qt", "viewer.render")):
                offenders.append(f"{path}:{number}: {stripped}")
    assert offenders == []
