"""TagPlacer: the canvas's region tags placed by core.tag_layout in screen pixels, so that none overlaps another.

Qt layer. Tags keep their screen size, so where they fit depends on the zoom: placed again at once after a zoom,
soon after a change of what is shown or selected, and when scrolling or resizing settles. Only the tags of
shown regions near the viewport are shown; the selected region's tag is placed first and never folded.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QTimer

from viewer.core.tag_layout import TagRequest, place_tags
from viewer.qt.canvas.items import KeyPointItem
from viewer.qt.canvas.scene import RegionScene
from viewer.qt.canvas.view import CanvasView
from viewer.render.painter import tag_box
from viewer.render.tags import box_of, group_of, tag_measure

SETTLE_MS = 120  # a scroll or resize this long still counts as settled
MARGIN = 64.0    # screen pixels beyond the viewport whose regions' tags are placed too


class TagPlacer(QObject):
    """Keeps the scene's tags placed for the view; told the selected region by the window's selection."""

    def __init__(self, view: CanvasView, scene: RegionScene, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.scene = scene
        self.selected = None  # the selected RegionKey
        self._soon = QTimer(self, singleShot=True, interval=0)
        self._soon.timeout.connect(self.place)
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.place)
        self._fresh = False  # a task was just set: its first frame is painted before its tags are placed
        scene.task_set.connect(self._on_scene_task_set)
        view.zoom_changed.connect(self._on_view_zoom_changed)
        scene.shown_changed.connect(self._soon.start)
        scene.tags_switched.connect(self.place)   # at once: switched on, no tag waits a frame unplaced or unshown
        scene.layer_updated.connect(self._on_scene_layer_updated)
        view.horizontalScrollBar().valueChanged.connect(self._on_view_scrolled)
        view.verticalScrollBar().valueChanged.connect(self._on_view_scrolled)
        view.viewport().installEventFilter(self)

    def set_selected(self, key) -> None:
        if key != self.selected:
            self.selected = key
            self._soon.start()

    def pending(self) -> bool:
        """Whether a placing is due (soon, or when scrolling settles)."""
        return self._soon.isActive() or self._settle.isActive()

    def _on_view_scrolled(self, _value: int) -> None:
        self._settle.start()  # not connected straight: start(int) would take the scroll value for its interval

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._settle.start()
        return False

    def _on_scene_task_set(self) -> None:
        # A new task's first frame shows its regions at once; its tags follow in the next frame, once placed.
        # (1,000 crowded tags take ~20 ms to place; the picture should not wait for them.)
        self._fresh = True
        self._hide_unplaced(self.scene.items_by_key.values())

    def _on_scene_layer_updated(self, key) -> None:
        # the changed regions' new tags would show where they were made, maybe over others, for a frame
        self._hide_unplaced(item for k, item in self.scene.items_by_key.items() if k[0] == key)

    def _hide_unplaced(self, items) -> None:
        for item in items:
            if item.tag is not None and not item.tag.placed:
                item.tag.setVisible(False)
        self._soon.start()

    def _on_view_zoom_changed(self, _zoom: float) -> None:
        if self._fresh:
            self._soon.start()
        else:
            self.place()

    def place(self) -> None:
        """Place the tags of the shown regions near the viewport; a tag folded into another is hidden."""
        self._soon.stop()
        self._settle.stop()
        self._fresh = False
        if not self.scene.tags_shown or not self.scene.items_by_key:
            return
        to_view = self.view.viewportTransform()
        viewport = QRectF(self.view.viewport().rect())
        near = viewport.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        items, requests, dots = [], [], []
        for key, item in self.scene.items_by_key.items():
            tag = item.tag
            if tag is None or not item.isVisible():
                continue
            anchor = item.view_bounds(to_view)
            if not anchor.intersects(near) and not near.contains(anchor.topLeft()):
                tag.setVisible(False)  # placed when scrolled near, not left where it may cover a placed one
                continue
            if isinstance(item, KeyPointItem):
                dots.append(box_of(anchor))  # a tag over a dot would hide it
            size = tag_box(tag.text)
            items.append(item)
            requests.append(TagRequest(box_of(anchor), size.width(), size.height(), item.region.score,
                                       key == self.selected, group_of(item.region)))
        measure = tag_measure([item.tag.text for item in items])
        obstacles = dots + [box_of(to_view.mapRect(rect)) for line in self.scene.relation_items
                            if line.isVisible() and (rect := line.label_rect()) is not None]
        layout = place_tags(requests, measure, bounds=box_of(viewport), obstacles=obstacles)
        from_view, _ = to_view.inverted()
        for i, item in enumerate(items):
            tag = item.tag
            placed = layout.at(i)
            if placed is None:
                tag.setVisible(False)
                continue
            tag.set_count(len(placed.folded))
            corner = QPointF(placed.x, placed.y + placed.height)  # the tag's position is its bottom-left corner
            if isinstance(item, KeyPointItem):
                # a keypoint's item ignores the zoom too: its children are placed in screen pixels from its centre
                at = corner - to_view.map(item.pos())
            else:
                at = from_view.map(corner)
            if tag.pos() != at:
                tag.setPos(at)
            tag.placed = True
            tag.setVisible(True)
