"""`lsview pull`: a Label Studio project into a folder (config.xml, tasks.json, lsview-project.json), its media into
lsview's media cache under their server URLs, so the folder opens offline afterwards.

Core layer, no Qt. The three files are written together: all whole, or none of them.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from viewer.core.atomic import replacing
from viewer.core.download import CancelToken
from viewer.core.errors import DownloadCancelled, InputError, LsviewError
from viewer.core.jsonout import utf8_json
from viewer.core.media import MediaResolver, server_media_url
from viewer.core.server.client import LabelStudio
from viewer.core.server.http import HttpError
from viewer.core.server.project_link import LINK_NAME, ProjectLink, load_link, task_states

__all__ = ["CONFIG_NAME", "TASKS_NAME", "PullResult", "media_refs", "pull_project"]

CONFIG_NAME = "config.xml"
TASKS_NAME = "tasks.json"
HOST_FAILURES = 3   # media failures without an answer after which a host's other media are not asked for

# Paths a Label Studio server serves media under (uploads, local files, storage proxies)
_SERVER_PREFIXES = ("/data/", "/storage-data/", "/tasks/", "/projects/", "/api/")

Report = Callable[[str, int, int], None]


@dataclass
class PullResult:
    folder: Path
    tasks: int
    predictions: int
    annotations: int
    method: str
    media_fetched: int = 0
    media_cached: int = 0                      # already in the cache from an earlier pull
    media_failed: list[str] = field(default_factory=list)
    media_skipped: int = 0                     # not asked for: --no-media, or their host failed HOST_FAILURES times
    requests: int = 0
    seconds: float = 0.0


def _fetchable(ref: Any) -> bool:
    if not isinstance(ref, str):
        return False
    ref = ref.strip()
    return ref.startswith(("http://", "https://")) or ref.startswith(_SERVER_PREFIXES)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def media_refs(config: Any, data: Any) -> list[str]:
    """The references in a task's data that name media on a server (or any http URL): those of the config's
    object tags that show a file; every top-level string when there is no config to ask."""
    if not isinstance(data, dict):
        return []
    found: list[str] = []
    if config is None:
        for value in data.values():
            found += _strings(value)
    else:
        from viewer.core.outputs import media_paths, media_values

        found = list(media_values(data, media_paths(config)))
    return list(dict.fromkeys(r.strip() for r in found if _fetchable(r)))


def _check_folder(folder: Path, update: bool, url: str, project_id: int) -> None:
    link = load_link(folder)
    if update:
        if link is None:
            raise InputError(f"--update pulls again into a folder `lsview pull` made, and this one has no "
                             f"{LINK_NAME}; leave out --update to pull into a new folder", path=str(folder))
        if link.server_url.rstrip("/") != url.rstrip("/") or link.project_id != int(project_id):
            raise InputError(f"it was pulled from project {link.project_id} of {link.server_url}, not "
                             f"project {project_id} of {url}; pull into another folder", path=str(folder))
        return
    if link is not None:
        raise InputError(f"already holds project {link.project_id} pulled from {link.server_url}; pass "
                         "--update to pull it again (the review session stays mapped)", path=str(folder))
    for name in (CONFIG_NAME, TASKS_NAME):
        if (folder / name).exists():
            raise InputError("exists and `lsview pull` did not write it; pull into a new or "
                             "empty folder", path=str(folder / name))


def pull_project(client: LabelStudio, project_id: int, folder: str | Path, *, update: bool = False,
                 progress: Report | None = None, cancel: CancelToken | None = None,
                 cache_dir: str | Path | None = None, method: str = "auto", media: bool = True) -> PullResult:
    """Pull one project into folder; HttpError for a server failure, InputError for a folder that must not be
    written. Media that cannot be fetched are listed in the result, not fatal (the window says which is missing);
    media=False fetches none (counted in media_skipped)."""
    started = time.monotonic()
    folder = Path(folder)
    before = client.http.requests
    _check_folder(folder, update, client.url, project_id)

    def check_cancel() -> None:
        if cancel is not None and cancel.cancelled:
            raise DownloadCancelled("pull cancelled; nothing was written to " + str(folder))

    if progress is not None:
        progress(f"Reading project {project_id} from {client.url} ...", 0, 0)
    project = client.project(project_id)
    label_config = project.get("label_config") if isinstance(project, dict) else None
    if not isinstance(label_config, str) or not label_config.strip():
        raise LsviewError(f"GET /api/projects/{project_id}/: the project has no label_config")
    check_cancel()
    expected = project.get("task_number")
    tasks = client.tasks(project_id, _cancellable(progress, check_cancel), method=method,
                         expected=expected if isinstance(expected, int) else None)
    check_cancel()
    result = PullResult(folder, len(tasks), sum(len(t["predictions"]) for t in tasks),
                        sum(len(t["annotations"]) for t in tasks), client.method or "")
    _fetch_media(client, label_config, tasks, result, cache_dir, progress, check_cancel, fetch=media)
    check_cancel()
    link = ProjectLink(server_url=client.url, project_id=int(project_id), title=str(project.get("title") or ""),
                       pulled_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), method=result.method,
                       tasks=task_states(tasks))
    if progress is not None:
        progress(f"Writing {folder} ...", 0, 0)
    # the link first in the stack, so it is renamed into place last: a link on disk means its tasks.json is too
    _write_together(folder, {LINK_NAME: utf8_json(link.to_json()) + "\n",
                             TASKS_NAME: _tasks_text(tasks),
                             CONFIG_NAME: label_config if label_config.endswith("\n") else label_config + "\n"})
    result.requests = client.http.requests - before
    result.seconds = time.monotonic() - started
    return result


def _cancellable(progress: Report | None, check_cancel: Callable[[], None]) -> Report:
    def report(message: str, done: int, total: int) -> None:
        check_cancel()
        if progress is not None:
            progress(message, done, total)
    return report


def _fetch_media(client: LabelStudio, label_config: str, tasks: list[dict], result: PullResult,
                 cache_dir: str | Path | None, progress: Report | None, check_cancel: Callable[[], None], *,
                 fetch: bool = True) -> None:
    from viewer.core.config import parse_config

    try:
        config = parse_config(label_config)
    except LsviewError:
        config = None  # the window will say what is wrong with it; fetch every URL-looking value meanwhile
    refs = list(dict.fromkeys(r for t in tasks for r in media_refs(config, t.get("data"))))
    if not fetch:
        result.media_skipped = len(refs)
        return
    cache = MediaResolver(cache_dir=cache_dir)
    unanswered: dict[str, int] = {}     # failures without an answer, by host
    skipped: dict[str, int] = {}        # media not asked for, by a host given up on
    for number, ref in enumerate(refs):
        check_cancel()
        if progress is not None:
            progress(f"Fetching media {number + 1:,} / {len(refs):,}", number, len(refs))
        url = ref if ref.startswith(("http://", "https://")) else server_media_url(client.url, ref)
        if url is None:
            continue
        if cache.cached(url) is not None:
            result.media_cached += 1
            continue
        host = urlsplit(url).netloc.lower()
        if unanswered.get(host, 0) >= HOST_FAILURES:
            skipped[host] = skipped.get(host, 0) + 1
            continue
        try:
            # the server's own URLs get the credentials; a presigned storage URL elsewhere gets none (Http decides)
            client.http.download(url, lambda content_type, url=url: cache.cache_target(url, content_type),
                                 max_bytes=cache.max_bytes)
            result.media_fetched += 1
        except HttpError as exc:
            result.media_failed.append(str(exc))
            if exc.status is None:
                unanswered[host] = unanswered.get(host, 0) + 1
        except LsviewError as exc:  # the cache folder cannot be written
            result.media_failed.append(f"{ref}: {exc}")
    for place, (host, count) in enumerate(skipped.items()):
        # one line for a host that is down or unknown, not one (and three retries) for each of its 10,000 files;
        # first, so a list cut short still shows it
        result.media_failed.insert(place, f"{host}: {count:,} more media not asked for after {HOST_FAILURES} failed "
                                   "without an answer from it")
        result.media_skipped += count
    if progress is not None and refs:
        progress(f"Fetched media {len(refs):,} / {len(refs):,}", len(refs), len(refs))


def _tasks_text(tasks: list[dict]) -> str:
    """A JSON list, one task a line: Label Studio imports it, lsview opens it, a diff between pulls reads well."""
    if not tasks:
        return "[]\n"
    return "[\n" + ",\n".join(utf8_json(t) for t in tasks) + "\n]\n"


def _write_together(folder: Path, files: dict[str, str]) -> None:
    """Every file written to a temporary first; only when all are written are they renamed into place (in the
    reverse order of `files`)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the folder: {exc.strerror or exc}", path=str(folder)) from exc
    with ExitStack() as stack:
        for name, text in files.items():
            temporary = stack.enter_context(replacing(folder / name))
            with open(temporary, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
