"""TextView: a text task's reading view with a choice of object and of predictions/annotations, or two side by side.

Qt layer, one widget for the window to place. Selection goes out as region_selected(RegionKey) and comes in
through select_region, the same keys the region list uses.
"""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from viewer.core.project import Project
from viewer.core.regions import Region
from viewer.core.tasks import Task
from viewer.core.text_layout import LayerKey, RegionKey
from viewer.qt.widgets.text_pane import TextPane
from viewer.render.content import Layer
from viewer.render.text_content import TextContent, text_contents
from viewer.render.text_painter import TextPainter

ALL = -1  # combo data of "all predictions and annotations"


class TextView(QWidget):
    region_selected = Signal(object)   # RegionKey or None, when the user clicks in the text
    content_changed = Signal(object)   # the TextContent now shown (another task or another object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.contents: list[TextContent] = []
        self.current: TextContent | None = None
        self.painter: TextPainter | None = None
        self.region_filter: Callable[[LayerKey, Region], bool] | None = None
        self.tags_shown = True
        self.object_choice = QComboBox()
        self.object_choice.setToolTip("Which text object of the task to read")
        self.choices = (QComboBox(), QComboBox())
        self.choices[0].setToolTip("Which predictions and annotations the text shows")
        self.choices[1].setToolTip("What the right-hand view shows")
        self.side_by_side = QCheckBox("Side by side")
        self.side_by_side.setToolTip("Show two predictions or annotations of the same text next to each other")
        self.panes = (TextPane(), TextPane())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for pane in self.panes:
            self.splitter.addWidget(pane)
        self.panes[1].hide()
        self.choices[1].hide()
        self.empty = QLabel("This task has no Text, HyperText or Paragraphs data to show.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        bar = self.bar = QHBoxLayout()  # others may add their controls at its end
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.object_choice)
        bar.addWidget(self.choices[0], 1)
        bar.addWidget(self.side_by_side)
        bar.addWidget(self.choices[1], 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty, 1)

        self.object_choice.currentIndexChanged.connect(self._on_object_choice_changed)
        for number, combo in enumerate(self.choices):
            combo.currentIndexChanged.connect(lambda _=0, n=number: self._show_pane(n, keep_scroll=False))
        self.side_by_side.toggled.connect(self._on_side_by_side_toggled)
        for number, pane in enumerate(self.panes):
            pane.span_clicked.connect(lambda key, n=number: self._on_pane_span_clicked(n, key))
            pane.verticalScrollBar().valueChanged.connect(lambda _=0, n=number: self._follow_scroll(n))
        self._following = False

    # ------------------------------------------------------------------ content

    def set_task(self, project: Project, task: Task, layers: Sequence[Layer] | None = None) -> None:
        """Show a task's text objects; `layers` are the window's (titles, filters), None means all of them."""
        if self.painter is None or self.painter.styles.config is not project.config:
            self.painter = TextPainter(project.config).with_tags(self.tags_shown)
        self.contents = text_contents(project, task, layers)
        self.object_choice.blockSignals(True)
        self.object_choice.clear()
        for content in self.contents:
            self.object_choice.addItem(f"{content.document.kind}: {content.object_name}")
        self.object_choice.blockSignals(False)
        self.object_choice.setVisible(len(self.contents) > 1)
        self.empty.setVisible(not self.contents)
        self.splitter.setVisible(bool(self.contents))
        self._show_object(0)

    def has_text(self) -> bool:
        return bool(self.contents)

    def _on_object_choice_changed(self, index: int) -> None:
        self._show_object(index)

    def _show_object(self, index: int) -> None:
        self.current = self.contents[index] if 0 <= index < len(self.contents) else None
        layers = self.current.layers if self.current is not None else ()
        for combo in self.choices:
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("All predictions and annotations", ALL)
            for number, layer in enumerate(layers):
                combo.addItem(f"{layer.title} ({len(layer.regions)} spans)", number)
            combo.blockSignals(False)
        self.side_by_side.setEnabled(len(layers) > 1)
        if len(layers) < 2 and self.side_by_side.isChecked():
            self.side_by_side.setChecked(False)
        elif self.side_by_side.isChecked():
            self._pair_choices()
        self.content_changed.emit(self.current)  # first, so listeners can set the region filter for it
        for number in range(2):
            self._show_pane(number, keep_scroll=False)

    def _keys(self, number: int) -> set[LayerKey]:
        if self.current is None:
            return set()
        chosen = self.choices[number].currentData()
        if chosen is None or chosen == ALL:
            return {layer.key for layer in self.current.layers}
        return {self.current.layers[chosen].key}

    def _show_pane(self, number: int, *, keep_scroll: bool) -> None:
        pane = self.panes[number]
        if number == 1 and not self.side_by_side.isChecked():
            return
        if self.current is None or self.painter is None:
            pane.set_model(None, self.painter, {})
            return
        pane.set_model(self.current.model(self._keys(number), self.region_filter), self.painter,
                       {layer.key: layer for layer in self.current.layers}, keep_scroll=keep_scroll)

    def _pair_choices(self) -> None:
        """Side by side starts with the first two layers, one on each side."""
        for number, combo in enumerate(self.choices):
            combo.blockSignals(True)
            combo.setCurrentIndex(min(number + 1, combo.count() - 1))
            combo.blockSignals(False)

    def _on_side_by_side_toggled(self, on: bool) -> None:
        self.choices[1].setVisible(on)
        self.panes[1].setVisible(on)
        if on:
            self._pair_choices()
            self._show_pane(0, keep_scroll=True)
            self._show_pane(1, keep_scroll=False)
            self.panes[1].select_key(self.panes[0].selected_key())
        else:
            self.panes[1].set_model(None, self.painter, {})

    # ------------------------------------------------------------------ selection, layers, tags

    def select_region(self, key: RegionKey | None) -> None:
        """Select a region in every pane that shows it, switching object or layer choice when none does."""
        if key is not None and self.current is not None and not self._shown(key):
            self._reveal(key)
        for pane in self.visible_panes():
            pane.select_key(key)

    def visible_panes(self) -> list[TextPane]:
        return [self.panes[0]] + ([self.panes[1]] if self.side_by_side.isChecked() else [])

    def _shown(self, key: RegionKey) -> bool:
        return any(pane.model is not None and pane.model.find(key) is not None for pane in self.visible_panes())

    def _reveal(self, key: RegionKey) -> None:
        for index, content in enumerate(self.contents):
            number = next((n for n, layer in enumerate(content.layers) if layer.key == key[0]), None)
            if number is None or not any(region.id == key[1] for region in content.layers[number].regions):
                continue
            if content is not self.current:
                self.object_choice.setCurrentIndex(index)
            if key[0] not in self._keys(0):
                self.choices[0].setCurrentIndex(self.choices[0].findData(number))
            return

    def _on_pane_span_clicked(self, number: int, key: RegionKey | None) -> None:
        other = self.panes[1 - number]
        if other.isVisible():
            other.select_key(key)
        self.region_selected.emit(key)

    def set_region_filter(self, shown: Callable[[LayerKey, Region], bool] | None) -> None:
        """Which regions may show at all (the window's hidden layers, labels and regions); None: every one."""
        self.region_filter = shown
        self.refresh()

    def refresh(self) -> None:
        """Place the spans again after the filter's answers changed; scroll position and selection stay."""
        for number in range(2):
            self._show_pane(number, keep_scroll=True)

    def set_tags_shown(self, shown: bool) -> None:
        self.tags_shown = shown
        if self.painter is not None:
            self.painter = self.painter.with_tags(shown)
            for pane in self.panes:
                pane.set_painter(self.painter)

    def _follow_scroll(self, number: int) -> None:
        """Side by side, the other view follows at the same fraction of the text."""
        if self._following or not self.side_by_side.isChecked():
            return
        source, target = self.panes[number].verticalScrollBar(), self.panes[1 - number].verticalScrollBar()
        self._following = True
        try:
            fraction = source.value() / source.maximum() if source.maximum() else 0.0
            target.setValue(round(fraction * target.maximum()))
        finally:
            self._following = False
