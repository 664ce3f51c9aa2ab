"""Task files of every shape Label Studio users keep -> Task, Prediction, Annotation (core layer, no Qt).

A JSON list, one task object, JSON Lines, or a folder of those. Everything is kept verbatim in `raw` so that
export can write back what lsview did not understand.
"""

from __future__ import annotations

import gc
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Literal

from viewer.core.errors import TaskFileError, quoted
from viewer.core.json_list import Step, line_reader, lines, list_items
from viewer.core.numbers import finite, number_problem

Source = Literal["prediction", "annotation"]
TASK_FILE_SUFFIXES = (".json", ".jsonl", ".ndjson")
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
LINES_PER_STEP = 2000      # JSON Lines decoded between two calls of a reader's step
# With a report (load_tasks): tasks made between chances for a GUI thread to run (200 take a few milliseconds;
# each hand-over costs ~90 us: every 50 tasks it was 0.35 s of a 100,000-task open, measured), tasks between
# reports, the measure's range, and the share of one file's time spent decoding (making Task objects is the rest).
YIELD_EVERY = 200
REPORT_EVERY = 1000
STEPS = 1000
READ_SHARE = 0.55
Report = Callable[[str, int, int], None]   # (message, done, total); total 0 means "busy, no measure"
TOO_DEEP = "nested too deeply to read (lists and objects over about 1,000 levels deep)"


@dataclass(frozen=True)
class LoadNote:
    """Something about a task's shape that validate reports (e.g. no `data` wrapper)."""

    code: str
    message: str
    source: Source | None = None
    source_index: int | None = None
    severity: str | None = None    # None: the code's own (diagnostics.model.VERDICTS)


@dataclass
class ResultSet:
    """A prediction or an annotation: a `result` list plus its own fields, all kept verbatim in `raw`."""

    source: Source
    index: int
    raw: Any

    @property
    def is_object(self) -> bool:
        return isinstance(self.raw, dict)

    @property
    def results(self) -> list:
        result = self.raw.get("result") if isinstance(self.raw, dict) else None
        return result if isinstance(result, list) else []

    @property
    def id(self) -> Any:
        return self.raw.get("id") if isinstance(self.raw, dict) else self.raw

    @property
    def model_version(self) -> str | None:
        if self.source != "prediction" or not isinstance(self.raw, dict):
            return None
        version = self.raw.get("model_version")
        # Label Studio stores a missing version as the string "undefined" (FORMAT 5.1).
        if version is None or version == "":
            return "undefined"
        if isinstance(version, (list, dict)):
            return f"({type(version).__name__})"  # str() of a deeply nested list would recurse too far
        return str(version)

    @property
    def score(self) -> float | None:
        score = self.raw.get("score") if isinstance(self.raw, dict) else None
        return _number_or_none(score)


@dataclass
class Task:
    """One task: its data, predictions and annotations, where it came from, and notes on its shape."""

    index: int
    raw: Any
    data: dict
    predictions: list[ResultSet]
    annotations: list[ResultSet]
    file: str
    line: int | None = None
    has_data_wrapper: bool = True
    notes: list[LoadNote] = field(default_factory=list)

    @property
    def id(self) -> Any:
        return self.raw.get("id") if isinstance(self.raw, dict) else None

    @property
    def meta(self) -> Any:
        return self.raw.get("meta") if isinstance(self.raw, dict) else None

    def result_sets(self) -> Iterator[ResultSet]:
        yield from self.predictions
        yield from self.annotations

    def label(self) -> str:
        """How messages name this task: its index in the file and its id when it has one."""
        return f"task {self.index}" + (f" (id {id_text(self.id)})" if self.id is not None else "")


ID_SHOWN = 120  # characters of an id in messages and lists; a hostile file may hold megabytes (or a deep list) there


def id_text(value: Any) -> str:
    """A task id as messages and the task list show it: a short string or a number as it is, anything else (a long
    string, a list nested a thousand deep, an integer of a million digits) shortened, never raising."""
    if isinstance(value, str) and len(value) <= ID_SHOWN:
        return value
    if type(value) is int and value.bit_length() <= 256:
        return str(value)
    return quoted(value, ID_SHOWN)


def _number_or_none(value: Any) -> float | None:
    return finite(value)  # NaN, Infinity and integers too large for a float are no score (reported on load)


def _result_sets(raw: Any, source: Source, task_notes: list[LoadNote]) -> list[ResultSet]:
    key = source + "s"
    if raw is None:
        return []
    if not isinstance(raw, list):
        task_notes.append(LoadNote("invalid-value", f"`{key}` is {type(raw).__name__}, not a list; "
                                   f"Label Studio refuses this file (HTTP 400)", source))
        return []
    sets = [ResultSet(source, i, item) for i, item in enumerate(raw)]
    id_only = [s.index for s in sets if isinstance(s.raw, (int, str)) and not isinstance(s.raw, bool)]
    if id_only:
        fate = ("Label Studio's import stores none of the file's predictions" if source == "prediction" else
                "Label Studio refuses this file: its import fails (HTTP 500) and stores nothing of it")
        task_notes.append(LoadNote(
            f"{source}-id-only",
            f"{len(id_only)} {key} given as ids only (an export without expanded {key}); there is nothing to "
            f"draw, and {fate}", source))
    for s in sets:
        if not isinstance(s.raw, (dict, int, str)) or isinstance(s.raw, bool):
            task_notes.append(LoadNote("invalid-value", f"{source} {s.index} is {type(s.raw).__name__}, not an "
                                       f"object; Label Studio's import skips it", source, s.index))
        elif isinstance(s.raw, dict) and not isinstance(s.raw.get("result"), list):
            got = "missing" if "result" not in s.raw else f"a {type(s.raw['result']).__name__}"
            task_notes.append(LoadNote("invalid-value", f"{source} {s.index}: `result` is {got}, not a list; "
                                       f"Label Studio refuses this file (HTTP 400)", source, s.index))
        if isinstance(s.raw, dict) and number_problem(s.raw.get("score")) is not None:
            task_notes.append(LoadNote("invalid-value", f"{source} {s.index}: `score` is "
                                       f"{number_problem(s.raw['score'])}, not a finite number (null in `lsview "
                                       f"inspect`); Label Studio refuses this file (its API reads strict JSON) "
                                       f"or stores none of its predictions (the score is no float)", source,
                                       s.index))
    return sets


def make_task(raw: Any, index: int, file: str, line: int | None = None) -> Task:
    """Turn one item of a task file into a Task the way Label Studio's importer reads it (FORMAT 6)."""
    notes: list[LoadNote] = []
    if not isinstance(raw, dict):
        notes.append(LoadNote("invalid-value", f"the task is a JSON {type(raw).__name__}, not an object; "
                              f"Label Studio refuses this file (HTTP 400)"))
        return Task(index, raw, {}, [], [], file, line, False, notes)
    if isinstance(raw.get("id"), (list, dict)):
        notes.append(LoadNote("invalid-value", f"the task `id` is a {type(raw['id']).__name__}, not a number; "
                              f"lsview names the task by its data instead (Label Studio's import keeps no task "
                              f"id, so it takes the task all the same)", severity="info"))
    elif number_problem(raw.get("id")) is not None:
        notes.append(LoadNote("invalid-value", f"the task `id` is {number_problem(raw['id'])}, not a finite "
                              f"number; lsview names the task by its data instead (Label Studio's import keeps no "
                              f"task id, so it takes the task all the same)", severity="info"))
    wrapped = bool(raw.get("data"))
    if wrapped:
        data = raw["data"]
        if not isinstance(data, dict):
            notes.append(LoadNote("invalid-value", f"`data` is a JSON {type(data).__name__}, not an object; "
                                  f"Label Studio refuses this file (HTTP 400)"))
            data = {}
    else:
        # Label Studio makes the whole object the task data; keep going so the user sees the regions anyway.
        data = {k: v for k, v in raw.items() if k not in ("predictions", "annotations", "drafts")}
    predictions = _result_sets(raw.get("predictions"), "prediction", notes)
    annotations = _result_sets(raw.get("annotations"), "annotation", notes)
    if not wrapped and ("predictions" in raw or "annotations" in raw):
        notes.insert(0, LoadNote(
            "no-data-wrapper", "the task has `predictions`/`annotations` but no `data` object: Label Studio's "
            "import takes the whole object as data, so its editor does not show these predictions and "
            "annotations; put the data fields under \"data\""))
    return Task(index, raw, data, predictions, annotations, file, line, wrapped, notes)


@contextmanager
def gc_paused(keep: bool = False):
    """Pause the cyclic garbage collector while building many acyclic objects (JSON trees, tasks).

    Parsing a 70 MB task file makes millions of dicts and lists; the collector would walk them all again and
    again (json.loads: 6.3 s with it, 1.0 s without, measured). With `keep`, what was built is moved out of the
    collector's sight for good (gc.freeze): task data live as long as the project and hold no cycles, and the
    first collection after loading would otherwise walk all of it once more (1.6 s).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def _position(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


def _parse_json_lines(text: str, path: str, decode: Callable[[str], Any],
                      step: Step | None = None) -> list[tuple[Any, int]]:
    items = []
    found = lines(text)
    with gc_paused():
        for number, line in enumerate(found, start=1):
            if step is not None and number % LINES_PER_STEP == 0:
                step(number / len(found))
            if not line.strip():
                continue
            try:
                items.append((decode(line), number))
            except json.JSONDecodeError as exc:
                raise TaskFileError(f"not valid JSON Lines: {exc.msg}", path=path, line=number,
                                    column=exc.colno) from None
            except ValueError as exc:  # Python's json refuses integers of over 4,300 digits
                raise TaskFileError(_unreadable_number(exc), path=path, line=number) from None
            except RecursionError:
                raise TaskFileError(TOO_DEEP, path=path, line=number) from None
    return items


def _unreadable_number(exc: ValueError) -> str:
    return f"holds a number JSON readers cannot take ({exc})"


def _looks_like_json_lines(text: str) -> bool:
    found = [ln for ln in lines(text) if ln.strip()]
    if len(found) < 2:
        return False
    try:
        first = json.loads(found[0])
    except (ValueError, RecursionError):  # JSONDecodeError, or an integer of over 4,300 digits
        return False
    return isinstance(first, dict)


def read_task_items(path: str | os.PathLike, step: Step | None = None) -> list[tuple[Any, int | None]]:
    """The raw items of one task file with their line numbers (JSON Lines) or None (JSON).

    `step(fraction)` is called now and then while a JSON list or JSON Lines are decoded: a reader on a worker
    thread reports progress there and lets other threads run."""
    path_str = os.fspath(path)
    try:
        with open(path_str, "rb") as handle:
            blob = handle.read()
    except OSError as exc:
        raise TaskFileError(f"cannot read the task file: {exc.strerror or exc}", path=path_str) from None
    if not path_str.lower().endswith(JSON_LINES_SUFFIXES):
        with gc_paused():
            items = list_items(blob, step)  # a JSON list, fast; None leaves the answer (or the error) to the rest
        if items is not None:
            return [(item, None) for item in items]
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TaskFileError(f"not UTF-8 text (byte {exc.start})", path=path_str) from None
    if not text.strip():
        raise TaskFileError("the file is empty; expected a JSON list of tasks, one task object or JSON Lines",
                            path=path_str)
    if path_str.lower().endswith(JSON_LINES_SUFFIXES):
        return _parse_json_lines(text, path_str, line_reader(blob), step)
    try:
        with gc_paused():
            document = json.loads(text)
    except json.JSONDecodeError as exc:
        if _looks_like_json_lines(text):
            return _parse_json_lines(text, path_str, line_reader(blob), step)
        line, column = _position(text, exc.pos)
        raise TaskFileError(f"not valid JSON: {exc.msg}", path=path_str, line=line, column=column) from None
    except ValueError as exc:
        raise TaskFileError(_unreadable_number(exc), path=path_str) from None
    except RecursionError:
        raise TaskFileError(TOO_DEEP, path=path_str) from None
    if isinstance(document, list):
        return [(item, None) for item in document]
    if isinstance(document, dict):
        return [(document, None)]
    raise TaskFileError(f"holds a JSON {type(document).__name__}; expected a list of tasks or one task object",
                        path=path_str)


def task_files(path: str | os.PathLike) -> list[Path]:
    """The task files a TASKS argument names: the file itself, or the task files in a folder (sorted, recursive)."""
    root = Path(path)
    if root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TASK_FILE_SUFFIXES
                       and not any(part.startswith(".") for part in p.relative_to(root).parts))
        if not files:
            raise TaskFileError("the folder holds no .json, .jsonl or .ndjson task files", path=str(root))
        return files
    if not root.exists():
        raise TaskFileError("no such file or folder", path=str(root))
    return [root]


def load_tasks(path: str | os.PathLike, report: Report | None = None) -> list[Task]:
    """Every task of a task file or folder, indexed in reading order across files.

    With `report` (a reader on a worker thread), progress goes there as one measure from 0 to STEPS over all
    files, decoding and then preparing each, and the GIL is handed over now and then so a GUI thread keeps
    running (one call decoding a big file would hold it for the file's whole length)."""
    tasks: list[Task] = []
    files = task_files(path)
    with gc_paused(keep=True):
        for number, file in enumerate(files):
            where = f"{file.name} ({number + 1} / {len(files)})" if len(files) > 1 else file.name

            def advance(fraction: float, what: str = "Reading", number=number, where=where) -> None:
                time.sleep(0)  # hand the GIL over; the interpreter's own switching is not enough
                report(f"{what} {where} ...", round(STEPS * (number + fraction) / len(files)), STEPS)

            if report is not None:
                advance(0.0)
            items = read_task_items(file, None if report is None else lambda f: advance(READ_SHARE * f))
            for count, (raw, line) in enumerate(items, 1):
                tasks.append(make_task(raw, len(tasks), str(file), line))
                if report is not None and count % YIELD_EVERY == 0:
                    time.sleep(0)
                    if count % REPORT_EVERY == 0:
                        advance(READ_SHARE + (1 - READ_SHARE) * count / len(items), "Preparing tasks of")
    return tasks
