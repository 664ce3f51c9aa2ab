"""`lsview export --format voc|masks|conll2003|ner-jsonl --out DIR`: exactly the files of issue 15's table, the
summary on stdout, and a refusal that writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
from PIL import Image

from tests.builders import image_task, make_image, rect, write_project

ROOT = Path(__file__).resolve().parents[2]

NER_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
</View>
"""


def lsview(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def image_project(tmp_path):
    make_image(tmp_path / "img" / "a.png", (100, 50))
    make_image(tmp_path / "other" / "a.png", (40, 40))
    tasks = [image_task(rect("r", ("Car",), x=10, y=20, width=30, height=40), image="img/a.png", task_id=1,
                        source="annotations"),
             image_task(rect("s", ("P",), rotation=90), image="other/a.png", task_id=2, source="annotations")]
    return write_project(tmp_path, tasks)


def test_voc_writes_an_annotation_file_per_image(tmp_path):
    tasks, config = image_project(tmp_path)
    done = lsview("export", tasks, "--config", config, "--format", "voc", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert files(tmp_path / "out") == ["Annotations/a.xml", "Annotations/a_2.xml", "files.csv"]
    root = ElementTree.parse(tmp_path / "out" / "Annotations" / "a.xml").getroot()
    box = [root.findtext(f"object/bndbox/{k}") for k in ("xmin", "ymin", "xmax", "ymax")]
    assert root.findtext("object/name") == "Car" and box == ["11", "11", "40", "30"]
    assert "wrote voc of 2 task(s), 2 image(s)" in done.stdout and "  Car: 1" in done.stdout


def test_masks_write_class_and_instance_maps_and_the_labelmap(tmp_path):
    tasks, config = image_project(tmp_path)
    done = lsview("export", tasks, "--config", config, "--format", "masks", "--out", tmp_path / "out",
                  "--copy-images")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    assert files(out) == ["SegmentationClass/a.png", "SegmentationClass/a_2.png", "SegmentationObject/a.png",
                          "SegmentationObject/a_2.png", "files.csv", "images/a.png", "images/a_2.png",
                          "labelmap.txt"]
    names = [line.split(":")[0] for line in (out / "labelmap.txt").read_text(encoding="utf-8").splitlines()[1:]]
    classes = np.asarray(Image.open(out / "SegmentationClass" / "a.png"))
    assert classes.shape == (50, 100)
    assert (classes[10:30, 10:40] == names.index("Car")).all() and classes.sum() == names.index("Car") * 600
    assert set(np.unique(np.asarray(Image.open(out / "SegmentationObject" / "a.png")))) == {0, 1}
    rows = (out / "files.csv").read_text(encoding="utf-8").splitlines()
    assert "0,1,annotation 0,img/a.png,SegmentationClass/a.png" in rows


def ner_project(tmp_path):
    text = "Ann Lee went to Paris."
    result = [{"id": "a", "from_name": "ner", "to_name": "text", "type": "labels",
               "value": {"start": 0, "end": 7, "labels": ["PER"]}},
              {"id": "b", "from_name": "ner", "to_name": "text", "type": "labels",
               "value": {"start": 16, "end": 21, "labels": ["LOC"]}}]
    return write_project(tmp_path, [{"id": 1, "data": {"text": text}, "annotations": [{"id": 1, "result": result}]}],
                         NER_CONFIG)


def test_conll2003_and_ner_jsonl_write_one_file_each(tmp_path):
    tasks, config = ner_project(tmp_path)
    done = lsview("export", tasks, "--config", config, "--format", "conll2003", "--out", tmp_path / "conll")
    assert done.returncode == 0, done.stderr
    assert files(tmp_path / "conll") == ["data.conll", "files.csv"]
    assert (tmp_path / "conll" / "data.conll").read_text(encoding="utf-8") == (
        "-DOCSTART- -X- -X- O\n\nAnn -X- _ B-PER\nLee -X- _ I-PER\nwent -X- _ O\nto -X- _ O\n"
        "Paris -X- _ B-LOC\n. -X- _ O\n\n")
    done = lsview("export", tasks, "--config", config, "--format", "ner-jsonl", "--out", tmp_path / "jsonl")
    assert done.returncode == 0, done.stderr
    assert files(tmp_path / "jsonl") == ["data.jsonl", "files.csv"]
    assert json.loads((tmp_path / "jsonl" / "data.jsonl").read_text(encoding="utf-8")) == {
        "text": "Ann Lee went to Paris.", "entities": [[0, 7, "PER"], [16, 21, "LOC"]]}


def test_a_ner_format_on_an_image_project_is_refused_and_writes_nothing(tmp_path):
    tasks, config = image_project(tmp_path)
    done = lsview("export", tasks, "--config", config, "--format", "conll2003", "--out", tmp_path / "out")
    assert done.returncode != 0
    assert "<Text> labelled by <Labels>" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
