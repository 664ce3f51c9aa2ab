"""What Label Studio's import does with a task's own fields (annotation ids, completed_by, prediction scores ...).

Core layer, no Qt. The rules are those of Label Studio 1.23.2's import (tasks/validation.py, tasks/serializers.py
and the Django fields behind them): the import is all or nothing, so one bad field refuses the whole file.
"""

from __future__ import annotations

from typing import Any

from viewer.core.diagnostics.model import Reporter
from viewer.core.numbers import preview
from viewer.core.tasks import Task

# Annotation.import_id is a BigIntegerField: a signed 64-bit integer.
INT64 = (-2 ** 63, 2 ** 63 - 1)
# What Django's BooleanField stores (ground_truth, was_cancelled); 1 and 0 count, as `1 in (True, False)` holds.
_BOOLEAN_STRINGS = ("t", "True", "1", "f", "False", "0")
REFUSED_500 = "Label Studio refuses this file: its import fails (HTTP 500) and stores nothing of it"


def check_imported_fields(task: Task, report: Reporter) -> None:
    raw = task.raw
    if not isinstance(raw, dict) or not raw.get("data"):
        return  # not read as a task with results (no-data-wrapper / invalid-value say why)
    if "meta" in raw and not isinstance(raw["meta"], (dict, list)):
        report.add("invalid-value", f"`meta` is {_json_type(raw['meta'])}, not an object or a list; Label Studio "
                   f"refuses this file (HTTP 400)")
    for annotation in task.annotations:
        if isinstance(annotation.raw, dict):
            _check_annotation(annotation.raw, report.at(source="annotation", source_index=annotation.index))
    for prediction in task.predictions:
        if isinstance(prediction.raw, dict):
            _check_prediction(prediction.raw, report.at(source="prediction", source_index=prediction.index))


def _check_annotation(raw: dict, report: Reporter) -> None:
    problem = annotation_id_problem(raw.get("id"))
    if problem is not None:
        report.add("annotation-id-not-integer", problem)
    elif isinstance(raw.get("id"), str):
        report.add("annotation-id-not-integer", f"annotation `id` is the string {preview(raw['id'])}, not a JSON "
                   "number; Label Studio 1.23.2 stores it as the number it spells (import_id), measured on a real "
                   "server: nothing is lost, but other tools may not read it", severity="info")
    _check_completed_by(raw, report)
    for key in ("ground_truth", "was_cancelled"):
        if key in raw and not _storable_boolean(raw[key]):
            report.add("annotation-field-invalid", f"`{key}` is {_json_type(raw[key])}, which the database "
                       f"cannot store as true/false; {REFUSED_500}")
    if raw.get("lead_time") is not None and not _storable_number(raw["lead_time"]):
        report.add("annotation-field-invalid", f"`lead_time` is {_json_type(raw['lead_time'])}, not a number of "
                   f"seconds; {REFUSED_500}")


def annotation_id_problem(value: Any) -> str | None:
    """Why Label Studio cannot keep an annotation's `id` (stored as its import_id), or None when it can.

    Django stores int(value): integers, floats (cut to an integer), true/false and numeric strings pass. A real
    Label Studio 1.23.2 stored an annotation whose id was "1001" (201, import_id 1001; JSON body, file upload and
    the web UI's upload-then-import alike), though issue 13 reported it dropped (reading tasks back without
    fields=all leaves every annotation out, which may explain that).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        if INT64[0] <= value <= INT64[1]:
            return None
        return f"annotation `id` {preview(value)} does not fit a 64-bit integer; {REFUSED_500}"
    if isinstance(value, float):
        if value == value and abs(value) != float("inf"):
            return None
        return f"annotation `id` is {value}, not an integer; {REFUSED_500}"
    if isinstance(value, str):
        try:
            int(value)
        except ValueError:
            return (f"annotation `id` is the string {preview(value)}, not an integer (\"Field 'import_id' expected "
                    f"a number\"); {REFUSED_500}")
        return None
    return f"annotation `id` is {_json_type(value)}, not an integer; {REFUSED_500}"


def _check_completed_by(raw: dict, report: Reporter) -> None:
    value = raw.get("completed_by")
    if value is None:
        return  # the import gives the annotation to the importing user
    if isinstance(value, dict) and "email" not in value:
        report.add("completed-by-invalid", "`completed_by` is an object without `email`; Label Studio refuses "
                   "this file (HTTP 400, \"It's expected to have 'email' field in 'completed_by'\") — `lsview "
                   "export` drops the field")
    elif isinstance(value, dict) or isinstance(value, int):
        what = (f"the email {preview(value['email'])}" if isinstance(value, dict)
                else f"the user id {preview(value)}")
        report.add("completed-by-unresolved", f"`completed_by` gives {what}; Label Studio refuses this file "
                   f"(HTTP 400) unless that is a member of the server's organisation, which lsview cannot know "
                   f"— `lsview export` drops the field, so the annotation goes to the importing user")
    else:
        report.add("completed-by-invalid", f"`completed_by` is {_json_type(value)}, neither a user id nor "
                   f"{{\"email\": ...}}; Label Studio refuses this file (HTTP 400, \"not a valid annotator's "
                   f"email or ID\") — `lsview export` drops the field")


def _check_prediction(raw: dict, report: Reporter) -> None:
    score = raw.get("score")
    if isinstance(score, (list, dict)):
        report.add("predictions-dropped", f"`score` is {_json_type(score)}, which the import cannot turn into a "
                   f"number; Label Studio then stores none of this file's predictions (its tasks and annotations "
                   f"are kept, the import reports success)")
    result = raw.get("result")
    if isinstance(result, list) and any(not isinstance(item, dict) for item in result):
        report.add("predictions-dropped", "`result` holds an item that is not an object; Label Studio then "
                   "stores none of this file's predictions (its tasks and annotations are kept, the import "
                   "reports success)")


def _storable_boolean(value: Any) -> bool:
    if isinstance(value, (bool, int, float)):
        return value in (True, False)
    return isinstance(value, str) and value in _BOOLEAN_STRINGS


def _storable_number(value: Any) -> bool:
    if isinstance(value, (bool, int, float)):
        return True
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return False
        return True
    return False


def _json_type(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {preview(value)}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return preview(value)
    return f"a JSON {'list' if isinstance(value, list) else 'object'}"
