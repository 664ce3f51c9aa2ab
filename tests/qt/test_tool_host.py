"""The canvas tools use only what ToolHost lists of their editor, read from their source: no reach through it to the
window, no import of editing.editor (which imports the tools); and the CanvasEditor a window makes is a ToolHost."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from tests.qt.editing_support import box, open_editing_window
from viewer.qt.canvas.editing.editor import CanvasEditor
from viewer.qt.canvas.editing.host import ToolHost

EDITING = Path(__file__).resolve().parents[2] / "viewer" / "qt" / "canvas" / "editing"
TOOL_MODULES = ("tool.py", "select_tool.py", "draw_tools.py", "brush.py")


def tree(name: str) -> ast.Module:
    return ast.parse((EDITING / name).read_text(encoding="utf-8"), filename=name)


def host_members() -> dict[str, str]:
    """ToolHost's members by name: "attribute", "property" or "method"."""
    protocol = next(node for node in tree("host.py").body if isinstance(node, ast.ClassDef) and node.name == "ToolHost")
    members = {}
    for node in protocol.body:
        if isinstance(node, ast.AnnAssign):
            members[node.target.id] = "attribute"
        elif isinstance(node, ast.FunctionDef):
            decorated = any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)
            members[node.name] = "property" if decorated else "method"
    return members


def is_self_editor(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "editor" and isinstance(node.value, ast.Name)
            and node.value.id == "self")


def editor_uses(module: ast.Module) -> tuple[set[str], list[int]]:
    """The names read off `self.editor`, and the lines where `self.editor` is used otherwise (passed on, kept
    under another name), apart from its one assignment in Tool.__init__."""
    names, elsewhere = set(), []
    parents = {child: parent for parent in ast.walk(module) for child in ast.iter_child_nodes(parent)}
    for node in ast.walk(module):
        if not is_self_editor(node):
            continue
        parent = parents[node]
        if isinstance(parent, ast.Attribute) and parent.value is node:
            names.add(parent.attr)
        elif not (isinstance(parent, ast.Assign) and parent.targets == [node]):
            elsewhere.append(node.lineno)
    return names, elsewhere


def test_the_tools_use_exactly_the_members_tool_host_lists():
    used = set()
    for name in TOOL_MODULES:
        names, elsewhere = editor_uses(tree(name))
        assert elsewhere == [], f"{name}: self.editor used other than by a member at lines {elsewhere}"
        assert names <= set(host_members()), f"{name} uses {sorted(names - set(host_members()))}, not in ToolHost"
        used |= names
    # every member listed is one some tool needs, so the Protocol says what the tools depend on and no more
    assert used == set(host_members())


def test_no_tool_reaches_the_window_or_imports_the_editor():
    for name in TOOL_MODULES:
        module = tree(name)
        windows = [node.lineno for node in ast.walk(module)
                   if (isinstance(node, ast.Attribute) and node.attr == "window")
                   or (isinstance(node, ast.Name) and node.id == "window")]
        assert windows == [], f"{name} names the window at lines {windows}"
        for node in ast.walk(module):
            if isinstance(node, ast.ImportFrom):
                module_name = node.module or ""
                imported = {alias.name for alias in node.names}
                assert not module_name.endswith("editing.editor") and module_name != "editor", name
                assert "CanvasEditor" not in imported, name
                if module_name.endswith("canvas.editing") or (node.level and not module_name):
                    assert "editor" not in imported, name
            elif isinstance(node, ast.Import):
                assert not any(alias.name.endswith("editing.editor") for alias in node.names), name


def test_canvas_editor_has_every_member_with_the_same_parameters():
    members = host_members()
    attributes = set()
    init = next(node for node in ast.walk(tree("editor.py"))
                if isinstance(node, ast.FunctionDef) and node.name == "__init__")
    for node in ast.walk(init):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        for target in targets:
            for part in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name) and part.value.id == "self":
                    attributes.add(part.attr)
    for name, kind in members.items():
        if kind == "attribute":
            assert name in attributes, f"CanvasEditor.__init__ does not set {name}"
        elif kind == "property":
            assert isinstance(inspect.getattr_static(CanvasEditor, name), property), name
        else:
            wanted = list(inspect.signature(getattr(ToolHost, name)).parameters)
            assert list(inspect.signature(getattr(CanvasEditor, name)).parameters) == wanted, name


def test_a_windows_canvas_editor_is_a_tool_host_and_paints_with_the_windows_painter(qtbot, tmp_path):
    window = open_editing_window(qtbot, tmp_path, [box()])
    editor = window.editing.canvas
    assert isinstance(editor, ToolHost)
    assert editor.painter() is window.painter
    assert all(tool.editor is editor for tool in editor.tools.values())
