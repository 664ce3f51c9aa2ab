"""Hostile task files (issue 11): validate and inspect never stop with an internal error and print strict JSON;
each known cause is a diagnostic naming the file, task and result; every input that ever failed stays a case."""

from __future__ import annotations

import json
import math
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import fuzzing
from viewer.core import jsonout
from viewer.core.numbers import finite, non_finite_paths, number_problem, preview

CASES = fuzzing.FUZZ / "cases"
INDEX = json.loads((CASES / "index.json").read_text(encoding="utf-8"))
SEEDS = fuzzing.seeds()


def _run_in(folder: Path, name: str, blob: bytes, config: Path, media: bool = True,
            review: bool = False) -> fuzzing.Outcome:
    if media and not (folder / "images").exists():
        (folder / "images").symlink_to(fuzzing.DEMO / "images", target_is_directory=True)
    path = folder / name
    path.write_bytes(blob)
    return fuzzing.check_file(path, config, review)


@pytest.mark.parametrize("name", sorted(INDEX))
def test_every_input_that_ever_failed_is_reported(tmp_path, name):
    case = INDEX[name]
    outcome = _run_in(tmp_path, name, (CASES / name).read_bytes(), fuzzing.ROOT / case["config"],
                      review=case.get("review", False))
    assert outcome.internal == [] and outcome.non_strict == [], f"once: {case['found']}"


@settings(max_examples=200, deadline=None)
@given(rng=st.randoms(use_true_random=False), seed=st.sampled_from(SEEDS))
def test_mutated_task_shapes_never_make_an_internal_error_or_bad_json(rng, seed):
    tasks = fuzzing.make_case(rng, seed, big=2_000)
    with tempfile.TemporaryDirectory() as folder:
        outcome = _run_in(Path(folder), "tasks.json", fuzzing.encode(tasks, rng), seed.config, seed.media is not None)
    assert outcome.internal == [], json.dumps(tasks, allow_nan=True)[:2000]
    assert outcome.non_strict == [], json.dumps(tasks, allow_nan=True)[:2000]


def _strict(text: str):
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in {text[:200]}"))


def test_the_encoder_writes_strict_json_only():
    deep: list = []
    for _ in range(900):
        deep = [deep]
    record = {"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5], "c": "x\ud800y\u2028z", "d": 10 ** 400,
              "e": (1, float("nan")), "deep": deep}
    line = jsonout.dumps(record)
    assert "\n" not in line and "\u2028" not in line and fuzzing.strict_problem(line) is None
    back = _strict(line)
    assert back["a"] is None and back["b"] == [None, None, 1.5] and back["e"] == [1, None]
    assert back["c"] == "x\ufffdy\u2028z" and back["d"] == 10 ** 400
    depth, item = 0, back["deep"]
    while isinstance(item, list):
        depth, item = depth + 1, item[0] if item else None
    assert item == jsonout.TOO_DEEP and depth == jsonout.MAX_DEPTH - 1
    assert jsonout.dumps({"x": 1.0, "y": "é"}) == '{"x": 1.0, "y": "é"}'  # the usual case unchanged


def test_numbers_read_from_task_files():
    assert finite(3) == 3.0 and finite(2.5) == 2.5 and finite(2 ** 63) == float(2 ** 63)
    for bad in (True, None, "1", float("nan"), float("inf"), -float("inf"), 10 ** 400, [1]):
        assert finite(bad) is None
    assert number_problem(float("nan")) == "NaN" and number_problem(-float("inf")) == "-Infinity"
    assert "401 digits" in number_problem(10 ** 400)
    assert number_problem(1e308) is None and number_problem("x") is None
    assert non_finite_paths({"a": [1, {"b": float("nan")}], "c": 10 ** 400}, "value") == [
        ("value.a[1].b", "NaN"), ("value.c", number_problem(10 ** 400))]
    deep: list = [float("inf")]
    for _ in range(5000):
        deep = [deep]
    assert non_finite_paths(deep)[0][1] == "Infinity"
    assert len(preview(deep)) < 60 and len(preview("x" * 10 ** 6)) < 60


RECT = {"x": 10, "y": 20, "width": 30, "height": 40, "rectanglelabels": ["Car"]}


def _result(rid="r1", **fields):
    result = {"id": rid, "from_name": "objects", "to_name": "image", "type": "rectanglelabels",
              "original_width": 640, "original_height": 400, "value": dict(RECT)}
    for key, value in fields.items():
        if key.startswith("value_"):
            result["value"][key[6:]] = value
        else:
            result[key] = value
    return result


# The causes the issue names, each as the diagnostic it must become (code, words of the message, result id).
KNOWN = {
    "to_name list": ([_result(to_name=["image"])], "unknown-to-name", "to_name", "r1"),
    "origin list": ([_result(origin=["manual"])], "invalid-value", "`origin` is a list", "r1"),
    "direction object": ([_result(), _result("r2"), {"type": "relation", "from_id": "r1", "to_id": "r2",
                                                     "direction": {"a": 1}}],
                         "invalid-value", "`direction` is an object", None),
    "score huge": ([_result(score=10 ** 400)], "invalid-value", "`score` is an integer of 401 digits", "r1"),
    "x huge": ([_result(value_x=10 ** 400)], "invalid-value", "`value.x` is an integer of 401 digits", "r1"),
    "points huge": ([_result(type="polygonlabels", from_name="areas",
                             value={"points": [[1, 2], [3, 10 ** 400], [5, 6]], "polygonlabels": ["Road"]})],
                    "invalid-value", "`value.points[1]` holds an integer of 401 digits", "r1"),
    "original_width Infinity": ([_result(original_width=float("inf"))], "invalid-value",
                                "`original_width` is Infinity", "r1"),
    "rotation Infinity": ([_result(value_rotation=float("inf"))], "invalid-value",
                          "`value.rotation` is Infinity", "r1"),
    "payload NaN": ([_result(type="textarea", from_name="transcription", value={"text": [float("nan")]})],
                    "invalid-value", "`value.text[0]` is NaN", "r1"),
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_each_known_cause_is_a_diagnostic_naming_file_task_and_result(tmp_path, name):
    results, code, words, rid = KNOWN[name]
    tasks = [{"id": 5, "data": {"image": "images/none.png"}, "predictions": [{"result": results}]}]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks, allow_nan=True), encoding="utf-8")
    config = fuzzing.DEMO / "config.xml"
    code_out, out, _err, place = fuzzing.run_command(["validate", str(path), "--config", str(config), "--offline",
                                                      "--json"])
    assert place is None and fuzzing.strict_problem(out) is None
    found = [d for d in _strict(out)["diagnostics"] if d["code"] == code and words in d["message"]]
    assert found, out
    assert found[0]["file"] == str(path) and found[0]["task"] == 0 and found[0]["task_id"] == 5
    assert found[0]["result_id"] == rid and code_out == 1
    _code, lines, _err, place = fuzzing.run_command(["inspect", str(path), "--config", str(config), "--offline"])
    assert place is None
    records = [_strict(line) for line in lines.splitlines()]
    assert records and all(fuzzing.strict_problem(line) is None for line in lines.splitlines())


def test_a_region_with_a_bad_field_is_still_shown_and_non_finite_numbers_print_as_null(tmp_path):
    tasks = [{"id": 1, "data": {"image": "images/none.png"}, "predictions": [{"score": float("inf"), "result": [
        _result(origin=["manual"]), _result("r2", to_name={"a": 1}), _result("r3", score=float("nan"))]}]}]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks, allow_nan=True), encoding="utf-8")
    _code, lines, _err, place = fuzzing.run_command(["inspect", str(path), "--config",
                                                     str(fuzzing.DEMO / "config.xml"), "--offline"])
    assert place is None
    records = {r["id"]: r for r in map(_strict, lines.splitlines())}
    assert records["r1"]["shape"]["kind"] == "rectangle" and records["r1"]["origin"] is None
    assert records["r2"]["to_name"] is None and records["r3"]["score"] is None
    assert all(r.get("prediction_score", None) is None for r in records.values())
    assert math.isclose(records["r1"]["shape"]["corners"][0][0], 64.0)


def test_an_http_url_with_a_lone_surrogate_is_a_media_diagnostic(tmp_path):
    tasks = [{"id": 1, "data": {"image": "http://example.invalid/a\ud800.png"},
              "predictions": [{"result": [_result()]}]}]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    _code, out, _err, place = fuzzing.run_command(["validate", str(path), "--config",
                                                   str(fuzzing.DEMO / "config.xml"), "--offline", "--json"])
    assert place is None and fuzzing.strict_problem(out) is None
    assert [d["code"] for d in _strict(out)["diagnostics"]] == ["media-not-found"]


def test_the_harness_finds_an_internal_error(monkeypatch, tmp_path):
    """The harness's detector is live: a bug planted in the grouping is caught with its place."""
    from viewer.core import regions

    def broken(*_args, **_kwargs):
        raise OverflowError("planted")

    monkeypatch.setattr(regions, "group_results", broken)
    rng = random.Random(1)
    seed = SEEDS[0]
    outcome = _run_in(tmp_path, "t.json", fuzzing.encode(seed.tasks[:1], rng), seed.config)
    assert outcome.internal and "OverflowError" in outcome.internal[0]


def test_review_paths_take_hostile_values():
    from viewer.core.review.keys import data_hash
    from viewer.core.stats import BUCKETS, bucket_index

    assert bucket_index(1e308) == BUCKETS - 1 and bucket_index(-1e308) == 0 and bucket_index(float("nan")) == BUCKETS
    deep: list = []
    for _ in range(3000):
        deep = [deep]
    assert data_hash({"a": deep}) != data_hash({"a": [deep]})
    assert data_hash({"t": "a\ud800"}) != data_hash({"t": "a"})
    assert data_hash({"b": [1, {"z": None, "a": "é"}], "a": 2.5}) == data_hash({"a": 2.5, "b": [1, {"a": "é", "z": None}]})


def test_export_keeps_lone_surrogates_and_odd_fields_as_they_were(tmp_path):
    tasks = [{"id": 1, "data": {"image": "images/none.png", "note": "a\ud800b"}, "predictions": 5},
             {"id": 2, "data": {"image": "images/none.png"}, "predictions": [{"result": [_result(value=[1])]}]}]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    out = tmp_path / "out.json"
    code, _out, err, place = fuzzing.run_command(["export", str(path), "--config", str(fuzzing.DEMO / "config.xml"),
                                                  "--offline", "--session", str(tmp_path / "s.sqlite"), "--out",
                                                  str(out)])
    assert place is None and code == 0, err
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written[0]["data"]["note"] == "a\ud800b" and written[0]["predictions"] == 5
    assert written[1]["predictions"][0]["result"][0]["value"] == [1]


def test_a_prediction_score_too_large_for_a_float_is_reported_and_ignored(tmp_path):
    tasks = [{"id": 3, "data": {"image": "images/none.png"},
              "predictions": [{"score": 10 ** 400, "result": [_result()]}]}]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    config = str(fuzzing.DEMO / "config.xml")
    _code, out, _err, place = fuzzing.run_command(["validate", str(path), "--config", config, "--offline", "--json"])
    assert place is None
    found = [d for d in _strict(out)["diagnostics"] if "`score` is an integer of 401 digits" in d["message"]]
    assert found and found[0]["source"] == "prediction" and found[0]["source_index"] == 0 and found[0]["task_id"] == 3
    _code, lines, _err, place = fuzzing.run_command(["inspect", str(path), "--config", config, "--offline"])
    assert place is None and "prediction_score" not in _strict(lines.splitlines()[0])
