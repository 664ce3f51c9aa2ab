"""Qt runs offscreen in these tests; set before anything imports Qt, and only for the test process."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from types import SimpleNamespace  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

WHITE = (255, 255, 255)


def config_xml(body: str) -> str:
    return f'<View><Image name="image" value="$image"/>{body}</View>'


def result(rtype: str, value: dict, *, rid: str = "r1", from_name: str = "tool", size=(640, 480)) -> dict:
    return {"id": rid, "type": rtype, "from_name": from_name, "to_name": "image", "value": value,
            "original_width": size[0], "original_height": size[1]}


def content_of(results: list[dict], size: tuple[int, int], config):
    """TaskContent of one prediction holding `results`, on an image of `size` (no file needed)."""
    from viewer.core.regions import group_results
    from viewer.render.content import Layer, TaskContent

    region_set = group_results(results, "prediction", 0, lambda name: "image")
    layer = Layer("prediction", 0, "prediction 0", "test", None, region_set.regions, region_set.relations)
    return TaskContent("image", None, size, "original", (layer,), None)


def to_array(image) -> np.ndarray:
    """A QImage as an (h, w, 4) uint8 RGBA array, un-premultiplied."""
    from PySide6.QtGui import QImage

    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    buffer = np.frombuffer(rgba.constBits(), dtype=np.uint8, count=rgba.sizeInBytes())
    return buffer.reshape(rgba.height(), rgba.bytesPerLine())[:, : rgba.width() * 4].reshape(
        rgba.height(), rgba.width(), 4).copy()


@pytest.fixture
def draw(qapp):
    """draw(config_body, results, size, labels=False) -> (rgba array over white, RegionPainter)."""
    from PySide6.QtGui import QColor, QImage

    from viewer.core.config import parse_config
    from viewer.render.painter import RegionPainter
    from viewer.render.task_image import render_task

    def run(body: str, results: list[dict], size=(640, 480), labels=False, painter=None):
        config = parse_config(config_xml(body))
        painter = painter or RegionPainter(config)
        blank = QImage(size[0], size[1], QImage.Format.Format_RGB32)
        blank.fill(QColor(*WHITE))
        image = render_task(content_of(results, size, config), painter, labels=labels, image=blank)
        return to_array(image), painter

    return run


def segment_distance(xs: np.ndarray, ys: np.ndarray, a, b) -> np.ndarray:
    """Distance of every pixel centre (xs + 0.5, ys + 0.5) to the segment a-b."""
    px, py = xs + 0.5, ys + 0.5
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0, 1) if length2 else np.zeros_like(px)
    return np.hypot(px - (ax + t * dx), py - (ay + t * dy))


def distance_to_path(shape: tuple[int, int], points, closed: bool) -> np.ndarray:
    """Per-pixel distance to a polyline (closed or open), shape (h, w)."""
    ys, xs = np.mgrid[0: shape[0], 0: shape[1]].astype(np.float64)
    edges = list(zip(points, points[1:])) + ([(points[-1], points[0])] if closed else [])
    return np.minimum.reduce([segment_distance(xs, ys, a, b) for a, b in edges])


def touched(pixels: np.ndarray) -> np.ndarray:
    """Pixels that differ from the white background."""
    return np.any(pixels[:, :, :3] != np.array(WHITE, dtype=np.uint8), axis=2)


def stroke_near(hits: np.ndarray, x: float, y: float, within: float = 1.0) -> bool:
    """Whether some drawn pixel lies within `within` px of (x, y) (its centre within within + half a pixel)."""
    h, w = hits.shape
    for row in range(int(np.floor(y - within - 1)), int(np.ceil(y + within + 1))):
        for col in range(int(np.floor(x - within - 1)), int(np.ceil(x + within + 1))):
            if 0 <= row < h and 0 <= col < w and hits[row, col] and \
                    np.hypot(col + 0.5 - x, row + 0.5 - y) <= within + 0.5:
                return True
    return False


@pytest.fixture
def px():
    """The pixel helpers above, for test modules (conftest modules are not for importing)."""
    return SimpleNamespace(result=result, touched=touched, stroke_near=stroke_near,
                           distance_to_path=distance_to_path, to_array=to_array, content_of=content_of,
                           WHITE=WHITE)
