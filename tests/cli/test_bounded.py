"""Bounded time and memory (issue 11): huge declared sizes, huge images, huge values in messages."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import IMAGE_CONFIG, image_task, rect, write_project

ROOT = Path(__file__).resolve().parents[2]


def lsview(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def sized(width, height, task_id=1, image="img/missing.png"):
    return image_task({**rect("r1"), "original_width": width, "original_height": height}, image=image,
                      task_id=task_id)


def png_header(path: Path, width: int, height: int) -> Path:
    """A PNG that declares width x height and holds one empty row: enough for Pillow to judge its size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 10))
                     + chunk(b"IEND", b""))
    return path


def test_a_40000_px_missing_image_renders_on_a_bounded_placeholder(tmp_path):
    tasks, config = write_project(tmp_path, [sized(40000, 40000)], IMAGE_CONFIG)
    done = lsview("render", tasks, "--config", config, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "placeholder drawn at 4096x4096, the 40000x40000 region space scaled onto it" in done.stderr
    with Image.open(tmp_path / "out" / "0_1.png") as image:
        assert image.size == (4096, 4096)
        # the rectangle (x 10 %, y 20 %) is drawn where its percentages fall on the smaller picture
        inside, outside = image.getpixel((500, 900)), image.getpixel((3800, 300))
    assert inside != outside == (200, 200, 200)


@pytest.mark.parametrize("width", [2 ** 63, float("nan"), float("inf"), -5, 0, "abc", 2 ** 1000])
def test_unusable_original_sizes_render_on_the_stand_in(tmp_path, width):
    tasks, config = write_project(tmp_path, [sized(width, 100, task_id=4)], IMAGE_CONFIG)
    done = lsview("render", tasks, "--config", config, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr and "task 0 (id 4)" in done.stderr
    assert "regions placed on a 1024x768 stand-in" in done.stderr
    with Image.open(tmp_path / "out" / "0_4.png") as image:
        assert image.size == (1024, 768)


def test_an_image_past_pillows_pixel_limit_is_a_clear_message(tmp_path):
    png_header(tmp_path / "img" / "huge.png", 20000, 20000)
    tasks, config = write_project(tmp_path, [sized(20000, 20000, image="img/huge.png")], IMAGE_CONFIG)
    done = lsview("render", tasks, "--config", config, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr and "400000000 pixels" in done.stderr
    with Image.open(tmp_path / "out" / "0_1.png") as image:
        assert image.size == (4096, 4096)


def test_validate_cuts_a_50_mb_reference_in_its_messages(tmp_path):
    reference = "/nowhere/" + "a" * 50_000_000
    tasks, config = write_project(tmp_path, [image_task(rect("r1"), image=reference)], IMAGE_CONFIG)
    done = lsview("validate", tasks, "--config", config)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) < 2000, done.stdout[:300]
    assert "(50,000,009 characters)" in done.stdout
    as_json = lsview("validate", tasks, "--config", config, "--json")
    assert len(as_json.stdout) < 5000
    assert json.loads(as_json.stdout)["diagnostics"][0]["code"] == "media-not-found"


def test_render_of_a_long_text_lays_out_its_start_and_says_where_it_is_cut(tmp_path):
    text = "Alice met Bob in Paris.\n" * 100_000                            # 2,400,000 characters
    config = '<View><Text name="text" value="$text"/><Labels name="ner" toName="text"><Label value="PER"/>' \
             '</Labels></View>'
    result = {"id": "far", "from_name": "ner", "to_name": "text", "type": "labels",
              "value": {"start": 2_000_000, "end": 2_000_005, "labels": ["PER"]}}
    tasks, config = write_project(tmp_path, [{"id": 1, "data": {"text": text},
                                              "predictions": [{"result": [result]}]}], config)
    done = lsview("render", tasks, "--config", config, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    pages = sorted((tmp_path / "out").glob("0_1*.png"))
    # 300,000 characters are 12,500 lines: a few pages of 32,000 px, not the 100,000 lines of the whole text
    heights = [Image.open(page).height for page in pages]
    assert 2 <= len(pages) <= 12 and sum(heights) < 12 * 32_000
