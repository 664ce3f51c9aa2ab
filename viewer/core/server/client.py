"""The Label Studio REST calls lsview makes (projects, tasks, annotations, predictions), over one Http.

Core layer, no Qt. Tasks come either page by page from /api/tasks/?fields=all or from one export snapshot with full
predictions (measured 2.4x faster for 10,000 tasks); both give the same task dicts (see normal_task).
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Callable

from viewer.core.errors import LsviewError
from viewer.core.server.auth import auth_for
from viewer.core.server.http import DEADLINE_S, TIMEOUT_S, Http, HttpError

__all__ = ["LabelStudio", "normal_task", "PAGE_SIZE", "EXPORT_FROM"]

Report = Callable[[str, int, int], None]   # (message, done, total), as viewer.core.tasks.Report

PAGE_SIZE = 1000          # tasks per page: 10,000 tasks in 32 s, against 90 s in pages of 100 (scripts/bench_pull.py)
EXPORT_FROM = PAGE_SIZE   # a project larger than one page is pulled from an export snapshot (12 s for the same)
EXPORT_POLL_S = 0.25
EXPORT_WAIT_S = 600.0
_CLOUD_SCHEMES = ("s3://", "gs://", "azure-blob://")

# What of a task, prediction and annotation lsview keeps: the import shape plus the server's ids and clocks. The
# rest (counters, summaries, comment and cluster fields) is the server's bookkeeping, different per endpoint.
TASK_KEYS = ("id", "data", "meta", "created_at", "updated_at", "inner_id", "project")
PREDICTION_KEYS = ("id", "model_version", "score", "result", "created_at", "updated_at", "task", "project")
ANNOTATION_KEYS = ("id", "result", "was_cancelled", "ground_truth", "lead_time", "completed_by", "created_at",
                   "updated_at", "parent_prediction", "parent_annotation", "last_action", "task", "project",
                   "updated_by")


def _pick(item: Any, keys: tuple[str, ...]) -> Any:
    if not isinstance(item, dict):
        return item
    return {k: item[k] for k in keys if k in item}


def normal_task(task: dict) -> dict:
    """A task from either source in one shape: `data`, `meta`, full `predictions` and `annotations`, server ids."""
    out = _pick(task, TASK_KEYS)
    out["predictions"] = [_pick(p, PREDICTION_KEYS) for p in task.get("predictions") or []]
    out["annotations"] = [_pick(a, ANNOTATION_KEYS) for a in task.get("annotations") or []]
    completed_by = [a for a in out["annotations"] if isinstance(a, dict) and isinstance(a.get("completed_by"), dict)]
    for annotation in completed_by:  # an expanded user (export option) back to its id, as the task API gives it
        annotation["completed_by"] = annotation["completed_by"].get("id")
    return out


def _has_cloud_uri(data: Any) -> bool:
    if isinstance(data, str):
        return data.startswith(_CLOUD_SCHEMES)
    if isinstance(data, dict):
        return any(_has_cloud_uri(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_cloud_uri(v) for v in data)
    return False


class LabelStudio:
    """One Label Studio server, as one user (a PAT or a legacy token)."""

    def __init__(self, url: str, token: str, *, timeout: float = TIMEOUT_S, deadline: float = DEADLINE_S,
                 retries: int = 3, http: Http | None = None):
        self.url = url.strip().rstrip("/")
        self.http = http if http is not None else Http(self.url, auth_for(token, self.url), timeout=timeout,
                                                       deadline=deadline, retries=retries)
        self.method: str | None = None   # how the last tasks() call read them: "pages" or "export"

    # ------------------------------------------------------------------ projects

    def projects(self) -> list[dict]:
        """Every project this user sees (id, title, task_number ...), in the server's order."""
        out: list[dict] = []
        page = 1
        while True:
            answer = self.http.get_json("/api/projects/", {"page": page, "page_size": 100})
            if isinstance(answer, list):  # some versions answer a bare list
                return answer
            results = answer.get("results") or []
            out.extend(results)
            if not answer.get("next") or not results:
                return out
            page += 1

    def project(self, project_id: int) -> dict:
        return self.http.get_json(f"/api/projects/{int(project_id)}/")

    # ------------------------------------------------------------------ tasks

    def tasks(self, project_id: int, progress: Report | None = None, *, method: str = "auto",
              page_size: int = PAGE_SIZE, expected: int | None = None) -> list[dict]:
        """Every task of the project, normalised (normal_task). method "auto" reads one page, and when there is
        more goes to an export snapshot, falling back to pages when the export fails or keeps storage URIs
        unresolved; "pages" and "export" force one way. `expected` (the project's task_number) lets "auto" go to
        the snapshot without reading a first page it would not need."""
        if method not in ("auto", "pages", "export"):
            raise ValueError(method)
        if method == "export":
            tasks = self._export_tasks(project_id, progress, retries=None)
            self.method = "export"
            return tasks
        first = None
        if method == "auto" and expected is not None and expected > max(page_size, EXPORT_FROM):
            total = expected
        else:
            first = self._page(project_id, 1, page_size)
            total = int(first.get("total") or 0)
        if method == "auto" and total > max(page_size, EXPORT_FROM):
            try:
                # not retried: a snapshot that failed once costs as long again, and the pages are there instead
                tasks = self._export_tasks(project_id, progress, retries=0)
            except HttpError as exc:
                if exc.status == 401:  # the credentials: pages would be refused too
                    raise
                tasks = None   # an Enterprise server without snapshots, a failed export job: read pages
            if tasks is not None and not any(_has_cloud_uri(t.get("data")) for t in tasks):
                self.method = "export"
                return tasks
        if first is None:
            first = self._page(project_id, 1, page_size)
            total = int(first.get("total") or 0)
        tasks = self._pages(project_id, first, total, page_size, progress)
        self.method = "pages"
        return tasks

    def _page(self, project_id: int, page: int, page_size: int) -> dict:
        answer = self.http.get_json("/api/tasks/", {"project": int(project_id), "fields": "all", "page": page,
                                                    "page_size": page_size})
        if not isinstance(answer, dict) or not isinstance(answer.get("tasks"), list):
            raise LsviewError(f"GET /api/tasks/?project={project_id}: the answer holds no task list; is this a "
                              "Label Studio server?")
        return answer

    def _pages(self, project_id: int, first: dict, total: int, page_size: int, progress: Report | None) -> list[dict]:
        tasks = [normal_task(t) for t in first["tasks"]]
        page = 1
        # stop at `total`: a page past the end answers 404, not an empty list
        while len(tasks) < total:
            if progress is not None:
                progress(f"Reading tasks {len(tasks):,} / {total:,}", len(tasks), total)
            page += 1
            try:
                answer = self._page(project_id, page, page_size)
            except HttpError as exc:
                if exc.status == 404:  # tasks deleted while paging: what is there is all there is
                    break
                raise
            if not answer["tasks"]:
                break
            tasks.extend(normal_task(t) for t in answer["tasks"])
        if progress is not None:
            progress(f"Read {len(tasks):,} tasks", len(tasks), max(total, len(tasks)))
        return _unique(tasks)

    def export_snapshot(self, project_id: int, progress: Report | None = None, *,
                        retries: int | None = None) -> list[dict]:
        """Every task as an export snapshot gives it, not normalised: its annotations keep `unique_id`, which no
        other endpoint shows (so a push can find the annotation a 409 refers to). The snapshot is deleted after."""
        base = f"/api/projects/{int(project_id)}/exports/"
        if progress is not None:
            progress("Asking the server for an export snapshot ...", 0, 0)
        # a title of its own, so a snapshot made by a POST whose answer was lost can be found and deleted
        title = f"lsview pull {uuid.uuid4().hex[:12]}"
        body = {"title": title, "serialization_options": {"predictions": {"only_id": False},
                                                          "drafts": {"only_id": True}}}
        try:
            export = self.http.post_json(base, body, retries=retries, resend=False)
        except HttpError as exc:
            if exc.sent and (exc.status is None or exc.status >= 500):
                self._delete_exports(base, title)
            raise
        export_id = export.get("id") if isinstance(export, dict) else None
        if export_id is None:
            raise LsviewError(f"POST {base}: the answer names no export id")
        try:
            started = time.monotonic()
            status = export.get("status")
            while status != "completed":
                if status == "failed":
                    raise HttpError("GET", f"{base}{export_id}", 200, "the export snapshot failed on the server")
                if time.monotonic() - started > EXPORT_WAIT_S:
                    raise HttpError("GET", f"{base}{export_id}", 200, f"the export snapshot was not ready within "
                                    f"{EXPORT_WAIT_S:g} s")
                time.sleep(EXPORT_POLL_S)
                status = (self.http.get_json(f"{base}{export_id}") or {}).get("status")
            if progress is not None:
                progress("Downloading the export snapshot ...", 0, 0)
            tasks = self.http.get_json(f"{base}{export_id}/download", {"exportType": "JSON"})
        finally:
            try:  # the snapshot was lsview's own scratch file on the server
                self.http.delete(f"{base}{export_id}")
            except HttpError:
                pass
        if not isinstance(tasks, list):
            raise LsviewError(f"GET {base}{export_id}/download: the export is not a list of tasks")
        return [t for t in tasks if isinstance(t, dict)]

    def _delete_exports(self, base: str, title: str) -> None:
        """Delete the snapshots titled `title`: what a POST that failed after it may have reached the server made."""
        try:
            exports = self.http.get_json(base)
            for export in exports if isinstance(exports, list) else []:
                if isinstance(export, dict) and export.get("title") == title and export.get("id") is not None:
                    self.http.delete(f"{base}{int(export['id'])}")
        except (HttpError, TypeError, ValueError):
            pass  # the server did not answer before either; nothing more lsview can do about it

    def _export_tasks(self, project_id: int, progress: Report | None, retries: int | None) -> list[dict]:
        out = _unique([normal_task(t) for t in self.export_snapshot(project_id, progress, retries=retries)])
        out.sort(key=lambda t: (t.get("id") is None, t.get("id") if isinstance(t.get("id"), int) else 0))
        if progress is not None:
            progress(f"Read {len(out):,} tasks", len(out), len(out))
        return out

    def task(self, task_id: int) -> dict:
        return self.http.get_json(f"/api/tasks/{int(task_id)}/")

    # ------------------------------------------------------------------ writes

    def create_annotation(self, task_id: int, body: dict) -> dict:
        """POST /api/tasks/{id}/annotations/; a repeated `unique_id` answers 409 (HttpError.status)."""
        return self.http.post_json(f"/api/tasks/{int(task_id)}/annotations/", body)

    def update_annotation(self, annotation_id: int, body: dict) -> dict:
        return self.http.patch_json(f"/api/annotations/{int(annotation_id)}/", body)

    def import_predictions(self, project_id: int, predictions: list[dict]) -> int:
        """One POST of a bare list [{task, result, score, model_version}]; the number the server created. Sent
        again only when it never left: a 5xx or a timeout may come after the server stored them (HttpError.sent)."""
        answer = self.http.post_json(f"/api/projects/{int(project_id)}/import/predictions", list(predictions),
                                     resend=False)
        created = answer.get("created") if isinstance(answer, dict) else None
        return int(created) if isinstance(created, int) else len(predictions)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> LabelStudio:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unique(tasks: list[dict]) -> list[dict]:
    """Tasks by id once each: a task added while paging shifts the pages and shows one task twice."""
    seen: set = set()
    out = []
    for task in tasks:
        key = task.get("id")
        if key is not None and key in seen:
            continue
        seen.add(key)
        out.append(task)
    return out
