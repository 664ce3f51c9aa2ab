"""Two questions `lsview push` asks a Label Studio server only when a push was cut short (core layer, no Qt): who
we are (our annotations carry our user id), and which annotation holds a unique_id (only the export shows it).
"""

from __future__ import annotations


def current_user_id(http) -> int | None:
    """The id of the user the token belongs to (`completed_by` of the annotations it creates)."""
    user = http.get_json("/api/current-user/whoami")
    user_id = user.get("id") if isinstance(user, dict) else None
    return user_id if type(user_id) is int else None


def annotation_by_unique_id(client, project: int, task_id, unique_id: str) -> int | None:
    """The id of the task's annotation with this unique_id, read from an export snapshot of the project (no GET of
    tasks or annotations shows unique_id); None when it holds none."""
    for task in client.export_snapshot(project):
        if str(task.get("id")) == str(task_id):
            for annotation in task.get("annotations") or []:
                if isinstance(annotation, dict) and annotation.get("unique_id") == unique_id:
                    return annotation.get("id")
    return None
