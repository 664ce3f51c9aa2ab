"""A local HTTP server, in a thread, that answers slowly in the ways a hostile or broken server does: one byte a
second, headers that never end, a stall, a body cut short. Shared by the core and Qt download tests."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

BODY = 1000   # bytes a trickling response announces: at one a second, 17 minutes


class _Trickle(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _drip(self, data: bytes, every: float) -> None:
        for i in range(len(data)):
            if self.server.stopping.wait(every if i else 0):
                return
            self.wfile.write(data[i:i + 1])
            self.wfile.flush()
            self.server.sent += 1

    def do_GET(self):
        srv = self.server
        srv.hits.append(self.path)
        path = self.path.partition("?")[0]
        try:
            if path == "/trickle.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(BODY))
                self.end_headers()
                self._drip(b"\0" * BODY, srv.every)
            elif path == "/trickle-headers.png":
                self._drip(b"HTTP/1.0 200 OK\r\n" + b"X-Slow: " + b"a" * BODY, srv.every)
            elif path == "/stall.png":
                self.send_response(200)
                self.send_header("Content-Length", "10")
                self.end_headers()
                self.wfile.write(b"\0")
                self.wfile.flush()
                srv.sent += 1
                srv.stopping.wait(300)   # until the test ends: only a cancel that wakes the read ends the download
            elif path == "/short.png":
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b"\0" * 40)
            elif path == "/chunked-big.bin":
                self.protocol_version = "HTTP/1.1"
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(10):
                    self.wfile.write(b"3e8\r\n" + b"\0" * 1000 + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            elif path == "/to-ftp.png":
                self.send_response(302)
                self.send_header("Location", "ftp://127.0.0.1/x.png")
                self.end_headers()
            elif path == "/ok.png":
                self.send_response(200)
                self.send_header("Content-Length", "5")
                self.end_headers()
                self.wfile.write(b"hello")
        except OSError:  # the client hung up, as it should when it gives up
            pass


@contextmanager
def local_server(handler: type[BaseHTTPRequestHandler], stop: threading.Event,
                 **attributes) -> Iterator[ThreadingHTTPServer]:
    """A server on 127.0.0.1 in a thread, with `attributes` set on it and .base its URL; `stop` is set before it
    shuts down, so handlers that wait on it let go."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    for name, value in attributes.items():
        setattr(srv, name, value)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        yield srv
    finally:
        stop.set()
        srv.shutdown()
        srv.server_close()


@contextmanager
def trickling_server() -> Iterator[ThreadingHTTPServer]:
    """The trickling server; .sent is the bytes it dripped, .every the drip period."""
    stopping = threading.Event()
    with local_server(_Trickle, stopping, hits=[], sent=0, every=1.0, stopping=stopping) as srv:
        yield srv
