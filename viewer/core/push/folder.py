"""`lsview push DIR` put together (core layer, no Qt): the pulled folder, its link, the session, the token.

The window pushes its own open session (qt/review/push_action.py) and shares only Pusher and the link with this.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from viewer.core.errors import InputError
from viewer.core.project import open_project
from viewer.core.push.pusher import Pusher
from viewer.core.push.summary import PushSummary
from viewer.core.review.keys import default_session_path
from viewer.core.review.session import ReviewSession
from viewer.core.review.store import SessionStore
from viewer.core.server.client import LabelStudio
from viewer.core.server.credentials import find_token
from viewer.core.server.project_link import LINK_NAME, ProjectLink, load_link
from viewer.core.steps import Progress, run_through


def pulled_link(tasks_path: str | os.PathLike | None) -> ProjectLink | None:
    """The link of the folder a task file was pulled into (lsview-project.json beside it), None for any other."""
    if tasks_path is None:
        return None
    folder = Path(tasks_path).parent if not Path(tasks_path).is_dir() else Path(tasks_path)
    return load_link(folder)


def push_dir(folder: str | os.PathLike, *, session_path: str | os.PathLike | None = None, token: str | None = None,
             dry_run: bool = False, force: bool = False, progress: Callable[[Progress], None] | None = None,
             answered: Callable[[str], None] | None = None) -> PushSummary:
    folder = Path(folder)
    link = load_link(folder)
    if link is None:
        raise InputError(f"no {LINK_NAME}; push sends back what `lsview pull` brought: pull the project into "
                         "this folder first", path=str(folder))
    tasks_path, config_path = folder / "tasks.json", folder / "config.xml"
    project = open_project(tasks_path, config_path if config_path.exists() else None)
    credential = find_token(link.server_url, token)
    path = Path(session_path) if session_path is not None else default_session_path(tasks_path)
    if dry_run:
        if not path.exists():  # never reviewed: nothing to push, and a dry run makes no file
            return PushSummary(server=f"{link.server_url} project {link.project_id}", dry_run=True)
        session = ReviewSession(project, SessionStore(path, read_only=True))
    else:
        session = ReviewSession.open(project, path)
    client = LabelStudio(link.server_url, credential.token)
    try:
        steps = Pusher(session, link, client, dry_run=dry_run, force=force, answered=answered).steps()
        return run_through(steps, progress)
    finally:
        client.close()
        session.close()
