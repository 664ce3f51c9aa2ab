"""The run of `lsview predict` (and the window's Predict): ask an ML backend for predictions of some tasks, check
them with lsview's diagnostics, and write every task of the project, those with the new predictions added, to a new
task file, whole or not at all (never over an input).

Core layer, no Qt. The run is core steps (viewer.core.steps): each batch goes to the backend on a thread of its
own while the steps report progress, so a window stays live and Cancel stops the run at once (nothing is written).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from viewer.core.atomic import write_text_atomically
from viewer.core.diagnostics.model import Diagnostic, Reporter
from viewer.core.diagnostics.regions import check_region_set
from viewer.core.download import download_control
from viewer.core.jsonout import utf8_json
from viewer.core.mlbackend.client import PREDICT_S, BasicAuth, MlBackend
from viewer.core.mlbackend.protocol import BackendPrediction, PredictError, project_uid, request_task
from viewer.core.mlbackend.reach import unreachable_media
from viewer.core.outputs import InputFiles
from viewer.core.regions import region_sets
from viewer.core.steps import Progress, Steps, run_through
from viewer.core.tally import Tally
from viewer.core.tasks import Task, make_task

DOING = "Predicting"
BATCH = 16          # tasks a request: one a task makes 10,000 requests; all at once, one answer of minutes
WAIT_S = 0.02       # how long a step waits for the backend's answer before it reports progress again
LISTED = 20         # diagnostics and notes listed in the summary; the rest are counted
_PREDICTED = re.compile(r"\.predicted(-\d+)?$")


@dataclass(frozen=True)
class PredictOptions:
    url: str
    out: str
    model_version: str | None = None     # None: the version the backend names (made distinct, see _Versions)
    auth: BasicAuth | None = None
    batch_size: int = BATCH
    project_id: int = 0                  # the project id the backend keys its model state by
    timeout: float = PREDICT_S           # seconds one /predict call may take


@dataclass
class PredictSummary(Tally):
    path: str = ""
    url: str = ""
    tasks: int = 0                       # tasks sent
    predicted: int = 0                   # tasks given at least one prediction
    predictions: int = 0
    results: int = 0
    versions: Counter = field(default_factory=Counter)     # model version written -> predictions
    requests: int = 0
    seconds: float = 0.0
    unreachable: list[str] = field(default_factory=list)   # warnings about media, said before the first call
    diagnostics: list[Diagnostic] = field(default_factory=list)   # the new predictions' problems
    failed: list[str] = field(default_factory=list)        # "task N (id I): the backend's message", none written
    first_failure: str = ""                                # the first failure as a whole-run error says it

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def lines(self) -> list[str]:
        versions = ", ".join(f"{name} ({count:,})" for name, count in self.versions.most_common()) or "none"
        out = [f"predicted {self.predicted:,} of {self.tasks:,} task(s) with the ML backend at {self.url}: "
               f"{self.predictions:,} prediction(s), {self.results:,} result(s); model version {versions}; "
               f"written to {self.path}",
               f"{self.requests:,} request(s) in {self.seconds:.1f} s"]
        out.extend(f"warning: {line}" for line in self.unreachable)
        out.extend(self.skipped_lines("task(s)"))
        if self.failed:
            out.append(f"{len(self.failed):,} task(s) failed at the backend and were written without new "
                       "predictions:")
            out.extend(f"  {line}" for line in self.failed[:LISTED])
            if len(self.failed) > LISTED:
                out.append(f"  ... and {len(self.failed) - LISTED:,} more")
        out.extend(self.note_lines(LISTED))
        errors = self.errors
        warnings = len(self.diagnostics) - len(errors)
        if self.diagnostics:
            out.append(f"the new predictions have {len(errors):,} error(s) and {warnings:,} other problem(s) "
                       "(`lsview validate` on the file written lists them again):")
            out.extend(f"  {d.describe()}" for d in self.diagnostics[:LISTED])
            if len(self.diagnostics) > LISTED:
                out.append(f"  ... and {len(self.diagnostics) - LISTED:,} more")
        return out


def predict(project, indices, options: PredictOptions, say: Callable[[str], None] | None = None) -> PredictSummary:
    """The whole run at once (the command line)."""
    return run_through(predict_steps(project, indices, options, say))


def config_text(project) -> str:
    path = project.config.path
    if project.config.inferred or path is None:
        raise PredictError("predicting needs the labeling config (--config): the backend makes its results for "
                           "the config's controls, and one inferred from the results is a guess")
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", errors="replace")
    except OSError as exc:
        raise PredictError(f"{path}: cannot read the labeling config: {exc.strerror or exc}") from None


def predict_steps(project, indices, options: PredictOptions, say: Callable[[str], None] | None = None
                  ) -> Steps[PredictSummary]:
    """Predict the tasks at `indices` (of project.tasks) and write all tasks to options.out. The local checks
    (output name, config) raise here, when called; the backend's (health, setup) later, on the steps' thread as
    every request; media the backend cannot fetch is said (`say`) before the first call."""
    target = InputFiles.of_project(project).check(options.out)
    label_config = config_text(project)
    if options.batch_size < 1:
        raise PredictError(f"the batch size is {options.batch_size}; give 1 or more tasks a request")
    return _predict_steps(project, indices, options, say, target, label_config)


def _predict_steps(project, indices, options: PredictOptions, say: Callable[[str], None] | None, target,
                   label_config: str) -> Steps[PredictSummary]:
    summary = PredictSummary(path=os.fspath(target), url=options.url.rstrip("/"))
    chosen: list[Task] = []
    for index in indices:
        task = project.tasks[index]
        if isinstance(task.raw, dict):
            chosen.append(task)
        else:
            summary.skip(f"not sent: the task is a JSON {type(task.raw).__name__}, not an object")
    for line in unreachable_media(project, chosen).lines():
        summary.unreachable.append(line)
        if say is not None:
            say(f"warning: {line}")
    started = time.monotonic()
    backend = MlBackend(options.url, options.auth, predict_deadline=options.timeout)
    try:
        summary.tasks = len(chosen)
        yield Progress(DOING, 0, len(chosen))
        uid = project_uid(options.project_id)
        call = _Call(lambda: _set_up(backend, label_config, uid))
        while not call.wait(WAIT_S):
            yield Progress(DOING, 0, len(chosen))
        versions = _Versions(options.model_version, call.value(), project.tasks, say)
        added: dict[int, list[dict]] = {}
        for first in range(0, len(chosen), options.batch_size):
            batch = chosen[first:first + options.batch_size]
            call = _Call(lambda: _batch(backend, project, batch, label_config, uid, versions, summary))
            while not call.wait(WAIT_S):
                yield Progress(DOING, first, len(chosen))
            made, found = call.value()
            for index, predictions in made.items():
                added[index] = predictions
                _count(summary, predictions)
            summary.diagnostics.extend(found)
            yield Progress(DOING, first + len(batch), len(chosen))
        summary.requests = backend.requests
    finally:
        backend.close()
    if summary.failed and len(summary.failed) >= len(chosen):
        # nothing the backend answered: writing the tasks unchanged would only look like a result
        raise PredictError(f"{summary.first_failure} (no task was predicted, nothing written; failed: "
                           f"{', '.join(line.split(':', 1)[0] for line in summary.failed[:LISTED])}"
                           f"{' ...' if len(summary.failed) > LISTED else ''})")
    write_text_atomically(target, _writer(project.tasks, added))
    summary.seconds = time.monotonic() - started
    return summary


def _set_up(backend: MlBackend, label_config: str, uid: str) -> str | None:
    backend.health()
    return backend.setup(label_config, uid)


def next_output(tasks_path: str) -> str:
    """Where the window writes a predicted copy of the open task file: `<stem>.predicted.json` beside it, or
    `.predicted-2.json` ... when that name is taken; a copy predicted again is named after the original, not
    `x.predicted.predicted.json`."""
    path = os.path.abspath(tasks_path.rstrip("/\\") or tasks_path)
    folder, name = os.path.split(path)
    stem = name if os.path.isdir(path) else os.path.splitext(name)[0]
    stem = _PREDICTED.sub("", stem) or "tasks"
    number = 1
    while True:
        candidate = os.path.join(folder, f"{stem}.predicted{'' if number == 1 else f'-{number}'}.json")
        if not os.path.exists(candidate):
            return candidate
        number += 1


def _count(summary: PredictSummary, made: list[dict]) -> None:
    if made:
        summary.predicted += 1
    summary.predictions += len(made)
    for prediction in made:
        summary.results += len(prediction["result"])
        summary.versions[prediction["model_version"]] += 1


class _Call:
    """One function run on a daemon thread: a cancelled run leaves it to finish (or to fail when its connection
    closes) with nobody waiting, and a process that exits does not wait for it."""

    def __init__(self, work: Callable[[], Any]):
        self._done = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = work()
            except BaseException as exc:  # handed to the caller's thread by value()
                self._error = exc
            finally:
                self._done.set()

        threading.Thread(target=run, name="lsview-predict", daemon=True).start()

    def wait(self, seconds: float) -> bool:
        return self._done.wait(seconds)

    def value(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._value


def _where(batch: list[Task]) -> str:
    if len(batch) == 1:
        return batch[0].label()
    return f"{batch[0].label()} to {batch[-1].label()}"


def _batch(backend: MlBackend, project, batch: list[Task], label_config: str, uid: str, versions: _Versions,
           summary: PredictSummary) -> tuple[dict[int, list[dict]], list[Diagnostic]]:
    """One batch, on the call's thread: the backend's answer as each task's new predictions (by task index), and
    their diagnostics. The checks download no media (as the task list's): they use the images on disk or in the
    cache, else the results' original_width/height."""
    made = {task.index: [p.to_task_json(versions.name(p, version)) for p in predictions]
            for task, (predictions, version) in zip(batch, _ask(backend, batch, label_config, uid, summary))}
    with download_control(allowed=False):
        return made, _check(project, batch, made)


def _ask(backend: MlBackend, batch: list[Task], label_config: str, uid: str, summary: PredictSummary
         ) -> list[tuple[list[BackendPrediction], str | None]]:
    """Each task's predictions and the version the answer named, in the batch's order. A backend that answers
    one item for several tasks takes one task a call: it is asked again task by task, as Label Studio does."""
    sent = [request_task(task.raw, task.index) for task in batch]
    try:
        predictions, version = backend.predict(sent, label_config, uid, _where(batch))
    except PredictError as exc:
        if (getattr(exc, "status", None) or 0) < 500:
            raise   # the credentials, the URL, a backend gone: every task would fail the same way
        # one task the model cannot take (an image it cannot fetch) fails the whole batch: ask each task alone,
        # so the others are predicted and the failing ones named
        return [_ask_alone(backend, task, body, label_config, uid, summary, exc) if len(batch) == 1 else
                _ask_alone(backend, task, body, label_config, uid, summary) for task, body in zip(batch, sent)]
    if predictions is not None:
        return [(one, version) for one in predictions]
    summary.note("the backend answered one prediction for several tasks: it takes one task a call, so each task "
                 "was sent alone (as Label Studio does); --batch-size 1 asks that way from the start")
    out = []
    for task, body in zip(batch, sent):
        single, version = backend.predict([body], label_config, uid, task.label())
        out.append((single[0], version))
    return out


def _ask_alone(backend: MlBackend, task: Task, body: dict, label_config: str, uid: str, summary: PredictSummary,
               failed: PredictError | None = None) -> tuple[list[BackendPrediction], str | None]:
    """One task's predictions; a 5xx for it is kept in summary.failed (with the backend's message) and gives none.
    `failed`: the answer it had already (a batch of one is not asked twice)."""
    if failed is None:
        try:
            single, version = backend.predict([body], label_config, uid, task.label())
            return single[0] if single is not None else [], version
        except PredictError as exc:
            if (getattr(exc, "status", None) or 0) < 500:
                raise
            failed = exc
    if not summary.failed:
        summary.first_failure = str(failed)
    summary.failed.append(f"{task.label()}: {getattr(failed, 'reason', None) or failed}")
    return [], None


class _Versions:
    """The model version each new prediction is written with: --model-version, else the one the prediction names,
    else the one its answer names beside the results (label-studio-ml 1.0.9), else the one /setup named, else
    "undefined" (as Label Studio stores a prediction without one). A version the task file holds already gets the
    run's time appended, so the new predictions stand apart from the stored ones and can be compared with them."""

    def __init__(self, given: str | None, setup: str | None, tasks: list[Task], say: Callable[[str], None] | None):
        self.given = given
        self.setup = setup
        self.stored = {rs.model_version for task in tasks for rs in task.predictions}
        self.stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._say = say
        self._names: dict[str, str] = {}
        if given is not None and given in self.stored and say is not None:
            say(f"warning: model version {given!r} is in the task file already; the new predictions join those "
                "stored under it")

    def name(self, prediction: BackendPrediction, answer_version: str | None) -> str:
        if self.given is not None:
            return self.given
        named = prediction.model_version or answer_version or self.setup or "undefined"
        if named not in self._names:
            self._names[named] = f"{named} {self.stamp}" if named in self.stored else named
        return self._names[named]


def _check(project, batch: list[Task], added: dict[int, list[dict]]) -> list[Diagnostic]:
    """lsview's diagnostics of each task's new predictions, named by task, prediction and result id."""
    found: list[Diagnostic] = []
    for task in batch:
        made = added.get(task.index)
        if not made:
            continue
        stored = task.raw.get("predictions")
        stored = stored if isinstance(stored, list) else []
        checked = make_task({**task.raw, "predictions": [*stored, *made]}, task.index, task.file, task.line)
        task_id = task.id if not isinstance(task.id, (list, dict)) else None
        report = Reporter(file=task.file, task=task.index, task_id=task_id, line=task.line)
        for result_set, regions in region_sets(checked, project.object_kind, project.labels_control):
            if result_set.source == "prediction" and result_set.index >= len(stored):
                check_region_set(project, checked, result_set, regions,
                                 report.at(source="prediction", source_index=result_set.index))
        found.extend(report.items)
    return found


def _writer(tasks: list[Task], added: dict[int, list[dict]]) -> Callable:
    """All tasks as a JSON list, one a line, as read (jsonout.utf8_json, as the export writes tasks); a predicted
    task with its new predictions after those it had."""

    def produce(stream) -> None:
        stream.write("[\n")
        for number, task in enumerate(tasks):
            raw = task.raw
            made = added.get(task.index)
            if made:
                stored = raw.get("predictions")
                raw = {**raw, "predictions": [*(stored if isinstance(stored, list) else []), *made]}
            stream.write(utf8_json(raw) + (",\n" if number + 1 < len(tasks) else "\n"))
        stream.write("]\n")

    return produce
