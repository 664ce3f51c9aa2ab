"""Generate the bundled demo project (viewer/resources/demo): a config, tasks and small synthetic images.

Developer tool. Deterministic: running it twice gives the same files. Every image region kind appears: rotated
rectangles, polygons (one open), rotated ellipses, keypoints, brush masks, OCR boxes with text, choices, relations,
a region saved as hidden, two model versions with scores and one annotation; a three-page form (<Image valueList>)
shows page flipping, and one task points at an image that is not there, to show the placeholder. A second small
project (viewer/resources/demo_timeseries) holds a time-series task: two sensor channels in a CSV with UTC date
times, ranges and an instant predicted by a model, and one range already in an annotation.
A third, small project (viewer/resources/demo_video) holds a video task: tracks of boxes (one rotating, one
that leaves the scene) and a timeline label over a generated street clip. A fourth (viewer/resources/demo_audio)
holds an audio task: a stereo WAV with speech-like bursts on the left channel and a tune on the right, predicted
segments with scores and transcripts (a per-region TextArea), shown one row per channel (splitchannels), and one
segment already in an annotation.
"""

from __future__ import annotations

import argparse
import json
import sys
import wave
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viewer.core import geometry, rle  # noqa: E402  (the demo's regions use lsview's own maths)
from viewer.core.shapes import Ellipse, Rectangle  # noqa: E402

OUT = ROOT / "viewer" / "resources" / "demo"
SERIES_OUT = ROOT / "viewer" / "resources" / "demo_timeseries"
VIDEO_OUT = ROOT / "viewer" / "resources" / "demo_video"
AUDIO_OUT = ROOT / "viewer" / "resources" / "demo_audio"
W, H = 640, 400

CONFIG = """<View>
  <Image name="image" value="$image" zoom="true" zoomControl="true"/>
  <RectangleLabels name="objects" toName="image">
    <Label value="Car" background="#1f77b4"/>
    <Label value="Person" background="#d62728"/>
    <Label value="Tree"/>
  </RectangleLabels>
  <PolygonLabels name="areas" toName="image">
    <Label value="Road" background="#8c8c8c"/>
    <Label value="Lake" background="#17becf"/>
    <Label value="Path" background="#bcbd22"/>
  </PolygonLabels>
  <EllipseLabels name="round" toName="image">
    <Label value="Wheel" background="#ff7f0e"/>
    <Label value="Sun" background="#e6b800"/>
    <Label value="Cloud"/>
  </EllipseLabels>
  <KeyPointLabels name="joints" toName="image">
    <Label value="Head" background="#2ca02c"/>
    <Label value="Hand" background="#9467bd"/>
    <Label value="Foot" background="#8c564b"/>
  </KeyPointLabels>
  <BrushLabels name="paint" toName="image">
    <Label value="Sky" background="#6fa8dc"/>
    <Label value="Grass" background="#38761d"/>
  </BrushLabels>
  <Labels name="ocr" toName="image">
    <Label value="Text" background="#e377c2"/>
    <Label value="Handwriting" background="#7f3fbf"/>
  </Labels>
  <Rectangle name="bbox" toName="image" strokeWidth="2"/>
  <TextArea name="transcription" toName="image" editable="true" perRegion="true" required="false"
            placeholder="Recognized text"/>
  <Choices name="scene" toName="image" choice="single">
    <Choice value="Street"/>
    <Choice value="Park"/>
    <Choice value="Document"/>
  </Choices>
  <Rating name="quality" toName="image" maxRating="5"/>
  <Relations>
    <Relation value="part of"/>
    <Relation value="next to"/>
    <Relation value="signed by"/>
  </Relations>
  <Image name="pages" valueList="$pages"/>
  <RectangleLabels name="fields" toName="pages">
    <Label value="Name" background="#1f77b4"/>
    <Label value="Signature" background="#d62728"/>
    <Label value="Date" background="#2ca02c"/>
    <Label value="Stamp" background="#9467bd"/>
  </RectangleLabels>
  <Choices name="page_kind" toName="pages" perItem="true">
    <Choice value="Cover"/>
    <Choice value="Details"/>
    <Choice value="Signatures"/>
  </Choices>
</View>
"""


def pct(x: float, y: float) -> tuple[float, float]:
    return round(x / W * 100, 4), round(y / H * 100, 4)


def image_result(rid: str, from_name: str, rtype: str, value: dict, score: float | None = None) -> dict:
    result = {"id": rid, "from_name": from_name, "to_name": "image", "type": rtype,
              "original_width": W, "original_height": H, "image_rotation": 0, "value": value}
    if score is not None:
        result["score"] = score
    return result


def rectangle(rid, label, x, y, w, h, rotation=0.0, score=None, from_name="objects"):
    left, top = pct(x, y)
    value = {"x": left, "y": top, "width": round(w / W * 100, 4), "height": round(h / H * 100, 4),
             "rotation": rotation, "rectanglelabels": [label]}
    return image_result(rid, from_name, "rectanglelabels", value, score)


def polygon(rid, label, points, closed=True, score=None):
    value = {"points": [list(pct(x, y)) for x, y in points], "closed": closed, "polygonlabels": [label]}
    return image_result(rid, "areas", "polygonlabels", value, score)


def ellipse(rid, label, cx, cy, rx, ry, rotation=0.0, score=None):
    x, y = pct(cx, cy)
    value = {"x": x, "y": y, "radiusX": round(rx / W * 100, 4), "radiusY": round(ry / H * 100, 4),
             "rotation": rotation, "ellipselabels": [label]}
    return image_result(rid, "round", "ellipselabels", value, score)


def keypoint(rid, label, x, y, score=None):
    px, py = pct(x, y)
    return image_result(rid, "joints", "keypointlabels", {"x": px, "y": py, "width": 0.7, "keypointlabels": [label]},
                        score)


def brush(rid, label, mask: np.ndarray, score=None):
    return image_result(rid, "paint", "brushlabels", {"format": "rle", "rle": rle.encode(mask),
                                                       "brushlabels": [label]}, score)


def ocr_box(rid, label, text, x, y, w, h, rotation=0.0, score=None):
    """The OCR template's three results sharing one id: the box, its label and its transcription."""
    left, top = pct(x, y)
    geometry_value = {"x": left, "y": top, "width": round(w / W * 100, 4), "height": round(h / H * 100, 4),
                      "rotation": rotation}
    return [image_result(rid, "bbox", "rectangle", dict(geometry_value), score),
            image_result(rid, "ocr", "labels", {**geometry_value, "labels": [label]}, score),
            image_result(rid, "transcription", "textarea", {**geometry_value, "text": [text]}, score)]


def choice(value: str, score=None) -> dict:
    result = {"id": f"scene-{value.lower()}", "from_name": "scene", "to_name": "image", "type": "choices",
              "value": {"choices": [value]}}
    if score is not None:
        result["score"] = score
    return result


def relation(from_id: str, to_id: str, label: str, direction: str = "right") -> dict:
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": direction, "labels": [label]}


def corners(x, y, w, h, rotation):
    shape = Rectangle(*pct(x, y), w / W * 100, h / H * 100, rotation)
    return geometry.rectangle_corners(shape, W, H)


def ellipse_outline(cx, cy, rx, ry, rotation, steps=72):
    shape = Ellipse(*pct(cx, cy), rx / W * 100, ry / H * 100, rotation)
    return [geometry.ellipse_point(shape, W, H, k * 360 / steps) for k in range(steps)]


# ------------------------------------------------------------------------------------------------ street

def street(images: Path) -> dict:
    im = Image.new("RGB", (W, H), (176, 206, 232))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 250, W, H), fill=(110, 160, 90))
    road = [(0, 300), (640, 270), (640, 360), (0, 400)]
    draw.polygon(road, fill=(95, 95, 100))
    draw.polygon(ellipse_outline(560, 70, 40, 40, 0), fill=(250, 220, 90))
    cars = [("car-1", 80, 285, 150, 55, 356.0), ("car-2", 360, 262, 130, 50, 354.0)]
    for _, x, y, w, h, rot in cars:
        draw.polygon(corners(x, y, w, h, rot), fill=(40, 80, 160))
        tl = corners(x, y, w, h, rot)
        for t in (0.22, 0.78):  # wheels along the rotated bottom edge
            bx = tl[3][0] + t * (tl[2][0] - tl[3][0])
            by = tl[3][1] + t * (tl[2][1] - tl[3][1])
            draw.polygon(ellipse_outline(bx, by, 13, 13, 0), fill=(20, 20, 20))
    draw.rectangle((270, 190, 292, 265), fill=(180, 60, 60))
    draw.ellipse((272, 170, 290, 190), fill=(230, 190, 160))
    draw.rectangle((20, 130, 32, 250), fill=(100, 70, 40))
    draw.ellipse((-10, 70, 62, 150), fill=(40, 120, 50))
    im.save(images / "street.png", optimize=True)

    def detections(jitter: float, base: float) -> list[dict]:
        out = []
        for n, (rid, x, y, w, h, rot) in enumerate(cars):
            out.append(rectangle(rid, "Car", x + jitter, y - jitter, w - jitter, h + jitter, rot, base - 0.03 * n))
        out.append(rectangle("person-1", "Person", 268 + jitter, 168, 26, 98, 0.0, base - 0.1))
        out.append(rectangle("tree-1", "Tree", 0, 68 + jitter, 64, 184, 0.0, base - 0.25))
        out.append(polygon("road-1", "Road", [(0, 300), (640, 270 + jitter), (640, 360), (0, 400)],
                           score=base - 0.05))
        out.append(ellipse("sun-1", "Sun", 560, 70, 41 - jitter, 39, 0.0, base - 0.02))
        wheel = corners(*cars[0][1:])
        bx, by = wheel[3][0] + 0.22 * (wheel[2][0] - wheel[3][0]), wheel[3][1] + 0.22 * (wheel[2][1] - wheel[3][1])
        out.append(ellipse("wheel-1", "Wheel", bx, by, 14, 12, 30.0, base - 0.15))
        out.append(choice("Street", base))
        return out

    v1 = detections(6, 0.78)
    v2 = detections(0, 0.94) + [relation("wheel-1", "car-1", "part of")]
    annotation = [r for r in v2 if r.get("id") in ("car-1", "car-2", "person-1", "road-1")]
    annotation = [{**r, "origin": "prediction"} for r in annotation]
    for r in annotation:
        r.pop("score", None)
    annotation += [choice("Street"), relation("person-1", "car-2", "next to", "bi"),
                   {"id": "quality-1", "from_name": "quality", "to_name": "image", "type": "rating",
                    "value": {"rating": 4}}]
    return {"id": 101, "data": {"image": "images/street.png"},
            "predictions": [{"model_version": "detector-v1", "score": 0.71, "result": v1},
                            {"model_version": "detector-v2", "score": 0.9, "result": v2}],
            "annotations": [{"id": 1, "completed_by": 1, "result": annotation}]}


# ------------------------------------------------------------------------------------------------ park

def park(images: Path) -> dict:
    im = Image.new("RGB", (W, H), (150, 190, 230))
    draw = ImageDraw.Draw(im)
    sky = Image.new("L", (W, H), 0)
    grass = Image.new("L", (W, H), 0)
    horizon = [(0, 220), (160, 200), (320, 215), (480, 190), (640, 210), (640, H), (0, H)]
    draw.polygon(horizon, fill=(90, 150, 70))
    ImageDraw.Draw(grass).polygon(horizon, fill=255)
    ImageDraw.Draw(sky).rectangle((0, 0, W, 230), fill=255)
    ImageDraw.Draw(sky).polygon(horizon, fill=0)
    lake = [(330, 300), (400, 262), (520, 258), (600, 290), (570, 345), (430, 360), (350, 340)]
    draw.polygon(lake, fill=(60, 110, 180))
    ImageDraw.Draw(grass).polygon(lake, fill=0)
    path = [(40, 400), (90, 330), (170, 300), (250, 280), (300, 240)]
    draw.line(path, fill=(200, 180, 130), width=12, joint="curve")
    # a stick figure for the keypoints
    head, hand_l, hand_r, foot_l, foot_r, hip, neck = (
        (200, 150), (165, 205), (240, 200), (180, 300), (222, 300), (201, 250), (200, 172))
    draw.ellipse((188, 138, 212, 162), outline=(30, 30, 30), width=3)
    for a, b in ((neck, hip), (neck, hand_l), (neck, hand_r), (hip, foot_l), (hip, foot_r)):
        draw.line((a, b), fill=(30, 30, 30), width=3)
    draw.polygon(ellipse_outline(470, 120, 60, 22, 20), fill=(240, 240, 245))
    im.save(images / "park.png", optimize=True)

    sky_mask, grass_mask = np.asarray(sky), np.asarray(grass)

    def found(base: float, with_masks: bool) -> list[dict]:
        out = [polygon("lake-1", "Lake", lake, score=base),
               polygon("path-1", "Path", path, closed=False, score=base - 0.2),
               ellipse("cloud-1", "Cloud", 470, 120, 60, 22, 20.0, base - 0.4),
               keypoint("kp-head", "Head", *head, score=base), keypoint("kp-hand-l", "Hand", *hand_l, score=base - .1),
               keypoint("kp-hand-r", "Hand", *hand_r, score=base - .05),
               keypoint("kp-foot-l", "Foot", *foot_l, score=base - .2),
               keypoint("kp-foot-r", "Foot", *foot_r, score=base - .15),
               rectangle("person-2", "Person", 160, 132, 86, 175, 0.0, base - 0.1),
               choice("Park", base)]
        if with_masks:
            out[:0] = [brush("sky-1", "Sky", sky_mask, base - 0.02), brush("grass-1", "Grass", grass_mask, base - 0.08)]
            # saved hidden (the reviewer had switched it off): it starts unticked in the region list
            out[[r["id"] for r in out].index("cloud-1")]["hidden"] = True
        return out

    return {"id": 102, "data": {"image": "images/park.png"},
            "predictions": [{"model_version": "detector-v1", "score": 0.66, "result": found(0.7, False)},
                            {"model_version": "detector-v2", "score": 0.88, "result": found(0.92, True)}]}


# ------------------------------------------------------------------------------------------------ document

LINES = [("line-1", "Text", "INVOICE No. 2024-117", 60, 50, 300, 34, 0.0),
         ("line-2", "Text", "Deliver to: 14 Harbour Road", 60, 120, 340, 26, 0.0),
         ("line-3", "Text", "Total due: 1,280.00 EUR", 60, 170, 300, 26, 0.0),
         ("line-4", "Handwriting", "paid - thank you!", 330, 260, 230, 40, 345.0)]


def document(images: Path) -> dict:
    im = Image.new("RGB", (W, H), (246, 244, 236))
    draw = ImageDraw.Draw(im)
    for _, _, text, x, y, w, h, rot in LINES:
        if rot:
            tile = Image.new("RGBA", (int(w), int(h)), (0, 0, 0, 0))
            ImageDraw.Draw(tile).text((6, 8), text, fill=(30, 60, 160), font_size=20)
            # PIL turns counter-clockwise; the expanded tile's box is the rotated box's bounding box
            turned = tile.rotate(-rot, expand=True)
            corners_ = corners(x, y, w, h, rot)
            left = min(c[0] for c in corners_)
            top = min(c[1] for c in corners_)
            im.paste(turned, (int(left), int(top)), turned)
        else:
            draw.text((x + 6, y + 4), text, fill=(20, 20, 20), font_size=int(h * 0.7))
    draw.line((60, 230, 580, 230), fill=(120, 120, 120), width=2)
    im.save(images / "document.jpg", quality=80, optimize=True)
    results = []
    for rid, label, text, x, y, w, h, rot in LINES:
        results += ocr_box(rid, label, text, x, y, w, h, rot, score=0.97 if label == "Text" else 0.61)
    results.append(choice("Document", 0.99))
    return {"id": 103, "data": {"image": "images/document.jpg"},
            "predictions": [{"model_version": "ocr-v3", "score": 0.93, "result": results}]}


FORM_W, FORM_H = 480, 320
# per page: (region id, label, x, y, w, h) in pixels, and the page's kind
FORM_PAGES = [
    ([("name-1", "Name", 40, 70, 250, 30), ("date-1", "Date", 320, 70, 120, 30)], "Cover"),
    ([("name-2", "Name", 40, 50, 200, 28), ("stamp-2", "Stamp", 300, 150, 120, 120)], "Details"),
    ([("sign-3", "Signature", 40, 200, 200, 60), ("name-3", "Name", 40, 150, 200, 28),
      ("date-3", "Date", 300, 215, 130, 30)], "Signatures"),
]


def form(images: Path) -> dict:
    """A three-page form for <Image valueList="$pages">: results carry item_index, the page they are on."""
    refs, results = [], []
    for page, (fields, kind) in enumerate(FORM_PAGES):
        im = Image.new("RGB", (FORM_W, FORM_H), (250, 250, 246))
        draw = ImageDraw.Draw(im)
        draw.rectangle((10, 10, FORM_W - 11, FORM_H - 11), outline=(180, 180, 180), width=2)
        draw.text((20, 18), f"FORM 7-B  page {page + 1} of {len(FORM_PAGES)}", fill=(60, 60, 60), font_size=16)
        for _, label, x, y, w, h in fields:
            draw.rectangle((x, y, x + w, y + h), outline=(120, 120, 140), width=1)
            if label == "Stamp":
                draw.ellipse((x + 10, y + 10, x + w - 10, y + h - 10), outline=(150, 60, 160), width=4)
            elif label == "Signature":
                draw.line([(x + 10, y + 45), (x + 50, y + 15), (x + 80, y + 40), (x + 120, y + 12),
                           (x + 170, y + 38)], fill=(20, 40, 120), width=3, joint="curve")
            else:
                draw.text((x + 6, y + 6), {"Name": "A. N. Example", "Date": "2024-05-01"}[label],
                          fill=(20, 20, 20), font_size=15)
        name = f"form-{page + 1}.png"
        im.save(images / name, optimize=True)
        refs.append(f"images/{name}")
        for rid, label, x, y, w, h in fields:
            value = {"x": round(x / FORM_W * 100, 4), "y": round(y / FORM_H * 100, 4),
                     "width": round(w / FORM_W * 100, 4), "height": round(h / FORM_H * 100, 4), "rotation": 0,
                     "rectanglelabels": [label]}
            results.append({"id": rid, "from_name": "fields", "to_name": "pages", "type": "rectanglelabels",
                            "original_width": FORM_W, "original_height": FORM_H, "image_rotation": 0,
                            "item_index": page, "value": value, "score": 0.9 - 0.05 * page})
        results.append({"id": f"kind-{page + 1}", "from_name": "page_kind", "to_name": "pages", "type": "choices",
                        "item_index": page, "value": {"choices": [kind]}})
    results += [relation("sign-3", "name-3", "signed by"), relation("date-3", "sign-3", "next to", "left")]
    return {"id": 105, "data": {"image": refs[0], "pages": refs},
            "predictions": [{"model_version": "forms-v1", "score": 0.86, "result": results}]}


def missing() -> dict:
    return {"id": 104, "data": {"image": "images/not-there.png"},
            "predictions": [{"model_version": "detector-v2", "result": [
                rectangle("ghost-1", "Car", 100, 120, 200, 90, 15.0, 0.5),
                polygon("ghost-2", "Lake", [(380, 120), (560, 140), (520, 300), (400, 260)], score=0.4)]}]}


SERIES_CONFIG = """<View>
  <TimeSeries name="sensors" value="$csv" valueType="url" timeColumn="time" timeFormat="%Y-%m-%d %H:%M:%S"
              timeDisplayFormat="%H:%M" overviewWidth="100%">
    <Channel column="temperature" legend="Temperature" units="°C" strokeColor="#d62728"/>
    <Channel column="vibration" legend="Vibration" units="mm/s" strokeColor="#1f77b4" height="140"/>
  </TimeSeries>
  <TimeSeriesLabels name="events" toName="sensors">
    <Label value="Overheat" background="#ff7f0e"/>
    <Label value="Shake" background="#9467bd"/>
    <Label value="Restart" background="#2ca02c"/>
  </TimeSeriesLabels>
</View>
"""
SERIES_ROWS = 360   # one row a minute for six hours


def _minute(n: int) -> str:
    return f"2024-05-01 {6 + n // 60:02d}:{n % 60:02d}:00"


def series_csv() -> str:
    """A machine warming up twice and shaking once; restarted at 10:00 (the values drop)."""
    rows = ["time,temperature,vibration"]
    for n in range(SERIES_ROWS):
        warm = 12 * np.exp(-((n - 90) / 25) ** 2) + 9 * np.exp(-((n - 290) / 18) ** 2)
        shake = 4 * np.exp(-((n - 180) / 6) ** 2) * np.sin(n * 1.7)
        temperature = 40 + 3 * np.sin(n / 23) + warm - (6 if 240 <= n < 250 else 0)
        vibration = 1.5 + 0.4 * np.sin(n / 7) + shake
        rows.append(f"{_minute(n)},{temperature:.2f},{vibration:.3f}")
    return "\n".join(rows) + "\n"


def _event(rid: str, label: str, start: int, end: int, score: float | None = None, instant: bool = False) -> dict:
    result = {"id": rid, "from_name": "events", "to_name": "sensors", "type": "timeserieslabels",
              "value": {"start": _minute(start), "end": _minute(end), "instant": instant,
                        "timeserieslabels": [label]}}
    if score is not None:
        result["score"] = score
    return result


def series_task() -> dict:
    return {"id": 201, "data": {"csv": "series/machine.csv"},
            "annotations": [{"id": 1, "result": [_event("a1", "Overheat", 62, 118)]}],
            "predictions": [{"model_version": "events-v1", "score": 0.8, "result": [
                _event("e1", "Overheat", 65, 120, 0.92), _event("e2", "Shake", 170, 190, 0.71),
                _event("e3", "Restart", 240, 240, 0.88, instant=True), _event("e4", "Overheat", 275, 305, 0.64)]}]}


def write_series_demo(out: Path) -> None:
    (out / "series").mkdir(parents=True, exist_ok=True)
    (out / "config.xml").write_text(SERIES_CONFIG, encoding="utf-8")
    (out / "series" / "machine.csv").write_text(series_csv(), encoding="utf-8")
    (out / "tasks.json").write_text(json.dumps([series_task()], indent=1) + "\n", encoding="utf-8")


VIDEO_CONFIG = """<View>
  <Video name="video" value="$video" framerate="24"/>
  <VideoRectangle name="box" toName="video"/>
  <Labels name="objects" toName="video">
    <Label value="Car" background="#1f77b4"/>
    <Label value="Person" background="#d62728"/>
    <Label value="Sign" background="#e6b800"/>
  </Labels>
  <TimelineLabels name="events" toName="video">
    <Label value="Crossing" background="#2ca02c"/>
  </TimelineLabels>
</View>
"""
VW, VH, FRAMES, FPS = 320, 180, 72, 24


def _car_at(n: int) -> tuple[float, float, float, float]:
    return 10 + (n - 1) * 3.0, 112.0, 64.0, 30.0          # drives right, 3 px a frame


def _person_at(n: int) -> tuple[float, float, float, float]:
    return 250 - (n - 1) * 2.0, 70.0, 16.0, 44.0           # walks left until frame 40, then is gone


def _sign_turn(n: int) -> float:
    return -10 + 20 * (n - 1) / (FRAMES - 1)               # sways from 350 degrees through 0 to 10


SIGN = (40.0, 20.0, 36.0, 24.0)


def _street_frame(n: int) -> np.ndarray:
    image = Image.new("RGB", (VW, VH), (150, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 100, VW, 150], fill=(95, 95, 100))
    draw.rectangle([0, 150, VW, VH], fill=(80, 150, 70))
    for x in range(0, VW, 40):
        draw.rectangle([x + 10, 124, x + 30, 126], fill=(230, 230, 230))
    x, y, w, h = _car_at(n)
    draw.rectangle([x, y, x + w, y + h - 6], fill=(31, 90, 180))
    draw.ellipse([x + 6, y + h - 12, x + 18, y + h], fill=(20, 20, 20))
    draw.ellipse([x + w - 18, y + h - 12, x + w - 6, y + h], fill=(20, 20, 20))
    if n <= 40:
        x, y, w, h = _person_at(n)
        draw.ellipse([x + 3, y, x + w - 3, y + 10], fill=(240, 200, 160))
        draw.rectangle([x, y + 10, x + w, y + h], fill=(200, 40, 40))
    x, y, w, h = SIGN
    sign = Rectangle(x / VW * 100, y / VH * 100, w / VW * 100, h / VH * 100, _sign_turn(n))
    draw.polygon(geometry.rectangle_corners(sign, VW, VH), fill=(240, 200, 0))
    return np.asarray(image)


def _track(rid: str, label: str, boxes: list[tuple[int, tuple[float, float, float, float], float, bool]],
           score: float) -> dict:
    sequence = [{"frame": n, "enabled": enabled, "x": round(x / VW * 100, 4), "y": round(y / VH * 100, 4),
                 "width": round(w / VW * 100, 4), "height": round(h / VH * 100, 4), "rotation": rotation,
                 "time": round(n / FPS, 4)} for n, (x, y, w, h), rotation, enabled in boxes]
    return {"id": rid, "from_name": "box", "to_name": "video", "type": "videorectangle", "score": score,
            "value": {"framesCount": FRAMES, "duration": FRAMES / FPS, "sequence": sequence, "labels": [label]}}


def video_demo(out: Path) -> None:
    """A street clip (H.264, 320x180, 3 s) and one task with a tracker's predictions on it."""
    from viewer.core.video.synth import write_video

    (out / "video").mkdir(parents=True, exist_ok=True)
    write_video(out / "video" / "street.mp4", FRAMES, VW, VH, fps=FPS, gop=FPS, draw=_street_frame, crf=20)
    car = _track("car-1", "Car", [(n, _car_at(n), 0.0, True) for n in (1, 24, 48, 72)], 0.93)
    person = _track("person-1", "Person", [(1, _person_at(1), 0.0, True), (40, _person_at(40), 0.0, False)], 0.81)
    sign = _track("sign-1", "Sign", [(1, SIGN, 350.0, True), (72, SIGN, 10.0, True)], 0.67)
    crossing = {"id": "crossing-1", "from_name": "events", "to_name": "video", "type": "timelinelabels",
                "value": {"ranges": [{"start": 10, "end": 40}], "timelinelabels": ["Crossing"]}}
    task = {"id": 201, "data": {"video": "video/street.mp4"},
            "predictions": [{"model_version": "tracker-v1", "score": 0.8, "result": [car, person, sign, crossing]}]}
    (out / "config.xml").write_text(VIDEO_CONFIG, encoding="utf-8")
    (out / "tasks.json").write_text(json.dumps([task], indent=1) + "\n", encoding="utf-8")


AUDIO_CONFIG = """<View>
  <Audio name="audio" value="$audio" splitchannels="true"/>
  <Labels name="kind" toName="audio">
    <Label value="Speech" background="#1f77b4"/>
    <Label value="Music" background="#d62728"/>
    <Label value="Noise" background="#7f7f7f"/>
  </Labels>
  <TextArea name="transcript" toName="audio" perRegion="true" editable="true" placeholder="What is said"/>
</View>
"""
AUDIO_RATE, AUDIO_SECONDS = 8000, 5.0   # 16-bit stereo: 160 KB
WORDS = ((0.40, 1.10), (1.30, 1.75), (1.95, 2.60), (3.60, 4.30))   # seconds of the speech-like bursts


def audio_wav(path: Path) -> None:
    """Left: bursts of noise shaped like syllables (the 'speech'); right: a three-note tune from 2.2 s to 4.6 s."""
    rng = np.random.default_rng(18)
    t = np.arange(int(AUDIO_RATE * AUDIO_SECONDS)) / AUDIO_RATE
    left = 0.01 * rng.standard_normal(t.size)
    for start, end in WORDS:
        inside = (t >= start) & (t < end)
        envelope = np.sin(np.pi * (t[inside] - start) / (end - start)) * (0.6 + 0.4 * np.sin(2 * np.pi * 6 * t[inside]))
        left[inside] += 0.7 * envelope * np.sin(2 * np.pi * 180 * t[inside] + 3 * rng.standard_normal(inside.sum()))
    right = np.zeros_like(t)
    for start, hz in ((2.2, 330.0), (3.0, 392.0), (3.8, 440.0)):
        inside = (t >= start) & (t < start + 0.8)
        fade = np.minimum(1.0, np.minimum(t[inside] - start, start + 0.8 - t[inside]) * 20)
        right[inside] = 0.45 * fade * np.sin(2 * np.pi * hz * t[inside])
    samples = np.round(np.clip(np.stack([left, right], axis=1), -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(AUDIO_RATE)
        out.writeframes(samples.tobytes())


def _segment(rid: str, label: str, start: float, end: float, channel: int, score: float | None = None,
             said: str | None = None) -> list[dict]:
    value = {"start": start, "end": end, "channel": channel}
    first = {"id": rid, "from_name": "kind", "to_name": "audio", "type": "labels", "original_length": AUDIO_SECONDS,
             "value": {**value, "labels": [label]}}
    if score is not None:
        first["score"] = score
    results = [first]
    if said is not None:
        results.append({"id": rid, "from_name": "transcript", "to_name": "audio", "type": "textarea",
                        "original_length": AUDIO_SECONDS, "value": {**value, "text": [said]}})
    return results


def audio_task() -> dict:
    said = ("turn left", "at the", "old mill", "then stop")
    predicted = [r for n, ((start, end), text) in enumerate(zip(WORDS, said))
                 for r in _segment(f"w{n + 1}", "Speech", start, end, 0, round(0.95 - 0.08 * n, 2), text)]
    predicted += _segment("m1", "Music", 2.2, 4.6, 1, 0.83) + _segment("n1", "Noise", 4.5, 4.9, 0, 0.41)
    return {"id": 301, "data": {"audio": "audio/directions.wav"},
            "annotations": [{"id": 1, "result": _segment("a1", "Speech", 0.38, 1.12, 0, said="turn left")}],
            "predictions": [{"model_version": "vad-asr-v1", "score": 0.78, "result": predicted}]}


def write_audio_demo(out: Path) -> None:
    (out / "audio").mkdir(parents=True, exist_ok=True)
    (out / "config.xml").write_text(AUDIO_CONFIG, encoding="utf-8")
    audio_wav(out / "audio" / "directions.wav")
    (out / "tasks.json").write_text(json.dumps([audio_task()], indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"target folder (default {OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    images = args.out / "images"
    images.mkdir(parents=True, exist_ok=True)
    (args.out / "config.xml").write_text(CONFIG, encoding="utf-8")
    tasks = [street(images), park(images), document(images), missing(), form(images)]
    (args.out / "tasks.json").write_text(json.dumps(tasks, indent=1) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {args.out} ({total / 1024:.0f} KiB)")
    series_out = SERIES_OUT if args.out == OUT else args.out.parent / SERIES_OUT.name
    write_series_demo(series_out)
    total = sum(p.stat().st_size for p in series_out.rglob("*") if p.is_file())
    print(f"wrote {series_out} ({total / 1024:.0f} KiB)")
    video_out = VIDEO_OUT if args.out == OUT else args.out.parent / VIDEO_OUT.name
    video_demo(video_out)
    total = sum(p.stat().st_size for p in video_out.rglob("*") if p.is_file())
    print(f"wrote {video_out} ({total / 1024:.0f} KiB)")
    audio_out = AUDIO_OUT if args.out == OUT else args.out.parent / AUDIO_OUT.name
    write_audio_demo(audio_out)
    total = sum(p.stat().st_size for p in audio_out.rglob("*") if p.is_file())
    print(f"wrote {audio_out} ({total / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
