"""Where each region's label tag goes so that no two tags overlap: pure geometry on boxes in screen or output pixels.

Core layer, no Qt. The window places its tags in screen pixels, `lsview render` in the PNG's; both ask place_tags.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Iterable

Box = tuple[float, float, float, float]  # left, top, right, bottom
EPSILON = 1e-6  # tags that only touch (one's bottom is the next one's top) do not overlap
STACKED = 2     # rows a tag may climb above its region beyond the second before it is folded


@dataclass(frozen=True)
class TagRequest:
    """One region's tag: the region's bounds (the anchor), the tag's size, and what ranks it (selected first,
    then the higher score; no score, as for an annotation, ranks as certain; then the drawing order). A tag that
    has to be folded goes, where it can, into one of the same `group` (its labels): "Car 0.91 +2" are cars."""

    anchor: Box
    width: float
    height: float
    score: float | None = None
    selected: bool = False
    group: str = ""


@dataclass(frozen=True)
class PlacedTag:
    """A tag shown at (x, y), its top-left; `folded` are the requests it stands for besides its own, so its
    text grows by a count (folded_text) and `width` is the grown width."""

    index: int
    x: float
    y: float
    width: float
    height: float
    folded: tuple[int, ...] = ()

    @property
    def box(self) -> Box:
        return (self.x, self.y, self.x + self.width, self.y + self.height)


@dataclass(frozen=True)
class TagLayout:
    placed: tuple[PlacedTag, ...]   # in request order
    host: dict[int, int]            # folded request -> the request whose tag counts it
    shown: dict[int, PlacedTag] = field(default_factory=dict, compare=False, repr=False)  # placed, by request

    def at(self, index: int) -> PlacedTag | None:
        """The placed tag of a request, or None when it is folded into another."""
        return self.shown.get(index)


def folded_text(text: str, count: int) -> str:
    """A tag's text when `count` other tags are folded into it: "Road 0.89 +2"."""
    return f"{text} +{count}" if count else text


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] - EPSILON and b[0] < a[2] - EPSILON and a[1] < b[3] - EPSILON and b[1] < a[3] - EPSILON


def rank(request: TagRequest, order: int) -> tuple:
    score = 1.0 if request.score is None or math.isnan(request.score) else request.score
    return (not request.selected, -score, order)


def candidates(request: TagRequest) -> list[tuple[float, float]]:
    """Top-left corners to try, best first: above the region's top-left corner (where Label Studio puts it),
    just inside it, a row higher and lower (tags of overlapping regions read as a list), the top-right corner,
    below the region, beside it, then climbing higher above it."""
    left, top, right, bottom = request.anchor
    w, h = request.width, request.height
    return [(left, top - h), (left, top), (left, top - 2 * h), (left, top + h), (right - w, top - h),
            (right - w, top), (left, bottom), (right - w, bottom), (left, bottom - h), (right, top), (left - w, top),
            *((left, top - h * (row + 2)) for row in range(1, STACKED + 1))]


def place_tags(requests: list[TagRequest], measure: Callable[[int, int], float], *,
               bounds: Box | None = None, obstacles: Iterable[Box] = (), cell: float | None = None) -> TagLayout:
    """Each tag at its first free candidate spot (kept inside `bounds` when given), taken in rank order; a tag
    with no free spot is folded into the tag that holds its best spot, which then shows a count.

    `measure(i, n)` is request i's tag width with n others folded into it. The selected tag is never folded, nor
    does it count others. `obstacles` (relation labels) take room first and are never moved. Deterministic; a
    grid of `cell`-sized buckets keeps it near O(n log n).
    """
    grid = _Grid(cell or _cell_size(requests))
    spots: dict[int, list] = {}   # index -> [x, y, width, height, folded list]
    host: dict[int, int] = {}
    # what stays as it is: the selected tag and the obstacles (numbered after the requests)
    selected = {i for i, request in enumerate(requests) if request.selected}
    for number, box in enumerate(obstacles, start=len(requests)):
        grid.add(number, box)
        selected.add(number)
    order = sorted(range(len(requests)), key=lambda i: rank(requests[i], i))
    low_x, low_y, high_x, high_y = bounds if bounds is not None else (-math.inf, -math.inf, math.inf, math.inf)
    for i in order:
        request = requests[i]
        w, h = request.width, request.height
        # the spots are kept inside the bounds, as far as the tag fits (its left and top edges first)
        most_x, most_y = max(low_x, high_x - w), max(low_y, high_y - h)
        blockers = []  # for each spot tried, the first tag in the way that may count this one
        tried = []
        for x, y in candidates(request):
            x = low_x if x < low_x else most_x if x > most_x else x
            y = low_y if y < low_y else most_y if y > most_y else y
            if (x, y) in tried:
                continue
            tried.append((x, y))
            box = (x, y, x + w, y + h)
            hit = grid.first_hit(box)
            if hit is None:
                spots[i] = [x, y, w, h, []]
                grid.add(i, box)
                break
            blocker = hit if hit not in selected else grid.first_hit(box, skip=selected)
            if blocker is not None:
                blockers.append(blocker)
        else:
            if blockers and i not in selected:
                alike = [k for k in blockers if requests[k].group == request.group]
                _fold(i, (alike or blockers)[0], spots, host, grid, selected, measure)
            else:
                _stack(i, request, spots, grid)  # only what stays in the way: climb above it
    placed = tuple(PlacedTag(i, s[0], s[1], s[2], s[3], tuple(sorted(s[4])))
                   for i, s in sorted(spots.items()))
    return TagLayout(placed, host, {tag.index: tag for tag in placed})


def _fold(index: int, into: int, spots: dict, host: dict, grid: _Grid, selected: set[int],
          measure: Callable[[int, int], float]) -> None:
    """Count `index` in the tag of `into`; its grown text takes room to the right (to the left when the
    selected tag is there), and tags in that room are folded into it too."""
    spot = spots[into]
    folded = spot[4]
    folded.append(index)
    host[index] = into
    while True:
        x, y, width, height = spot[:4]
        grown = max(width, measure(into, len(folded)))
        right = (x, y, x + grown, y + height)
        left = (x + width - grown, y, x + width, y + height)
        box = left if any(k in selected for k in grid.hits(right, skip={into})) else right
        grid.remove(into)
        spot[0], spot[2] = box[0], grown
        grid.add(into, box)
        absorbed = [k for k in grid.hits(box, skip={into}) if k not in selected]
        if not absorbed:
            return
        for k in absorbed:
            other = spots.pop(k)
            grid.remove(k)
            for moved in [k, *other[4]]:
                host[moved] = into
                folded.append(moved)


def _stack(index: int, request: TagRequest, spots: dict, grid: _Grid) -> None:
    """The last resort: climb above the first spot until free (ends: each placed box stops it at most once)."""
    x, y = candidates(request)[0]
    while True:
        box = (x, y, x + request.width, y + request.height)
        if grid.first_hit(box) is None:
            spots[index] = [x, y, request.width, request.height, []]
            grid.add(index, box)
            return
        y -= request.height


def _cell_size(requests: list[TagRequest]) -> float:
    if not requests:
        return 64.0
    sizes = sorted(max(r.width, r.height) for r in requests)
    return max(sizes[len(sizes) // 2], 1.0)


class _Grid:
    """Placed tags by the square cells they cover, so a spot is checked against its neighbours only."""

    def __init__(self, cell: float):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.boxes: dict[int, Box] = {}

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        c = self.cell
        ys = range(math.floor(box[1] / c), math.floor(box[3] / c) + 1)
        return [(gx, gy) for gx in range(math.floor(box[0] / c), math.floor(box[2] / c) + 1) for gy in ys]

    def add(self, index: int, box: Box) -> None:
        self.boxes[index] = box
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(index)

    def remove(self, index: int) -> None:
        for key in self._keys(self.boxes.pop(index)):
            self.cells[key].remove(index)

    def hits(self, box: Box, skip: set[int] | frozenset = frozenset()) -> list[int]:
        """The placed tags overlapping `box`, each once, in a fixed order (cells, then placing order)."""
        found = []
        for key in self._keys(box):
            for k in self.cells.get(key, ()):
                if k not in skip and k not in found and overlaps(box, self.boxes[k]):
                    found.append(k)
        return found

    def first_hit(self, box: Box, skip: set[int] | frozenset = frozenset()) -> int | None:
        # the hot loop of place_tags: inlined, no lists made
        left, top, right, bottom = box
        c = self.cell
        ys = range(math.floor(top / c), math.floor(bottom / c) + 1)
        left, top, right, bottom = left + EPSILON, top + EPSILON, right - EPSILON, bottom - EPSILON
        boxes, cells = self.boxes, self.cells
        for gx in range(math.floor(box[0] / c), math.floor(box[2] / c) + 1):
            for gy in ys:
                for k in cells.get((gx, gy), ()):
                    other = boxes[k]
                    if left < other[2] and other[0] < right and top < other[3] and other[1] < bottom \
                            and k not in skip:
                        return k
        return None
