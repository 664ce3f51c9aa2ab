"""`lsview render` of boxes and polygons loads only what drawing them needs: no numpy (masks, RLE, the batch
label colours) and no network modules (downloads), which a fresh process paid ~150 ms to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.builders import image_task, make_image, rect, write_project

ROOT = Path(__file__).resolve().parents[2]
POLYGON = {"id": "p1", "from_name": "poly", "to_name": "image", "type": "polygonlabels",
           "value": {"points": [[10, 10], [40, 12], [30, 50]], "polygonlabels": ["Road"]}, "score": 0.5}


def test_render_of_shapes_imports_neither_numpy_nor_the_network(tmp_path):
    make_image(tmp_path / "img" / "a.png")
    tasks, config = write_project(tmp_path, [image_task(rect("a"), rect("b", ("Person",)), POLYGON)])
    argv = ["render", str(tasks), "--config", str(config), "--out", str(tmp_path / "out")]
    code = (f"import sys; from viewer.cli import main; code = main({argv!r}); "
            "loaded = sorted(m for m in ('numpy', 'http.client', 'ssl', 'urllib.request') if m in sys.modules); "
            "print(code, loaded)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr
    assert (tmp_path / "out" / "0_1.png").is_file()
