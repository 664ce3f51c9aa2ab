"""One HTTP(S) transfer: the network half of download.py, imported when the first download starts (urllib,
http.client and ssl cost a command that never downloads 50 ms to import).

Core layer, stdlib only. download.fetch is the way in; it decides whether a download may start.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

from viewer.core.atomic import replacing
from viewer.core.errors import DownloadCancelled, MediaError

_CHUNK = 1 << 16
_PROGRESS_EVERY_S = 0.1


def get(url: str, target_for: Callable[[str], Path], *, name: str, timeout: float, deadline: float,
        max_bytes: int, cancel: Any, progress: Callable[[str, int, int], None] | None) -> Path:
    """Download url into the file target_for(content type) names, whole or not at all, and return it; `cancel`
    is download's CancelToken or None."""
    transfer = _Transfer(deadline, cancel)
    received = [0]
    if progress is not None:
        progress(url, 0, 0)   # before connecting: a server slow to answer can be cancelled too
    req = urllib.request.Request(url, headers={"User-Agent": "lsview", "Accept": "*/*"})
    try:
        with _opener(transfer).open(req, timeout=max(0.01, min(timeout, transfer.remaining()))) as resp:
            length = resp.headers.get("Content-Length")
            announced = int(length) if length and length.isdigit() else 0
            if announced > max_bytes:
                raise MediaError(f"download of {name!r} refused: {announced} bytes announced, limit is {max_bytes}")
            target = target_for(resp.headers.get_content_type())
            report = None if progress is None else (lambda done: progress(url, done, announced))
            _write(target, _chunks(resp, name, max_bytes, transfer, received, report), name)
    except MediaError:
        raise
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        if transfer.check() is not None:  # the shut-down socket made the reader fail: say why it was shut
            raise _stopped(transfer, name, received[0]) from exc
        if isinstance(exc, urllib.error.HTTPError):
            raise MediaError(f"download of {name!r} failed: HTTP {exc.code} {exc.reason}") from exc
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise MediaError(f"download of {name!r} timed out: no data for {timeout:g} s") from exc
        raise MediaError(f"download of {name!r} failed: {reason}") from exc
    finally:
        transfer.close()
    return target


class _Transfer:
    """One download's stop switch. The deadline's timer and the cancel token shut the socket down, which wakes a
    read waiting on the network (a per-read timeout never fires for a server sending a byte a second); the
    reading loop then sees why it stopped."""

    def __init__(self, seconds: float, cancel: Any):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.stopped: str | None = None     # "deadline" | "cancelled"
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.stop, args=("deadline",))
        self._timer.daemon = True
        self._timer.start()
        self._unhook = cancel._hook(lambda: self.stop("cancelled")) if cancel is not None else (lambda: None)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.stopped is not None:
                _shutdown(sock)

    def stop(self, why: str) -> None:
        with self._lock:
            if self.stopped is None:
                self.stopped = why
            if self._sock is not None:
                _shutdown(self._sock)

    def check(self) -> str | None:
        """Why the transfer must end now, or None; the clock is read too, in case the timer thread is late."""
        if self.stopped is None and self.remaining() <= 0:
            self.stop("deadline")
        return self.stopped

    def close(self) -> None:
        self._timer.cancel()
        self._unhook()
        with self._lock:
            self._sock = None


def _shutdown(sock: socket.socket) -> None:
    # socket.socket's own shutdown, also for an SSLSocket: its override would drop the TLS state under the reader
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:  # already closed
        pass


def _watched(base: type[http.client.HTTPConnection], transfer: _Transfer) -> Callable[..., http.client.HTTPConnection]:
    """A connection factory for urllib whose sockets the transfer can shut down once connected."""

    class Connection(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            transfer.attach(self.sock)

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, transfer: _Transfer):
        super().__init__()
        self._connection = _watched(http.client.HTTPConnection, transfer)

    def http_open(self, req):
        return self.do_open(self._connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, transfer: _Transfer):
        super().__init__()
        self._connection = _watched(http.client.HTTPSConnection, transfer)

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._context)


def _opener(transfer: _Transfer) -> urllib.request.OpenerDirector:
    # http and https only, also after a redirect (urllib's default would follow one to ftp, unwatched)
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(), _HTTPHandler(transfer),
                    _HTTPSHandler(transfer), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPRedirectHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _stopped(transfer: _Transfer, name: str, received: int) -> MediaError:
    if transfer.stopped == "cancelled":
        return DownloadCancelled(f"media reference {name!r}: download cancelled")
    return MediaError(f"download of {name!r} stopped at the {transfer.seconds:g} s deadline for a whole download "
                      f"({received} bytes received; LSVIEW_DOWNLOAD_DEADLINE sets another)")


def _chunks(resp: http.client.HTTPResponse, name: str, limit: int, transfer: _Transfer, received: list[int],
            progress: Callable[[int], None] | None) -> Iterator[bytes]:
    reported = 0.0
    if progress is not None:
        progress(0)
    while True:
        if transfer.check() is not None:
            raise _stopped(transfer, name, received[0])
        # read1: whatever one read brings; read(n) would wait for all n bytes from a trickling server
        try:
            chunk = resp.read1(_CHUNK)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            # said here, inside the cache file's writing, where an OSError would read as the cache's own failure
            if transfer.check() is not None:
                raise _stopped(transfer, name, received[0]) from exc
            raise MediaError(f"download of {name!r} failed after {received[0]} bytes: {exc}") from exc
        if not chunk:
            break
        received[0] += len(chunk)
        if received[0] > limit:
            raise MediaError(f"download of {name!r} aborted: larger than the limit of {limit} bytes")
        if progress is not None and time.monotonic() - reported >= _PROGRESS_EVERY_S:
            reported = time.monotonic()
            progress(received[0])
        yield chunk
    # a socket shut down by the deadline or a cancel reads as the end of the data
    if transfer.check() is not None:
        raise _stopped(transfer, name, received[0])
    if resp.length:  # the server closed before sending all it announced
        raise MediaError(f"download of {name!r} cut short: {received[0]} of {received[0] + resp.length} bytes")


def _write(target: Path, chunks: Iterator[bytes], name: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MediaError(f"download of {name!r}: cannot write to cache folder {target.parent}: "
                         f"{exc.strerror or exc}") from exc
    with replacing(target) as temporary, open(temporary, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
