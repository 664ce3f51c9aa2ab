"""DESIGN.md rule 1: viewer.core imports no Qt, nor viewer.qt / viewer.render, even indirectly; and no module of
viewer imports itself through others (an import circle)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def import_circles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, without recursion): the
    modules of each import one another, directly or through the others."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports[root])))]
        index[root] = lowest[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, todo = work[-1]
            following = next(todo, None)
            if following is not None:
                if following not in index:
                    index[following] = lowest[following] = len(index)
                    stack.append(following)
                    on_stack.add(following)
                    work.append((following, iter(sorted(imports[following]))))
                elif following in on_stack:
                    lowest[module] = min(lowest[module], index[following])
                continue
            work.pop()
            if work:
                lowest[work[-1][0]] = min(lowest[work[-1][0]], lowest[module])
            if lowest[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return sorted(circles)


def test_import_circles_are_found_between_modules_and_between_a_package_and_its_module():
    imports = {"a": {"b"}, "b": {"c", "d"}, "c": {"a"}, "d": {"d.x"}, "d.x": {"d"}, "e": {"a"}, "f": set()}
    assert import_circles(imports) == [["a", "b", "c"], ["d", "d.x"]]
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_module_import_circles():
    # grimp comes with import-linter, a test extra (CI's Qt-free venv has it); a venv without it skips only this
    grimp = pytest.importorskip("grimp")
    # no cache: a stale one could hide a circle just made; TYPE_CHECKING imports count, as a type checker reads them
    graph = grimp.build_graph("viewer", cache_dir=None)
    imports = {module: {m for m in graph.find_modules_directly_imported_by(module) if m.split(".")[0] == "viewer"}
               for module in graph.modules if module.split(".")[0] == "viewer"}
    assert import_circles(imports) == []
