"""A tiny Label Studio ML backend for the `lsview predict` tests, served by the real label-studio-ml 1.0.9.

Run in the backend's own virtual environment (scripts/ml_backend_server.sh), never imported by lsview's tests:
    python tests/server/ml_backend_app.py --port 9090 --model-dir DIR
Its model predicts from the config it was set up with: one <Choices> choice per text task (the first choice), or
one rectangle per image (the middle half of the image, whose size it reads from the image it fetches by URL itself,
as backends do). A task whose data has "nonsense" answers what a broken backend answers, so the tests can see
lsview say so: "name" a control the config lacks, "result" a result that is no list, "short" one answer too few.

label-studio-ml 1.0.9 (PyPI's newest) has no HTTP Basic auth; the backend of today (label-studio-ml-backend 2.x,
GitHub only) refuses every route with 401 and `WWW-Authenticate` unless BASIC_AUTH_USER/BASIC_AUTH_PASS match.
With those variables set this app does the same, in a before_request hook of its own.
"""

from __future__ import annotations

import argparse
import hmac
import io
import os

from flask import Response, request
from label_studio_ml.api import init_app
from label_studio_ml.model import LabelStudioMLBase
from PIL import Image

class TinyModel(LabelStudioMLBase):
    """Choices for text, a rectangle for images; the control and labels come from the parsed config."""

    def predict(self, tasks, **kwargs):
        answers = []
        for task in tasks:
            nonsense = (task.get("data") or {}).get("nonsense")
            if nonsense == "short":
                continue
            answers.append(self._answer(task, nonsense))
        return answers

    def _answer(self, task: dict, nonsense: str | None) -> dict:
        results = []
        for from_name, info in self.parsed_label_config.items():
            to_name = info["to_name"][0]
            value = info["inputs"][0]["value"]
            label = info["labels"][0]
            if nonsense == "name":
                from_name = "no_such_control"
            kind = info["type"].lower()
            if kind == "choices":
                results.append({"id": f"t{task['id']}", "from_name": from_name, "to_name": to_name,
                                "type": "choices", "value": {"choices": [label]}})
            elif kind == "rectanglelabels":
                width, height = self._image_size(task["data"][value])
                results.append({"id": f"r{task['id']}", "from_name": from_name, "to_name": to_name,
                                "type": "rectanglelabels", "original_width": width, "original_height": height,
                                "image_rotation": 0,
                                "value": {"x": 25, "y": 25, "width": 50, "height": 50, "rotation": 0,
                                          "rectanglelabels": [label]}})
        if nonsense == "result":
            return {"result": {"not": "a list"}, "score": 0.5}
        return {"result": results, "score": 0.75}  # no model_version: 1.0.9 sends its own beside "results"

    def _image_size(self, url: str) -> tuple[int, int]:
        with open(self.get_local_path(url), "rb") as stream:
            return Image.open(io.BytesIO(stream.read())).size


def _basic_auth(app) -> None:
    user, password = os.environ.get("BASIC_AUTH_USER"), os.environ.get("BASIC_AUTH_PASS")
    if not (user and password):
        return

    @app.before_request
    def check_auth():
        auth = request.authorization
        if not auth or not (hmac.compare_digest(auth.username or "", user)
                            and hmac.compare_digest(auth.password or "", password)):
            return Response("Unauthorized", 401, {"WWW-Authenticate": 'Basic realm="Login required"'})
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--model-dir", required=True)
    args = parser.parse_args()
    app = init_app(TinyModel, model_dir=args.model_dir)
    _basic_auth(app)
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
