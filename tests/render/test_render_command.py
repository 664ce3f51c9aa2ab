"""`lsview render`: one PNG per task at the image's size, filters, placeholders, and it never overwrites input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from viewer.cli import main

DEMO = Path(__file__).parents[2] / "viewer" / "resources" / "demo"


@pytest.fixture
def demo(tmp_path, qapp):
    shutil.copytree(DEMO, tmp_path / "demo")
    return tmp_path / "demo"


def render(demo: Path, out: Path, *extra: str) -> int:
    return main(["render", str(demo / "tasks.json"), "--config", str(demo / "config.xml"), "--out", str(out),
                 *extra])


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def test_one_png_per_task_at_the_image_size_with_a_placeholder_for_the_missing_image(demo, tmp_path, capsys):
    out = tmp_path / "out"
    assert render(demo, out) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["0_101.png", "1_102.png", "2_103.png", "3_104.png", "4_105_p0.png", "4_105_p1.png",
                     "4_105_p2.png"]
    for name in names:
        with Image.open(out / name) as image:
            assert image.size == ((480, 320) if name.startswith("4_") else (640, 400))
    captured = capsys.readouterr()
    assert "task 3 (id 104): image not shown" in captured.err
    assert captured.out.split() == [str(out / n) for n in names]
    street = pixels(out / "0_101.png")
    original = pixels(demo / "images" / "street.png")
    assert (street != original).any(axis=2).sum() > 1000  # regions drawn over the picture


def test_a_multi_image_task_gets_one_png_per_page_with_that_pages_regions(demo, tmp_path):
    out = tmp_path / "out"
    assert render(demo, out, "--task", "4", "--no-labels") == 0
    assert sorted(p.name for p in out.iterdir()) == ["4_105_p0.png", "4_105_p1.png", "4_105_p2.png"]
    # page 2 (item_index 1) holds a Name box at 40,50 and a Stamp at 300,150 120x120, nothing else
    drawn = (pixels(out / "4_105_p1.png") != pixels(demo / "images" / "form-2.png")).any(axis=2)
    around = np.zeros_like(drawn)
    around[47:82, 37:244] = True
    around[147:274, 297:424] = True
    assert drawn[52:76, 42:238].all() and drawn[152:268, 302:418].all()  # both boxes filled
    assert not drawn[~around].any()
    # page 3 holds the relations: the connector runs above its boxes, in the editor's orange
    page3 = pixels(out / "4_105_p2.png")
    orange = (np.abs(page3 - [252, 152, 119]).max(axis=2) < 30)
    assert orange.sum() > 100


def test_a_region_past_the_last_image_of_a_value_list_is_drawn_nowhere(demo, tmp_path):
    before = tmp_path / "before"
    assert render(demo, before, "--task", "4", "--no-labels") == 0
    tasks = json.loads((demo / "tasks.json").read_text())
    past = {"id": "past", "from_name": "fields", "to_name": "pages", "type": "rectanglelabels", "item_index": 3,
            "value": {"x": 0, "y": 0, "width": 100, "height": 100, "rotation": 0, "rectanglelabels": ["Name"]}}
    tasks[4]["predictions"][0]["result"].append(past)
    (demo / "tasks.json").write_text(json.dumps(tasks))
    after = tmp_path / "after"
    assert render(demo, after, "--task", "4", "--no-labels") == 0
    # Label Studio has no fourth page to draw it on: no placeholder page is made for it, and no page shows it
    names = sorted(p.name for p in after.iterdir())
    assert names == ["4_105_p0.png", "4_105_p1.png", "4_105_p2.png"]
    for name in names:
        assert (pixels(after / name) == pixels(before / name)).all()


def test_source_and_model_version_choose_what_is_drawn(demo, tmp_path):
    none = tmp_path / "none"
    assert render(demo, none, "--task", "1", "--source", "annotation", "--no-labels") == 0
    assert [p.name for p in none.iterdir()] == ["1_102.png"]
    # task 1 has no annotation: the PNG is the image itself
    assert (pixels(none / "1_102.png") == pixels(demo / "images" / "park.png")).all()
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    assert render(demo, v1, "--task", "0", "--source", "prediction", "--model-version", "detector-v1") == 0
    assert render(demo, v2, "--task", "0", "--source", "prediction", "--model-version", "detector-v2") == 0
    assert (pixels(v1 / "0_101.png") != pixels(v2 / "0_101.png")).any()


def test_no_labels_leaves_the_tags_out(demo, tmp_path):
    assert render(demo, tmp_path / "a", "--task", "2") == 0
    assert render(demo, tmp_path / "b", "--task", "2", "--no-labels") == 0
    with_tags, without = pixels(tmp_path / "a" / "2_103.png"), pixels(tmp_path / "b" / "2_103.png")
    changed = np.argwhere((with_tags != without).any(axis=2))
    # the tags sit just above the OCR boxes; the "Text" tag of line-1 is above y = 50 (box top at 12.5 %)
    assert len(changed) and changed[:, 0].min() < 50


def test_never_writes_over_an_input_file(tmp_path, qapp, capsys):
    out = tmp_path / "out"
    out.mkdir()
    Image.new("RGB", (20, 10), (1, 2, 3)).save(out / "0_none.png")
    before = (out / "0_none.png").read_bytes()
    tasks = tmp_path / "tasks.json"
    tasks.write_text(json.dumps([{"data": {"image": "out/0_none.png"}, "predictions": [{"result": [
        {"id": "a", "type": "rectanglelabels", "from_name": "box", "to_name": "image",
         "value": {"x": 10, "y": 10, "width": 50, "height": 50, "rectanglelabels": ["A"]}}]}]}]))
    assert main(["render", str(tasks), "--out", str(out)]) == 2  # a usage error, refused before any PNG
    assert (out / "0_none.png").read_bytes() == before
    assert "is an input file" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["0_none.png"]  # no temporary file left behind


def test_task_index_out_of_range_is_an_error(demo, tmp_path, capsys):
    assert render(demo, tmp_path / "out", "--task", "9") == 1
    assert "--task 9" in capsys.readouterr().err


def test_tags_say_the_ocr_transcription_unless_asked_not_to(demo, tmp_path):
    """The demo's OCR task: each line's tag carries its per-region TextArea text, cut short; only the tags differ
    with --no-transcriptions, and the tag grows to the right by the words added."""
    assert render(demo, tmp_path / "with", "--task", "2") == 0
    assert render(demo, tmp_path / "without", "--task", "2", "--no-transcriptions") == 0
    with_text, without = pixels(tmp_path / "with" / "2_103.png"), pixels(tmp_path / "without" / "2_103.png")
    changed = np.argwhere((with_text != without).any(axis=2))
    assert len(changed) > 500
    # the first line's box starts at 9.375 % x 12.5 % of 640x400 (60, 50): its tag sits just above, and the
    # longer tag runs right past where the short one ("Text 0.97") ends
    assert changed[:, 0].min() >= 30 and changed[:, 0].min() < 50
    assert changed[:, 1].max() > 200


def test_a_transcription_in_a_tag_is_cut_short_and_follows_the_label():
    from tests.builders import image_task, rect
    from viewer.core.regions import region_sets
    from viewer.core.tasks import make_task
    from viewer.render.content import tag_text, transcription

    def textarea(rid: str, *lines: str) -> dict:
        return {"id": rid, "from_name": "transcription", "to_name": "image", "type": "textarea",
                "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "text": list(lines)}}

    box = rect("o", ["Text"], score=0.9)
    spoken = textarea("o", "Deliver to:", "  14 Harbour   Road")
    bare = textarea("b", "hello")
    task = make_task(image_task(box, spoken, bare), 0, "t.json")
    regions = {region.id: region for _, found in region_sets(task) for region in found.regions}
    assert transcription(regions["o"]) == "Deliver to: / 14 Harbour Road"
    assert tag_text(regions["o"]) == "Text 0.90: «Deliver to: / 14 Harbou…»"
    assert tag_text(regions["o"], transcriptions=False) == "Text 0.90"
    assert tag_text(regions["b"]) == "«hello»"
