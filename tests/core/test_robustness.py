"""Whatever a task file holds, validate and inspect report it; they never raise."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import IMAGE_CONFIG, TEXT_CONFIG, make_image
from viewer.core.config import parse_config
from viewer.core.config_infer import infer_config
from viewer.core.diagnostics import diagnose_task
from viewer.core.media import MediaResolver
from viewer.core.project import Project
from viewer.core.resolve import task_lines
from viewer.core.tasks import make_task

KEYS = ["x", "y", "width", "height", "rotation", "radiusX", "radiusY", "points", "closed", "rle", "format",
        "start", "end", "startOffset", "endOffset", "globalOffsets", "text", "labels", "rectanglelabels",
        "choices", "score", "maskDataURL", "imageDataURL", "vertices", "keypointlabels"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 300), st.floats(allow_nan=True, width=32),
                    st.text(max_size=6), st.sampled_from(["/p[1]/text()[1]", "data:image/png;base64,AAAA"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
                      max_leaves=12)
results = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.sampled_from(["a", "b", "c"]), st.integers(0, 3), st.none(), st.lists(st.integers())),
        "type": st.sampled_from(["rectanglelabels", "polygonlabels", "labels", "brushlabels", "textarea",
                                 "choices", "relation", "hypertextlabels", "paragraphlabels", "bogus", 3]),
        "from_name": st.sampled_from(["label", "poly", "ner", "nope", 1]),
        "to_name": st.sampled_from(["image", "text", "html", "dialog", "nope", None]),
        "value": st.one_of(values, st.dictionaries(st.sampled_from(KEYS), values, max_size=6)),
        "from_id": st.sampled_from(["a", "b", "zz", 1, None]),
        "to_id": st.sampled_from(["a", "b", "zz"]),
        "origin": st.sampled_from(["manual", "prediction", "weird", 4]),
        "readonly": scalars, "score": scalars, "item_index": scalars,
        "original_width": scalars, "original_height": scalars,
    })
tasks = st.one_of(
    st.fixed_dictionaries({"data": st.one_of(st.fixed_dictionaries(
        {"image": st.sampled_from(["img/a.png", "nope.png", 5]), "text": st.text(max_size=20),
         "html": st.text(max_size=20), "dialog": st.lists(st.dictionaries(st.sampled_from(["text", "author"]),
                                                                          st.text(max_size=8)), max_size=3)}),
        values)},
        optional={"predictions": st.one_of(st.lists(st.one_of(
            st.fixed_dictionaries({"result": st.lists(results, max_size=6)}), scalars), max_size=2), values),
            "annotations": st.lists(st.fixed_dictionaries({"result": st.one_of(st.lists(results, max_size=6),
                                                                                 scalars)}), max_size=2),
            "id": scalars}),
    values,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=tasks)
def test_any_task_shape_is_reported_never_raised(tmp_path, raw):
    make_image(tmp_path / "img" / "a.png", (40, 30))
    task = make_task(json.loads(json.dumps(raw, allow_nan=True)), 0, str(tmp_path / "t.json"))
    for config in (parse_config(IMAGE_CONFIG), parse_config(TEXT_CONFIG), infer_config([task])):
        project = Project(config, [task], MediaResolver(tmp_path, offline=True))
        for diagnostic in diagnose_task(project, task):
            assert diagnostic.code and diagnostic.message
        for line in task_lines(project, task).splitlines():
            assert json.loads(line)["task"] == 0
