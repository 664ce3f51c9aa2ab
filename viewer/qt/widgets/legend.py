"""Legend: the config's labels with their colours, grouped by labels control, with how many regions of the page
shown carry each; clicking a label (or its box) hides or shows its regions.

Qt layer. Reports (control, label) keys; labels the task uses but the config lacks are listed too, marked.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from viewer.core.colors import parse_color
from viewer.core.config import LabelConfig
from viewer.core.region_keys import LabelKey
from viewer.core.visibility import Visibility, label_keys
from viewer.render.content import TaskContent
from viewer.render.style import StyleBook

KEY_ROLE = Qt.ItemDataRole.UserRole
SWATCH = 14
NOT_IN_CONFIG = "not in the config"


def swatch(css: str) -> QIcon:
    """A small filled square of the label's colour, with a dark rim so pale colours still show."""
    pixmap = QPixmap(SWATCH, SWATCH)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    try:
        r, g, b, _ = parse_color(css)
        p.setPen(QColor(60, 60, 60))
        p.setBrush(QColor(r, g, b))
        p.drawRect(1, 1, SWATCH - 3, SWATCH - 3)
    finally:
        p.end()
    return QIcon(pixmap)


def labels_controls(config: LabelConfig):
    """The controls that give regions labels: every *Labels tag, with its labels or dynamic ones."""
    return [c for c in config.controls.values() if c.kind.endswith("labels") and (c.labels or c.dynamic_labels)]


class Legend(QTreeWidget):
    label_toggled = Signal(object, bool)  # (LabelKey, visible)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels(("Label", "Regions"))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setIconSize(QSize(SWATCH, SWATCH))
        self.setUniformRowHeights(True)
        self._keys: list[LabelKey] = []          # row data holds an index: Qt would turn tuples into lists
        self._rows: dict[LabelKey, QTreeWidgetItem] = {}
        self._groups: dict[str | None, QTreeWidgetItem] = {}
        self._styles: StyleBook | None = None
        self._config: LabelConfig | None = None
        self._box_clicked: QTreeWidgetItem | None = None
        self.itemChanged.connect(self._on_self_item_changed)
        self.itemClicked.connect(self._on_self_item_clicked)

    def set_config(self, config: LabelConfig, styles: StyleBook) -> None:
        """One group per labels control, one row per label, in config order; all shown."""
        self._config, self._styles = config, styles
        self.blockSignals(True)
        try:
            self.clear()
            self._keys.clear()
            self._rows.clear()
            self._groups.clear()
            for control in labels_controls(config):
                for label in control.labels:
                    text = label.value if label.alias is None else f"{label.value} (stored as {label.alias})"
                    self._add((control.name, label.stored), text)
            self.expandAll()
        finally:
            self.blockSignals(False)

    def _group(self, control_name: str | None) -> QTreeWidgetItem:
        group = self._groups.get(control_name)
        if group is None:
            control = self._config.controls.get(control_name) if self._config and control_name else None
            title = f"{control_name} ({control.tag})" if control is not None else \
                f"{control_name or '(no control)'} · {NOT_IN_CONFIG}"
            group = QTreeWidgetItem([title, ""])
            group.setToolTip(0, title)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            self.addTopLevelItem(group)
            self._groups[control_name] = group
        return group

    def _add(self, key: LabelKey, text: str) -> QTreeWidgetItem:
        row = QTreeWidgetItem([text, ""])
        row.setToolTip(0, text)
        row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        row.setIcon(0, swatch(self._styles.label_color(*key)))
        row.setData(0, KEY_ROLE, len(self._keys))
        row.setCheckState(0, Qt.CheckState.Checked)
        row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
        self._keys.append(key)
        self._rows[key] = row
        self._group(key[0]).addChild(row)
        return row

    def set_content(self, content: TaskContent, visibility: Visibility) -> None:
        """Counts for the page shown; labels it uses that the config lacks get their own rows."""
        if self._styles is None:
            return
        counts: dict[LabelKey, int] = {}
        for _, region in content.regions():
            for key in label_keys(region):
                counts[key] = counts.get(key, 0) + 1
        self.blockSignals(True)
        try:
            for key in counts:
                if key not in self._rows:
                    known = self._config is not None and key[0] in self._config.controls
                    row = self._add(key, key[1] + ("" if not known else f" ({NOT_IN_CONFIG})"))
                    row.setToolTip(0, "Label Studio keeps labels the config lacks and draws them in the control's "
                                      "own colour")
                    self._group(key[0]).setExpanded(True)
            for key, row in self._rows.items():
                count = counts.get(key, 0)
                row.setText(1, str(count))
                # labels absent from this page stay clickable, only quieter
                ink = self.palette().text() if count else self.palette().placeholderText()
                row.setForeground(0, ink)
                row.setForeground(1, ink)
                shown = key not in visibility.hidden_labels
                row.setCheckState(0, Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
        finally:
            self.blockSignals(False)

    def keys(self) -> list[LabelKey]:
        return list(self._rows)

    def row(self, key: LabelKey) -> QTreeWidgetItem:
        return self._rows[key]

    def is_shown(self, key: LabelKey) -> bool:
        return self._rows[key].checkState(0) == Qt.CheckState.Checked

    def toggle(self, key: LabelKey) -> None:
        """Flip a label as a click on it does (emits label_toggled)."""
        row = self._rows[key]
        row.setCheckState(0, Qt.CheckState.Unchecked if self.is_shown(key) else Qt.CheckState.Checked)
        self._box_clicked = None

    def _on_self_item_changed(self, row: QTreeWidgetItem, column: int) -> None:
        index = row.data(0, KEY_ROLE)
        if column != 0 or index is None:
            return  # a group's own box: Qt passes it on to the labels, which report themselves
        self._box_clicked = row
        self.label_toggled.emit(self._keys[index], row.checkState(0) == Qt.CheckState.Checked)

    def _on_self_item_clicked(self, row: QTreeWidgetItem, column: int) -> None:
        # A click on the box has already flipped it (itemChanged came first); a click on the name flips it here.
        if self._box_clicked is row:
            self._box_clicked = None
            return
        self._box_clicked = None
        index = row.data(0, KEY_ROLE)
        if index is not None:
            self.toggle(self._keys[index])
