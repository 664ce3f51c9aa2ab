"""HTTP(S) downloads with a deadline on the whole transfer, a size limit and a cancel switch.

Core layer, stdlib only; media.py's resolver is the caller, transfer.py moves the bytes. A file is written whole or
not at all, and every failure is a MediaError naming the URL.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from viewer.core.errors import DownloadCancelled, MediaError

__all__ = ["DEADLINE_S", "CancelToken", "default_deadline", "download_control", "fetch"]

DEADLINE_S = 60.0           # a whole download: connect, headers and body

Progress = Callable[[str, int, int], None]   # (url, bytes received, bytes announced or 0)


def default_deadline() -> float:
    """Seconds a whole download may take: $LSVIEW_DOWNLOAD_DEADLINE, else 60; MediaError for a bad value."""
    text = os.environ.get("LSVIEW_DOWNLOAD_DEADLINE", "").strip()
    if not text:
        return DEADLINE_S
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < 10**7:  # also refuses NaN and infinity, which no timer takes
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise MediaError(f"LSVIEW_DOWNLOAD_DEADLINE={shown!r}: give the seconds a download may take, a number "
                         "above 0")
    return value


class CancelToken:
    """A switch another thread flips to stop the downloads made under it (see download_control): the download
    stops between two chunks, and a read that waits on the network is woken at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._hooks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            if self._cancelled:
                return
            self._cancelled = True
            hooks = list(self._hooks)
        for hook in hooks:
            hook()

    def _hook(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Call hook on cancel (at once if already cancelled); returns the function that unhooks it."""
        with self._lock:
            if not self._cancelled:
                self._hooks.append(hook)
                return lambda: self._unhook(hook)
        hook()
        return lambda: None

    def _unhook(self, hook: Callable[[], None]) -> None:
        with self._lock:
            if hook in self._hooks:
                self._hooks.remove(hook)


_CONTROL = threading.local()


@contextmanager
def download_control(cancel: CancelToken | None = None, progress: Progress | None = None, *,
                     allowed: bool = True) -> Iterator[None]:
    """Downloads this thread starts inside the block stop when `cancel` is cancelled and report `progress`
    (about every 0.1 s); with allowed=False none is made (a GUI thread must not wait on the network). Both end in
    DownloadCancelled. Thread-local, because the resolver is called deep inside project code."""
    saved = getattr(_CONTROL, "value", None)
    _CONTROL.value = (cancel, progress, allowed)
    try:
        yield
    finally:
        _CONTROL.value = saved


def fetch(url: str, target_for: Callable[[str], Path], *, name: str, timeout: float, deadline: float,
          max_bytes: int) -> Path:
    """Download url into the file target_for(content type) names, whole or not at all, and return it.

    `name` is how messages show the URL; `timeout` bounds one network read, `deadline` the whole download."""
    cancel, progress, allowed = getattr(_CONTROL, "value", None) or (None, None, True)
    if not allowed:
        raise DownloadCancelled(f"media reference {name!r}: not downloaded yet (the window downloads a task's "
                                "media when it shows the task)")
    if cancel is not None and cancel.cancelled:
        raise DownloadCancelled(f"media reference {name!r}: download cancelled")
    from viewer.core.transfer import get  # the network modules load with the first download

    return get(url, target_for, name=name, timeout=timeout, deadline=deadline, max_bytes=max_bytes, cancel=cancel,
               progress=progress)
