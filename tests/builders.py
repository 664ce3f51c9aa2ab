"""Small builders for test projects: a config, a task file and images made on the spot in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

IMAGE_CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="Car" background="#ff0000"/><Label value="Person" alias="P"/>
  </RectangleLabels>
  <PolygonLabels name="poly" toName="image"><Label value="Road"/></PolygonLabels>
  <EllipseLabels name="ell" toName="image"><Label value="Ball"/></EllipseLabels>
  <KeyPointLabels name="kp" toName="image"><Label value="Nose"/></KeyPointLabels>
  <BrushLabels name="brush" toName="image"><Label value="Car"/></BrushLabels>
  <Labels name="ocr" toName="image"><Label value="Text"/></Labels>
  <Rectangle name="bbox" toName="image"/>
  <TextArea name="transcription" toName="image" perRegion="true"/>
  <Choices name="scene" toName="image"><Choice value="Day"/><Choice value="Night"/></Choices>
  <Relations><Relation value="part-of"/></Relations>
</View>
"""

TEXT_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="LOC"/></Labels>
  <HyperText name="html" value="$html"/>
  <HyperTextLabels name="hner" toName="html"><Label value="PER"/></HyperTextLabels>
  <Paragraphs name="dialog" value="$dialog" nameKey="author" textKey="text"/>
  <ParagraphLabels name="plabels" toName="dialog"><Label value="Question"/></ParagraphLabels>
</View>
"""

GEOM = {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0}


def make_image(path: Path, size=(640, 480), orientation: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (40, 50, 60))
    if orientation is None:
        image.save(path)
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(path, exif=exif)
    return path


def write_project(folder: Path, tasks, config: str | None = IMAGE_CONFIG, name: str = "tasks.json"):
    """Write tasks (and the config when given); returns (tasks path, config path or None)."""
    folder.mkdir(parents=True, exist_ok=True)
    tasks_path = folder / name
    tasks_path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    config_path = None
    if config is not None:
        config_path = folder / "config.xml"
        config_path.write_text(config, encoding="utf-8")
    return tasks_path, config_path


def rect(rid="r1", labels=("Car",), from_name="label", to_name="image", rtype="rectanglelabels", **value):
    result = {"id": rid, "from_name": from_name, "to_name": to_name, "type": rtype,
              "value": {**GEOM, **value, "rectanglelabels": list(labels)}}
    return result


def image_task(*results, image="img/a.png", task_id=1, source="predictions", **extra):
    return {"id": task_id, "data": {"image": image}, source: [{"model_version": "v1", "result": list(results),
                                                               **extra}]}


VIDEO_CONFIG = """<View>
  <Video name="video" value="$video" framerate="24"/>
  <VideoRectangle name="box" toName="video"/>
  <Labels name="videoLabels" toName="video">
    <Label value="Car" background="#00ff00"/><Label value="Person" background="#ff0000"/>
  </Labels>
  <TimelineLabels name="events" toName="video"><Label value="Braking"/></TimelineLabels>
</View>
"""


def keyframe(frame, x=10.0, y=20.0, width=30.0, height=40.0, rotation=0.0, enabled=True, framerate=24):
    return {"frame": frame, "enabled": enabled, "x": x, "y": y, "width": width, "height": height,
            "rotation": rotation, "time": frame / framerate}


def video_box(rid, *keyframes, labels=("Car",), frames_count=48, duration=2.0, **extra):
    """A videorectangle result as Label Studio writes it: labels in value.labels, keyframes in value.sequence."""
    return {"id": rid, "from_name": "box", "to_name": "video", "type": "videorectangle", **extra,
            "value": {"framesCount": frames_count, "duration": duration, "sequence": list(keyframes),
                      "labels": list(labels)}}


def video_task(*results, video="clip.mp4", task_id=1, source="predictions"):
    return {"id": task_id, "data": {"video": video}, source: [{"model_version": "tracker", "result": list(results)}]}
