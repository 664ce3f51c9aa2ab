"""Downloads against a local server that trickles: the whole-download deadline, cancelling, the size limit, and
no partial file left in the cache on any of these."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from tests.http_trickle import BODY, trickling_server
from viewer.core.download import DEADLINE_S, CancelToken, default_deadline, download_control
from viewer.core.errors import MediaError
from viewer.core.media import MediaResolver
from viewer.core.project import open_project


@pytest.fixture
def server():
    with trickling_server() as srv:
        yield srv


@pytest.fixture(autouse=True)
def no_deadline_env(monkeypatch):
    monkeypatch.delenv("LSVIEW_DOWNLOAD_DEADLINE", raising=False)


def cache_files(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []


def test_trickling_body_stops_at_the_deadline(tmp_path, server):
    cache = tmp_path / "cache"
    r = MediaResolver(tmp_path, cache_dir=cache, timeout=15, deadline=2)
    with pytest.raises(MediaError) as ei:
        r.resolve(server.base + "/trickle.png")
    msg = str(ei.value)
    assert "deadline" in msg and "2 s" in msg and "/trickle.png" in msg
    assert 0 < server.sent < BODY    # bytes were arriving: no per-read timeout could have stopped it
    assert cache_files(cache) == []
    assert not r.exists(server.base + "/trickle.png")


def test_trickling_headers_stop_at_the_deadline(tmp_path, server):
    server.every = 0.25
    cache = tmp_path / "cache"
    with pytest.raises(MediaError, match="deadline"):
        MediaResolver(tmp_path, cache_dir=cache, timeout=15, deadline=1).resolve(server.base + "/trickle-headers.png")
    assert 0 < server.sent < BODY
    assert cache_files(cache) == []


def test_long_url_is_cut_in_the_message(tmp_path, server):
    url = server.base + "/trickle.png?" + "q" * 5000
    with pytest.raises(MediaError) as ei:
        MediaResolver(tmp_path, cache_dir=tmp_path / "cache", deadline=0.5).resolve(url)
    assert "deadline" in str(ei.value) and len(str(ei.value)) < 600


def test_cancel_wakes_a_waiting_read(tmp_path, server):
    cache = tmp_path / "cache"
    r = MediaResolver(tmp_path, cache_dir=cache, timeout=120, deadline=120)
    token, errors, reports = CancelToken(), [], []

    def work():
        with download_control(cancel=token, progress=lambda url, done, total: reports.append((done, total))):
            try:
                r.resolve(server.base + "/stall.png")
            except MediaError as exc:
                errors.append(exc)
    thread = threading.Thread(target=work)
    thread.start()
    for _ in range(500):   # until the download has its first byte and waits for more
        if reports and server.sent:
            break
        time.sleep(0.02)
    token.cancel()
    thread.join(60)
    assert not thread.is_alive()
    assert len(errors) == 1 and "download cancelled" in str(errors[0])
    assert reports[:2] == [(0, 0), (0, 10)]   # before connecting, then with the announced size
    assert cache_files(cache) == []


def test_cancelled_token_downloads_nothing(tmp_path, server):
    token = CancelToken()
    token.cancel()
    with download_control(cancel=token), pytest.raises(MediaError, match="download cancelled"):
        MediaResolver(tmp_path, cache_dir=tmp_path / "cache").resolve(server.base + "/ok.png")
    assert server.hits == []
    # outside the block the same resolver downloads again
    assert MediaResolver(tmp_path, cache_dir=tmp_path / "cache").resolve(server.base + "/ok.png").read_bytes() == \
        b"hello"


def test_cut_short_response_leaves_no_file(tmp_path, server):
    cache = tmp_path / "cache"
    with pytest.raises(MediaError, match="cut short: 40 of 100 bytes"):
        MediaResolver(tmp_path, cache_dir=cache).resolve(server.base + "/short.png")
    assert cache_files(cache) == []


def test_size_limit_holds_for_chunked_responses(tmp_path, server):
    cache = tmp_path / "cache"
    with pytest.raises(MediaError, match="limit of 4096 bytes"):
        MediaResolver(tmp_path, cache_dir=cache, max_bytes=4096).resolve(server.base + "/chunked-big.bin")
    assert cache_files(cache) == []
    whole = MediaResolver(tmp_path, cache_dir=cache).resolve(server.base + "/chunked-big.bin")
    assert whole.stat().st_size == 10_000


def test_redirect_to_ftp_is_not_followed(tmp_path, server):
    with pytest.raises(MediaError, match="ftp"):
        MediaResolver(tmp_path, cache_dir=tmp_path / "cache").resolve(server.base + "/to-ftp.png")


def test_deadline_from_environment(monkeypatch, tmp_path):
    assert default_deadline() == DEADLINE_S == 60
    assert MediaResolver(tmp_path).deadline == 60
    monkeypatch.setenv("LSVIEW_DOWNLOAD_DEADLINE", "300")
    assert MediaResolver(tmp_path).deadline == 300
    assert MediaResolver(tmp_path, deadline=5).deadline == 5
    for bad in ("abc", "0", "-1", "inf", "nan"):
        monkeypatch.setenv("LSVIEW_DOWNLOAD_DEADLINE", bad)
        with pytest.raises(MediaError, match="LSVIEW_DOWNLOAD_DEADLINE"):
            MediaResolver(tmp_path)


def test_a_download_not_made_is_not_remembered(tmp_path, server, monkeypatch):
    monkeypatch.setenv("LSVIEW_CACHE_DIR", str(tmp_path / "cache"))
    url = server.base + "/ok.png"
    (tmp_path / "tasks.json").write_text(json.dumps([{"id": 1, "data": {"image": url}}]))
    project = open_project(tmp_path / "tasks.json")
    with download_control(allowed=False):       # a thread that must not wait on the network, like the GUI's
        info = project.image(url)
    assert not info.final and "not downloaded yet" in info.error and server.hits == []
    info = project.image(url)       # downloaded now ("hello" is no image, which is remembered)
    assert info.final and "not a readable image" in info.error and server.hits == ["/ok.png"]
    assert project.image(url) is info


class _BrokenRead:
    """A response whose socket fails under the reader, as one shut down by the deadline's timer does."""
    length = None

    def __init__(self, stop_first, transfer):
        self.stop_first, self.transfer = stop_first, transfer

    def read1(self, size):
        if self.stop_first:
            self.transfer.stop("deadline")
        raise OSError(9, "Bad file descriptor")


@pytest.mark.parametrize("stopped, said", [(True, "deadline"), (False, "failed after 0 bytes")])
def test_a_read_failing_inside_the_cache_write_is_a_media_error(tmp_path, stopped, said):
    # the deadline once landed while the cache file was open: the socket's OSError read as the cache's OutputError
    from viewer.core.transfer import _Transfer, _chunks, _write
    transfer = _Transfer(60, None)
    try:
        with pytest.raises(MediaError, match=said):
            _write(tmp_path / "cache" / "a.png", _chunks(_BrokenRead(stopped, transfer), "u", 10**6, transfer, [0],
                                                         None), "u")
    finally:
        transfer.close()
    assert list((tmp_path / "cache").iterdir()) == []
