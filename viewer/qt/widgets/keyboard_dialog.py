"""KeyboardDialog: the cheat sheet (F1 or ?). Every action with its keys, grouped by menu, searchable; the mouse and
the config's label hotkeys below; select an action to give it other keys, which are kept between runs.

Qt layer over viewer.qt.shortcuts.ShortcutMap, which refuses a key another action holds.
"""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, QRect, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QKeySequenceEdit, QLabel, QLineEdit, QMenu,
                               QPushButton, QStyledItemDelegate, QStyleOptionViewItem, QToolBar, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from viewer.core.config import LabelConfig
from viewer.core.editing.results import hotkey_choices
from viewer.qt.actions import OTHER_KEYS, default_keys, keys_text, plain_text
from viewer.qt.label_keys import key_combination
from viewer.qt.shortcuts import WINDOW, ShortcutMap

NAME_ROLE = Qt.ItemDataRole.UserRole
DESCRIPTION = 2     # the column of what an action does
TEXT_MARGIN = 4     # the style's text margin in an item view cell, and a pixel to spare
OTHER_GROUP, MOUSE_GROUP, LABEL_GROUP = "Other", "Mouse and other keys", "Label hotkeys of this config"


def action_group(action: QAction) -> str:
    """Where the user meets the action: its first menu's title, else its tool bar's."""
    places = action.associatedObjects()
    for kind in (QMenu, QToolBar):
        for place in places:
            if isinstance(place, kind):
                return plain_text(place.title() if kind is QMenu else place.windowTitle())
    return OTHER_GROUP


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their `column`'s text needs, wrapped at the column's width (QTreeView measures a row with
    no width, so a wrapped text would get one line and be cut)."""

    def __init__(self, tree: QTreeWidget, column: int):
        super().__init__(tree)
        self.tree, self.column = tree, column

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        size = super().sizeHint(option, index)
        text = index.data()
        if not text:
            return size
        width = max(self.tree.header().sectionSize(self.column) - 2 * TEXT_MARGIN, 1)
        needed = option.fontMetrics.boundingRect(QRect(0, 0, width, 1_000_000),
                                                 int(Qt.TextFlag.TextWordWrap), text).height()
        return QSize(size.width(), max(size.height(), needed + 4))


class KeyboardDialog(QDialog):
    def __init__(self, shortcuts: ShortcutMap, config: LabelConfig | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.shortcuts = shortcuts
        self.find = QLineEdit()
        self.find.setPlaceholderText("Find an action or a key")
        self.find.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Action", "Keys", "What it does"])
        self.tree.setRootIsDecorated(False)
        # a long description wraps onto more lines of its row instead of ending in "…"; rows then differ in height
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegateForColumn(DESCRIPTION, WrappingDelegate(self.tree, DESCRIPTION))
        self.tree.header().sectionResized.connect(self._on_header_section_resized)
        self.chosen = QLabel("Select an action to change its keys")
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.setClearButtonEnabled(True)
        self.key_edit.setToolTip("Press the new key combination")
        self.set_button = QPushButton("Set")
        self.set_button.setToolTip("Make this the action's only key")
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("Add this key to the action's keys")
        self.clear_button = QPushButton("No key")
        self.default_button = QPushButton("Default")
        self.reset_all_button = QPushButton("Reset all")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)

        edit_row = QHBoxLayout()
        edit_row.addWidget(self.chosen, 1)
        edit_row.addWidget(self.key_edit)
        for button in (self.set_button, self.add_button, self.clear_button, self.default_button):
            edit_row.addWidget(button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reset_all_button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.find)
        layout.addWidget(self.tree, 1)
        layout.addLayout(edit_row)
        layout.addLayout(bottom)

        self.items: dict[str, QTreeWidgetItem] = {}
        self._fill(config)
        self._on_tree_selection_changed()
        self.resize(900, 660)

        self.find.textChanged.connect(self._on_find_text_changed)
        self.tree.itemSelectionChanged.connect(self._on_tree_selection_changed)
        self.tree.itemDoubleClicked.connect(lambda *_: self.key_edit.setFocus())
        self.key_edit.keySequenceChanged.connect(lambda _key: self._enable())
        self.set_button.clicked.connect(lambda: self._change(lambda name: [self._typed()]))
        self.add_button.clicked.connect(lambda: self._change(lambda name: self.shortcuts.keys[name] +
                                                             [self._typed()]))
        self.clear_button.clicked.connect(lambda: self._change(lambda name: []))
        self.default_button.clicked.connect(self._on_default_clicked)
        self.reset_all_button.clicked.connect(self._on_reset_all_clicked)
        buttons.rejected.connect(self.reject)
        self.shortcuts.changed.connect(self._on_shortcuts_changed)

    # ------------------------------------------------------------------ the list

    def _group(self, title: str) -> QTreeWidgetItem:
        """The bold heading row `title`, made when first asked for."""
        for number in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(number).text(0) == title:
                return self.tree.topLevelItem(number)
        heading = QTreeWidgetItem(self.tree, [title])
        font = heading.font(0)
        font.setBold(True)
        heading.setFont(0, font)
        heading.setFirstColumnSpanned(True)
        heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
        heading.setExpanded(True)
        return heading

    def _fill(self, config: LabelConfig | None) -> None:
        for name in self.shortcuts.names:
            action = self.shortcuts.actions[name]
            item = QTreeWidgetItem(self._group(action_group(action)), [self.shortcuts.text(name), "",
                                                                       action.statusTip()])
            item.setData(0, NAME_ROLE, name)
            item.setToolTip(2, action.statusTip())
            self.items[name] = item
            self._show_keys(name)
        for keys, what in OTHER_KEYS:
            QTreeWidgetItem(self._group(MOUSE_GROUP), ["", keys, what]).setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.set_config(config)
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        # rows keep the heights measured at the old width until laid out again
        if column == DESCRIPTION:
            self.tree.doItemsLayout()

    def set_config(self, config: LabelConfig | None) -> None:
        """List the label hotkeys of `config` (the open project's), in place of those listed before."""
        self._config = config
        for number in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(number).text(0) == LABEL_GROUP:
                self.tree.takeTopLevelItem(number)
                break
        for hotkey, choice in (hotkey_choices(config) if config is not None else []):
            combination = key_combination(hotkey)
            keys = QKeySequence(combination).toString() if combination is not None else hotkey
            row = QTreeWidgetItem(self._group(LABEL_GROUP), [
                choice.text, keys, "Relabel the selected region, or choose the label for new ones"
                + self._shadowed(combination)])
            row.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self._on_find_text_changed(self.find.text())

    def _shadowed(self, combination: QKeyCombination | None) -> str:
        """A note when a label hotkey is also a window action's key (on the canvas the label wins)."""
        holder = self.shortcuts.holder(QKeySequence(combination)) if combination is not None else None
        return "" if holder in (None, WINDOW) else f'; on the canvas it comes before "{self.shortcuts.text(holder)}"'

    def _show_keys(self, name: str) -> None:
        item = self.items[name]
        item.setText(1, keys_text(self.shortcuts.keys[name]) or "(none)")
        font = item.font(1)
        font.setItalic(not self.shortcuts.is_default(name))
        item.setFont(1, font)
        item.setToolTip(1, "" if self.shortcuts.is_default(name) else
                        f"Default: {keys_text(default_keys(name)) or '(none)'}")

    def _on_find_text_changed(self, text: str) -> None:
        needle = text.strip().lower()
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            shown = 0
            for c in range(group.childCount()):
                child = group.child(c)
                hit = not needle or any(needle in child.text(column).lower() for column in range(3))
                child.setHidden(not hit)
                shown += hit
            group.setHidden(shown == 0)

    # ------------------------------------------------------------------ changing keys

    def selected_name(self) -> str | None:
        items = self.tree.selectedItems()
        return items[0].data(0, NAME_ROLE) if items else None

    def select(self, name: str) -> None:
        self.tree.setCurrentItem(self.items[name])

    def _typed(self) -> QKeySequence:
        return self.key_edit.keySequence()

    def _enable(self) -> None:
        name = self.selected_name()
        typed = not self._typed().isEmpty()
        self.set_button.setEnabled(name is not None and typed)
        self.add_button.setEnabled(name is not None and typed)
        self.clear_button.setEnabled(name is not None and bool(self.shortcuts.keys.get(name)))
        self.default_button.setEnabled(name is not None and not self.shortcuts.is_default(name))

    def _on_tree_selection_changed(self) -> None:
        name = self.selected_name()
        self.chosen.setText(f"Keys for “{self.shortcuts.text(name)}”:" if name else
                            "Select an action to change its keys")
        self.key_edit.clear()
        self.key_edit.setEnabled(name is not None)
        self._enable()

    def _change(self, keys_for) -> None:
        name = self.selected_name()
        if name is None:
            return
        self._report(self.shortcuts.assign(name, keys_for(name)), name)

    def _on_default_clicked(self) -> None:
        name = self.selected_name()
        if name is not None:
            self._report(self.shortcuts.reset(name), name)

    def _on_reset_all_clicked(self) -> None:
        self.shortcuts.reset_all()
        self.message.setStyleSheet("")
        self.message.setText("Every action has its default keys again")

    def _report(self, refused: str | None, name: str) -> None:
        if refused is not None:
            self.message.setStyleSheet("color: #b00020")
            self.message.setText(f"Not changed: {refused}.")
            return
        self.message.setStyleSheet("")
        self.message.setText(f"“{self.shortcuts.text(name)}”: {keys_text(self.shortcuts.keys[name]) or 'no key'} "
                             "(kept for next time)")
        self.key_edit.clear()

    def _on_shortcuts_changed(self, name: str) -> None:
        if name in self.items:
            self._show_keys(name)
        self.set_config(self._config)   # which window keys the label hotkeys come before may have changed
        self._enable()

