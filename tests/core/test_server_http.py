"""The HTTP client without Label Studio: retries, deadlines, error text, downloads whole or not at all, the PAT
refresh flow. A throwaway local http.server scripts the answers (5xx, stalls, cut bodies), which no real server
gives on demand; tests/server has the same client against Label Studio itself."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from viewer.core.server.auth import (LegacyToken, PersonalAccessToken, auth_for, jwt_payload, token_kind)
from viewer.core.server.http import Http, HttpError


def _jwt(payload: dict) -> str:
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl"


PAT = _jwt({"token_type": "refresh", "exp": 8103709136, "iat": 1796509136, "jti": "j", "user_id": "1"})
LS_ERROR = {"id": "e1", "status_code": 400, "version": "1.23.2", "detail": "Validation error", "exc_info": None,
            "validation_errors": {"non_field_errors": ["task 99 couldn't be retrieved"], "score": ["not a number"]}}


class _Scripted(BaseHTTPRequestHandler):
    """Answers from server.script: path -> list of (status, body bytes, headers, mode), one per hit (the last one
    repeats). mode: "" plain, "cut" announces more bytes than it sends, "slow" sends one byte every 0.2 s."""

    def log_message(self, *args):
        pass

    def _answer(self):
        srv = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body_in = self.rfile.read(length) if length else b""
        srv.hits.append((self.command, self.path, dict(self.headers), body_in))
        answers = srv.script.get(self.path.partition("?")[0])
        if answers is None:
            answers = [(404, b'{"detail": "Not found."}', {}, "")]
        seen = srv.counts.get(self.path, 0)
        srv.counts[self.path] = seen + 1
        status, body, headers, mode = answers[min(seen, len(answers) - 1)]
        if callable(body):
            status, body = body(self)
        self.send_response(status)
        self.send_header("Content-Type", headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(body) + (1000 if mode == "cut" else 0)))
        self.end_headers()
        if mode == "slow":
            for i in range(len(body)):
                if srv.stopping.wait(0.2):
                    return
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
        else:
            self.wfile.write(body)
        if mode == "cut":
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = do_POST = do_PATCH = do_DELETE = _answer


@contextmanager
def scripted(script: dict):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    server.daemon_threads = True
    server.script, server.hits, server.counts, server.stopping = script, [], {}, threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


def _ok(obj) -> tuple:
    return (200, json.dumps(obj).encode(), {}, "")


def test_5xx_is_retried_with_backoff_4xx_is_not():
    script = {"/api/flaky/": [(502, b"<html>bad gateway</html>", {"Content-Type": "text/html"}, ""),
                              (500, b'{"detail": "boom"}', {}, ""), _ok({"fine": True})],
              "/api/bad/": [(400, json.dumps(LS_ERROR).encode(), {}, "")]}
    with scripted(script) as (server, url), Http(url, retries=3, backoff=0.01) as http:
        assert http.get_json("/api/flaky/") == {"fine": True}
        assert http.requests == 3
        with pytest.raises(HttpError) as caught:
            http.post_json("/api/bad/", [{"task": 99}], params={"x": 1})
        assert http.requests == 4  # one try: a 4xx is the answer, not a hiccup
    error = caught.value
    assert error.status == 400 and error.method == "POST" and error.endpoint == "/api/bad/?x=1"
    assert error.detail == "Validation error"
    assert error.validation_errors == LS_ERROR["validation_errors"]
    text = str(error)
    assert text == ("POST /api/bad/?x=1: 400 Bad Request: Validation error: task 99 couldn't be retrieved; "
                    "score: not a number")
    assert "\n" not in text and "Traceback" not in text


def test_5xx_after_the_last_retry_names_the_server_message():
    with scripted({"/x": [(503, b'{"detail": "maintenance"}', {}, "")]}) as (server, url):
        with Http(url, retries=2, backoff=0.01) as http, pytest.raises(HttpError) as caught:
            http.get_json("/x")
        assert server.counts["/x"] == 3
    assert str(caught.value) == "GET /x: 503 Service Unavailable: maintenance"


def test_connection_refused_is_a_clear_error_after_retries():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with Http(f"http://127.0.0.1:{port}", retries=1, backoff=0.01) as http, pytest.raises(HttpError) as caught:
        http.get_json("/api/projects/")
    assert caught.value.status is None
    assert http.requests == 2
    text = str(caught.value)
    assert text.startswith(f"GET /api/projects/: cannot connect to http://127.0.0.1:{port}")
    assert "is the server running" in text


def test_a_slow_answer_hits_the_deadline_and_a_stall_the_read_timeout():
    body = json.dumps({"a": "x" * 40}).encode()
    with scripted({"/slow": [(200, body, {}, "slow")]}) as (server, url):
        with Http(url, deadline=0.5, timeout=5, retries=0) as http, pytest.raises(HttpError) as caught:
            started = time.monotonic()
            http.get_json("/slow")
        assert time.monotonic() - started < 3
    assert caught.value.status is None and "within 0.5 s" in str(caught.value)
    with scripted({"/slow": [(200, body, {}, "slow")]}) as (server, url):
        with Http(url, deadline=60, timeout=0.05, retries=0) as http, pytest.raises(HttpError) as caught:
            http.get_json("/slow")
    assert "timed out waiting for the answer" in str(caught.value)


def test_not_json_says_so():
    with scripted({"/": [(200, b"<html>login</html>", {"Content-Type": "text/html"}, "")]}) as (server, url):
        with Http(url) as http, pytest.raises(HttpError) as caught:
            http.get_json("/")
    assert "not JSON" in str(caught.value) and "right server URL" in str(caught.value)


def test_download_is_written_whole_or_not_at_all(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10
    script = {"/data/upload/1/a.png": [(200, png, {"Content-Type": "image/png"}, "")],
              "/data/upload/1/cut.png": [(200, png, {"Content-Type": "image/png"}, "cut")],
              "/data/upload/1/gone.png": [(404, b'{"detail": "Not found."}', {}, "")]}
    with scripted(script) as (server, url), Http(url, retries=1, backoff=0.01) as http:
        target = tmp_path / "cache" / "a.png"
        assert http.download("/data/upload/1/a.png", target) == target
        assert target.read_bytes() == png
        with pytest.raises(HttpError):
            http.download(url + "/data/upload/1/cut.png", tmp_path / "cut.png")
        assert server.counts["/data/upload/1/cut.png"] == 2   # a broken body is a connection error: retried
        with pytest.raises(HttpError) as caught:
            http.download("/data/upload/1/gone.png", tmp_path / "gone.png")
        named = http.download("/data/upload/1/a.png", lambda content_type: tmp_path / f"n{len(content_type)}.bin")
        with pytest.raises(HttpError, match="larger than"):
            http.download("/data/upload/1/a.png", tmp_path / "big.png", max_bytes=100)
    assert named == tmp_path / "n9.bin"
    assert caught.value.status == 404
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "n9.bin"]  # no partial file, no temporary


def test_credentials_go_only_to_the_servers_own_origin(tmp_path):
    with scripted({"/f.png": [(200, b"png", {"Content-Type": "image/png"}, "")]}) as (server, url):
        other = url.replace("127.0.0.1", "localhost")
        with Http(url, LegacyToken("k" * 40)) as http:
            http.download("/f.png", tmp_path / "own.png")
            http.download(other + "/f.png?X-Amz-Signature=abc", tmp_path / "presigned.png")
        sent = [headers.get("Authorization") for _, _, headers, _ in server.hits]
    assert sent == ["Token " + "k" * 40, None]


def test_token_kinds_are_told_apart():
    assert token_kind(PAT) == "pat"
    assert jwt_payload(PAT)["token_type"] == "refresh"
    assert token_kind(_jwt({"token_type": "access", "exp": 1})) == "access"
    assert token_kind("5f4dcc3b5aa765d61d8327deb882cf99lsview01") == "legacy"
    assert token_kind("a.b.c") == "legacy"  # three parts but no JSON payload
    assert isinstance(auth_for(PAT, "http://h"), PersonalAccessToken)
    assert isinstance(auth_for(" abc ", "http://h"), LegacyToken)
    for bad in ("", "  ", "Token abc"):
        with pytest.raises(Exception) as caught:
            auth_for(bad, "http://h")
        assert "token" in str(caught.value).lower()
    assert "abc" not in repr(auth_for("abc", "http://h")) and PAT not in repr(auth_for(PAT, "http://h"))


def _refresh_answer(lifetime: float):
    def answer(handler):
        sent = json.loads(handler.server.hits[-1][3])
        if sent.get("refresh") != PAT:
            return 401, b'{"detail": "Token is invalid"}'
        handler.server.issued += 1
        access = _jwt({"token_type": "access", "exp": time.time() + lifetime, "n": handler.server.issued})
        return 200, json.dumps({"access": access}).encode()
    return answer


def _bearer_check(handler):
    auth = handler.headers.get("Authorization", "")
    payload = jwt_payload(auth.removeprefix("Bearer ")) if auth.startswith("Bearer ") else None
    if payload is None or payload.get("n") in handler.server.revoked:
        return 401, b'{"detail": "Authentication credentials were not provided."}'
    return 200, json.dumps({"n": payload["n"]}).encode()


def test_a_pat_is_refreshed_once_kept_and_refreshed_again_on_401():
    script = {"/api/token/refresh/": [(200, _refresh_answer(300), {}, "")],
              "/api/projects/": [(200, _bearer_check, {}, "")]}
    with scripted(script) as (server, url):
        server.issued, server.revoked = 0, set()
        auth = auth_for(PAT, url)
        with Http(url, auth) as http:
            assert http.get_json("/api/projects/") == {"n": 1}
            assert http.get_json("/api/projects/") == {"n": 1}     # the access token is kept while it lives
            assert auth.refreshes == 1 and http.requests == 3       # the refresh is counted too
            server.revoked.add(1)                                   # the server forgets it early
            assert http.get_json("/api/projects/") == {"n": 2}
            assert auth.refreshes == 2
        assert [h[0] for h in server.hits if h[1] == "/api/token/refresh/"] == ["POST", "POST"]


def test_an_access_token_near_its_expiry_is_refreshed_before_use():
    script = {"/api/token/refresh/": [(200, _refresh_answer(10), {}, "")],   # inside the 30 s margin
              "/api/projects/": [(200, _bearer_check, {}, "")]}
    with scripted(script) as (server, url):
        server.issued, server.revoked = 0, set()
        with Http(url, auth_for(PAT, url)) as http:
            assert http.get_json("/api/projects/") == {"n": 1}
            assert http.get_json("/api/projects/") == {"n": 2}


def test_a_refused_pat_or_legacy_token_says_which_kind_was_tried():
    script = {"/api/token/refresh/": [(401, b'{"detail": "Token is invalid", "status_code": 401}', {}, "")],
              "/api/projects/": [(401, b'{"detail": "Invalid token."}', {}, "")],
              "/api/off/": [(401, b'{"detail": "Authentication token no longer valid: legacy token authentication '
                                 b'has been disabled for this organization"}', {}, "")]}
    with scripted(script) as (server, url):
        with Http(url, auth_for(PAT, url)) as http, pytest.raises(HttpError) as pat:
            http.get_json("/api/projects/")
        with Http(url, auth_for("f" * 40, url)) as http:
            with pytest.raises(HttpError) as legacy:
                http.get_json("/api/projects/")
            with pytest.raises(HttpError) as off:
                http.get_json("/api/off/")
    assert str(pat.value).startswith("POST /api/token/refresh/: 401 Unauthorized: Token is invalid")
    assert "Personal Access Token was refused" in str(pat.value)
    assert str(legacy.value).startswith("GET /api/projects/: 401 Unauthorized: Invalid token. (a legacy API token")
    assert "--enable-legacy-api-token" in str(legacy.value)
    assert "has legacy tokens turned off" in str(off.value)
    for error in (pat.value, legacy.value, off.value):
        assert PAT not in str(error) and "f" * 40 not in str(error)


def test_basic_auth_for_ml_backends():
    def check(handler):
        expected = "Basic " + base64.b64encode(b"user:secret").decode()
        ok = handler.headers.get("Authorization") == expected
        return (200, b'{"status": "UP"}') if ok else (401, b"")
    with scripted({"/health": [(200, check, {}, "")]}) as (server, url):
        with Http(url, ("user", "secret")) as http:
            assert http.get_json("/health") == {"status": "UP"}
        with Http(url, ("user", "wrong"), retries=0) as http, pytest.raises(HttpError) as caught:
            http.get_json("/health")
    assert str(caught.value) == "GET /health: 401 Unauthorized (the credentials were refused)"


def test_a_base_url_that_is_no_url_is_refused():
    with pytest.raises(Exception) as caught:
        Http("localhost:8080")
    assert "http://localhost:8080" in str(caught.value)


def test_paths_keep_the_servers_path_prefix():
    with Http("http://h:1/ls/") as http:
        assert http.url("/api/projects/") == "http://h:1/ls/api/projects/"
        assert http.url("https://bucket.s3/x.png") == "https://bucket.s3/x.png"
        assert http.same_origin("http://H:1/data/x") and not http.same_origin("http://h:2/data/x")


def test_an_error_without_an_answer_has_no_status():
    error = HttpError("GET", "/x", 500, "Internal Server Error: boom")
    assert str(error) == "GET /x: 500 Internal Server Error: boom"
    assert str(HttpError("GET", "/x", None, "timed out")) == "GET /x: timed out"
