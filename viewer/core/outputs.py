"""The one guard of every command that writes: no output may be one of the project's inputs (core layer, no Qt).

Inputs are the task file(s), the labeling config, the review session with its SQLite side files, and every local
media file the tasks reference, compared by real path and by device and inode (symlinks and hard links count).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Iterable, Iterator

from viewer.core.config.datapath import lookup_data
from viewer.core.errors import InputError

# SQLite writes these beside a session file; they are the session too, even before they exist.
SESSION_SIDE_FILES = ("-wal", "-shm", "-journal")
# Object tags whose task value is inline content unless valueType="url"; every other object's value is a reference.
INLINE_KINDS = frozenset({"text", "hypertext", "paragraphs", "table", "list", "chat", "reactcode"})


class OverwriteError(InputError):
    """An output would replace an input file; refused before anything is written (exit code 2, a usage error)."""


FileId = tuple[int, int]


def _file_id(path: str, regular: bool = False) -> FileId | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # missing, a name too long, a NUL in a task's reference
        return None
    if regular and not stat.S_ISREG(st.st_mode):
        return None  # MediaResolver reads only files (is_file), so a folder is not a task's media
    return st.st_dev, st.st_ino


def _names(path: str) -> set[str]:
    return {os.path.abspath(path), os.path.realpath(path)}


def media_paths(config) -> list:
    """The data paths of a config's media: images, audio, video, valueType="url" text ..., valueList included."""
    paths = []
    for tag in config.objects.values():
        if tag.kind in INLINE_KINDS and tag.attrs.get("valueType", "").lower() != "url":
            continue
        paths.extend(path for path in (tag.value_list, tag.data_path) if path is not None)
    return paths


def media_references(task, paths: list) -> Iterator[str]:
    """The media references of a task (strings, as written) at the data paths of media_paths()."""
    return media_values(task.data, paths)


def media_values(data, paths: list) -> Iterator[str]:
    """The strings at the data paths of media_paths() in a task's `data` (a pulled task's, say)."""
    for path in paths:
        try:
            value = lookup_data(data, path)
        except (KeyError, TypeError, ValueError, IndexError):
            continue
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (item for item in value if isinstance(item, str))


class _Candidates:
    """MediaResolver.candidates for many references, fast: the places looked at depend on a reference's folder
    part, so they are worked out once per folder (with a probe name) and the file name is put back as a string.

    pathlib costs ~17 us a reference (1.7 s for 100,000), this ~2 us. Only plain names take the short way, and each
    folder's first reference is checked against the resolver itself; anything else asks the resolver."""

    PROBE = "lsview0probe.name"
    PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
    UPLOAD_PREFIX = re.compile(r"[0-9a-fA-F]{8}-")  # Label Studio's upload prefix changes what is looked for

    def __init__(self, resolver):
        self._resolver = resolver
        self._folders: dict[str, list[str] | None] = {}

    def __call__(self, ref: str) -> list[str]:
        folder, _, name = ref.rpartition("/")
        if not folder or not self.PLAIN_NAME.fullmatch(name) or self.UPLOAD_PREFIX.match(name):
            return [os.fspath(c) for c in self._resolver.candidates(ref)]
        folder += "/"
        if folder not in self._folders:
            self._folders[folder] = self._probe(folder, ref, name)
        parents = self._folders[folder]
        if parents is None:
            return [os.fspath(c) for c in self._resolver.candidates(ref)]
        return [parent + name for parent in parents]

    def _probe(self, folder: str, ref: str, name: str) -> list[str] | None:
        probed = self._resolver.candidates(folder + self.PROBE)
        if any(c.name != self.PROBE for c in probed):
            return None
        parents = [os.path.join(os.fspath(c.parent), "") for c in probed]
        if [parent + name for parent in parents] != [os.fspath(c) for c in self._resolver.candidates(ref)]:
            return None
        return parents


def _media_file_ids(project) -> dict[FileId, tuple[int, str]]:
    """Each local media file's (device, inode) -> (index of the first task that reads it, its path); no http
    fetch, no data: URI."""
    found: dict[FileId, tuple[int, str]] = {}
    seen: set[str] = set()
    candidates = _Candidates(project.resolver)
    paths = media_paths(project.config)
    for task in project.tasks:
        for ref in media_references(task, paths):
            if ref in seen:
                continue
            seen.add(ref)
            # The first candidate that exists is the one MediaResolver.resolve reads.
            for candidate in candidates(ref):
                key = _file_id(candidate, regular=True)
                if key is not None:
                    found.setdefault(key, (task.index, candidate))
                    break
    return found


class InputFiles:
    """The files a run reads; check() refuses an output that is one of them, naming the file and what it is."""

    def __init__(self, named: Iterable[tuple[str | os.PathLike | None, str]] = (), project=None):
        self._by_name: dict[str, str] = {}
        self._by_id: dict[FileId, str] = {}
        for path, what in named:
            if path is None:
                continue
            self.add(path, what)
        self._project = project
        self._media: dict[FileId, tuple[int, str]] | None = None

    def add(self, path: str | os.PathLike, what: str) -> None:
        path = os.fspath(path)
        for name in _names(path):
            self._by_name.setdefault(name, what)
        key = _file_id(path)
        if key is not None:
            self._by_id.setdefault(key, what)

    def add_session(self, path: str | os.PathLike) -> None:
        """The session file and the journal files SQLite makes beside it."""
        path = os.fspath(path)
        self.add(path, "the review session")
        for suffix in SESSION_SIDE_FILES:
            self.add(path + suffix, "a journal of the review session")

    @classmethod
    def of_project(cls, project, session_path: str | os.PathLike | None = None, *, media: bool = True
                   ) -> "InputFiles":
        """The project's task files, its config, the session (when given) and, when first needed, its media."""
        inputs = cls(project=project if media else None)
        tasks_path = project.tasks_path
        if tasks_path is not None and not os.path.isdir(tasks_path):
            inputs.add(tasks_path, "the task file")
        for task_file in dict.fromkeys(task.file for task in project.tasks):
            inputs.add(task_file, "a task file")  # those of a folder of task files
        if project.config.path is not None:
            inputs.add(project.config.path, "the labeling config")
        if session_path is not None:
            inputs.add_session(session_path)
        return inputs

    def what_is(self, target: str | os.PathLike) -> str | None:
        """Which input `target` is (as named in a message), or None when writing it replaces no input."""
        target = os.fspath(target)
        for name in _names(target):
            if name in self._by_name:
                return self._by_name[name]
        key = _file_id(target)
        if key is None:
            return None  # nothing there: writing it makes a new file and replaces none
        if key in self._by_id:
            return self._by_id[key]
        if self._project is not None:
            if self._media is None:
                # Only when a target already exists: a fresh output costs no walk over the tasks' media.
                self._media = _media_file_ids(self._project)
            if key in self._media:
                index, path = self._media[key]
                return f"the media of {self._project.tasks[index].label()}: {path}"
        return None

    def check(self, target: str | os.PathLike) -> Path:
        """The absolute output path; OverwriteError when it is one of the inputs."""
        what = self.what_is(target)
        if what is not None:
            raise OverwriteError(f"is an input file ({what}); lsview never writes over its inputs, give another "
                                 "output name", path=os.path.abspath(os.fspath(target)))
        return Path(os.path.abspath(os.fspath(target)))


SQLITE_HEADER = b"SQLite format 3\x00"


def check_session_path(project, path: str | os.PathLike) -> None:
    """OverwriteError when the session file (about to be opened, and made if missing) is one of the project's
    input files. An existing SQLite database is taken for a session, not a task's media: no media walk for it."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
    except OSError:
        header = b""
    InputFiles.of_project(project, media=header != SQLITE_HEADER).check(path)
