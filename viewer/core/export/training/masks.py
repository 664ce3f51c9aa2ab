"""Masks for the export formats: COCO's compressed RLE, and outer boundaries traced to polygons (numpy only).

Core layer, no Qt. Boundaries run along pixel edges (the corners of the pixels, not their centres), so a traced
polygon's area equals its pixel count when the part has no holes. Parts are 4-connected.
"""

from __future__ import annotations

import numpy as np

Point = tuple[float, float]


def coco_rle(mask: np.ndarray) -> dict:
    """COCO's compressed RLE of a bool mask (height x width): runs down the columns, zeros first, as
    pycocotools' `encode` writes them (maskApi.c rleToString)."""
    height, width = mask.shape
    flat = np.asarray(mask, dtype=bool).ravel(order="F")
    changes = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate(([0], changes, [flat.size]))
    counts = np.diff(bounds).tolist()
    if flat.size and flat[0]:
        counts.insert(0, 0)
    out = bytearray()
    for index, count in enumerate(counts):
        value = count - counts[index - 2] if index > 2 else count
        more = True
        while more:
            chunk = value & 0x1F
            value >>= 5
            more = value != -1 if chunk & 0x10 else value != 0
            if more:
                chunk |= 0x20
            out.append(chunk + 48)
    return {"size": [int(height), int(width)], "counts": out.decode("ascii")}


def parts(mask: np.ndarray) -> list[np.ndarray]:
    """The 4-connected parts of a bool mask, each as a bool mask of the same shape, largest first.

    Runs of each row are joined to the runs they overlap in the row above (union-find over runs)."""
    mask = np.asarray(mask, dtype=bool)
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    rows_s, cols_s = np.nonzero(edges == 1)
    rows_e, cols_e = np.nonzero(edges == -1)
    runs = list(zip(rows_s.tolist(), cols_s.tolist(), cols_e.tolist()))  # row, start, end (exclusive)
    parent = list(range(len(runs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    previous: list[int] = []
    current: list[int] = []
    row = None
    for index, (r, start, end) in enumerate(runs):
        if r != row:
            previous = current if row is not None and r == row + 1 else []
            current, row = [], r
        for other in previous:
            _, o_start, o_end = runs[other]
            if o_start < end and start < o_end:
                a, b = find(index), find(other)
                if a != b:
                    parent[a] = b
        current.append(index)
    groups: dict[int, list[int]] = {}
    for index in range(len(runs)):
        groups.setdefault(find(index), []).append(index)
    out = []
    for members in groups.values():
        part = np.zeros_like(mask)
        for index in members:
            r, start, end = runs[index]
            part[r, start:end] = True
        out.append(part)
    out.sort(key=lambda p: -int(np.count_nonzero(p)))
    return out


def outer_boundary(part: np.ndarray) -> list[Point]:
    """The outer boundary of one 4-connected part, along pixel edges, clockwise on screen, corners only."""
    height, width = part.shape
    rows = np.flatnonzero(part.any(axis=1))
    r0 = int(rows[0])
    c0 = int(np.flatnonzero(part[r0])[0])

    def inside(col: int, row: int) -> bool:
        return 0 <= row < height and 0 <= col < width and bool(part[row, col])

    x, y, dx, dy = c0 + 1, r0, 1, 0
    points: list[Point] = [(float(c0), float(r0))]
    while (x, y) != (c0, r0):
        rx, ry = -dy, dx  # the right of the heading, y down
        ahead_right = inside((2 * x + dx + rx - 1) // 2, (2 * y + dy + ry - 1) // 2)
        ahead_left = inside((2 * x + dx - rx - 1) // 2, (2 * y + dy - ry - 1) // 2)
        if not ahead_right:
            turn = (-dy, dx)          # right
        elif ahead_left:
            turn = (dy, -dx)          # left
        else:
            turn = (dx, dy)
        if turn != (dx, dy):
            points.append((float(x), float(y)))
            dx, dy = turn
        x, y = x + dx, y + dy
    return points


def has_holes(part: np.ndarray, boundary: list[Point]) -> bool:
    from viewer.core.export.training.pixels import polygon_area

    return polygon_area(boundary) > np.count_nonzero(part) + 0.5
