"""No module but main_window.py and app.py takes the MainWindow: every other module of viewer/qt is given the view
state and the parts it uses, read from its source (no parameter, attribute or name `window`, no `.window` read)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

QT = Path(__file__).resolve().parents[2] / "viewer" / "qt"
# Every module of the window's layer but the two that build it: a new module is checked without being listed.
MODULES = tuple(sorted(str(path.relative_to(QT)) for path in QT.rglob("*.py")
                       if str(path.relative_to(QT)) not in ("main_window.py", "app.py")))


def window_reaches(source: str, name: str) -> list[str]:
    """Each place the source names a window: `line: what`."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.arg) and node.arg == "window":
            found.append(f"{node.lineno}: parameter window")
        elif isinstance(node, ast.Attribute) and node.attr == "window":
            found.append(f"{node.lineno}: attribute .window")
        elif isinstance(node, ast.Name) and node.id == "window":
            found.append(f"{node.lineno}: name window")
    return found


def test_every_module_but_the_builders_is_checked():
    assert "workspace/workspace.py" in MODULES and "review/desk.py" in MODULES and len(MODULES) > 40
    assert "main_window.py" not in MODULES and "app.py" not in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_module_takes_no_window(module):
    path = QT / module
    assert window_reaches(path.read_text(encoding="utf-8"), module) == []


def test_the_check_sees_a_window():
    source = "class A:\n    def __init__(self, window):\n        self.window = window\n    def f(self):\n" \
             "        return self.window.index\n"
    assert window_reaches(source, "a.py") == ["2: parameter window", "3: attribute .window", "3: name window",
                                              "5: attribute .window"]
