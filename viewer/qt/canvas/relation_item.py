"""RelationItem: a relation's connector between two region items, drawn by the shared relation painter.

Qt layer. The connector keeps its screen size (clearance, arrowheads, label) at every zoom: the scene passes the
view's zoom in, and the route is recomputed in scene units from it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from viewer.core.regions import Relation
from viewer.qt.canvas.items import KeyPointItem, RegionItem
from viewer.render import relations


class RelationItem(QGraphicsItem):
    """Joins two RegionItems of one layer; shown only while both of them are."""

    def __init__(self, relation: Relation, start: RegionItem, end: RegionItem):
        super().__init__()
        self.relation = relation
        self.start = start
        self.end = end
        self.label_shown = True
        self.unit = 1.0
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._route = None
        self._bounds = QRectF()
        self.measure()

    def _box(self, item: RegionItem) -> QRectF:
        radius = item.radius() * self.unit if isinstance(item, KeyPointItem) else 0.0
        return relations.region_box(item.region, item.region_painter.bounds(item.region, item.size), radius)

    def _text(self) -> str:
        return relations.label_text(self.relation) if self.label_shown else ""

    def measure(self) -> None:
        """Route the connector again: after a zoom, or when a keypoint end changed its dot size."""
        self.prepareGeometryChange()
        self._route = relations.route(self._box(self.start), self._box(self.end), self.unit)
        self._bounds = relations.bounds(self._route, self._text(), self.unit)

    def set_unit(self, unit: float) -> None:
        """Scene units per screen pixel (1 / zoom)."""
        if unit != self.unit:
            self.unit = unit
            self.measure()

    def set_label_shown(self, shown: bool) -> None:
        if shown != self.label_shown:
            self.label_shown = shown
            self.measure()

    def route(self) -> relations.Route:
        return self._route

    def label_rect(self) -> QRectF | None:
        """The label's box in scene units, None without a label: region tags keep clear of it."""
        text = self._text()
        return relations.label_box(text, self._route.label_at, self.unit) if text else None

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        relations.draw(p, self._route, self.relation.direction, self._text(), self.unit)
