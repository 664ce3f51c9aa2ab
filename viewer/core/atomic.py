"""Outputs written whole or not at all: a temporary file beside the target, renamed into place (core, no Qt).

The temporary is `.<target name>.<pid>.<random>.part`: it goes on every exit Python sees (errors, Ctrl-C, and SIGTERM
or SIGHUP under terminating_signals), and one left by a killed process is removed when its target is next written.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TextIO

from viewer.core.errors import OutputError

# A temporary whose writer is alive but which nobody touched for this long is stale too (its pid was reused).
STALE_AGE = 15 * 60
# What follows `.<target name>.` in a temporary's name: the writer's pid and mkstemp's 8 characters, or (before
# pids were part of the name) those 8 characters alone.
_TEMPORARY_TAIL = re.compile(r"(?:(?P<pid>\d+)\.)?[a-z0-9_]{8}\.part")


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once, at import: setting the umask to read it is process-wide, and the window writes files from worker
# threads later on.
_UMASK = _read_umask()


def new_file_mode() -> int:
    """The permissions open() would give a new file (mkstemp's are owner-only)."""
    return 0o666 & ~_UMASK


def new_folder_mode() -> int:
    """The permissions mkdir would give a new folder (mkdtemp's are owner-only)."""
    return 0o777 & ~_UMASK


def writable_target(target: Path) -> Path:
    """The file an output really replaces: a missing name or a regular file as it is, a symlink to a regular file
    by where it leads (the link stays a link). OutputError for anything else: a rename over a device, a FIFO or a
    folder would replace that, not write into it (`--out /dev/stdout` as root would delete /dev/stdout)."""
    try:
        kind = os.stat(target).st_mode
    except FileNotFoundError:
        if os.path.islink(target):
            raise OutputError(f"{target}: a symbolic link to a file that does not exist; give the file itself")
        return target
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there: {exc.strerror or exc}") from None
    if stat.S_ISDIR(kind):
        raise OutputError(f"{target}: is a folder; give a file name")
    if not stat.S_ISREG(kind):
        raise OutputError(f"{target}: is not a regular file (a device, a FIFO or a socket); lsview writes its "
                          "outputs as files: give a file name")
    return Path(os.path.realpath(target)) if os.path.islink(target) else target


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path to write; on leaving without an error it becomes `target` in one rename, else it goes.

    The result keeps the permissions of the file it replaces, or gets those of any newly made file. A target that
    cannot be written (read-only, disk full, not a regular file) is an OutputError naming it; nothing stays."""
    target = writable_target(Path(target))
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part",
                                             dir=target.parent)
        os.close(handle)
        yield Path(temporary)
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = new_file_mode()
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as exc:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:  # gone already, or the folder went read-only: the first error is the one to tell
                pass
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: cannot write it: {exc.strerror or exc}; nothing was written") from exc
        raise


def write_bytes_atomically(target: Path, data: bytes) -> None:
    """Bytes made in memory (a PNG), on disk whole or not at all: a full disk raises here, at write or fsync."""
    with replacing(target) as temporary:
        with open(temporary, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())


def write_text_atomically(target: Path, produce: Callable[[TextIO], None]) -> None:
    """Write UTF-8 text through `produce(stream)`: a reader sees all of it or none of it."""
    with replacing(target) as temporary:
        with open(temporary, "w", encoding="utf-8") as stream:
            produce(stream)
            stream.flush()
            os.fsync(stream.fileno())


_temporaries_by_folder: dict[str, list[str]] = {}
_sweep_lock = threading.Lock()


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # Windows' os.kill(pid, 0) would send Ctrl-C to it: there, only the age tells
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, another user's
        return True
    return True


def _stale(path: Path, pid: int | None) -> bool:
    if pid == os.getpid():
        return False  # ours: another thread may be writing it right now
    if pid is not None and not _alive(pid):
        return True
    try:
        return time.time() - path.stat().st_mtime > STALE_AGE
    except OSError:
        return False


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporaries of `target` that a killed lsview left (writer dead, or untouched for STALE_AGE).

    A folder is listed once per process (a render writes thousands of PNGs into one); only names of lsview's own
    pattern for this very target are touched."""
    folder = os.fspath(target.parent)
    prefix = f".{target.name}."
    removed = []
    with _sweep_lock:
        names = _temporaries_by_folder.get(folder)
        if names is None:
            try:
                with os.scandir(folder) as entries:
                    names = [e.name for e in entries if e.name.startswith(".") and e.name.endswith(".part")]
            except OSError:
                names = []
            _temporaries_by_folder[folder] = names
        for name in [n for n in names if n.startswith(prefix)]:
            match = _TEMPORARY_TAIL.fullmatch(name, len(prefix))
            if match is None:
                continue
            path = target.parent / name
            if _stale(path, int(match["pid"]) if match["pid"] else None):
                try:
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path)  # a training export's folder (export.training.folder)
                    else:
                        path.unlink()
                    removed.append(path)
                except FileNotFoundError:
                    pass
                except OSError:
                    continue
            names.remove(name)
    return removed


_HANDLER_PID = [0]  # the process that installed _exit_on_signal; its forked children inherit the handler


def _exit_on_signal(signum, frame) -> None:
    if os.getpid() != _HANDLER_PID[0]:
        # A forked worker that was signalled before it set its own handlers: it has nothing to clean up, and a
        # SystemExit raised inside a finalizer would be swallowed with the signal already ignored (a pool joined
        # such a worker for ever).
        os._exit(128 + signum)
    # A second signal must not cut the cleanup of the first one short.
    for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if number is not None:
            signal.signal(number, signal.SIG_IGN)
    raise SystemExit(128 + signum)


@contextmanager
def terminating_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP become SystemExit(128 + signal) while inside: `finally` blocks run, temporaries go.

    Only in the main thread (Python's rule for handlers); the previous handlers come back on leaving."""
    numbers = [n for n in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if n is not None]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _HANDLER_PID[0] = os.getpid()
    previous = {n: signal.signal(n, _exit_on_signal) for n in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)  # None: set outside Python
