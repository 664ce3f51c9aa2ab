"""A small project made on the real server for one test: an uploaded image, a local-files image, predictions and
an annotation (shared by the pull and window tests)."""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path

from PIL import Image

from viewer.core.server.auth import auth_for
from viewer.core.server.http import Http

CONFIG = """<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image"><Label value="Car" background="#0000ff"/></RectangleLabels>
</View>"""


def box(x: float, y: float, w: float, h: float, rid: str) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "image", "type": "rectanglelabels",
            "original_width": 40, "original_height": 30,
            "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, "rectanglelabels": ["Car"]}}


def _png(color: str) -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "PNG")
    return out.getvalue()


class Made:
    """A project made through the REST API for one test."""

    def __init__(self, ls, tmp_path: Path):
        self.ls = ls
        self.http = Http(ls.url, auth_for(ls.token, ls.url))
        project = self.http.post_json("/api/projects/", {"title": f"pull {uuid.uuid4().hex[:8]}",
                                                         "label_config": CONFIG})
        self.id = project["id"]
        # an uploaded image: a multipart import makes a task {"image": "/data/upload/<project>/<uuid8>-red.png"}
        import httpx

        answer = httpx.post(f"{ls.url}/api/projects/{self.id}/import", params={"return_task_ids": "true"},
                            files={"file": ("red.png", _png("red"), "image/png")},
                            headers={"Authorization": f"Token {ls.token}"}, timeout=60)
        answer.raise_for_status()
        self.upload_task = answer.json()["task_ids"][0]
        self.http.post_json("/api/predictions/", {"task": self.upload_task, "model_version": "v1", "score": 0.8,
                                                  "result": [box(60, 60, 30, 30, "up1")]})
        # a local-files image: the storage must name a subfolder of the document root
        sub = f"lsview-pull-{uuid.uuid4().hex[:8]}"
        (ls.media / sub).mkdir(parents=True)
        (ls.media / sub / "green.png").write_bytes(_png("lime"))
        self.http.post_json("/api/storages/localfiles/", {"project": self.id, "path": str(ls.media / sub),
                                                          "title": "media", "use_blob_urls": False})
        tasks = [{"data": {"image": f"/data/local-files/?d={sub}/green.png"},
                  "predictions": [{"model_version": "v1", "score": 0.9, "result": [box(50, 50, 40, 40, "lf1")]}],
                  "annotations": [{"result": [box(10, 10, 20, 20, "an1")], "lead_time": 2.5,
                                   "was_cancelled": False}]},
                 {"data": {"image": f"/data/local-files/?d={sub}/green.png"}, "meta": {"batch": 2},
                  "predictions": [{"model_version": "v1", "score": 0.4, "result": [box(55, 55, 30, 30, "lf2")]}]}]
        answer = self.http.post_json(f"/api/projects/{self.id}/import", tasks,
                                     {"commit_to_project": "true", "return_task_ids": "true"})
        self.json_tasks = answer["task_ids"]
        self.env = {"LSVIEW_CACHE_DIR": str(tmp_path / "cache"), "LABEL_STUDIO_API_KEY": ls.pat}
