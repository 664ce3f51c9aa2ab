"""`lsview pull` and `lsview push-predictions`: their options, progress lines on stderr and summaries.

Core layer, no Qt (argparse, like render/command.py); viewer/cli.py registers them and maps errors to exit codes.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from viewer.core.errors import InputError, LsviewError

__all__ = ["add_parsers", "run_pull", "run_push_predictions"]

BATCH = 500    # predictions per POST: Label Studio's own PREDICTION_IMPORT_BATCH_SIZE


def add_parsers(commands) -> None:
    pull = commands.add_parser(
        "pull", help="copy a Label Studio project into a folder, to review it offline",
        description="Write DIR/config.xml (the project's labeling config), DIR/tasks.json (every task with data, "
        "meta, full predictions and annotations, server ids kept) and DIR/lsview-project.json (server, project, "
        "each task's updated_at at the pull; never the token). Media on the server are fetched with the same "
        "credentials into lsview's media cache, so `lsview DIR/tasks.json --config DIR/config.xml` shows them "
        "offline. The token: --token, else $LABEL_STUDIO_API_KEY, else the one the window stored in the OS keyring; "
        "a Personal Access Token or a legacy token.")
    pull.add_argument("url", metavar="URL", help="the server, e.g. http://localhost:8080")
    pull.add_argument("--project", metavar="ID", type=int, required=True, help="the project's id")
    pull.add_argument("--out", metavar="DIR", required=True, help="the folder to write (new, empty, or with "
                      "--update one pulled before)")
    pull.add_argument("--token", metavar="T", help="API token (default: $LABEL_STUDIO_API_KEY, then the keyring)")
    pull.add_argument("--update", action="store_true", help="pull again into DIR; tasks keep their server ids, so "
                      "the review session stays mapped")
    pull.add_argument("--method", choices=("auto", "pages", "export"), default="auto", help="how to read the "
                      "tasks: pages of /api/tasks/, one export snapshot, or auto (one page when that is all, else "
                      "the snapshot, pages when the snapshot fails)")
    pull.add_argument("--no-media", action="store_true", help="fetch no media into the cache (tasks and config "
                      "only); the folder then shows media only while their server is reachable")

    push = commands.add_parser(
        "push-predictions", help="upload the predictions of a task file to a Label Studio project",
        description="POST /api/projects/ID/import/predictions in batches of 500, each prediction to the server task "
        "whose id its task has (a pulled tasks.json, or tasks made by `lsview import` from one). A batch the "
        "server refuses (an unknown task id, say) is reported with the server's message; the others still go.")
    push.add_argument("tasks", metavar="TASKS", help="task file or folder")
    push.add_argument("--url", metavar="URL", required=True, help="the server")
    push.add_argument("--project", metavar="ID", type=int, required=True, help="the project's id")
    push.add_argument("--model-version", metavar="V", help="only the predictions of this model version (those "
                      "naming none are sent as V)")
    push.add_argument("--token", metavar="T", help="API token (default: $LABEL_STUDIO_API_KEY, then the keyring)")
    push.add_argument("--batch-size", metavar="N", type=int, default=BATCH, help=argparse.SUPPRESS)


class StderrProgress:
    """Progress lines on stderr: rewritten in place on a terminal, else one line per step and at most one a second."""

    def __init__(self, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = ""
        self._shown = 0.0

    def __call__(self, message: str, done: int, total: int) -> None:
        step = message.split(" ", 1)[0]
        now = time.monotonic()
        if step == self._last.split(" ", 1)[0] and now - self._shown < (0.1 if self.tty else 1.0) \
                and (total == 0 or done < total):
            return
        self._shown = now
        self._last = message
        if self.tty:
            self.stream.write("\r\x1b[K" + message)
        else:
            self.stream.write(message + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty and self._last:
            self.stream.write("\n")
            self.stream.flush()


def _client(url: str, token: str | None):
    from viewer.core.server.client import LabelStudio
    from viewer.core.server.credentials import find_token

    return LabelStudio(url, find_token(url, token).token)


def run_pull(args: argparse.Namespace) -> int:
    from viewer.core.server.pull import pull_project

    progress = StderrProgress()
    with _client(args.url, args.token) as client:
        try:
            result = pull_project(client, args.project, args.out, update=args.update, progress=progress,
                                  method=args.method, media=not args.no_media)
        finally:
            progress.done()
    media = f"{result.media_fetched:,} media fetched" + (
        f", {result.media_cached:,} already cached" if result.media_cached else "") + (
        f", {result.media_skipped:,} not asked for" if result.media_skipped else "")
    print(f"pulled project {args.project}: {result.tasks:,} tasks, {result.predictions:,} predictions, "
          f"{result.annotations:,} annotations into {result.folder} ({media}; {result.requests:,} requests, "
          f"{result.seconds:.1f} s, {result.method})", file=sys.stderr)
    for message in result.media_failed[:10]:
        print(f"lsview: warning: media not fetched: {message}", file=sys.stderr)
    if len(result.media_failed) > 10:
        print(f"lsview: warning: {len(result.media_failed) - 10:,} more media not fetched", file=sys.stderr)
    return 0


def predictions_to_push(tasks: list[Any], model_version: str | None) -> tuple[list[dict], list[str], int]:
    """([{task, result, score, model_version}], notes on what was left out, how many were left out because they
    carry a server id) from loaded tasks. A prediction with an `id` came from the server (a pull, or an import
    that kept a pulled task's predictions): it is there already, and sending it again would make a copy."""
    out: list[dict] = []
    notes: list[str] = []
    on_server = 0
    for task in tasks:
        raw = task.raw if isinstance(task.raw, dict) else {}
        predictions = [p for p in raw.get("predictions") or [] if isinstance(p, dict)]
        if not predictions:
            continue
        server_id = _server_id(task.id)
        if server_id is None:
            notes.append(f"{task.label()}: no server task id; its {len(predictions)} prediction(s) left out")
            continue
        for prediction in predictions:
            version = prediction.get("model_version")
            if model_version is not None and version not in (None, "", model_version):
                continue
            if _server_id(prediction.get("id")) is not None:
                on_server += 1
                continue
            result = prediction.get("result")
            if not isinstance(result, list):
                notes.append(f"{task.label()}: a prediction whose result is not a list, left out")
                continue
            body: dict[str, Any] = {"task": server_id, "result": result}
            if prediction.get("score") is not None:
                body["score"] = prediction["score"]
            version = model_version or version
            if version not in (None, ""):
                body["model_version"] = str(version)
            out.append(body)
    return out, notes, on_server


def _server_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def run_push_predictions(args: argparse.Namespace) -> int:
    from viewer.core.server.http import HttpError
    from viewer.core.tasks import load_tasks

    if args.batch_size < 1:
        raise InputError("--batch-size: give at least 1")
    tasks = load_tasks(args.tasks)
    bodies, notes, on_server = predictions_to_push(tasks, args.model_version)
    for note in notes[:20]:
        print(f"lsview: {note}", file=sys.stderr)
    skipped = (f"{on_server:,} prediction(s) skipped: they carry a server id, so they are on the server already "
               "(pulled, or kept by import)") if on_server else ""
    if not bodies:
        raise LsviewError(f"{args.tasks}: no prediction to push" + (
            f" of model version {args.model_version!r}" if args.model_version else "") + (
            f"; {skipped}" if skipped else ""))
    progress = StderrProgress()
    created, failed, unsure = 0, [], []
    batches = [bodies[i:i + args.batch_size] for i in range(0, len(bodies), args.batch_size)]
    with _client(args.url, args.token) as client:
        for number, batch in enumerate(batches, 1):
            progress(f"Pushing predictions {number:,} / {len(batches):,}", number - 1, len(batches))
            try:
                stored = client.import_predictions(args.project, batch)
                created += stored
                if stored < len(batch):
                    # Label Studio 1.23 under concurrent imports answers 201 and stores nothing (measured: three
                    # importers at once, "prediction_count": 0): said, never counted as pushed
                    ids = sorted({b["task"] for b in batch})
                    failed.append(f"batch {number} (tasks {min(ids)}..{max(ids)}): the server stored {stored} of "
                                  f"{len(batch)} predictions without an error; check the project before sending "
                                  f"them again (task ids {_id_list(ids)})")
            except HttpError as exc:
                if exc.status == 401 or not exc.sent:
                    raise  # the credentials or the connection: every other batch would fail the same way
                ids = sorted({b["task"] for b in batch})
                where = f"batch {number} (tasks {min(ids)}..{max(ids)}, {len(batch)} predictions)"
                if exc.status is None or exc.status >= 500:
                    # not sent again: a proxy's 502 or a timeout may come after the server stored the batch
                    unsure.append(f"{where}: {exc}; the predictions may have been stored: check the project "
                                  f"before sending them again (task ids {_id_list(ids)})")
                else:
                    failed.append(f"{where}: {exc}")
        progress.done()
        requests = client.http.requests
    print(f"pushed {created:,} predictions of {len(bodies):,} to project {args.project} in {len(batches):,} "
          f"batch(es), {requests:,} requests; {len(failed)} batch(es) refused" + (
              f", {len(unsure)} batch(es) unanswered" if unsure else ""), file=sys.stderr)
    if skipped:
        print(f"lsview: {skipped}", file=sys.stderr)
    for line in failed + unsure:
        print(f"lsview: {line}", file=sys.stderr)
    return 1 if failed or unsure else 0


def _id_list(ids: list[int]) -> str:
    """Task ids as 'a..b' runs, so a batch of 500 consecutive ids is one short line to look up."""
    runs: list[str] = []
    start = previous = None
    for value in ids:
        if previous is not None and value == previous + 1:
            previous = value
            continue
        if start is not None:
            runs.append(str(start) if start == previous else f"{start}..{previous}")
        start = previous = value
    if start is not None:
        runs.append(str(start) if start == previous else f"{start}..{previous}")
    return ", ".join(runs)
