"""No module but main_window.py and app.py takes the MainWindow: the listed ones are given the view state and the
parts they use, read from their source (no parameter, attribute or name `window`, no `.window` read)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

QT = Path(__file__).resolve().parents[2] / "viewer" / "qt"
MODULES = (
    *sorted(str(path.relative_to(QT)) for path in (QT / "workspace").glob("*.py")),
    "canvas/editing/install.py",
    "canvas/editing/editor.py",
    "canvas/editing/brush.py",
    "widgets/region_editor.py",
    "widgets/text_spans.py",
    "settings.py",
    "parts.py",
    "review/desk.py",
    "review/review_actions.py",
    "text_page.py",
)


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


def test_the_workspace_package_is_listed():
    assert "workspace/workspace.py" in MODULES and "workspace/__init__.py" in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_module_takes_no_window(module):
    path = QT / module
    assert window_reaches(path.read_text(encoding="utf-8"), module) == []


def test_the_check_sees_a_window():
    source = "class A:\n    def __init__(self, window):\n        self.window = window\n    def f(self):\n" \
             "        return self.window.index\n"
    assert window_reaches(source, "a.py") == ["2: parameter window", "3: attribute .window", "3: name window",
                                              "5: attribute .window"]
