"""One editing widget per control kind (Choices, TextArea, Rating, Number, DateTime, Taxonomy), each saying what the
reviewer settled on as one `committed(payload)`; None means "no answer" (the result is removed).

Qt layer. Payloads are what Label Studio stores under the control's value key (FORMAT.md 4): a list of choices,
a list of texts, a number, a date string, a list of paths.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QCheckBox, QLineEdit, QPlainTextEdit, QSpinBox, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from viewer.core.config import ControlTag

LINE_SEPARATOR = "\u2028"  # Qt's break inside a paragraph (Shift+Enter)
DATE_FORMATS = {"date": "%Y-%m-%d", "time": "%H:%M"}
DEFAULT_DATE_FORMAT = "%Y-%m-%dT%H:%M"


class ControlField(QWidget):
    committed = Signal(object)

    def __init__(self, control: ControlTag, parent=None):
        super().__init__(parent)
        self.control = control
        self.value = None

    def set_value(self, payload) -> None:
        """Show a stored payload; says nothing back."""
        self.value = payload
        self.show_value(payload)

    def show_value(self, payload) -> None:
        raise NotImplementedError

    def settle(self, payload) -> None:
        """Commit a payload the reviewer made, when it differs from what is stored."""
        if payload != self.value:
            self.value = payload
            self.committed.emit(payload)


class ChoicesField(ControlField):
    """One check box per choice; a single-choice control unticks the others."""

    def __init__(self, control: ControlTag, parent=None):
        super().__init__(control, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QCheckBox] = []
        for choice in control.labels:
            box = QCheckBox(choice.value)
            box.clicked.connect(lambda checked, b=box: self._on_box_clicked(b, checked))
            layout.addWidget(box)
            self.boxes.append(box)

    def show_value(self, payload) -> None:
        chosen = set(payload) if isinstance(payload, list) else set()
        for box, choice in zip(self.boxes, self.control.labels):
            box.setChecked(choice.stored in chosen or choice.value in chosen)

    def _on_box_clicked(self, box: QCheckBox, checked: bool) -> None:
        if checked and self.control.choice != "multiple":
            for other in self.boxes:
                if other is not box:
                    other.setChecked(False)
        chosen = [choice.stored for b, choice in zip(self.boxes, self.control.labels) if b.isChecked()]
        self.settle(chosen or None)


class TextAreaField(ControlField):
    """One paragraph per entry (a line break inside an entry is Shift+Enter); saved when focus leaves the box or on
    Ctrl+Enter."""

    def __init__(self, control: ControlTag, parent=None):
        super().__init__(control, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setPlaceholderText(control.attrs.get("placeholder", ""))
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.edit.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def show_value(self, payload) -> None:
        texts = payload if isinstance(payload, list) else [payload] if isinstance(payload, str) else []
        # U+2028 keeps an entry's own line breaks inside its paragraph, so entries stay apart
        self.edit.setPlainText("\n".join(_one_line(str(t)) for t in texts))

    def entries(self) -> list[str]:
        document = self.edit.document()
        texts = (document.findBlockByNumber(n).text().replace(LINE_SEPARATOR, "\n")
                 for n in range(document.blockCount()))
        return [text for text in texts if text.strip()]

    def commit(self) -> None:
        entries = self.entries()
        stored = [str(t) for t in self.value] if isinstance(self.value, list) else \
            [self.value] if isinstance(self.value, str) else []
        if entries != [_one_line(t).replace(LINE_SEPARATOR, "\n") for t in stored if t.strip()]:
            self.settle(entries or None)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.commit()
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.commit()
            return True
        return False


class RatingField(ControlField):
    """0 .. maxRating; 0 is no rating."""

    def __init__(self, control: ControlTag, parent=None):
        super().__init__(control, parent)
        self.spin = QSpinBox(self)
        try:
            top = int(control.attrs.get("maxRating", "5"))
        except ValueError:
            top = 5
        self.spin.setRange(0, max(top, 1))
        self.spin.setSpecialValueText("no rating")
        self.spin.setKeyboardTracking(False)  # one change per finished entry, not per digit typed
        self.spin.valueChanged.connect(lambda value: self.settle(value or None))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)

    def show_value(self, payload) -> None:
        self.spin.blockSignals(True)
        self.spin.setValue(int(payload) if isinstance(payload, (int, float)) and not isinstance(payload, bool)
                           else 0)
        self.spin.blockSignals(False)


class LineField(ControlField):
    """A one-line entry read when editing finishes; empty is no answer."""

    def __init__(self, control: ControlTag, parent=None):
        super().__init__(control, parent)
        self.edit = QLineEdit(self)
        self.edit.editingFinished.connect(self._on_edit_editing_finished)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def show_value(self, payload) -> None:
        self.edit.setText("" if payload is None else str(payload))

    def parse(self, text: str):
        raise NotImplementedError

    def _on_edit_editing_finished(self) -> None:
        text = self.edit.text().strip()
        try:
            payload = self.parse(text) if text else None
        except ValueError as exc:
            self.edit.setToolTip(str(exc))
            self.edit.setStyleSheet("color: #c00000")
            return
        self.edit.setStyleSheet("")
        self.edit.setToolTip("")
        self.settle(payload)


class NumberField(LineField):
    def __init__(self, control: ControlTag, parent=None):
        super().__init__(control, parent)
        self.edit.setPlaceholderText("a number")

    def parse(self, text: str):
        number = float(text)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{text} is not a number Label Studio can store")
        for bound, wrong in (("min", number.__lt__), ("max", number.__gt__)):
            limit = self.control.attrs.get(bound)
            if limit is not None and _float(limit) is not None and wrong(_float(limit)):
                raise ValueError(f"{self.control.name} takes numbers from {self.control.attrs.get('min', '-inf')} "
                                 f"to {self.control.attrs.get('max', 'inf')}")
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


class DateTimeField(LineField):
    """A date and/or time in the control's format (FORMAT.md 4: `only`, `format`)."""

    def __init__(self, control: ControlTag, parent=None):
        super().__init__(control, parent)
        self.format = control.attrs.get("format") or DATE_FORMATS.get(control.attrs.get("only", ""),
                                                                       DEFAULT_DATE_FORMAT)
        self.edit.setPlaceholderText(datetime(2024, 5, 1, 13, 45).strftime(self.format))

    def parse(self, text: str):
        datetime.strptime(text, self.format)
        return text


class TaxonomyField(ControlField):
    """The control's choices as a tree of check boxes; the answer is the ticked paths, root first (FORMAT.md 4)."""

    def __init__(self, control: ControlTag, parent=None):
        super().__init__(control, parent)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.items: list[tuple[QTreeWidgetItem, list[str]]] = []
        nodes: dict[tuple[str, ...], QTreeWidgetItem] = {}
        for choice in control.labels:
            above = nodes.get(choice.parents)
            item = QTreeWidgetItem([choice.value])
            item.setCheckState(0, Qt.CheckState.Unchecked)
            if above is None:
                self.tree.addTopLevelItem(item)
            else:
                above.addChild(item)
            nodes.setdefault(tuple(choice.path), item)
            self.items.append((item, choice.path))
        self.tree.expandAll()
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)

    def show_value(self, payload) -> None:
        chosen = [p for p in payload if isinstance(p, list)] if isinstance(payload, list) else []
        self.tree.blockSignals(True)
        for item, path in self.items:
            item.setCheckState(0, Qt.CheckState.Checked if path in chosen else Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)

    def _on_tree_item_changed(self, changed: QTreeWidgetItem, column: int) -> None:
        chosen = [path for item, path in self.items if item.checkState(0) == Qt.CheckState.Checked]
        self.settle(chosen or None)


def _one_line(text: str) -> str:
    return text.replace("\r\n", LINE_SEPARATOR).replace("\r", LINE_SEPARATOR).replace("\n", LINE_SEPARATOR)


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


FIELDS = {"choices": ChoicesField, "textarea": TextAreaField, "rating": RatingField, "number": NumberField,
          "datetime": DateTimeField, "taxonomy": TaxonomyField}


def make_field(control: ControlTag, parent=None) -> ControlField:
    return FIELDS[control.kind](control, parent)
