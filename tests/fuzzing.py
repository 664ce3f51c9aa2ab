"""Task-file mutations and an in-process run of `validate` and `inspect`, shared by scripts/fuzz_tasks.py and
tests/core/test_fuzz.py, so the script and the suite hunt the same way (issue 11, "No internal errors").

A case is a small task file made from a real task shape (the bundled demo, tests/data/fuzz/seeds) with a few
hostile edits: wrong types in any field, NaN/Infinity, huge integers, negative sizes, deep nesting, missing keys,
lone surrogates, U+2028, RTL text, big strings, duplicate ids, garbage RLE, relations to missing ids.
"""

from __future__ import annotations

import copy
import io
import json
import os
import random
import re
import traceback
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "viewer" / "resources" / "demo"
FUZZ = ROOT / "tests" / "data" / "fuzz"
CONFIGS = ROOT / "tests" / "data" / "configs"

# Fields Label Studio results and tasks carry; a mutation may give any of them a hostile value, present or not.
RESULT_FIELDS = ["id", "type", "from_name", "to_name", "value", "score", "origin", "direction", "from_id", "to_id",
                 "labels", "readonly", "hidden", "item_index", "original_width", "original_height",
                 "image_rotation", "parentID"]
VALUE_FIELDS = ["x", "y", "width", "height", "rotation", "radiusX", "radiusY", "points", "closed", "rle", "format",
                "start", "end", "startOffset", "endOffset", "globalOffsets", "text", "labels", "rectanglelabels",
                "polygonlabels", "choices", "score", "maskDataURL", "imageDataURL", "vertices", "keypointlabels"]
TASK_FIELDS = ["id", "data", "predictions", "annotations", "meta"]
SET_FIELDS = ["id", "result", "score", "model_version", "was_cancelled", "ground_truth"]

# A raw JSON token written in place of a placeholder string after json.dumps (which cannot write these).
_RAW = "\x00raw:"
_RAW_PATTERN = re.compile(r'"\\u0000raw:([^"]*)"')

FIXED = [
    None, True, False, 0, -1, -1_000_000, 0.5, -0.0, 2 ** 63, -(2 ** 63) - 1, 2 ** 64, 10 ** 400, -(10 ** 400),
    1e308, -1e308, 5e-324, float("nan"), float("inf"), float("-inf"), "", "x", "12", "-3", "1e999", "\ud800",
    "a\udfffb", "a\u2028b\u2029c\x85", "\u202eRTL\u202c", "שלום עולם", "مرحبا بالعالم", "data:image/png;base64,!!",
    "http://example.invalid/\ud800.png", "/data/local-files/?d=\ud83d", "../../etc/passwd", [], {}, [1, 2],
    [[1, 2]], [[float("nan"), 10 ** 400]], {"a": 1}, {"x": 1, "y": 2}, ["a"], [None], [float("inf")],
    [10 ** 400, 2 ** 63], [[]], {"start": 10 ** 400, "end": float("nan")},
    _RAW + "1" + "0" * 5000, _RAW + "-" + "9" * 4400, _RAW + "1e400", _RAW + "-1e400", _RAW + "1E-400",
]


def hostile(rng: random.Random, big: int) -> Any:
    """One value of the wrong kind for almost any field."""
    pick = rng.random()
    if pick < 0.75:
        return copy.deepcopy(rng.choice(FIXED))
    if pick < 0.85:
        depth = rng.choice([50, 500, 990, 1100, 5000])
        return _RAW + "[" * depth + "]" * depth
    if pick < 0.92:
        return rng.choice("ab\u2028\u05d0\ud800 ") * rng.randint(1, max(1, big))
    return rng.choice([rng.randint(-(10 ** 30), 10 ** 30), rng.uniform(-1e300, 1e300), -rng.random() * 1000])


def _nodes(tree: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """(container, key) for every value inside a JSON tree."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            out.append((tree, key))
            _nodes(value, out)
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            out.append((tree, index))
            _nodes(value, out)
    return out


def _results(task: Any) -> list[dict]:
    found = []
    if isinstance(task, dict):
        for key in ("predictions", "annotations"):
            for item in task.get(key) or [] if isinstance(task.get(key), list) else []:
                if isinstance(item, dict) and isinstance(item.get("result"), list):
                    found.extend(r for r in item["result"] if isinstance(r, dict))
    return found


def _sets(task: Any) -> list[dict]:
    if not isinstance(task, dict):
        return []
    return [s for key in ("predictions", "annotations") if isinstance(task.get(key), list)
            for s in task[key] if isinstance(s, dict)]


def _replace_any(rng, task, big):
    nodes = _nodes(task, [])
    if nodes:
        container, key = rng.choice(nodes)
        container[key] = hostile(rng, big)


def _delete_key(rng, task, big):
    dicts = [c for c, _ in _nodes(task, []) if isinstance(c, dict)] + ([task] if isinstance(task, dict) else [])
    if dicts:
        target = rng.choice(dicts)
        if target:
            del target[rng.choice(list(target))]


def _result_field(rng, task, big):
    results = _results(task)
    if results:
        rng.choice(results)[rng.choice(RESULT_FIELDS)] = hostile(rng, big)


def _value_field(rng, task, big):
    results = [r for r in _results(task) if isinstance(r.get("value"), dict)]
    if results:
        rng.choice(results)["value"][rng.choice(VALUE_FIELDS)] = hostile(rng, big)


def _task_field(rng, task, big):
    if isinstance(task, dict):
        if rng.random() < 0.5 and isinstance(task.get("data"), dict) and task["data"]:
            task["data"][rng.choice(list(task["data"]))] = hostile(rng, big)
        else:
            task[rng.choice(TASK_FIELDS)] = hostile(rng, big)


def _set_field(rng, task, big):
    sets = _sets(task)
    if sets:
        rng.choice(sets)[rng.choice(SET_FIELDS)] = hostile(rng, big)


def _negative_size(rng, task, big):
    results = _results(task)
    if results:
        result = rng.choice(results)
        key = rng.choice(["original_width", "original_height", "width", "height", "radiusX", "radiusY"])
        target = result if key.startswith("original") else result.get("value")
        if isinstance(target, dict):
            target[key] = rng.choice([-1, -640, -0.5, 0, -(2 ** 63), -1e308])


def _duplicate_ids(rng, task, big):
    results = _results(task)
    if len(results) >= 2:
        a, b = rng.sample(results, 2)
        b["id"] = a.get("id")
    sets = _sets(task)
    if sets and rng.random() < 0.5:
        chosen = rng.choice(sets)
        if isinstance(chosen.get("result"), list) and chosen["result"]:
            chosen["result"].append(copy.deepcopy(rng.choice(chosen["result"])))


def _garbage_rle(rng, task, big):
    results = _results(task)
    if results:
        result = rng.choice(results)
        rle = [rng.choice([0, 1, 255, 256, -1, 2 ** 40, 10 ** 400, 0.5, float("nan"), "a", None, []])
               for _ in range(rng.randint(0, 40))]
        if rng.random() < 0.5:
            rle = [rng.randint(0, 255) for _ in range(rng.randint(0, 200))]
        result["type"] = "brushlabels"
        result["from_name"] = rng.choice(["paint", "brush", result.get("from_name")])
        result["value"] = {"format": "rle", "rle": rle, "brushlabels": ["Sky"]}


def _dangling_relation(rng, task, big):
    sets = _sets(task)
    if sets:
        chosen = rng.choice(sets)
        if isinstance(chosen.get("result"), list):
            ids = [r.get("id") for r in _results(task)] + ["missing", hostile(rng, big)]
            chosen["result"].append({"type": "relation", "from_id": rng.choice(ids), "to_id": rng.choice(ids),
                                     "direction": rng.choice(["right", "bi", "up", ["bi"], {"a": 1}, None]),
                                     "labels": rng.choice([["knows"], [1], "x", None, [float("nan")]])})


def _text_noise(rng, task, big):
    strings = [(c, k) for c, k in _nodes(task, []) if isinstance(c[k], str)]
    if strings:
        container, key = rng.choice(strings)
        text = container[key]
        at = rng.randint(0, len(text))
        container[key] = text[:at] + rng.choice(["\ud800", "\udc00", "\u2028", "\u2029", "\x85", "\u202e",
                                                  "\u05e9\u05dc\u05d5\u05dd", "\U0001F600", "\r\n", "\x00"]) + text[at:]


MUTATIONS: list[Callable[[random.Random, Any, int], None]] = [
    _replace_any, _replace_any, _delete_key, _result_field, _result_field, _value_field, _value_field, _task_field,
    _set_field, _negative_size, _duplicate_ids, _garbage_rle, _dangling_relation, _text_noise,
]


def mutate(rng: random.Random, task: Any, big: int = 20_000) -> Any:
    """A copy of a task with one to four hostile edits; `big` bounds the length of big strings."""
    task = copy.deepcopy(task)
    for _ in range(rng.randint(1, 4)):
        if not isinstance(task, (dict, list)):
            break
        rng.choice(MUTATIONS)(rng, task, big)
    return task


@dataclass(frozen=True)
class Seed:
    """Real task shapes and the config that goes with them."""

    name: str
    config: Path
    tasks: list
    media: Path | None = None


def seeds() -> list[Seed]:
    demo = json.loads((DEMO / "tasks.json").read_text(encoding="utf-8"))
    text = json.loads((FUZZ / "seeds" / "text.json").read_text(encoding="utf-8"))
    found = [Seed("demo", DEMO / "config.xml", demo, DEMO / "images"),
             Seed("text", FUZZ / "seeds" / "text.xml", text)]
    # The demo's tasks against other real configs: names that half match, other control kinds.
    for name in ("ocr.xml", "per_region.xml", "pairwise_relations.xml", "all_objects.xml"):
        found.append(Seed(f"demo+{name}", CONFIGS / name, demo, DEMO / "images"))
    return found


def encode(tasks: Any, rng: random.Random | None = None, ascii_only: bool = True) -> bytes:
    """The bytes of a task file: NaN/Infinity as JSON's Python dialect writes them, raw tokens put in, and now and
    then (with `rng`) unescaped text (lone surrogates then make the file invalid UTF-8, which must be reported)."""
    if rng is not None:
        ascii_only = rng.random() < 0.8
    text = json.dumps(tasks, ensure_ascii=ascii_only, allow_nan=True)
    text = _RAW_PATTERN.sub(lambda m: m.group(1), text)
    return text.encode("utf-8", errors="surrogatepass")


def decode(blob: bytes) -> Any:
    """A task file's JSON as encode() wrote it: integers too long for Python's json kept as raw tokens."""
    return json.loads(blob.decode("utf-8", errors="surrogatepass"),
                      parse_int=lambda digits: int(digits) if len(digits) < 4000 else _RAW + digits)


def make_case(rng: random.Random, seed: Seed, big: int = 20_000) -> list:
    """One or two mutated tasks of a seed."""
    picked = rng.sample(seed.tasks, min(len(seed.tasks), rng.choice([1, 1, 2])))
    return [mutate(rng, task, big) for task in picked]


@dataclass
class Outcome:
    """What running the commands on one file gave: internal errors by place, outputs that are not strict JSON."""

    internal: list[str] = field(default_factory=list)
    non_strict: list[str] = field(default_factory=list)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def strict_problem(text: str) -> str | None:
    """Why a JSON text is not strict RFC 8259 JSON any reader takes (None when it is): NaN/Infinity, lone
    surrogates (raw or escaped), syntax."""
    try:
        json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_surrogates)
        text.encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(pairs: list) -> dict:
    for key, value in pairs:
        for text in (key, value):
            if isinstance(text, str) and _SURROGATE.search(text):
                raise ValueError("lone surrogate in a string")
            if isinstance(text, list):
                for item in text:
                    if isinstance(item, str) and _SURROGATE.search(item):
                        raise ValueError("lone surrogate in a string")
    return dict(pairs)


def _place(exc: BaseException) -> str:
    """Where an exception came from: the innermost frame in lsview's own code."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/viewer/" in f.filename.replace(os.sep, "/")] or frames
    frame = ours[-1]
    where = frame.filename.replace(os.sep, "/").split("/viewer/", 1)[-1]
    return f"viewer/{where}:{frame.lineno} {frame.name}: {type(exc).__name__}"


def run_command(argv: list[str]) -> tuple[int | None, str, str, str | None]:
    """viewer.cli.main(argv) in this process: (exit code, stdout, stderr, place of an internal error or None)."""
    from viewer.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = os.environ.get("LSVIEW_DEBUG")
    os.environ["LSVIEW_DEBUG"] = "1"  # a bug raises instead of printing, so its place is known
    place = None
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
            except RecursionError as exc:
                code, place = None, _place(exc)
            except Exception as exc:  # noqa: BLE001 - every escape is what we hunt
                code, place = None, _place(exc)
    finally:
        if previous is None:
            del os.environ["LSVIEW_DEBUG"]
        else:
            os.environ["LSVIEW_DEBUG"] = previous
    if place is None and "internal error" in err.getvalue():
        place = "stderr: " + err.getvalue().strip()[:160]
    return code, out.getvalue(), err.getvalue(), place


def check_file(tasks_path: Path, config: Path, review: bool = False) -> Outcome:
    """Run validate (text and --json) and inspect on a task file; collect internal errors and non-strict JSON.
    With `review`, also report, accept and export with a session beside the file (slower: SQLite writes)."""
    outcome = Outcome()
    common = [str(tasks_path), "--config", str(config), "--offline"]
    commands = [["validate", *common, "--json"], ["inspect", *common], ["validate", *common]]
    if review:
        session = ["--session", str(tasks_path.with_suffix(".sqlite"))]
        commands += [["accept", *common, *session], ["report", *common, *session],
                     ["export", *common, *session, "--out", str(tasks_path.with_suffix(".out.json"))]]
    for command in commands:
        code, out, _err, place = run_command(command)
        if place is not None:
            outcome.internal.append(f"{command[0]}: {place}")
            continue
        if command[0] == "validate" and "--json" in command and out:
            problem = strict_problem(out)
            if problem:
                outcome.non_strict.append(f"validate --json: {problem}")
        elif command[0] == "inspect":
            for number, line in enumerate(out.split("\n"), 1):
                problem = strict_problem(line) if line else None
                if problem:
                    outcome.non_strict.append(f"inspect line {number}: {problem}")
                    break
    return outcome


def write_case(folder: Path, name: str, tasks: Any, rng: random.Random, seed: Seed) -> Path:
    """Write a case's task file in `folder` (whose `images` link points at the seed's media)."""
    path = folder / f"{name}.json"
    path.write_bytes(encode(tasks, rng))
    if seed.media is not None and not (folder / "images").exists():
        (folder / "images").symlink_to(seed.media, target_is_directory=True)
    return path


def signature(outcome: Outcome) -> set[str]:
    """What failed, without line numbers (which move as the code changes): 'validate: viewer/x.py f: Error'."""
    found = {re.sub(r":\d+ ", " ", place) for place in outcome.internal}
    found.update(f"{problem.split(':')[0]}: non-strict JSON" for problem in outcome.non_strict)
    return {re.sub(r" line \d+", "", item) for item in found}


def shrink(tasks: list, still_fails: Callable[[list], bool], budget: int = 600) -> list:
    """A smaller task list that still fails: greedily drops tasks, keys and list items and cuts long strings,
    keeping each step that still fails (at most `budget` tries)."""
    best = copy.deepcopy(tasks)
    tries = 0
    changed = True
    while changed and tries < budget:
        changed = False
        for index in reversed(range(len(_nodes(best, [])))):
            if tries >= budget:
                break
            nodes = _nodes(best, [])
            if index >= len(nodes):
                continue
            for candidate in _smaller(best, index):
                tries += 1
                if still_fails(candidate):
                    best, changed = candidate, True
                    break
    return best


def _smaller(tasks: list, index: int):
    """Candidates one step smaller than `tasks` at its index-th node: without it, or with a shorter value."""
    attempt = copy.deepcopy(tasks)
    container, key = _nodes(attempt, [])[index]
    value = container[key]
    del container[key]
    yield attempt
    if isinstance(value, str) and len(value) > 12:
        attempt = copy.deepcopy(tasks)
        container, key = _nodes(attempt, [])[index]
        container[key] = value[:6] + value[-6:]
        yield attempt
