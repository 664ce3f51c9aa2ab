"""EditingToolBar: the drawing tools (one checked at a time), the label new regions get, and the brush size.

Qt layer, a view over the CanvasEditor: it only calls the editor and follows its signals.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QToolBar

from viewer.qt.canvas.editing.editor import CanvasEditor

# action name -> tool name, in tool bar order
TOOL_ACTIONS = {"tool_select": "select", "tool_rectangle": "rectangle", "tool_ellipse": "ellipse",
                "tool_polygon": "polygon", "tool_keypoint": "keypoint", "tool_brush": "brush",
                "tool_eraser": "eraser"}
SHORT = {"select": "Select", "rectangle": "Rectangle", "ellipse": "Ellipse", "polygon": "Polygon",
         "keypoint": "Keypoint", "brush": "Brush", "eraser": "Eraser"}  # the bar's words; menus keep the long ones
NO_LABELS = "(no labels for this tool)"


class EditingToolBar(QToolBar):
    def __init__(self, editor: CanvasEditor, actions: dict[str, QAction], parent=None):
        super().__init__("Editing", parent)
        self.setObjectName("editing")
        self.editor = editor
        self.tool_actions = {TOOL_ACTIONS[name]: actions[name] for name in TOOL_ACTIONS}
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        for tool, action in self.tool_actions.items():
            action.setCheckable(True)
            action.setIconText(SHORT[tool])
            self.group.addAction(action)
            self.addAction(action)
            action.triggered.connect(lambda _=False, t=tool: self._on_tool_triggered(t))
        self.tool_actions["select"].setChecked(True)
        self.addSeparator()
        self.label_choice = QComboBox()
        self.label_choice.setToolTip("The label a new region gets (a label's hotkey chooses it too)")
        self.label_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.label_choice.activated.connect(self._on_label_choice_activated)
        self.addWidget(QLabel(" Label "))
        self.addWidget(self.label_choice)
        self.brush_size = QSpinBox()
        self.brush_size.setRange(1, 500)
        self.brush_size.setSuffix(" px")
        self.brush_size.setValue(editor.brush_size)
        self.brush_size.setToolTip("Brush diameter in image pixels (also - and =, or Alt + mouse wheel)")
        self.brush_size.valueChanged.connect(editor.set_brush_size)
        self.addWidget(QLabel(" Brush "))
        self.addWidget(self.brush_size)
        actions["brush_smaller"].triggered.connect(lambda: editor.set_brush_size(editor.brush_size - _step(editor)))
        actions["brush_larger"].triggered.connect(lambda: editor.set_brush_size(editor.brush_size + _step(editor)))
        editor.tool_changed.connect(self._on_editor_tool_changed)
        editor.choices_changed.connect(self.update_state)
        editor.brush_size_changed.connect(self._on_editor_brush_size_changed)
        self.update_state()

    def _on_tool_triggered(self, tool: str) -> None:
        if tool in self.editor.available_tools():
            self.editor.set_tool(tool)
        else:
            self.tool_actions[self.editor.tool.name].setChecked(True)

    def _on_editor_tool_changed(self, tool: str) -> None:
        self.tool_actions[tool].setChecked(True)

    def _on_editor_brush_size_changed(self, size: int) -> None:
        self.brush_size.blockSignals(True)
        self.brush_size.setValue(size)
        self.brush_size.blockSignals(False)

    def update_state(self) -> None:
        """Enable the tools the task and config allow, and list the labels of the tool in use."""
        available = set(self.editor.available_tools())
        for tool, action in self.tool_actions.items():
            action.setEnabled(tool in available)
        drawing = self.editor.tool.draws
        self.label_choice.clear()
        choices = self.editor.choices(drawing)
        for choice in choices:
            self.label_choice.addItem(choice.text)
        if not choices:
            self.label_choice.addItem(NO_LABELS if drawing else "(choose a drawing tool)")
        chosen = self.editor.choice(drawing) if drawing else None
        self.label_choice.setCurrentIndex(choices.index(chosen) if chosen in choices else 0)
        self.label_choice.setEnabled(bool(choices))
        brushing = self.editor.tool.name in ("brush", "eraser")
        self.brush_size.setEnabled(brushing or "brush" in available)

    def _on_label_choice_activated(self, index: int) -> None:
        choices = self.editor.choices(self.editor.tool.draws)
        if 0 <= index < len(choices):
            self.editor.choose(choices[index])


def _step(editor: CanvasEditor) -> int:
    return max(1, round(editor.brush_size * 0.15))

