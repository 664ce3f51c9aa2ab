"""Two questions `lsview push` asks a Label Studio server only when a push was cut short (core layer, no Qt): who
we are (our annotations carry our user id), and which annotation holds a unique_id (only the export shows it).
"""

from __future__ import annotations

import time

from viewer.core.errors import LsviewError

EXPORT_WAIT_S = 120.0  # a snapshot of 10,000 tasks took 18 s on the measured server (docs/dev/label-studio-server.md)


def current_user_id(http) -> int | None:
    """The id of the user the token belongs to (`completed_by` of the annotations it creates)."""
    user = http.get_json("/api/current-user/whoami")
    user_id = user.get("id") if isinstance(user, dict) else None
    return user_id if type(user_id) is int else None


def annotation_by_unique_id(http, project: int, task_id, unique_id: str) -> int | None:
    """The id of the task's annotation with this unique_id, read from a snapshot export of the project's annotated
    tasks (no GET of tasks or annotations shows unique_id); None when it holds none. The snapshot is left on the
    server: lsview deletes nothing there."""
    body = {"title": f"lsview push: where is annotation {unique_id}",
            "task_filter_options": {"only_with_annotations": True},
            "serialization_options": {"predictions": {"only_id": True}, "drafts": {"only_id": True}}}
    export = http.post_json(f"/api/projects/{project}/exports/", body)
    export_id = export.get("id") if isinstance(export, dict) else None
    if export_id is None:
        raise LsviewError(f"POST /api/projects/{project}/exports/: the answer names no export id")
    deadline = time.monotonic() + EXPORT_WAIT_S
    status = export.get("status")
    while status != "completed":
        if status == "failed" or time.monotonic() > deadline:
            raise LsviewError(f"the server's export {export_id} of project {project} did not complete "
                              f"({status or 'no status'}); cannot tell which annotation holds {unique_id}")
        time.sleep(0.5)
        status = http.get_json(f"/api/projects/{project}/exports/{export_id}").get("status")
    tasks = http.get_json(f"/api/projects/{project}/exports/{export_id}/download", {"exportType": "JSON"})
    for task in tasks if isinstance(tasks, list) else []:
        if isinstance(task, dict) and str(task.get("id")) == str(task_id):
            for annotation in task.get("annotations") or []:
                if isinstance(annotation, dict) and annotation.get("unique_id") == unique_id:
                    return annotation.get("id")
    return None
